"""No redirect takes its address from the request's Host header (issue 15, point 9).

``curl -H 'Host: evil.org' http://HOST/download//x`` was answered ``308 location:
http://evil.org/download/x``: werkzeug's slash merging builds an absolute address from Host. A
cache or proxy that forwards Host would then send readers to another site. Every redirect source
is asked here with a hostile Host, on the real server and through the app.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from twinkg.server.pages.addresses import Addresses

EVIL = "evil.example"

#: (method, raw path, expected status, expected Location): every kind of redirect the app makes.
REDIRECTS = [
    ("GET", "/download//x", 301, "/download/x"),                 # werkzeug's merge_slashes before
    ("HEAD", "/download//x", 301, "/download/x"),
    ("GET", "/page/city//tours", 301, "/page/city/tours"),
    ("GET", "//download/x", 301, "/download/x"),
    ("GET", "/de//page/city/tours", 301, "/de/page/city/tours"),
    ("GET", "/download//x?a=1", 301, "/download/x?a=1"),
    ("POST", "/sparql//", 308, "/sparql"),                         # keeps the method and its body
    ("GET", "/page/city/tours/", 301, "/page/city/tours"),       # strict slashes (addresses.py)
    ("GET", "/\\evil.example/", 301, "/%5Cevil.example"),        # browsers read /\ as //
    ("GET", "/timeline/year-2022", 301, "/timeline?year=2022"),  # the static path form of a query
    ("GET", "/id/city/tours", 303, "/page/city/tours"),           # dereferencing
    ("GET", "/lang/de?next=/page/city/tours", 303, "/page/city/tours"),
    ("GET", "/lang/de?next=//evil.example/x", 303, "/"),
    ("GET", "/dataset", 303, "/void"),
]


def _is_local(location: str) -> bool:
    parts = urlsplit(location)
    return (not parts.scheme and not parts.netloc and location.startswith("/")
            and not location.startswith("//") and "\\" not in location and EVIL not in parts.netloc)


@pytest.mark.parametrize("method, path, status, location", REDIRECTS)
def test_redirects_on_the_real_server_are_relative(live_server, method, path, status, location):
    """Raw requests (the path exactly as sent, ``//x`` included) with a hostile Host header."""
    parts = urlsplit(live_server)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", EVIL)
        connection.putheader("Content-Length", "0")
        connection.endheaders()
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert (response.status, response.getheader("Location")) == (status, location)
    assert _is_local(location)


@pytest.mark.parametrize("method, path, status, location", REDIRECTS)
def test_redirects_through_the_app_are_relative(app, method, path, status, location):
    raw_path, _, query = path.partition("?")
    environ = EnvironBuilder(path="/", method=method, query_string=query,
                             headers={"Host": EVIL}).get_environ()
    environ["PATH_INFO"] = raw_path
    _, got_status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    assert (int(got_status.split()[0]), headers.get("Location")) == (status, location)


def _absolute_redirect(environ, start_response):
    """Any WSGI app that builds its redirect from Host, as werkzeug's routing does."""
    start_response("308 Permanent Redirect",
                   [("Location", f"http://{environ['HTTP_HOST']}//next/page?x=1"), ("Content-Length", "0")])
    return [b""]


def test_an_absolute_location_naming_the_own_host_becomes_relative():
    """The outermost middleware's guard for redirects a future route or library might build."""
    environ = EnvironBuilder(path="/somewhere", headers={"Host": EVIL}).get_environ()
    _, _, headers = run_wsgi_app(Addresses(_absolute_redirect), environ, buffered=True)
    assert headers["Location"] == "/next/page?x=1"
