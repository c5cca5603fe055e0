"""A lean WSGI path for SPARQL queries to /sparql, in front of Flask's routing and response machinery.

Profiled under wrk, Flask's per-request work (request context, URL matching, session,
response object and header bookkeeping, after-request hooks) cost about as much worker CPU
as running the query. A query request needs none of it: this path reads the request with
the same code (server/protocol.py, formats.choose, answers.respond_parts: the executor, the
response cache, ETags), adds the CORS headers the blueprint adds, keeps GET answers in the
response cache like ``caching._keep``, and answers in plain WSGI. Everything else (the
editor, the service description, HEAD, OPTIONS) goes on to Flask, and so does every error:
Flask's error handlers render it, so a refusal reads the same either way.
"""

from __future__ import annotations

from werkzeug.http import HTTP_STATUS_CODES

from . import formats
from .answers import respond_parts
from .cors import EXPOSED_HEADERS
from .protocol import read_query_request

PATH = "/sparql"
_CORS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED_HEADERS)]
_STATUS = {code: f"{code} {HTTP_STATUS_CODES[code].upper()}" for code in (200, 304)}


class SparqlFastPath:
    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != PATH or method not in ("GET", "POST") or \
                (method == "GET" and "query" not in environ.get("QUERY_STRING", "")):
            return self.wsgi_app(environ, start_response)
        app = self.app
        with app.app_context():  # dataset(), the cache and the logger are the app's
            request = app.request_class(environ)  # Flask's: it applies MAX_CONTENT_LENGTH
            try:
                settings = app.extensions["twinkg"].settings
                query = read_query_request(settings.max_body_bytes, request)
                if query is None:  # e.g. ?queryx=: the editor or the description
                    return self.wsgi_app(environ, start_response)
                choice = formats.choose(request.headers.get("Accept"), request.values.get("format"))
                status, headers, body = respond_parts(query, choice, method, environ.get("HTTP_IF_NONE_MATCH"))
            except Exception as exc:  # noqa: BLE001 - rendered by the app's error handlers
                return self._error(environ, start_response, exc)
        headers += _CORS
        if status == 304:
            start_response(_STATUS[304], headers)
            return [b""]
        headers.insert(1, ("Content-Length", str(len(body))))
        key = environ.get("twinkg.cache_key")  # set by caching._CachedGets for GETs
        cache = app.extensions.get("twinkg.response_cache")
        if key is not None and cache is not None and method == "GET":
            etag = next(v for k, v in headers if k == "ETag")
            cache.put(key, (_STATUS[200], headers, body, etag), len(body))
        start_response(_STATUS[200], headers)
        return [body]

    def _error(self, environ, start_response, exc: Exception):
        """The answer Flask gives for ``exc`` raised in the /sparql view (after-request hooks included)."""
        app = self.app
        with app.request_context(environ):
            response = app.finalize_request(app.handle_user_exception(exc))
        return response(environ, start_response)


def install_fast_path(app) -> None:
    """Put the fast path between the response cache (outside) and Flask (inside)."""
    app.wsgi_app = SparqlFastPath(app, app.wsgi_app)
