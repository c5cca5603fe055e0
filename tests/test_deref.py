"""Dereferencing /id/… (303 by Accept) and the data documents /data/….{ext}."""

from __future__ import annotations

import urllib.request

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

BASE = "https://twinkg.example.org/"
TK = rdflib.Namespace(BASE + "ontology#")
TOURS = rdflib.URIRef(BASE + "id/city/tours")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize("accept, status, location", [
    (BROWSER, 303, "/page/city/tours"),
    ("text/html", 303, "/page/city/tours"),
    ("application/xhtml+xml", 303, "/page/city/tours"),
    ("*/*", 303, "/page/city/tours"),
    (None, 303, "/page/city/tours"),
    ("text/turtle", 303, "/data/city/tours.ttl"),
    ("application/n-triples", 303, "/data/city/tours.nt"),
    ("application/ld+json", 303, "/data/city/tours.jsonld"),
    ("application/rdf+xml", 303, "/data/city/tours.rdf"),
    # rdflib's own header when it guesses nothing: RDF/XML with anything else at q=0.1
    ("application/rdf+xml, */*;q=0.1", 303, "/data/city/tours.rdf"),
    ("text/turtle, application/x-turtle, */*;q=0.1", 303, "/data/city/tours.ttl"),
    ("text/html;q=0.5, text/turtle", 303, "/data/city/tours.ttl"),
    ("text/turtle;q=0.2, application/ld+json;q=0.9", 303, "/data/city/tours.jsonld"),
    ("text/*", 303, "/page/city/tours"),
    ("text/html;q=0, text/turtle;q=0.1", 303, "/data/city/tours.ttl"),
    # HTML's alias application/xhtml+xml counts only when named, not through a wildcard
    ("text/html;q=0, */*", 303, "/data/city/tours.ttl"),
    ("text/html;q=0.1, application/*;q=0.5", 303, "/data/city/tours.nt"),
    ("application/*", 303, "/data/city/tours.nt"),
    ("image/png", 406, None),
])
def test_accept_table(client, accept, status, location):
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/id/city/tours", headers=headers)
    assert response.status_code == status
    assert response.headers.get("Location") == location
    if status == 303:
        assert response.headers["Vary"] == "Accept"
    else:
        assert "text/turtle" in response.get_data(as_text=True)  # the 406 says what is offered


