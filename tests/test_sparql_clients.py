"""Real SPARQL clients against `twinkg serve` on loopback: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper
from sparql_helpers import CITY_NAMES, TOURS, TOURS_GRAPH, direct


@pytest.fixture(scope="module")
def expected_rows(curated_store):
    return [(s["city"].value, s["name"].value) for s in direct(curated_store, CITY_NAMES)]


@pytest.fixture(scope="module")
def expected_graph(curated_store):
    graph = rdflib.Graph()
    for t in direct(curated_store, TOURS_GRAPH):
        graph.parse(data=f"{t.subject} {t.predicate} {t.object} .", format="nt")
    return graph


def wrapper(live_server, query, fmt, method=None):
    sparql = SPARQLWrapper(live_server + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method:
        sparql.setMethod(method)
    return sparql.query()


@pytest.mark.parametrize("method", [None, POST], ids=["get", "post"])
def test_sparqlwrapper_json(live_server, expected_rows, method):
    result = wrapper(live_server, CITY_NAMES, JSON, method)
    assert result.response.headers["Content-Type"] == "application/sparql-results+json"
    rows = [(b["city"]["value"], b["name"]["value"]) for b in result.convert()["results"]["bindings"]]
    assert rows == expected_rows


def test_sparqlwrapper_xml(live_server, expected_rows):
    document = wrapper(live_server, CITY_NAMES, XML).convert()
    rows = []
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.data for b in result.getElementsByTagName("binding")}
        rows.append((values["city"], values["name"]))
    assert rows == expected_rows


@pytest.mark.parametrize("fmt,delimiter", [(CSV, ","), (TSV, "\t")], ids=["csv", "tsv"])
def test_sparqlwrapper_csv_tsv(live_server, expected_rows, fmt, delimiter):
    text = wrapper(live_server, CITY_NAMES, fmt).convert().decode("utf-8")
    if fmt == TSV:  # TSV keeps terms in Turtle syntax, quotes included: no CSV quoting rules
        rows = [line.split(delimiter) for line in text.splitlines()]
        assert rows[0] == ["?city", "?name"]
        assert rows[1:] == [[f"<{c}>", f'"{n}"@de'] for c, n in expected_rows]
    else:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        assert rows[0] == ["city", "name"]
        assert [tuple(r) for r in rows[1:]] == expected_rows


@pytest.mark.parametrize("fmt,rdflib_format", [(TURTLE, "turtle"), (JSONLD, "json-ld")])
def test_sparqlwrapper_construct(live_server, expected_graph, fmt, rdflib_format):
    result = wrapper(live_server, TOURS_GRAPH, fmt)
    body = result.response.read()
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert len(graph) > 5
    assert isomorphic(graph, expected_graph)


def test_sparqlwrapper_n3_construct(live_server, expected_graph):
    """SPARQLWrapper's N3 sends format=n3 (and output=n3, results=n3): answered with Turtle, which is N3."""
    result = wrapper(live_server, TOURS_GRAPH, N3)
    assert "format=n3" in result.response.geturl()  # what made it a 400 "unknown format"
    assert result.response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=result.convert(), format="n3")
    assert isomorphic(graph, expected_graph)


def test_rdflib_sparqlstore(live_server, expected_rows, expected_graph):
    store = SPARQLStore(live_server + "/sparql")
    graph = rdflib.Graph(store=store)
    rows = [(str(r.city), str(r.name)) for r in graph.query(CITY_NAMES)]
    assert rows == expected_rows
    tours = rdflib.URIRef(TOURS)
    assert (tours, rdflib.RDFS.label, rdflib.Literal("Tours", lang="fr")) in graph
    assert set(graph.predicate_objects(tours)) == set(expected_graph.predicate_objects(tours))
    assert bool(graph.query(f"ASK {{ <{TOURS}> ?p ?o }}"))
