"""Conditional GET for pages and data documents: an ETag, Cache-Control, and 304 before any work.

A page or data document is a function of the dataset version (new only when a new store is
loaded), its path and query string, and for HTML pages the reader's language and the day
(entity pages show who holds an office today). Its ETag is a digest of exactly these (and of
the deployed code, ``caching.code_fingerprint``), so it is known before the page is built: a
matching ``If-None-Match`` gets its 304 without a query to the store, which is what a crawler
revalidating a million documents needs.
"""

from __future__ import annotations

import datetime

from flask import Blueprint, g, request

from twinkg.server.caching import cache_headers, etag_for, etag_matches, not_modified
from twinkg.server.dataset import dataset
from twinkg.server.i18n import current_language


def conditional_get(bp: Blueprint, html: bool, negotiated: bool = False) -> None:
    """Give the 200 answers of ``bp``'s routes an ETag; answer 304 early when it matches.
    ``html``: its answers are pages in the reader's language; ``negotiated``: its routes
    choose the format by ``Accept`` (which is then part of the ETag, and of ``Vary``).
    A route's own ETag (e.g. a file's digest) is left as it is."""

    @bp.before_request
    def answer_not_modified():
        if request.method not in ("GET", "HEAD"):
            return None
        ds = dataset()
        parts = [ds.version, request.path, request.query_string]
        if html:
            parts += [current_language(), datetime.date.today().isoformat()]
        if negotiated:
            parts.append(request.headers.get("Accept", ""))
        g.page_etag = etag_for("page", *parts)
        # Only this ETag, not "*": whether the entity or query exists is not known yet (a 404).
        if etag_matches(request.headers.get("If-None-Match"), g.page_etag, star=False):
            response = not_modified(g.page_etag, ds.settings.cache_max_age, negotiated)
            if html:  # a 304 names what the page varies on, as the page does
                response.vary.update(("Cookie", "Accept-Language"))
            return response
        return None

    @bp.after_request
    def tag(response):
        etag = g.get("page_etag")
        if etag and response.status_code == 200 and "ETag" not in response.headers:
            cache_headers(response, etag, dataset().settings.cache_max_age, negotiated)
        return response
