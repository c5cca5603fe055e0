"""Canned queries as an API: /queries and /queries/<name> (page, data formats, parameters)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from sparql_helpers import PARTNER_CITIES, bindings

from twinkg.canned import canned_queries


def partners(rows: list[dict]) -> list[tuple[str, str | None]]:
    return [(r["partnerName"], r.get("start") or None) for r in rows]


def test_list_page_names_every_canned_query(client):
    response = client.get("/queries", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = BeautifulSoup(response.data, "html.parser")
    links = {a["href"]: a.get_text() for a in page.select("#queries dt a")}
    assert links == {f"/queries/{q.name}": q.title for q in canned_queries().values()}
    assert "year" in page.get_text()  # anniversaries' parameter is described


def test_list_as_json(client):
    for response in (client.get("/queries.json"), client.get("/queries", headers={"Accept": "application/json"})):
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json"
        listed = {q["name"]: q for q in json.loads(response.data)}
        assert set(listed) == set(canned_queries())
        assert listed["anniversaries"]["parameters"] == [
            {"name": "year", "type": "xsd:integer", "default": "2022",
             "description": "the year in which the anniversary falls"}]
        assert listed["partner-cities"]["url"] == "http://localhost/queries/partner-cities"


def test_query_page_shows_text_form_and_results(client):
    response = client.get("/queries/partner-cities")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1.get_text() == "Partner cities"
    assert "SELECT ?city ?partnership" in page.select_one("#query-text").get_text()
    field = page.select_one("#params input[name=city]")
    assert field["value"] == "https://twinkg.example.org/id/city/muelheim"
    headers = [th.get_text() for th in page.select("#results thead th")]
    name_col, start_col = headers.index("partnerName"), headers.index("start")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in page.select("#results tbody tr")]
    got = [(r[name_col].removesuffix("@de"), r[start_col] or None) for r in rows]
    assert got == PARTNER_CITIES
    assert page.select_one(".truncated") is None
    # the dataset's IRIs link to this server's pages, other IRIs stay as they are
    partner_col = headers.index("partner")
    first = page.select("#results tbody tr")[0].find_all("td")[partner_col].a
    assert first["href"] == "/id/city/darlington"
    assert first.get_text() == "https://twinkg.example.org/id/city/darlington"


def test_query_page_advertises_the_data_formats(client):
    response = client.get("/queries/anniversaries?year=2023")
    page = BeautifulSoup(response.data, "html.parser")
    alternates = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")}
    assert alternates == {
        "application/sparql-results+json": "/queries/anniversaries.json?year=2023",
        "application/sparql-results+xml": "/queries/anniversaries.xml?year=2023",
        "text/csv": "/queries/anniversaries.csv?year=2023",
        "text/tab-separated-values": "/queries/anniversaries.tsv?year=2023",
    }
    link_header = response.headers["Link"]
    for media, href in alternates.items():
        assert f'<{href}>; rel="alternate"; type="{media}"' in link_header
    shown = {a["href"] for a in page.select(".alternates a")}
    assert shown == set(alternates.values())


def test_data_by_suffix_format_and_accept(client):
    by_suffix = client.get("/queries/partner-cities.json")
    assert by_suffix.status_code == 200
    assert by_suffix.headers["Content-Type"] == "application/sparql-results+json"
    assert partners(bindings(by_suffix.data)) == PARTNER_CITIES
    assert "rel=\"alternate\"" in by_suffix.headers["Link"]
    by_param = client.get("/queries/partner-cities?format=csv")
    assert by_param.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert partners(list(csv.DictReader(io.StringIO(by_param.get_data(as_text=True))))) == PARTNER_CITIES
    tsv = client.get("/queries/partner-cities.tsv")
    assert tsv.headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    assert tsv.get_data(as_text=True).splitlines()[0].startswith("?city\t?partnership")
    xml = client.get("/queries/partner-cities", headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["Content-Type"] == "application/sparql-results+xml"
    assert len(ET.fromstring(xml.data).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 7


def test_parameters_are_bound(client):
    rows = bindings(client.get("/queries/anniversaries.json?year=2022").data)
    assert ("Mülheim an der Ruhr – Tours", "60") in [(r["partnershipName"], r["years"]) for r in rows]
    tours = bindings(client.get("/queries/partner-cities.json?city=https://twinkg.example.org/id/city/tours").data)
    assert [r["partnerName"] for r in tours] == ["Mülheim an der Ruhr"]


@pytest.mark.parametrize("url,param", [
    ("/queries/anniversaries.json?year=soon", "year"),
    ("/queries/anniversaries.json?year=1e3", "year"),
    ("/queries/partner-cities.csv?city=not%20an%20iri", "city"),
    ("/queries/partner-cities.json?town=x", "town"),
    # IRIs that pass a first look but that RDF refuses
    ("/queries/partner-cities.csv?city=http://x.org/%25zz", "city"),
    ("/queries/partner-cities.csv?city=http://%5B::1", "city"),
    ("/queries/who-attended.json?place=http://x.org:abc/", "place"),
    ("/queries/partner-cities.csv?city=http://x.org/a%09b", "city"),
    # more digits than int() takes, and more than a 64-bit integer
    ("/queries/anniversaries.csv?year=" + "1" * 4301, "year"),
    ("/queries/anniversaries.csv?year=9223372036854775808", "year"),
    # a parameter binds one term: which of two would be a guess
    ("/queries/anniversaries.csv?year=2022&year=2027", "year"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, url, param):
    response = client.get(url)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert f"parameter '{param}'" in response.get_data(as_text=True)


def test_bad_parameter_on_the_page_shows_the_form_with_the_message(client):
    response = client.get("/queries/anniversaries?year=soon")
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert "parameter 'year'" in page.select_one(".error-message").get_text()
    assert page.select_one("#params input[name=year]")["value"] == "soon"
    assert page.select_one("#results") is None


def test_an_iri_rdf_refuses_on_the_page_shows_the_form_with_the_message(client):
    response = client.get("/queries/partner-cities?city=http://x.org/a%09b")
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert "parameter 'city': expected an absolute http(s) IRI" in page.select_one(".error-message").get_text()


def test_a_repeated_parameter_is_named(client):
    response = client.get("/queries/anniversaries.csv?year=2022&year=2027")
    assert response.status_code == 400
    assert response.get_data(as_text=True).strip() == \
        "400 Bad Request: parameter 'year' is given twice; it takes one value"


def test_unknown_query_and_format_are_404(client):
    assert client.get("/queries/nope").status_code == 404
    assert client.get("/queries/partner-cities.pdf").status_code == 404


def test_an_unknown_format_parameter_is_400_naming_the_formats(client):
    response = client.get("/queries/partner-cities?format=pdf")
    assert response.status_code == 400
    assert "'pdf'" in response.get_data(as_text=True)
    assert "csv" in response.get_data(as_text=True)


@pytest.mark.parametrize("accept, media_type", [
    ("application/json", "application/sparql-results+json"),
    ("application/xml", "application/sparql-results+xml"),
])
def test_generic_json_and_xml_are_accepted_as_on_the_endpoint(client, accept, media_type):
    response = client.get("/queries/partner-cities", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type
    assert response.headers["Content-Type"] == client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept}).headers["Content-Type"]


def test_query_pages_speak_the_readers_language(client):
    client.set_cookie("lang", "de")
    listing = BeautifulSoup(client.get("/queries").data, "html.parser")
    assert listing.h1.get_text() == "Fertige Abfragen"
    page = BeautifulSoup(client.get("/queries/anniversaries?year=2024").data, "html.parser")
    assert page.select_one("#params button").get_text() == "Ausführen"
    assert page.select_one(".row-count").get_text() == "1 Zeile"
    editor = BeautifulSoup(client.get("/sparql", headers={"Accept": "text/html"}).data, "html.parser")
    assert editor.h1.get_text() == "SPARQL-Abfrageeditor"


@pytest.mark.parametrize("path", ["/queries/anniversaries", "/sparql"])  # the pages with an ETag
def test_a_repeated_page_keeps_its_language_headers(client, path):
    """The response cache answers the repeat: with the headers of the first answer, so that
    shared caches still know that the page depends on the reader's language."""
    headers = {"Accept": "text/html", "Accept-Language": "de"}
    first, repeat = client.get(path, headers=headers), client.get(path, headers=headers)
    assert first.status_code == repeat.status_code == 200
    assert {"Cookie", "Accept-Language"} <= set(first.vary)
    assert set(repeat.vary) == set(first.vary)
    assert first.headers["Content-Language"] == repeat.headers["Content-Language"] == "de"
    assert repeat.headers["ETag"] == first.headers["ETag"] and repeat.data == first.data


