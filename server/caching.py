"""HTTP caching of answers: ETags from the dataset version, 304s, and a per-worker response cache.

An answer depends only on the dataset (whose version changes only when a new store is
loaded), the request's query and parameters, and the negotiated format; the ETag is a
digest of exactly these, so it is valid until the next load. Repeated queries are answered
from a small in-memory cache keyed the same way (bounded in bytes, least recently used out).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Response, request


def etag_for(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x00")
    return '"' + digest.hexdigest()[:32] + '"'


def cache_headers(response: Response, etag: str, max_age: int) -> Response:
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.vary.add("Accept")
    return response


def is_not_modified(etag: str) -> bool:
    """A GET or HEAD whose ``If-None-Match`` names this ETag (or ``*``)."""
    if request.method not in ("GET", "HEAD"):
        return False
    return request.if_none_match.contains(etag.strip('"')) or request.if_none_match.star_tag


def not_modified(etag: str, max_age: int) -> Response:
    return cache_headers(Response(status=304), etag, max_age)


class ResponseCache:
    """Answers by key, at most ``max_bytes`` of bodies; thread-safe (one per worker process)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: str, value, size: int) -> None:
        if size > self.max_bytes // 4:  # one answer never crowds out the rest
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, old) = self._entries.popitem(last=False)
                self._size -= old
