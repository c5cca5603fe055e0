"""Every IRI the dataset mints in its own namespace dereferences: entities, named graphs, the
ontology and its version IRI, the shapes, the dataset's versions, distributions and linksets."""

from __future__ import annotations

import gzip

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse
from sparql_helpers import BASE

PUBLISHED = [("twinkg.nq.gz", RdfFormat.N_QUADS), ("void.ttl", RdfFormat.TURTLE),
             ("ontology.ttl", RdfFormat.TURTLE), ("shapes.ttl", RdfFormat.TURTLE)]


def minted_paths(client) -> set[str]:
    """The local paths of every IRI under BASE in the published files (fragments dropped)."""
    iris = set()
    for name, fmt in PUBLISHED:
        data = client.get(f"/download/{name}").data
        for quad in parse(gzip.decompress(data) if name.endswith(".gz") else data, format=fmt):
            for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                if isinstance(term, NamedNode) and term.value.startswith(BASE):
                    iris.add(term.value.split("#", 1)[0])
    return {"/" + iri[len(BASE):] for iri in iris}


@pytest.fixture(scope="module")
def paths(app):
    return sorted(minted_paths(app.test_client()))


def test_the_published_files_mint_iris_of_each_kind(paths):
    for prefix in ("/id/", "/graph/", "/ontology", "/shapes", "/dataset/"):
        assert any(p.startswith(prefix) for p in paths), prefix
    assert any("/distribution/" in p for p in paths) and any("/linkset/" in p for p in paths)


@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_every_minted_iri_dereferences(client, paths, accept):
    failed = {}
    for path in paths:
        response = client.get(path, headers={"Accept": accept}, follow_redirects=True)
        if response.status_code != 200:
            failed[path] = response.status_code
    assert not failed


def test_a_graph_iri_gives_the_graph_s_statements(client):
    response = client.get("/graph/waz-beykoz-2008", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/n-triples")
    triples = list(parse(response.data, format=RdfFormat.N_TRIPLES))
    expected = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <"
                          + BASE + "graph/waz-beykoz-2008> { ?s ?p ?o } }"},
                          headers={"Accept": "text/csv"}).get_data(as_text=True).split()[1]
    assert len(triples) == int(expected) > 0
    assert response.headers["X-Twinkg-Truncated"] == "false"


def test_a_browser_following_a_graph_iri_sees_its_source(client):
    response = client.get("/graph/waz-beykoz-2008", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/page/source/waz-beykoz-2008"


@pytest.mark.parametrize("path", ["/graph/no-such-source", "/ontology/0.0.1", "/dataset/19990101T000000Z-x/linkset/a"])
def test_iris_the_dataset_does_not_mint_are_404(client, path):
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404
