"""Security headers on every answer, whatever produced it (routes, the response cache, the fast
path, the address redirects, error pages): a WSGI middleware around the whole app.

- ``Content-Security-Policy``: the pages load scripts, styles, images and data from this server
  only (YASGUI and Leaflet are vendored; the map draws no tiles), run no inline script and
  cannot be framed. YASGUI and CodeMirror write ``style`` attributes into the markup they build,
  so ``style-src`` allows inline styles; scripts stay strict, which is what stops injected code.
  ``img-src data:`` covers Leaflet's and YASGUI's inline icons. The policy is checked in a real
  browser (tests/test_security_browser.py): no violation on the pages, the editor runs a query,
  the map draws its markers.
- ``X-Content-Type-Options: nosniff``: a download or a SPARQL answer is never sniffed into HTML.
- ``X-Frame-Options: DENY`` with ``frame-ancestors 'none'`` (older browsers read the former):
  no clickjacking of the language switch or the editor.
- ``Referrer-Policy: strict-origin-when-cross-origin``: links to Wikidata or GeoNames tell them
  the site, not the page and its query string (which may hold a user's SPARQL).

A route may set its own policy (the release's HTML documentation sets a stricter one,
server/linkeddata/downloads.py): headers already present are kept.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

#: For HTML the release publishes (pyLODE's ontology documentation: inline styles, data: icons):
#: it renders, runs nothing and cannot be framed.
DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; " \
                  "form-action 'none'; frame-ancestors 'none'"

HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


class SecurityHeaders:
    """WSGI middleware: adds HEADERS to every answer that does not set them itself."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            added = [(name, value) for name, value in HEADERS if name.lower() not in present]
            return start_response(status, [*headers, *added], exc_info)

        return self.wsgi_app(environ, with_headers)
