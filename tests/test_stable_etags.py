"""A strong ETag names one sequence of bytes: every worker must render the same answer."""

from __future__ import annotations

import pytest

from twinkg.server import create_app


@pytest.fixture(scope="module")
def two_workers(backend_settings):
    """Two apps over the same build, as two server workers have: each renders on its own."""
    return [create_app(backend_settings, {"TESTING": True}).test_client() for _ in range(2)]


@pytest.mark.parametrize("path, accept", [
    ("/void?format=nt", None),
    ("/void?format=jsonld", None),
    ("/void?format=rdf", None),
    ("/void", "text/turtle"),
    ("/sparql", "text/turtle"),  # the service description
    ("/sparql", "application/n-triples"),
])
def test_every_worker_sends_the_same_bytes_for_an_etag(two_workers, path, accept):
    answers = [c.get(path, headers={"Accept": accept} if accept else {}) for c in two_workers]
    assert all(a.status_code == 200 for a in answers)
    assert answers[0].headers["ETag"] == answers[1].headers["ETag"]
    assert answers[0].data == answers[1].data
