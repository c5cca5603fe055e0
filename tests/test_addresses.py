"""Page addresses on the live server are the static site's: no trailing slash, /de/…, and the
path form of a query redirecting to the query (server/pages/addresses.py)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from werkzeug.test import EnvironBuilder, run_wsgi_app


def raw_get(app, path_info: str, query: str = ""):
    """A GET whose PATH_INFO is exactly ``path_info`` (the test client would parse ``//host``)."""
    environ = EnvironBuilder(path="/", query_string=query).get_environ()
    environ["PATH_INFO"] = path_info
    _, status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return int(status.split()[0]), headers


@pytest.mark.parametrize("path, query, location", [
    ("/page/city/tours/", "", "/page/city/tours"),
    ("/timeline/", "year=2022", "/timeline?year=2022"),
    ("/de/", "", "/de"),
    ("//evil.example/", "", "/evil.example"),  # never a protocol-relative redirect
    ("///evil.example//", "", "/evil.example"),
    ("/page/city/tours/\r\nSet-Cookie: x=1/", "", "/page/city/tours/Set-Cookie: x=1"),
])
def test_a_trailing_slash_redirects_to_the_address_without(app, path, query, location):
    status, headers = raw_get(app, path, query)
    assert status == 301 and headers["Location"] == location


def test_language_tree(client):
    response = client.get("/de/page/city/tours", headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.headers["Content-Language"] == "de"
    assert BeautifulSoup(response.data, "html.parser").html["lang"] == "de"
    assert client.get("/de", headers={"Accept-Language": "en"}).headers["Content-Language"] == "de"
    # the switch still works: the cookie decides where the address does not
    switched = client.get("/lang/de?next=/page/city/tours")
    assert switched.status_code == 303 and switched.headers["Location"] == "/page/city/tours"
    assert client.get("/page/city/tours").headers["Content-Language"] == "de"
    client.get("/lang/en?next=/")


@pytest.mark.parametrize("path, location", [
    ("/timeline/year-2022", "/timeline?year=2022"),
    ("/de/timeline/year-2022", "/de/timeline?year=2022"),
    ("/list/city/page-2", "/list/city?page=2"),
    ("/list/event/sort-date/order-desc", "/list/event?sort=date&order=desc"),
    ("/map/page-1", "/map?page=1"),
])
def test_the_static_path_form_of_a_query_redirects_to_the_query(client, path, location):
    response = client.get(path)
    assert response.status_code == 301 and response.headers["Location"] == location


@pytest.mark.parametrize("path", ["/timeline/year-2022~1a2b3c4d", "/timeline/nonsense", "/list/city/-x"])
def test_a_path_that_names_no_query_is_404(client, path):
    assert client.get(path).status_code == 404
