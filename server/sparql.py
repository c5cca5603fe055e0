"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only)."""

from __future__ import annotations

from flask import Blueprint, Response, request
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from twinkg.errors import TwinkgError
from twinkg.store import run_query

from .dataset import dataset
from .negotiation import negotiate, with_charset

bp = Blueprint("sparql", __name__)

RESULT_FORMATS = (QueryResultsFormat.JSON, QueryResultsFormat.XML,
                  QueryResultsFormat.CSV, QueryResultsFormat.TSV)
GRAPH_FORMATS = (RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD, RdfFormat.RDF_XML)


def _query_text() -> str:
    """The query of a GET, a form POST or a direct POST, per the SPARQL 1.1 Protocol."""
    if request.method == "GET":
        args = request.args
    else:
        mime = request.mimetype
        if mime == "application/sparql-query":
            if "query" in request.args:
                raise TwinkgError("query given twice (URL and body)", 400)
            return request.get_data(as_text=True)
        if mime == "application/sparql-update":
            raise TwinkgError("this endpoint is read-only: SPARQL Update is not accepted", 403)
        if mime != "application/x-www-form-urlencoded":
            raise TwinkgError(f"unsupported body type {mime or '(none)'}; send application/sparql-query "
                              "or application/x-www-form-urlencoded", 415)
        args = request.form
    if "update" in args:
        raise TwinkgError("this endpoint is read-only: SPARQL Update is not accepted", 403)
    queries = args.getlist("query")
    if not queries:
        raise TwinkgError("missing 'query' parameter", 400)
    if len(queries) > 1:
        raise TwinkgError("'query' given more than once", 400)
    return queries[0]


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    text = _query_text()
    results = run_query(dataset().store, text)
    accept = request.headers.get("Accept")
    if isinstance(results, (QuerySolutions, QueryBoolean)):
        fmt = negotiate(accept, RESULT_FORMATS)
    else:
        fmt = negotiate(accept, GRAPH_FORMATS)
    body = results.serialize(format=fmt)
    return Response(body, content_type=with_charset(fmt.media_type))
