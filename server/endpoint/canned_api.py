"""Canned queries as an API: /queries lists them, /queries/<name> runs one.

``/queries/<name>`` is a page (query text, a form for its parameters, the results as a
table); ``/queries/<name>.json`` (``.xml``, ``.csv``, ``.tsv``, or ``?format=``) are the same
results for programs, advertised with ``Link`` headers and ``<link rel="alternate">``.
Parameters come from the query string, are parsed into RDF terms and bound with pyoxigraph
``substitutions`` (twinkg/canned.py); a bad value is a 400 naming the parameter.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from twinkg import formats
from twinkg.canned import CannedQuery, ParamError, canned_queries, single_values
from twinkg.negotiation import negotiate
from twinkg.query_inspect import query_form
from twinkg.server.caching import cache_headers, etag_for, is_not_modified, not_modified
from twinkg.server.conditional import conditional_get
from twinkg.server.cors import allow_cross_origin
from twinkg.server.dataset import dataset
from twinkg.server.endpoint.format_choice import Choice, unknown_format
from twinkg.server.endpoint.answers import QueryRequest, answer, respond
from twinkg.server.i18n import current_language
from twinkg.server.presentation.cells import term_view

bp = Blueprint("queries_api", __name__)
allow_cross_origin(bp)
conditional_get(bp, html=True, negotiated=True)  # /queries (a query's own page has its own ETag)

#: The page's own data: JSON results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE.
_PAGE_CHOICE = Choice(QueryResultsFormat.JSON, RdfFormat.N_TRIPLES)


# Both rules carry ``as_json`` so that url_for can tell them apart (without it, it built
# /queries.json for the editor's link to the HTML list).
@bp.route("/queries", defaults={"as_json": False})
@bp.route("/queries.json", defaults={"as_json": True})
def index(as_json: bool = False):
    queries = canned_queries(dataset().iris.base).values()
    if as_json or negotiate(request.headers.get("Accept"), ("text/html", "application/json"),
                            media_type=lambda m: m) == "application/json":
        return jsonify([_summary(q) for q in queries])
    return render_template("queries.html", queries=queries)


def _summary(q: CannedQuery) -> dict:
    return {"name": q.name, "title": q.title, "description": q.description,
            "url": url_for("queries_api.show", name=q.name, _external=True),
            "parameters": [{"name": p.name, "type": p.type, "default": p.default,
                            "description": p.description} for p in q.params]}


@bp.route("/queries/<name>")
def show(name: str):
    base, _, suffix = name.rpartition(".")
    known = canned_queries(dataset().iris.base)
    query = known.get(name) or (known.get(base) if base else None)
    if query is None:
        abort(404, description=f"no canned query named {name!r}; see /queries")
    by_suffix = query.name != name
    fmt_name = suffix if by_suffix else request.args.get("format")
    given = single_values((k, v) for k, v in request.args.items(multi=True) if k != "format")
    if fmt_name and fmt_name != "html":
        choice = Choice(formats.by_name(fmt_name, formats.RESULT_FORMATS),
                        formats.by_name(fmt_name, formats.GRAPH_FORMATS))
        if choice.results is None and choice.graph is None:
            if by_suffix:  # a URL that names no resource
                abort(404, description=f"unknown format {fmt_name!r}")
            raise unknown_format(fmt_name, query_form(query.text))  # a bad parameter: 400
        return _data(query, given, choice)
    if not fmt_name:
        offers = ("text/html",) + tuple(formats.base_type(f) for f in formats.RESULT_FORMATS)
        # application/json and application/xml as on /sparql
        generic = {formats.base_type(f): formats.aliases(f) for f in formats.RESULT_FORMATS}
        picked = negotiate(request.headers.get("Accept"), offers, media_type=lambda m: m,
                           aliases=lambda m: generic.get(m, ()))
        if picked != "text/html":
            return _data(query, given, Choice(formats.by_name(picked, formats.RESULT_FORMATS), None))
    return _page(query, given)


def _bound_request(query: CannedQuery, given: dict) -> QueryRequest:
    bindings = query.bindings(given)  # ParamError (400) names the parameter
    return QueryRequest(text=query.text, substitutions=tuple(sorted((v.value, t) for v, t in bindings.items())))


def _data(query: CannedQuery, given: dict, choice: Choice) -> Response:
    return respond(_bound_request(query, given), choice, {"Link": _link_header(query, given)})


def _alternates(query: CannedQuery, given: dict) -> list[tuple[str, str, str]]:
    """(label, URL, media type) of the results in each result format."""
    qs = ("?" + urlencode(given)) if given else ""
    return [(name.upper(), url_for("queries_api.show", name=f"{query.name}.{name}") + qs, formats.base_type(fmt))
            for fmt in formats.RESULT_FORMATS for name in [formats.link_name(fmt)]]


def _link_header(query: CannedQuery, given: dict) -> str:
    return ", ".join(f'<{url}>; rel="alternate"; type="{media}"' for _, url, media in _alternates(query, given))


def _page(query: CannedQuery, given: dict) -> Response:
    ds = dataset()
    values = {p.name: given.get(p.name) or p.default or "" for p in query.params}
    # The page's words are in the reader's language: a German page is not an English one.
    etag = etag_for(ds.version, ds.settings.max_rows, "query-page", query.name, sorted(given.items()),
                    current_language())
    if is_not_modified(etag):
        return not_modified(etag, ds.settings.cache_max_age)
    status, error, table = 200, None, None
    try:
        req = _bound_request(query, given)
        table = _table(answer(req, _PAGE_CHOICE), ds.iris.base)
    except ParamError as exc:
        status, error = exc.status, exc.message
    alternates = _alternates(query, given)
    body = render_template("query.html", query=query, values=values, error=error, table=table,
                           alternates=alternates, max_rows=ds.settings.max_rows)
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Link"] = _link_header(query, given)
    return cache_headers(response, etag, ds.settings.cache_max_age) if status == 200 else response


def _table(result, base_iri: str) -> dict:
    """Columns and rows of term views, for the template."""
    if result.kind == "graph":
        triples = list(parse(result.body, RdfFormat.N_TRIPLES))
        columns = ["subject", "predicate", "object"]
        rows = [[term_view(x, base_iri) for x in (t.subject, t.predicate, t.object)] for t in triples]
    elif result.kind == "boolean":
        columns, rows = ["answer"], [[{"text": str(bool(parse_query_results(result.body, QueryResultsFormat.JSON))).lower()}]]
    else:
        solutions = parse_query_results(result.body, QueryResultsFormat.JSON)
        columns = [v.value for v in solutions.variables]
        rows = [[term_view(s[c], base_iri) for c in columns] for s in solutions]
    return {"columns": columns, "rows": rows, "truncated": result.truncated}
