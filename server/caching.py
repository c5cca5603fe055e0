"""HTTP caching of answers: ETags from the dataset version, 304s, and a per-worker response cache.

An answer depends only on the dataset (whose version changes only when a new store is
loaded), the request's query and parameters, and the negotiated format; the ETag is a
digest of exactly these and of the deployed code, so it is valid until the next load or
upgrade. Repeated queries are answered
from a small in-memory cache keyed the same way (bounded in bytes, least recently used out).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from http.cookies import SimpleCookie
import threading
from collections import OrderedDict

from flask import Response, request
from werkzeug.http import parse_etags


def etag_for(*parts) -> str:
    digest = hashlib.sha256(code_fingerprint())
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x00")
    return '"' + digest.hexdigest()[:32] + '"'


def tree_digest(roots) -> bytes:
    """A digest of every file below ``roots`` (names and contents; ``__pycache__`` left out)."""
    digest = hashlib.sha256()
    seen = set()
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\x00")
            digest.update(path.read_bytes())
    return digest.digest()


@cache
def code_fingerprint() -> bytes:
    """The deployed code, templates and texts (packages twinkg and twinkg.server), in every
    ETag: after an upgrade a revalidating browser gets the new pages, not a 304 for the old
    ones on the same dataset version. Read once per process (~1.6 MB, a few ms; before the
    fork under `twinkg serve`)."""
    return tree_digest(Path(find_spec(name).origin).parent for name in ("twinkg", "twinkg.server"))


def cache_headers(response: Response, etag: str, max_age: int, negotiated: bool = True) -> Response:
    """``negotiated``: the answer was chosen by ``Accept`` (so it is named in ``Vary``)."""
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    if negotiated:
        response.vary.add("Accept")
    return response


def is_not_modified(etag: str) -> bool:
    """A GET or HEAD whose ``If-None-Match`` names this ETag (or ``*``)."""
    if request.method not in ("GET", "HEAD"):
        return False
    return etag_matches(request.headers.get("If-None-Match"), etag)


def etag_matches(if_none_match: str | None, etag: str, star: bool = True) -> bool:
    """``If-None-Match`` names ``etag`` (weak comparison, RFC 9110 §13.1.2) or, when ``star``,
    is ``*``."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    return etag.strip('"') in tags.as_set(include_weak=True) or (star and tags.star_tag)


def is_star(if_none_match: str | None) -> bool:
    """``If-None-Match: *`` (any current answer)."""
    return bool(if_none_match) and parse_etags(if_none_match).star_tag


def not_modified(etag: str, max_age: int, negotiated: bool = True) -> Response:
    return cache_headers(Response(status=304), etag, max_age, negotiated)


class ResponseCache:
    """Answers by key, at most ``max_bytes`` of bodies; thread-safe (one per worker process).

    A GET answer is kept twice, under its request's ETag (for POSTs and other URLs of the same
    request) and under its URL (answered before Flask routes it), with one body: a body is
    counted once however many entries hold it.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[object, bytes]] = OrderedDict()
        self._holders: dict[int, int] = {}  # id(body) → entries holding it (which keep it alive)
        self._size = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """Bytes of the distinct bodies held."""
        return self._size

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: str, value, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:  # one answer never crowds out the rest
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, body)
            held = self._holders.get(id(body), 0)
            self._holders[id(body)] = held + 1
            if not held:
                self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, old) = self._entries.popitem(last=False)
                self._release(old)

    def _release(self, body: bytes) -> None:
        held = self._holders.pop(id(body)) - 1
        if held:
            self._holders[id(body)] = held
        else:
            self._size -= len(body)


#: Paths whose GET answers may be kept: the public API (their only Vary is Accept).
CACHED_PATHS = ("/sparql", "/queries")


def install_response_cache(app) -> ResponseCache | None:
    """Keep GET answers of the API in memory and serve repeats before Flask even routes them.

    A repeated query then costs a dictionary look-up: the measured bench/run.py "repeated"
    row. The key is everything the answer depends on: the dataset version, host, path, query
    string and Accept header. Only complete 200 answers with an ETag are kept.
    """
    size = app.extensions["twinkg"].settings.response_cache_bytes
    cache = ResponseCache(size) if size > 0 else None
    app.extensions["twinkg.response_cache"] = cache
    if cache is None:
        return None
    app.wsgi_app = _CachedGets(app.wsgi_app, app.extensions["twinkg"], cache)
    # App-level hooks run after the blueprints' (CORS), and in reverse order of registration:
    # put first, _keep runs after the others too (the pages' Vary: Accept-Language and
    # Content-Language), so the answer it keeps has its final headers.
    app.after_request_funcs.setdefault(None, []).insert(0, _keep)
    return cache


def _key(environ, dataset) -> tuple:
    # HTML answers (the editor, /queries pages) are in the reader's language: the language
    # cookie and Accept-Language are part of what an answer depends on.
    lang = SimpleCookie(environ.get("HTTP_COOKIE", "")).get("lang")
    return ("wsgi", dataset.version, environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
            environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT", ""), lang.value if lang else "", environ.get("HTTP_ACCEPT_LANGUAGE", ""))


class _CachedGets:
    def __init__(self, wsgi_app, dataset, cache: ResponseCache):
        self.wsgi_app, self.dataset, self.cache = wsgi_app, dataset, cache

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and \
                environ.get("PATH_INFO", "").startswith(CACHED_PATHS):
            try:
                key = _key(environ, self.dataset)
            except Exception:  # no store yet: let the app answer (503)
                return self.wsgi_app(environ, start_response)
            hit = self.cache.get(key)
            if hit is not None:
                status, headers, body, etag = hit
                if etag_matches(environ.get("HTTP_IF_NONE_MATCH"), etag):
                    start_response("304 NOT MODIFIED", [(k, v) for k, v in headers
                                                        if k.lower() not in ("content-type", "content-length")])
                    return [b""]
                start_response(status, headers)
                return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]
            environ["twinkg.cache_key"] = key
        return self.wsgi_app(environ, start_response)


def _keep(response: Response) -> Response:
    key = request.environ.get("twinkg.cache_key")
    etag = response.headers.get("ETag")
    if key is None or response.status_code != 200 or not etag or response.is_streamed:
        return response
    from flask import current_app
    cache = current_app.extensions.get("twinkg.response_cache")
    if cache is not None and request.method == "GET":
        body = response.get_data()
        cache.put(key, (response.status, list(response.headers.items()), body, etag), body)
    return response
