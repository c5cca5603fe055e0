"""The per-worker response cache keeps to its byte budget: a body held under two keys (a GET
answer is kept under its ETag and under its URL) counts once. Answers that change from run to
run are not kept."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sparql_helpers import CITY_NAMES

from twinkg.server import create_app
from twinkg.server.caching import ResponseCache
from twinkg.query_inspect import ScannedQuery


def test_a_shared_body_counts_once():
    cache = ResponseCache(400)
    body = b"x" * 100
    cache.put("etag", "answer", body)
    cache.put("url", "response", body)
    for key in ("b", "c", "d"):
        cache.put(key, "answer", key.encode() * 100)
    assert cache.size == 400  # not 500: nothing is evicted
    assert [cache.get(k) for k in ("etag", "url", "b", "c", "d")] == ["answer", "response"] + ["answer"] * 3


def test_an_entry_over_a_quarter_of_the_budget_is_not_kept():
    cache = ResponseCache(400)
    cache.put("big", "answer", b"x" * 101)
    assert cache.get("big") is None and cache.size == 0


def test_an_evicted_body_frees_its_bytes_only_when_no_entry_holds_it():
    cache = ResponseCache(400)
    shared = b"s" * 100
    cache.put("a", "shared", shared)
    cache.put("b", "shared", shared)
    for key in ("c", "d", "e", "f"):  # 500 bytes: evicting "a" frees nothing, so "b" goes too
        cache.put(key, key, key.encode() * 100)
    assert [cache.get(k) for k in "abcdef"] == [None, None, "c", "d", "e", "f"]
    assert cache.size == 400


@pytest.fixture()
def app(curated_settings):
    return create_app(replace(curated_settings, response_cache_bytes=10_000_000), {"TESTING": True})


def test_a_sparql_get_is_kept_under_two_keys_with_one_body(app):
    response = app.test_client().get("/sparql", query_string={"query": CITY_NAMES},
                                      headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    cache = app.extensions["twinkg.response_cache"]
    assert len(cache._entries) == 2
    assert cache.size == len(response.data)


NOW = "SELECT (NOW() AS ?now) {}"


def test_volatile_answers_are_not_kept_and_others_are(app):
    """A POST answer is kept under its request's ETag, a GET answer under its URL too; an
    answer that changes from run to run (NOW()) under neither."""
    client, cache = app.test_client(), app.extensions["twinkg.response_cache"]
    for query in (NOW, "CONSTRUCT { [] <http://example.org/p> 1 } WHERE {}",
                  # NOW() after a '#' that is no comment (escaped in a prefixed name)
                  "PREFIX ex: <http://example.org/> SELECT ?t WHERE { OPTIONAL { ?s ex:p\\#q ?o } BIND(NOW() AS ?t) }",
                  # a reified triple without spaces: a fresh reifier at each run
                  "CONSTRUCT { <<?s?p?o>> <http://example.org/q> 1 } WHERE { BIND(<http://example.org/s> AS ?s) "
                  "BIND(<http://example.org/p> AS ?p) BIND(1 AS ?o) }"):
        assert client.get("/sparql", query_string={"query": query}).status_code == 200
        assert client.post("/sparql", data={"query": query}).status_code == 200
        assert len(cache._entries) == 0 and cache.size == 0
    assert client.post("/sparql", data={"query": CITY_NAMES}).status_code == 200
    assert len(cache._entries) == 1


@pytest.mark.parametrize("query", [
    NOW,
    "select (now () as ?n) {}",
    "SELECT (NOW # a comment\n () AS ?n) {}",
    "SELECT ?x { BIND(STRUUID() AS ?x) }",
    "SELECT ?x { BIND(uuid() AS ?x) }",
    'SELECT ?x { BIND(BNODE("a") AS ?x) }',
    "SELECT ?x { BIND(?y-RAND() AS ?x) }",
    "SELECT * { ?s ?p ?o } ORDER BY RAND() LIMIT 3",
    # Oxigraph reads two comparisons where SPARQL's tokens hold an IRI <?b&&NOW()>
    "SELECT * { FILTER(?a<?b&&NOW()>?c) }",
    "SELECT * { FILTER(?x<?y&&'a>'=?z) BIND(NOW() AS ?n) FILTER(?w='x') }",
    "CONSTRUCT { ?s ?p [] } WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p [ <http://ex.org/q> ?o ] } WHERE { ?s ?p ?o }",
    "CONSTRUCT { _:b ?p ?o } WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p (1 2) } WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o {| <http://ex.org/q> 1 |} } WHERE { ?s ?p ?o }",
    "CONSTRUCT { << ?s ?p ?o >> <http://ex.org/q> 1 } WHERE { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p [] }",
])
def test_volatile_queries_are_recognized(query):
    assert ScannedQuery(query).volatile


@pytest.mark.parametrize("query", [
    CITY_NAMES,
    "SELECT ?now ?rand { ?s <http://ex.org/now> ?now ; ex:rand ?rand }",
    "PREFIX rand: <http://ex.org/> SELECT ?x { ?x rand:p ?y }",
    'SELECT ?x { ?x <http://ex.org/now> "NOW()" } # NOW()',
    'SELECT ?x { ?x <http://ex.org/\\u0041/rand> "NOW()" }',
    'SELECT ?x { ?x ?p """a "" NOW() """ }',
    "SELECT ?x { ?x ?p 'it\\'s NOW()' }",
    "SELECT ?known ?snow { ?s ?p ?known }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p [] FILTER(STRLEN(?o) > 2) }",
    "CONSTRUCT { <http://ex.org/s> <http://ex.org/p> <<( <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> )>> }"
    " WHERE {}",
    'CONSTRUCT { ?s ?p "[_:x] (1)" } WHERE { ?s ?p ?o }',
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <http://ex.org/s>",
])
def test_stable_queries_are_not_called_volatile(query):
    assert not ScannedQuery(query).volatile
