"""Answer formats of /sparql: Accept negotiation, ?format=, parsed bodies, the service description."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from bs4 import BeautifulSoup
from rdflib.compare import isomorphic
from sparql_helpers import CITY_NAMES, TOURS, TOURS_GRAPH, bindings, direct

from twinkg.canned import canned_queries
from twinkg.config import PREFIXES

ASK = f"ASK {{ <{TOURS}> ?p ?o }}"

# (Accept header, expected Content-Type for SELECT, expected Content-Type for CONSTRUCT)
ACCEPT_TABLE = [
    (None, "application/sparql-results+json", "text/turtle; charset=utf-8"),
    ("*/*", "application/sparql-results+json", "text/turtle; charset=utf-8"),
    ("application/sparql-results+xml", "application/sparql-results+xml", None),
    ("text/csv", "text/csv; charset=utf-8", None),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", None),
    ("application/json", "application/sparql-results+json", None),
    ("text/turtle", None, "text/turtle; charset=utf-8"),
    ("application/n-triples", None, "application/n-triples"),
    ("application/ld+json", None, "application/ld+json"),
    ("application/rdf+xml", None, "application/rdf+xml"),
    ("application/n-quads", None, "application/n-quads"),
    ("application/trig", None, "application/trig"),
    # q-values first, then specificity
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", None),
    ("text/*;q=0.9, text/tab-separated-values", "text/tab-separated-values; charset=utf-8",
     "text/turtle; charset=utf-8"),
    ("application/rdf+xml;q=0.2, text/turtle;q=0.1, */*;q=0.05", "application/sparql-results+json",
     "application/rdf+xml"),
    ("application/sparql-results+json, application/json;q=0.9, text/turtle;q=0.8",
     "application/sparql-results+json", "text/turtle; charset=utf-8"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
     "application/sparql-results+xml", "text/turtle; charset=utf-8"),
]


@pytest.mark.parametrize("accept,select_type,construct_type", ACCEPT_TABLE)
def test_accept_table(client, accept, select_type, construct_type):
    headers = {"Accept": accept} if accept else {}
    for query, expected in ((CITY_NAMES, select_type), (TOURS_GRAPH, construct_type)):
        response = client.get("/sparql", query_string={"query": query}, headers=headers)
        if expected is None:
            assert response.status_code == 406
            assert "offered:" in response.get_data(as_text=True)
        else:
            assert response.status_code == 200, response.data
            assert response.headers["Content-Type"] == expected


def test_nothing_acceptable_is_406_listing_the_offers(client):
    response = client.get("/sparql", query_string={"query": CITY_NAMES}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    for media in ("application/sparql-results+json", "text/csv", "text/turtle", "application/ld+json"):
        assert media in text


@pytest.mark.parametrize("name,select_type,construct_type", [
    ("json", "application/sparql-results+json", "application/ld+json"),
    ("srj", "application/sparql-results+json", None),
    ("xml", "application/sparql-results+xml", "application/rdf+xml"),
    ("csv", "text/csv; charset=utf-8", None),
    ("tsv", "text/tab-separated-values; charset=utf-8", None),
    ("ttl", None, "text/turtle; charset=utf-8"),
    ("turtle", None, "text/turtle; charset=utf-8"),
    ("n3", None, "text/turtle; charset=utf-8"),  # Turtle is N3 (SPARQLWrapper's N3 sends format=n3)
    ("nt", None, "application/n-triples"),
    ("jsonld", None, "application/ld+json"),
    ("json-ld", None, "application/ld+json"),
    ("rdf", None, "application/rdf+xml"),
    ("text/csv", "text/csv; charset=utf-8", None),
])
def test_format_parameter_overrides_accept(client, name, select_type, construct_type):
    for query, expected in ((CITY_NAMES, select_type), (TOURS_GRAPH, construct_type)):
        response = client.get("/sparql", query_string={"query": query, "format": name},
                              headers={"Accept": "application/sparql-results+xml"})
        if expected is None:
            assert response.status_code == 406
        else:
            assert response.status_code == 200
            assert response.headers["Content-Type"] == expected


def test_unknown_format_name_is_400(client):
    response = client.get("/sparql", query_string={"query": CITY_NAMES, "format": "pdf"})
    assert response.status_code == 400
    assert "unknown format 'pdf'" in response.get_data(as_text=True)


def _expected_rows(store):
    return [{"city": s["city"].value, "name": s["name"].value} for s in direct(store, CITY_NAMES)]


def test_select_bodies_parse_to_the_same_rows(client, curated_store):
    expected = _expected_rows(curated_store)
    assert len(expected) >= 10

    def get(fmt):
        response = client.get("/sparql", query_string={"query": CITY_NAMES, "format": fmt})
        assert response.status_code == 200
        return response.data

    assert bindings(get("json")) == expected
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(get("xml"))
    xml_rows = [{b.get("name"): "".join(b.itertext()).strip() for b in result.findall("r:binding", ns)}
                for result in root.findall("r:results/r:result", ns)]
    assert xml_rows == expected
    csv_rows = list(csv.DictReader(io.StringIO(get("csv").decode("utf-8"))))
    assert csv_rows == expected
    tsv = get("tsv").decode("utf-8").splitlines()
    assert tsv[0] == "?city\t?name"
    assert tsv[1:] == [f'<{r["city"]}>\t"{r["name"]}"@de' for r in expected]


def test_ask_answers(client):
    response = client.get("/sparql", query_string={"query": ASK})
    assert response.status_code == 200
    assert json.loads(response.data)["boolean"] is True
    xml = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(xml.data).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    assert "X-Twinkg-Truncated" not in response.headers


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                               ("rdf", "xml"), ("nq", "nquads"), ("trig", "trig")])
def test_construct_bodies_are_isomorphic_to_the_store(client, curated_store, fmt, rdflib_format):
    expected = rdflib.Graph()
    for triple in direct(curated_store, TOURS_GRAPH):
        expected.parse(data=f"{triple.subject} {triple.predicate} {triple.object} .", format="nt")
    assert len(expected) > 5
    response = client.get("/sparql", query_string={"query": TOURS_GRAPH, "format": fmt})
    assert response.status_code == 200
    if rdflib_format in ("nquads", "trig"):
        got = rdflib.Dataset()
        got.parse(data=response.data, format=rdflib_format)
        got = _default_graph(got)
    else:
        got = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    assert isomorphic(got, expected)


def _default_graph(ds: "rdflib.Dataset") -> rdflib.Graph:
    graph = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def test_service_description_by_default(client):
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    endpoint = rdflib.URIRef("http://localhost/sparql")
    assert (endpoint, rdflib.RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert set(graph.objects(endpoint, SD.supportedLanguage)) == {SD.SPARQL11Query}
    formats = set(graph.objects(endpoint, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert rdflib.URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    dataset = graph.value(endpoint, SD.defaultDataset)
    names = {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)}
    assert "https://twinkg.example.org/graph/waz-tours-60" in names
    encodings = {str(o) for o in graph.objects(None, rdflib.URIRef("https://schema.org/encodingType"))}
    assert encodings == {"application/sparql-query", "application/x-www-form-urlencoded"}
    assert "Update" not in response.get_data(as_text=True)


def test_service_description_by_conneg(client):
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ld+json"
    graph = rdflib.Graph().parse(data=response.data, format="json-ld")
    assert (rdflib.URIRef("http://localhost/sparql"), rdflib.RDF.type, SD.Service) in graph


def test_editor_for_browsers(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = BeautifulSoup(response.data, "html.parser")
    scripts = [s.get("src") for s in page.find_all("script")]
    assert "/static/vendor/yasgui/yasgui.min.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)  # nothing from other hosts
    stylesheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert "/static/vendor/yasgui/yasgui.min.css" in stylesheets  # after the site's own
    config = json.loads(page.find(id="yasgui")["data-editor"])
    assert config["prefixes"] == PREFIXES
    assert [t["id"] for t in config["tabs"]] == list(canned_queries())
    tab = next(t for t in config["tabs"] if t["id"] == "partner-cities")
    assert "VALUES (?city) { (<https://twinkg.example.org/id/city/muelheim>) }" in tab["query"]
    for path in scripts + ["/static/vendor/yasgui/yasgui.min.css"]:
        assert client.get(path).status_code == 200
