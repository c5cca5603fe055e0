"""The per-worker response cache keeps to its byte budget: a body held under two keys (a GET
answer is kept under its ETag and under its URL) counts once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sparql_helpers import CITY_NAMES

from twinkg.server import create_app
from twinkg.server.caching import ResponseCache


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
