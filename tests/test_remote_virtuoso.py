"""Debian's Virtuoso gives what the embedded store gives: every page, list, search, data
document, canned query and /sparql answer, compared through the app over both.

Differences Virtuoso cannot avoid are named in the README ("What each server needs") and
folded here by name: WKT points come back spelled "POINT(…)" (``fold_wkt``), and the
dataset version (a load's own) differs between the two stores.
"""

from __future__ import annotations

import gzip
import json
import re
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Variable, parse
from rdflib import Graph
from rdflib.compare import isomorphic

from twinkg.canned import canned_queries
from twinkg.cli import main
from twinkg.config import load_settings
from twinkg.server import create_app
from twinkg.store import dataset_meta, open_store

from helpers import fold_wkt, running_server

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def clients(curated_settings, virtuoso_server):
    embedded = create_app(curated_settings, {"TESTING": True}).test_client()
    virtuoso = create_app(virtuoso_server.settings(), {"TESTING": True}).test_client()
    return embedded, virtuoso, (dataset_meta(curated_settings), dataset_meta(virtuoso_server.settings()))


def page_paths(client) -> list[str]:
    """Every address of the sitemap (pages of all entities, lists, both languages) and searches."""
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    paths = sorted({re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>([^<]+)</loc>", xml)})
    assert len(paths) > 100
    return paths + ["/search?q=Tours", "/search?q=M%C3%BClheim", "/search?q=Kouvola&kind=event",
                    "/timeline?year=2022", "/list/event?sort=date"]


def _page(response, meta: dict) -> tuple[int, str]:
    """Status and body, with what is a load's own (its version and time) and WKT folded."""
    text = response.get_data(as_text=True).replace(meta["version"], "VERSION").replace(meta["loaded_at"], "TIME")
    return response.status_code, text.replace(">Point(", ">POINT(")


def test_every_page_is_the_same_on_virtuoso(clients):
    embedded, virtuoso, (m_embedded, m_virtuoso) = clients
    differing = []
    for path in page_paths(embedded):
        if path.endswith("/download"):
            # sizes and checksums of files whose WKT Virtuoso spells "POINT": the export test
            # compares their statements
            continue
        if _page(embedded.get(path, headers=HTML), m_embedded) != _page(virtuoso.get(path, headers=HTML), m_virtuoso):
            differing.append(path)
    assert differing == []


def _graph(response) -> Graph:
    return Graph().parse(data=fold_wkt(response.get_data(as_text=True)), format="nt")


def test_every_data_document_is_the_same_on_virtuoso(clients):
    embedded, virtuoso, _ = clients
    entities = sorted({p[len("/page/"):] for p in page_paths(embedded) if p.startswith("/page/")})
    assert len(entities) > 100
    differing = []
    for entity in entities:
        path = f"/data/{entity}.nt"
        want, got = embedded.get(path), virtuoso.get(path)
        assert want.status_code == got.status_code == 200, path
        if not isomorphic(_graph(want), _graph(got)):
            differing.append(path)
    assert differing == []


def _rows(response) -> Counter:
    data = json.loads(response.get_data(as_text=True))
    return Counter(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_every_canned_query_is_the_same_on_virtuoso(clients, name):
    embedded, virtuoso, _ = clients
    path = f"/queries/{name}?format=json"
    want, got = embedded.get(path), virtuoso.get(path)
    assert want.status_code == got.status_code == 200, got.get_data(as_text=True)[:300]
    assert _rows(want) and _rows(got) == _rows(want)


@pytest.mark.parametrize("query", [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",  # Virtuoso's system graphs stay out
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    # the ontology's OWL lists: blank nodes, in the remote store as skolem IRIs
    "SELECT ?c ?list WHERE { ?c <http://www.w3.org/2002/07/owl#unionOf> ?list }",
    "CONSTRUCT { ?c ?p ?list . ?list ?q ?r } WHERE { ?c <http://www.w3.org/2002/07/owl#unionOf> ?list . ?list ?q ?r }",
])
def test_sparql_answers_are_the_same_on_virtuoso(clients, query):
    embedded, virtuoso, _ = clients
    accept = {"Accept": "application/n-triples" if query.startswith("CONSTRUCT") else
              "application/sparql-results+json"}
    want = embedded.get("/sparql", query_string={"query": query}, headers=accept)
    got = virtuoso.get("/sparql", query_string={"query": query}, headers=accept)
    assert want.status_code == got.status_code == 200, got.get_data(as_text=True)[:300]
    if query.startswith("CONSTRUCT"):
        assert len(_graph(want)) > 0 and isomorphic(_graph(got), _graph(want))
        return
    def rows(response) -> Counter:  # blank nodes' labels are a store's own: their places count
        bindings = json.loads(response.get_data(as_text=True))["results"]["bindings"]
        return Counter(json.dumps({k: v for k, v in b.items() if v["type"] != "bnode"}, sort_keys=True)
                       for b in bindings)

    assert rows(want) and rows(got) == rows(want)
    if "unionOf" in query:  # blank nodes are blank nodes again, as on the embedded store
        kinds = {b["list"]["type"] for b in json.loads(got.get_data(as_text=True))["results"]["bindings"]}
        assert kinds == {"bnode"}


def test_a_bound_blank_node_reaches_its_skolem_iri(virtuoso_server, curated_settings):
    """A blank node from one answer names the same node in the next query (a page that reads
    a node's properties), as on the embedded store."""
    for settings in (curated_settings, virtuoso_server.settings()):
        store = open_store(settings)
        (row, *_) = store.query("SELECT ?list WHERE { ?c <http://www.w3.org/2002/07/owl#unionOf> ?list }",
                                use_default_graph_as_union=True)
        text = "SELECT ?list ?first WHERE { ?list <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?first }"
        first = list(store.query(text, use_default_graph_as_union=True, substitutions={Variable("list"): row["list"]}))
        assert len(first) == 1 and isinstance(first[0]["first"], NamedNode)


def test_twinkg_serve_over_virtuoso(virtuoso_server):
    """The production server, as a city runs it: pages and /sparql from Virtuoso."""
    settings = virtuoso_server.settings()
    with running_server(settings.store, endpoint=settings.endpoint, remote_union=settings.remote_union) as base:
        with urllib.request.urlopen(base + "/page/city/tours") as response:
            assert "Tours" in response.read().decode()
        text = "SELECT ?list WHERE { ?c <http://www.w3.org/2002/07/owl#unionOf> ?list } LIMIT 1"
        request = urllib.request.Request(f"{base}/sparql?{urllib.parse.urlencode({'query': text})}",
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request) as response:
            (binding,) = json.loads(response.read())["results"]["bindings"]
        assert binding["list"]["type"] == "bnode"


def test_twinkg_export_over_virtuoso_dumps_what_the_embedded_store_holds(virtuoso_server, curated_store,
                                                                          tmp_path):
    """`twinkg export --endpoint`: the dump holds the embedded store's quads, blank nodes as blank nodes."""
    settings = virtuoso_server.settings()
    result = CliRunner(env=virtuoso_server.env()).invoke(
        main, ["export", str(tmp_path / "out"), "--endpoint", settings.endpoint, "--store", str(settings.store)])
    assert result.exit_code == 0, result.output

    def quads(data: bytes) -> Counter:
        return Counter("blank node" if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)
                       else fold_wkt(str(q)) for q in parse(data, format=RdfFormat.N_QUADS))

    dumped = quads(gzip.decompress((tmp_path / "out" / "twinkg.nq.gz").read_bytes()))
    held = quads(open_store(load_settings(store=curated_store)).dump(format=RdfFormat.N_QUADS))
    assert dumped["blank node"] > 0 and dumped == held
