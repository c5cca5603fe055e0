"""Dereferenceable IRIs (W3C "Cool URIs for the Semantic Web", the 303 recipe).

``/id/{kind}/{slug}`` names the thing; it answers 303 See Other to the page about it
(``/page/…``) or to its data document (``/data/….{ext}``), chosen by ``Accept``.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request

from twinkg.errors import TwinkgError
from twinkg.formats import by_extension
from twinkg.negotiation import ENTITY, PAGE, negotiate
from twinkg.server.conditional import conditional_get
from twinkg.server.cors import READ_METHODS, allow_cross_origin
from twinkg.server.dataset import dataset
from twinkg.server.i18n import translate
from twinkg.server.linkeddata.documents import (
    DATA_FORMATS,
    describe,
    document_statements,
    exists,
    is_entity,
    serialize_document,
)

bp = Blueprint("deref", __name__)
allow_cross_origin(bp, READ_METHODS)  # /id and /data, followed by linked-data clients anywhere
conditional_get(bp, html=False)  # the data documents (the 303s of /id/ carry no ETag)


HTML = PAGE
#: HTML first: a bare ``*/*`` (curl's default) gets the page, as browsers do.
OFFERED = ENTITY

def unknown_entity(kind: str, slug: str) -> TwinkgError:
    """The 404 for people to read when ``kind/slug`` names no entity."""
    return TwinkgError(f"{translate('error.unknown_entity')} ({kind}/{slug})", 404)


def entity_iri(kind: str, slug: str) -> str:
    """The canonical IRI ``kind/slug`` would have, or a 404 when it cannot name an entity.

    No query: the page and the data document tell whether the entity exists from the data
    they read anyway (:func:`documents.is_entity`), so that they cost no extra query."""
    iris = dataset().iris
    if iris.valid(kind, slug):
        return iris.entity_iri(kind, slug)
    raise unknown_entity(kind, slug)


def entity_or_404(kind: str, slug: str) -> str:
    """The canonical IRI of an existing entity; otherwise a 404 for people to read."""
    iri = entity_iri(kind, slug)
    if exists(dataset().store, iri):
        return iri
    raise unknown_entity(kind, slug)


@bp.route("/id/<kind>/<slug>", methods=["GET", "HEAD"])
def identifier(kind: str, slug: str):
    entity_or_404(kind, slug)
    fmt = negotiate(request.headers.get("Accept"), OFFERED)
    target = (f"/page/{kind}/{slug}" if fmt is HTML
              else f"/data/{kind}/{slug}.{fmt.file_extension}")
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/data/<kind>/<slug>.<ext>", methods=["GET", "HEAD"])
def document(kind: str, slug: str, ext: str):
    # One URL per document: the library's canonical extension of each format.
    fmt = by_extension(ext, DATA_FORMATS)
    if fmt is None:
        offered = ", ".join(f.file_extension for f in DATA_FORMATS)
        raise TwinkgError(f"no data document in format '{ext}'; offered: {offered}", 404)
    iri = entity_iri(kind, slug)
    triples = describe(dataset().store, iri)
    if not is_entity(triples, iri):
        raise unknown_entity(kind, slug)
    body = serialize_document(triples + document_statements(iri, fmt), fmt)
    response = Response(body, content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Link"] = f'<{iri}>; rel="describes"'
    return response
