"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only, bounded), its editor and description."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from twinkg import formats
from twinkg.canned import canned_queries
from twinkg.config import PREFIXES
from twinkg.negotiation import negotiate, not_acceptable
from twinkg.server.caching import cache_headers, etag_for, is_not_modified, not_modified
from twinkg.server.cors import allow_cross_origin
from twinkg.server.dataset import dataset
from twinkg.server.endpoint.format_choice import choose
from twinkg.server.endpoint.answers import respond
from twinkg.server.endpoint.request import endpoint_iri, read_query_request
from twinkg.server.endpoint.service_description import (
    description,
    serialize_description,
)
from twinkg.server.i18n import current_language

bp = Blueprint("sparql", __name__)
allow_cross_origin(bp)

#: Without a query, browsers get the editor; other clients the service description.
_DESCRIPTION_OFFERS = ("text/html",) + tuple(formats.base_type(f) for f in formats.GRAPH_FORMATS)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    ds = dataset()
    query, format_param = read_query_request(ds.settings.max_body_bytes)
    if query is None:
        return _editor_or_description()
    choice = choose(request.headers.get("Accept"), format_param, query.scanned.form)
    return respond(query, choice)


def _editor_or_description() -> Response:
    ds = dataset()
    accept = request.headers.get("Accept")
    fmt_name = request.args.get("format")
    if fmt_name:
        wanted = formats.by_name(fmt_name, formats.GRAPH_FORMATS)
        if wanted is None and fmt_name != "html":
            raise not_acceptable(formats.GRAPH_FORMATS)
    else:
        # Only an explicit text/html picks the editor: */* alone means a program.
        offers = _DESCRIPTION_OFFERS if "text/html" in (accept or "") else _DESCRIPTION_OFFERS[1:]
        picked = negotiate(accept, offers, media_type=lambda m: m)
        wanted = None if picked == "text/html" else formats.by_name(picked, formats.GRAPH_FORMATS)
    etag = etag_for(ds.version, "sparql-page", request.url_root, wanted and wanted.media_type,
                    current_language() if wanted is None else "")
    if is_not_modified(etag):
        return not_modified(etag, ds.settings.cache_max_age)
    if wanted is None:
        response = Response(render_template("sparql_editor.html", prefixes=PREFIXES,
                                            tabs=_editor_tabs(), base=ds.iris.base),
                            content_type="text/html; charset=utf-8")
    else:
        triples = description(endpoint_iri(request.environ), ds.store.named_graphs(), "twinkg SPARQL endpoint")
        response = Response(serialize_description(triples, wanted), content_type=formats.content_type(wanted))
    return cache_headers(response, etag, ds.settings.cache_max_age)


def _editor_tabs() -> list[dict]:
    """One editor tab per canned query, its parameters set to their defaults."""
    return [{"name": q.title, "query": q.text_with_defaults(), "id": q.name}
            for q in canned_queries(dataset().iris.base).values()]