def test_head_answers_like_get(client):
    response = client.head("/id/city/tours", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/data/city/tours.ttl"
    data = client.head("/data/city/tours.ttl")
    assert data.status_code == 200
    assert data.headers["Content-Type"] == "text/turtle; charset=utf-8"


@pytest.mark.parametrize("path", ["/id/city/atlantis", "/id/planet/earth", "/id/city/Tours",
                                  "/data/city/atlantis.ttl", "/page/city/atlantis"])
def test_unknown_iris_get_a_404_page(client, path):
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.h1.get_text().startswith("404")
    kind, slug = path.split("/")[2:4]
    assert f"({kind}/{slug.removesuffix('.ttl')})" in soup.get_text()  # names what was asked for


def test_unknown_data_format_is_404_naming_the_formats(client):
    response = client.get("/data/city/tours.xml", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "ttl, nt, jsonld, rdf" in response.get_data(as_text=True)


FORMATS = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
           "jsonld": ("application/ld+json", "json-ld"), "rdf": ("application/rdf+xml", "xml")}


def _document(client, path: str, ext: str) -> rdflib.Graph:
    response = client.get(f"{path}.{ext}")
    assert response.status_code == 200
    media, parser = FORMATS[ext]
    assert response.headers["Content-Type"] == f"{media}; charset=utf-8"
    return rdflib.Graph().parse(data=response.data, format=parser)


def test_data_documents_agree_in_every_format(client):
    graphs = {ext: _document(client, "/data/city/tours", ext) for ext in FORMATS}
    # each names itself by its own address (a document per format; foaf:primaryTopic,
    # void:inDataset, licence); all the rest is the same in every format
    for ext, graph in graphs.items():
        own = rdflib.URIRef(BASE + f"data/city/tours.{ext}")
        assert (own, rdflib.namespace.FOAF.primaryTopic, TOURS) in graph, ext
        graph.remove((own, None, None))
    for ext, graph in graphs.items():
        assert isomorphic(graph, graphs["ttl"]), ext


def test_city_document_has_outgoing_incoming_and_labels(client):
    g = _document(client, "/data/city/tours", "ttl")
    assert (TOURS, RDF.type, TK.City) in g
    assert (TOURS, RDFS.label, rdflib.Literal("Tours", lang="fr")) in g
    # canonical IRIs, not the host the test runs on
    assert all(not str(s).startswith("http://localhost") for s in g.subjects())
    partnership = rdflib.URIRef(BASE + "id/partnership/muelheim-tours")
    assert (partnership, TK.partner, TOURS) in g  # incoming
    assert (partnership, RDFS.label, None) in g  # label of what links here
    france = rdflib.URIRef(BASE + "id/country/fr")
    assert (TOURS, TK.country, france) in g
    assert (france, RDFS.label, rdflib.Literal("Frankreich", lang="de")) in g
    # nothing else about the partner: its own statements are in its own document
    assert (partnership, TK.startDate, None) not in g


def test_person_document_holds_its_office_nodes(client):
    g = _document(client, "/data/person/ann-kathrin-allekotte", "ttl")
    person = rdflib.URIRef(BASE + "id/person/ann-kathrin-allekotte")
    office = rdflib.URIRef(str(person) + "#office-1")
    assert (person, rdflib.URIRef("http://www.w3.org/ns/org#hasMembership"), office) in g
    assert (office, rdflib.URIRef("http://www.w3.org/ns/org#role"), TK["role-honorary-deputy-mayor"]) in g
    assert (TK["role-honorary-deputy-mayor"], rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in g


def test_event_document_holds_its_participation_nodes(client):
    g = _document(client, "/data/event/reception-tours-kouvola-2022", "nt")
    event = rdflib.URIRef(BASE + "id/event/reception-tours-kouvola-2022")
    node = rdflib.URIRef(str(event) + "#participant-1")
    assert (event, TK.participation, node) in g
    assert (node, TK.agent, TOURS) in g
    assert (TOURS, RDFS.label, rdflib.Literal("Tours", lang="de")) in g


def test_rdflib_dereferences_the_live_server(live_server):
    g = rdflib.Graph()
    g.parse(live_server + "/id/city/tours")
    assert (TOURS, RDF.type, TK.City) in g
    assert (TOURS, RDFS.label, rdflib.Literal("Tours", lang="fr")) in g


def test_turtle_client_follows_the_redirect(live_server):
    # what `curl -L -H 'Accept: text/turtle'` does
    request = urllib.request.Request(live_server + "/id/city/tours", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request) as response:
        assert response.url == live_server + "/data/city/tours.ttl"
        assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
        g = rdflib.Graph().parse(data=response.read(), format="turtle")
    assert (TOURS, RDF.type, TK.City) in g


@pytest.mark.parametrize("path", ["/id/city/tours", "/data/city/tours.ttl", "/void", "/download/twinkg.nq.gz",
                                  "/ontology.ttl", "/ontology"])
def test_linked_data_is_readable_from_any_origin(client, path):
    response = client.get(path, headers={"Origin": "https://elsewhere.example", "Accept": "text/turtle"})
    assert response.status_code in (200, 303)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    again = client.get(path, headers={"Origin": "https://elsewhere.example", "Accept": "text/turtle",
                                      "If-None-Match": response.headers.get("ETag", '"none"')})
    assert again.headers["Access-Control-Allow-Origin"] == "*"


def test_linked_data_preflight_allows_reading_only(client):
    response = client.options("/data/city/tours.ttl", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response.headers["Access-Control-Allow-Headers"].lower()
