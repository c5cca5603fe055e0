"""Error answers keep what HTTP requires of them, whatever page or API they come from."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("method, path, allowed", [
    ("POST", "/page/city/tours", {"GET", "HEAD", "OPTIONS"}),
    ("PUT", "/sparql", {"GET", "HEAD", "OPTIONS", "POST"}),
    ("DELETE", "/download/twinkg.nq.gz", {"GET", "HEAD", "OPTIONS"}),
])
def test_405_says_which_methods_are_allowed(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed


def test_416_says_how_long_the_file_is(client):
    whole = client.get("/download/twinkg.nq.gz")
    response = client.get("/download/twinkg.nq.gz", headers={"Range": f"bytes={len(whole.data) + 10}-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(whole.data)}"


@pytest.mark.parametrize("path, accept", [
    ("/page/city/nowhere", None),
    ("/page/city/nowhere", "text/html"),
    ("/id/city/tours", "image/png"),  # 406
    ("/sparql?query=SELEC", "application/sparql-results+json"),  # 400
])
def test_errors_chosen_by_accept_say_so_in_vary(client, path, accept):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code >= 400
    assert "Accept" in response.vary
