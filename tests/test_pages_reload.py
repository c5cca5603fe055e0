"""A load while serving: pages, lists and search follow the new build without a restart."""

from __future__ import annotations

import yaml
from bs4 import BeautifulSoup

from twinkg.config import load_settings
from twinkg.loaders.pipeline import load
from twinkg.server import create_app


def test_pages_lists_and_search_follow_a_new_load(mini_data, tmp_path, monkeypatch):
    from twinkg.server import dataset as dataset_module

    monkeypatch.setattr(dataset_module, "RECHECK_SECONDS", 0.0)  # look at the link on every request
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()
    assert "Alpha City" in client.get("/list/city", headers={"Accept-Language": "en"}).get_data(as_text=True)

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
