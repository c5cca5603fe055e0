"""Dereferenceable IRIs (W3C "Cool URIs for the Semantic Web", the 303 recipe).

``/id/{kind}/{slug}`` names the thing; it answers 303 See Other to the page about it
(``/page/…``) or to its data document (``/data/….{ext}``), chosen by ``Accept``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, redirect, request

from twinkg.errors import TwinkgError

from .dataset import dataset
from .describe import DATA_FORMATS, describe, exists, serialize_document
from .i18n import translate
from .iris import valid_kind_and_slug
from .negotiation import negotiate

bp = Blueprint("deref", __name__)


@dataclass(frozen=True)
class Html:
    media_type: str = "text/html"


HTML = Html()
#: HTML first: a bare ``*/*`` (curl's default) gets the page, as browsers do.
OFFERED = (HTML, *DATA_FORMATS)


def _aliases(fmt) -> tuple[str, ...]:
    return ("application/xhtml+xml",) if fmt is HTML else ()


def entity_or_404(kind: str, slug: str) -> str:
    """The canonical IRI of an existing entity; otherwise a 404 for people to read."""
    ds = dataset()
    if valid_kind_and_slug(kind, slug):
        iri = ds.iris.entity_iri(kind, slug)
        if exists(ds.store, iri):
            return iri
    raise TwinkgError(f"{translate('error.unknown_entity')} ({kind}/{slug})", 404)


@bp.route("/id/<kind>/<slug>", methods=["GET", "HEAD"])
def identifier(kind: str, slug: str):
    entity_or_404(kind, slug)
    fmt = negotiate(request.headers.get("Accept"), OFFERED, aliases=_aliases)
    target = (f"/page/{kind}/{slug}" if fmt is HTML
              else f"/data/{kind}/{slug}.{fmt.file_extension}")
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/data/<kind>/<slug>.<ext>", methods=["GET", "HEAD"])
def document(kind: str, slug: str, ext: str):
    # One URL per document: the library's canonical extension of each format.
    fmt = next((f for f in DATA_FORMATS if f.file_extension == ext), None)
    if fmt is None:
        offered = ", ".join(f.file_extension for f in DATA_FORMATS)
        raise TwinkgError(f"no data document in format '{ext}'; offered: {offered}", 404)
    iri = entity_or_404(kind, slug)
    body = serialize_document(describe(dataset().store, iri), fmt)
    response = Response(body, content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Link"] = f'<{iri}>; rel="describes"'
    return response
