"""A load while serving: pages, lists and search follow the new build without a restart."""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup

from twinkg.config import load_settings
from twinkg.loaders.pipeline import load
from twinkg.server import create_app

pytestmark = pytest.mark.slow  # loads again and again


def test_pages_lists_and_search_follow_a_new_load(mini_data, tmp_path, monkeypatch):
    from twinkg.server import dataset as dataset_module

    monkeypatch.setattr(dataset_module, "RECHECK_SECONDS", 0.0)  # look at the link on every request
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()
    assert "Alpha City" in client.get("/list/city", headers={"Accept-Language": "en"}).get_data(as_text=True)
    before = client.get("/page/city/alpha", headers={"Accept-Language": "en", "Accept": "text/html"}).headers["ETag"]

    cities = yaml.safe_load((mini_data / "cities.yaml").read_text(encoding="utf-8"))
    cities[0]["name"] = {"de": "Betastadt", "en": "Beta City"}
    (mini_data / "cities.yaml").write_text(yaml.safe_dump(cities, allow_unicode=True), encoding="utf-8")
    load(settings)

    headers = {"Accept-Language": "en", "Accept": "text/html"}
    listing = BeautifulSoup(client.get("/list/city", headers=headers).data, "html.parser")
    assert [li.a.get_text(strip=True) for li in listing.find("ol", class_="listing").find_all("li")] == \
        ["Beta City", "Tours(de)"]  # the mini Tours has no English name: marked
    found = BeautifulSoup(client.get("/search?q=beta", headers=headers).data, "html.parser")
    assert [a.get_text(strip=True) for a in found.find(class_="result-group").find_all("a")] == ["Beta City"]
    page = BeautifulSoup(client.get("/page/city/alpha", headers=headers).data, "html.parser")
    assert page.h1.get_text(strip=True) == "Beta City"
    # the page's ETag names the dataset version: a revalidation after the load gets the new page
    revalidated = client.get("/page/city/alpha", headers={**headers, "If-None-Match": before})
    assert revalidated.status_code == 200 and revalidated.headers["ETag"] != before
    assert "Beta City" in revalidated.get_data(as_text=True)


def test_a_busy_timeline_year_is_paged(mini_data, tmp_path):
    """A year with more events than a page holds (106 in 2022) is split into pages with
    previous/next links; every event is on exactly one page, in date order."""
    from twinkg.server.pages.listings import TIMELINE_PAGE_SIZE

    events = yaml.safe_load((mini_data / "events.yaml").read_text(encoding="utf-8"))
    visit = next(e for e in events if e["id"] == "visit-2022")
    for n in range(105):
        events.append({**visit, "id": f"visit-2022-{n:03d}", "date": f"2022-{n % 12 + 1:02d}-{n % 28 + 1:02d}"})
    events.append({**visit, "id": "visit-2021", "date": "2021-05-01"})
    (mini_data / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()
    in_2022 = sorted((e["date"], "/page/event/" + e["id"]) for e in events if e["date"].startswith("2022"))

    def page(url: str) -> BeautifulSoup:
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 200, url
        return BeautifulSoup(response.data, "html.parser")

    def links(soup: BeautifulSoup) -> list[str]:
        return [li.find("a")["href"] for li in soup.find("ol", class_="timeline").find_all("li")]

    first, second = page("/timeline?year=2022&page=1"), page("/timeline?year=2022&page=2")
    assert len(links(first)) == TIMELINE_PAGE_SIZE
    assert links(first) + links(second) == [href for _, href in in_2022]
    assert first.find("a", rel="next")["href"] == "/timeline?year=2022&page=2" and not first.find("a", rel="prev")
    assert second.find("a", rel="prev")["href"] == "/timeline?year=2022&page=1" and not second.find("a", rel="next")
    assert second.find("ol", class_="timeline")["start"] == str(TIMELINE_PAGE_SIZE + 1)
    assert client.get("/timeline?year=2022&page=3").status_code == 404
    assert client.get("/timeline?year=2022&page=x").status_code == 400
    # a year that fits one page has no page links
    single = page("/timeline?year=2021")
    assert links(single) == ["/page/event/visit-2021"] and single.find("nav", class_="pagination") is None


def test_a_large_map_is_capped_on_the_home_page_and_paged_on_the_map_page(mini_data, tmp_path):
    """106 partner cities: the home page maps the 100 with the most partners and links to the
    map page, which has every city on the map and its table in pages."""
    import json

    from twinkg.server.pages.listings import HOME_MAP_CITIES, MAP_PAGE_SIZE

    cities = yaml.safe_load((mini_data / "cities.yaml").read_text(encoding="utf-8"))
    partnerships = yaml.safe_load((mini_data / "partnerships.yaml").read_text(encoding="utf-8"))
    for n in range(104):
        cities.append({"id": f"c{n:03d}", "name": {"de": f"Stadt {n:03d}", "en": f"City {n:03d}"}, "country": "de",
                       "geo": {"lat": 50 + n / 100, "long": 7.0}, "source": "example-page"})
        partnerships.append({"id": f"alpha-c{n:03d}", "cities": ["alpha", f"c{n:03d}"], "kind": "twin-town",
                             "source": "example-page"})
    (mini_data / "cities.yaml").write_text(yaml.safe_dump(cities, allow_unicode=True), encoding="utf-8")
    (mini_data / "partnerships.yaml").write_text(yaml.safe_dump(partnerships, allow_unicode=True), encoding="utf-8")
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()

    def page(url: str) -> BeautifulSoup:
        response = client.get(url, headers={"Accept": "text/html", "Accept-Language": "en"})
        assert response.status_code == 200, url
        return BeautifulSoup(response.data, "html.parser")

    def rows(soup: BeautifulSoup) -> list[str]:
        return [tr.td.a["href"] for tr in soup.find("table", class_="city-coordinates").tbody.find_all("tr")]

    def markers(soup: BeautifulSoup) -> list[str]:
        return [m["href"] for m in json.loads(soup.find("div", class_="map")["data-markers"])]

    everyone = {"/page/city/alpha", "/page/city/tours"} | {f"/page/city/c{n:03d}" for n in range(104)}
    home = page("/")
    assert len(rows(home)) == HOME_MAP_CITIES and "/page/city/alpha" in rows(home)  # alpha has 105 partners
    assert set(markers(home)) == set(rows(home)) - {"/page/city/tours"}  # tours has no coordinates
    section = home.find("section", attrs={"aria-labelledby": "h-map"})
    assert section.find("a", href="/map").get_text(strip=True) == "All partner cities on the map (106)"

    first, second = page("/map"), page("/map?page=2")
    assert len(rows(first)) == MAP_PAGE_SIZE and len(rows(second)) == 6
    assert set(rows(first) + rows(second)) == everyone
    assert set(markers(first)) == set(markers(second)) == everyone - {"/page/city/tours"}
    assert first.find("a", rel="next")["href"] == "/map?page=2" and not second.find("a", rel="next")
    assert client.get("/map?page=3").status_code == 404
    assert client.get("/map?page=x").status_code == 400
