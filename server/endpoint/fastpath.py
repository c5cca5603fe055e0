"""A lean WSGI path for SPARQL queries to /sparql, in front of Flask's routing and response machinery.

Profiled under wrk, Flask's per-request work (request context, URL matching, session,
response object and header bookkeeping, after-request hooks) cost about as much worker CPU
as running the query. A query request needs none of it: this path reads the request with
the same code (server/endpoint/request.py, formats.choose, answers.respond_parts: the executor, the
response cache, ETags), adds the CORS headers the blueprint adds, keeps GET answers with an
ETag in the response cache like ``caching._keep``, and answers in plain WSGI. A GET needs not even an
app context or a werkzeug Request: its URL parameters are all it reads. Everything else (the
editor, the service description, HEAD, OPTIONS) goes on to Flask, and so does every error:
Flask's error handlers render it, so a refusal reads the same either way.
"""

from __future__ import annotations

from werkzeug.http import HTTP_STATUS_CODES

from twinkg.server.cors import EXPOSED_HEADERS
from twinkg.server.endpoint.format_choice import choose
from twinkg.server.endpoint.answers import respond_parts, response_cache
from twinkg.server.endpoint.request import (
    endpoint_iri,
    read_get,
    read_query_request,
    url_params,
)

PATH = "/sparql"
_CORS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED_HEADERS)]
_STATUS = {code: f"{code} {HTTP_STATUS_CODES[code].upper()}" for code in (200, 304)}


class SparqlFastPath:
    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        self.dataset = app.extensions["twinkg"]

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != PATH or method not in ("GET", "POST") or \
                (method == "GET" and "query" not in environ.get("QUERY_STRING", "")):
            return self.wsgi_app(environ, start_response)
        cache = response_cache(self.app)
        try:
            if method == "GET":
                params = url_params(environ)
                query = read_get(params, endpoint_iri(environ))
                format_param = params.get("format")
            else:
                with self.app.app_context():  # Flask's Request applies MAX_CONTENT_LENGTH
                    request = self.app.request_class(environ)
                    query, format_param = read_query_request(self.dataset.settings.max_body_bytes, request)
            if query is None:  # e.g. ?queryx=: the editor or the description
                return self.wsgi_app(environ, start_response)
            choice = choose(environ.get("HTTP_ACCEPT"), format_param, query.scanned.form)
            status, headers, body = respond_parts(query, choice, method, environ.get("HTTP_IF_NONE_MATCH"),
                                                  None, self.dataset, cache)
        except Exception as exc:  # noqa: BLE001 - rendered by the app's error handlers
            return self._error(environ, start_response, exc)
        headers += _CORS
        if status == 304:
            start_response(_STATUS[304], headers)
            return [b""]
        headers.insert(1, ("Content-Length", str(len(body))))
        key = environ.get("twinkg.cache_key")  # set by caching._CachedGets for GETs
        etag = next((v for k, v in headers if k == "ETag"), None)  # none: a volatile answer, not kept
        if key is not None and cache is not None and method == "GET" and etag is not None:
            cache.put(key, (_STATUS[200], headers, body, etag), body)
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
