"""The addresses of pages, one per page, the same on the live server and the static site.

- A trailing slash redirects (301) to the address without it: ``/page/city/tours/`` →
  ``/page/city/tours`` (the generated nginx and Apache configurations do the same); so do
  repeated slashes, ``/download//x`` → ``/download/x`` (308 for methods other than GET and HEAD).
- Every redirect is relative (``Location: /download/x``): an address built from the request's
  ``Host`` header would let anyone who can set that header (a cache, a proxy that forwards it)
  send readers to another site. Werkzeug's own slash redirects are absolute, built from
  ``Host``; create_app turns them off and this middleware makes any absolute ``Location`` that
  names the request's own host relative, whatever produced it.
- ``/de/<path>`` is ``<path>`` in German (each language but the default has its tree, as in
  the static site); the language switch keeps working through the cookie.
- A page's query in the path form the static files use, ``/timeline/year-2022``, redirects
  (301) to the live address ``/timeline?year=2022``.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, redirect, request

from twinkg.errors import TwinkgError
from twinkg.server.i18n import DEFAULT, LANGUAGE_PREFIX, LANGUAGES

bp = Blueprint("addresses", __name__)

#: ``key-value`` as site.py names a query's pair (values with ``~`` are hashed: not reversible).
_PAIR = re.compile(r"([A-Za-z0-9._]+)-([A-Za-z0-9._-]+)")
_PREFIXED = tuple(lang for lang in LANGUAGES if lang != DEFAULT)


class Addresses:
    """WSGI middleware, outermost: it runs before routing, the response cache and the fast path."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD")
        # one leading slash, no empty segments: "//host/" must not become a protocol-relative "//host"
        target = "/" + "/".join(segment for segment in path.split("/") if segment)
        if path != "/" and target != path and (method in ("GET", "HEAD") or "//" in path):
            query = environ.get("QUERY_STRING")
            location = (environ.get("SCRIPT_NAME") or "") + target + (f"?{query}" if query else "")
            # 308 keeps the method and body of a POST; GET and HEAD keep the 301 they always had
            status = "301 Moved Permanently" if method in ("GET", "HEAD") else "308 Permanent Redirect"
            start_response(status, [("Location", _header_safe(location)),
                                    ("Content-Type", "text/plain; charset=utf-8"),
                                    ("Content-Length", "0")])
            return [b""]
        first, _, rest = path.lstrip("/").partition("/")
        if first in _PREFIXED:
            # the prefix moves to SCRIPT_NAME: url_for and the redirects above keep the tree
            environ["SCRIPT_NAME"] = (environ.get("SCRIPT_NAME") or "") + "/" + first
            environ["PATH_INFO"] = "/" + rest
            environ[LANGUAGE_PREFIX] = first

        def relative_redirects(status, headers, exc_info=None):
            return start_response(status, [(name, _own_host_relative(value, environ) if name.lower() == "location"
                                            else value) for name, value in headers], exc_info)

        return self.wsgi_app(environ, relative_redirects)


def _own_host_relative(location: str, environ) -> str:
    """``http://<Host>/x?y`` → ``/x?y``: the host part of such an address came from the client."""
    parts = urlsplit(location)
    if parts.netloc and parts.netloc.lower() == (environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "").lower():
        return "/" + (parts.path.lstrip("/")) + (f"?{parts.query}" if parts.query else "") \
            + (f"#{parts.fragment}" if parts.fragment else "")
    return location


def _header_safe(location: str) -> str:
    """PATH_INFO is decoded bytes as latin-1; a header must not carry control characters, and a
    backslash is encoded: browsers read ``/\\evil.org`` as ``//evil.org``, another site."""
    return re.sub(r"[\x00-\x1f\x7f]", "", location).replace("\\", "%5C")


def query_form(stem: str, pairs: str):
    """``stem/k-v/k2-v2`` → 301 to ``stem?k=v&k2=v2`` (the page's live address)."""
    matched = [_PAIR.fullmatch(segment) for segment in pairs.split("/")]
    if not pairs or not all(matched):
        raise TwinkgError(f"no page at {request.path}", 404)
    query = urlencode([(m.group(1), m.group(2)) for m in matched])
    return redirect(f"{request.script_root}{stem}?{query}", 301)


@bp.route("/timeline/<path:pairs>")
def timeline(pairs: str):
    return query_form("/timeline", pairs)


@bp.route("/map/<path:pairs>")
def city_map(pairs: str):
    return query_form("/map", pairs)


@bp.route("/list/<kind>/<path:pairs>")
def listing(kind: str, pairs: str):
    return query_form(f"/list/{kind}", pairs)