@pytest.mark.parametrize("path", ["/queries/anniversaries", "/queries", "/sparql"])
def test_pages_in_two_languages_have_two_etags(client, path):
    """A cache holding the German page must not answer an English reader's If-None-Match."""
    german = client.get(path, headers={"Accept": "text/html", "Accept-Language": "de"})
    english = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en",
                                        "If-None-Match": german.headers.get("ETag", '"none"')})
    assert german.status_code == 200 and english.status_code == 200
    assert "Accept-Language" in english.vary


@pytest.fixture(scope="module")
def other_base(tmp_path_factory):
    """The curated data loaded under another base IRI than the default one."""
    from helpers import DATA, settings_for

    from twinkg.loaders.pipeline import load

    settings = settings_for(DATA, tmp_path_factory.mktemp("other-base") / "store",
                            base_iri="https://kg.example.com/twinning/", export_on_load=False)
    load(settings)
    return settings


def test_defaults_name_the_entities_of_the_base_the_store_was_loaded_with(other_base):
    from twinkg.cli import main
    from twinkg.server import create_app

    client = create_app(other_base, {"TESTING": True}).test_client()
    response = client.get("/queries/partner-cities.json")  # the default city: Mülheim
    assert response.status_code == 200
    assert partners(bindings(response.data)) == PARTNER_CITIES
    listed = {q["name"]: q for q in client.get("/queries.json").get_json()}
    assert listed["who-attended"]["parameters"][0]["default"] == "https://kg.example.com/twinning/id/city/kouvola"
    editor = BeautifulSoup(client.get("/sparql", headers={"Accept": "text/html"}).data, "html.parser")
    tabs = {t["id"]: t["query"] for t in json.loads(editor.find(id="yasgui")["data-editor"])["tabs"]}
    assert "VALUES (?city) { (<https://kg.example.com/twinning/id/city/muelheim>) }" in tabs["partner-cities"]
    # the command line reads the base from the store, whatever --base-iri says
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["query", "partner-cities", "--format", "csv", "--store", str(other_base.store)])
    assert result.exit_code == 0, result.output
    assert "Kfar Saba" in result.output and "https://kg.example.com/twinning/id/city/" in result.output


