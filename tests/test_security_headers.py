"""Security headers on every answer, attachments for the dumps, a Secure language cookie over
HTTPS (issue 15, point 8; server/security.py). The browser half is tests/test_security_browser.py
and the no-violation checks in tests/test_browser_pages.py and tests/test_editor_browser.py."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import replace

import pytest

from twinkg.server import create_app
from twinkg.server.security import CONTENT_SECURITY_POLICY, DOCUMENT_POLICY

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}

#: One of each kind of answer: page, editor, SPARQL results, data document, download, static
#: file, error page, API error, redirects of the routes and of the address middleware.
ANSWERS = [
    ("GET", "/", {"Accept": "text/html"}, 200),
    ("GET", "/page/city/tours", {}, 200),
    ("GET", "/sparql", {"Accept": "text/html"}, 200),
    ("GET", "/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+json"}, 200),
    ("GET", "/data/city/tours.ttl", {}, 200),
    ("GET", "/download/void.ttl", {}, 200),
    ("GET", "/static/site.css", {}, 200),
    ("GET", "/page/city/nowhere", {"Accept": "text/html"}, 404),
    ("GET", "/sparql?query=SELEC", {}, 400),
    ("GET", "/page/city/tours/", {}, 301),
    ("GET", "/id/city/tours", {}, 303),
]


@pytest.mark.parametrize("method, path, headers, status", ANSWERS)
def test_every_answer_carries_the_security_headers(client, method, path, headers, status):
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    for name, value in EXPECTED.items():
        assert response.headers[name] == value


def test_a_not_modified_answer_keeps_the_policy(client):
    """A 304 updates the browser's stored headers: it must not drop or change the policy."""
    first = client.get("/page/city/tours")
    again = client.get("/page/city/tours", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_policy_forbids_inline_scripts_framing_and_other_hosts():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_the_real_server_sends_them(live_server):
    with urllib.request.urlopen(live_server + "/page/city/tours", timeout=10) as response:
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(live_server + "/download/nothing-here", timeout=10)
    assert missing.value.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("name", ["twinkg.ttl.gz", "twinkg.nt.gz", "twinkg.jsonld.gz"])
def test_dumps_are_attachments(client, name):
    response = client.get(f"/download/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"


@pytest.mark.parametrize("path", ["/download/ontology.html", "/ontology.html"])
def test_the_ontology_documentation_renders_but_runs_nothing(client, path):
    """Documentation is meant to be read in the browser: inline, under a policy without scripts."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert not response.headers.get("Content-Disposition", "inline").startswith("attachment")
    assert response.headers["Content-Security-Policy"] == DOCUMENT_POLICY
    assert "script-src" not in DOCUMENT_POLICY and "default-src 'none'" in DOCUMENT_POLICY


@pytest.mark.parametrize("name", ["ontology.ttl", "void.ttl", "README", "LICENSE"])
def test_small_documents_of_the_release_are_inline(client, name):
    response = client.get(f"/download/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"inline; filename={name}"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _lang_cookie(client, **kw) -> str:
    response = client.get("/lang/de?next=/", **kw)
    assert response.status_code == 303
    return response.headers["Set-Cookie"]


def test_the_language_cookie_is_secure_over_https(curated_settings):
    client = create_app(curated_settings, {"TESTING": True}).test_client()
    assert "Secure" not in _lang_cookie(client)
    assert "Secure" in _lang_cookie(client, base_url="https://twinkg.example.org")


def test_forwarded_proto_counts_only_from_a_trusted_proxy(curated_settings):
    """Behind nginx (trusted_proxies = 1) HTTPS is seen through X-Forwarded-Proto; without that
    setting the header is any client's word and is ignored."""
    forwarded = {"headers": {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}}
    untrusting = create_app(curated_settings, {"TESTING": True}).test_client()
    assert "Secure" not in _lang_cookie(untrusting, **forwarded)
    behind_proxy = create_app(replace(curated_settings, trusted_proxies=1), {"TESTING": True}).test_client()
    assert "Secure" in _lang_cookie(behind_proxy, **forwarded)
    assert "Secure" not in _lang_cookie(behind_proxy)