def test_result_links_follow_the_base_the_store_was_loaded_with(other_base):
    """Served without --base-iri, a store loaded under another base still links its IRIs to
    this server's pages (the store's base, not the setting's)."""
    import dataclasses

    from twinkg.config import Settings
    from twinkg.server import create_app

    served = dataclasses.replace(other_base, base_iri=Settings().base_iri)
    client = create_app(served, {"TESTING": True}).test_client()
    page = BeautifulSoup(client.get("/queries/partner-cities", headers={"Accept": "text/html"}).data, "html.parser")
    links = [a["href"] for a in page.select("#results a")]
    assert "/id/city/tours" in links and "/id/city/muelheim" in links
    assert not [href for href in links if href.startswith("https://kg.example.com/")]


def _editor_tabs(client) -> dict[str, str]:
    editor = BeautifulSoup(client.get("/sparql", headers={"Accept": "text/html"}).data, "html.parser")
    return {t["id"]: t["query"] for t in json.loads(editor.find(id="yasgui")["data-editor"])["tabs"]}


@pytest.mark.parametrize("name", sorted(n for n, q in canned_queries().items() if q.params))
def test_each_editor_tab_answers_what_the_api_answers_with_the_defaults(client, name):
    """The editor's tab for a query with parameters runs on /sparql as the user sees it; its
    rows are the API's with the default values (the anniversaries tab found 0 rows where the
    API gives Tours 60 and Kouvola 50: a trailing VALUES bound ?year after the BINDs)."""
    tab = _editor_tabs(client)[name]
    from_tab = client.post("/sparql", data={"query": tab}, headers={"Accept": "application/sparql-results+json"})
    from_api = client.get(f"/queries/{name}.json")
    assert from_tab.status_code == 200 and from_api.status_code == 200
    rows = lambda data: sorted(json.dumps(b, sort_keys=True) for b in bindings(data))  # noqa: E731
    assert rows(from_tab.data) == rows(from_api.data)
    assert rows(from_api.data), "the defaults give rows"


def test_the_anniversaries_tab_finds_the_2022_anniversaries(client):
    tab = _editor_tabs(client)["anniversaries"]
    answer = client.post("/sparql", data={"query": tab}, headers={"Accept": "application/sparql-results+json"})
    years = {(b["partnershipName"], b["years"]) for b in bindings(answer.data)}
    assert years == {("Mülheim an der Ruhr – Tours", "60"), ("Kouvola – Mülheim an der Ruhr", "50")}
