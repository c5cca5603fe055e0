"""Running a query for a request: limits, executor, errors, caching; one place for /sparql and /queries.

The route builds a ``Job`` (what to run, which formats are acceptable); ``answer`` returns
the executor's ``Answer`` (from the cache when the same request was answered before on the
same dataset version) or raises a ``TwinkgError`` with the right status.

A query whose answer changes from run to run on the same data (NOW(), RAND(), UUID(),
STRUUID(), BNODE(), blank nodes in a CONSTRUCT template: ``ScannedQuery.volatile``) is run for
every request: its answer is not kept in the response cache and has no ETag.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from flask import Response, current_app, request
from pyoxigraph import QueryResultsFormat

from twinkg.errors import TwinkgError
from twinkg.formats import GRAPH_FORMATS, RESULT_FORMATS, base_type, content_type
from twinkg.negotiation import not_acceptable
from twinkg.query_answers import Answer, Failure, Job
from twinkg.query_inspect import QueryShape, ScannedQuery
from twinkg.server.caching import ResponseCache, etag_for, etag_matches, is_star
from twinkg.server.dataset import Dataset, dataset
from twinkg.server.endpoint.format_choice import Choice

log = logging.getLogger(__name__)  # a child of the app's logger ("twinkg.server")

TRUNCATED_HEADER = "X-Twinkg-Truncated"
ROWS_HEADER = "X-Twinkg-Rows"
#: The build version an answer was computed from: for about a second after a load, workers may
#: answer from different builds (each looks at the store link on its own).
VERSION_HEADER = "X-Twinkg-Version"
#: The notice a cut answer links to in its body where the format has a place for links
#: (server/endpoint/truncation.py): relative, so the cached body names no host.
TRUNCATED_NOTICE = "/sparql/truncated"
_JSON_HEAD = b'{"head":{"vars":['
_XML_LINK = b'<link href="' + TRUNCATED_NOTICE.encode() + b'"/>'


@dataclass(frozen=True)
class QueryRequest:
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: tuple = ()  # ((variable name, term), …), sorted: part of the cache key
    #: The IRI that relative IRIs in the query resolve against (the endpoint's, on /sparql);
    #: part of the cache key, as the answer depends on it.
    base_iri: str | None = None

    @cached_property
    def scanned(self) -> ScannedQuery:
        """The query read once for this request: every question about its text asks this."""
        return ScannedQuery(self.text)


def check_services(shape: QueryShape, ds: Dataset) -> None:
    allowed = ds.settings.allowed_services
    for endpoint in shape.services:
        if endpoint is None:
            raise TwinkgError("SERVICE with an endpoint that is not a constant IRI is not allowed", 403)
        if endpoint not in allowed:
            listed = ", ".join(sorted(allowed)) or "none"
            raise TwinkgError(f"SERVICE <{endpoint}> is not allowed on this endpoint "
                              f"(allowed SERVICE endpoints: {listed})", 403)


def build_job(req: QueryRequest, choice: Choice, ds: Dataset) -> tuple[Job, QueryShape]:
    shape = req.scanned.shape
    check_services(shape, ds)
    protocol_dataset = bool(req.default_graphs or req.named_graphs)
    settings = ds.settings
    job = Job(
        text=req.text,
        # A query (or request) that names its dataset gets exactly that dataset; otherwise the
        # default graph is the union of all graphs, the dataset's documented view.
        union=not (shape.has_dataset or protocol_dataset),
        default_graph=req.default_graphs if protocol_dataset else None,
        named_graphs=req.named_graphs if protocol_dataset else None,
        substitutions=dict(req.substitutions) or None,
        results_format=choice.results and choice.results.media_type,
        graph_format=choice.graph and choice.graph.media_type,
        max_rows=settings.max_rows,
        base_iri=req.base_iri,
    )
    return job, shape


def response_cache(app=None) -> ResponseCache | None:
    return (app or current_app).extensions.get("twinkg.response_cache")


def request_etag(req: QueryRequest, choice: Choice, ds: Dataset) -> str:
    return etag_for(ds.version, ds.settings.max_rows, req, choice.results and choice.results.media_type,
                    choice.graph and choice.graph.media_type)


def answer(req: QueryRequest, choice: Choice, key: str | None = None, ds: Dataset | None = None,
           cache: ResponseCache | None = None, volatile: bool | None = None) -> Answer:
    """The answer to ``req`` in the chosen format; raises TwinkgError for every refusal.

    Answers are kept in the response cache under ``key`` (the request's ETag, which names
    the dataset version), so a repeated POST or a GET with another query string is not rerun;
    not those of volatile queries (``volatile``: whether ``req``'s query is one, if known).
    ``ds`` and ``cache`` default to the current app's.
    """
    if ds is None:
        ds, cache = dataset(), response_cache()
    key = key or request_etag(req, choice, ds)
    if cache is not None and (hit := cache.get(key)) is not None:  # never a volatile answer
        return hit
    job, shape = build_job(req, choice, ds)
    result = ds.executor.run(job)
    if isinstance(result, Failure):
        raise _failure_error(result, req, shape, choice)
    if result.media_type is None:
        offered = GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS
        raise not_acceptable(offered)
    if cache is not None and not (req.scanned.volatile if volatile is None else volatile):
        cache.put(key, result, result.body)
    return result


def _failure_error(failure: Failure, req: QueryRequest, shape: QueryShape, choice: Choice) -> TwinkgError:
    if failure.kind == "syntax":
        if req.scanned.is_update:
            # An update sent as a query is no legal query: the protocol's answer is 400
            # (§2.1.4), as for any text that does not parse as one. 403 is for the update
            # operation itself (server/endpoint/request.py), which this endpoint refuses.
            return TwinkgError("this is a SPARQL Update, not a query: the 'query' parameter takes a "
                               "query (this endpoint is read-only: SPARQL Update is not accepted)", 400)
        return TwinkgError(f"SPARQL syntax error: {failure.message}", 400)
    if failure.kind == "function":
        return TwinkgError(f"the query calls a function this endpoint does not support: {failure.message}", 400)
    if failure.kind == "format":  # the format was acceptable; this answer cannot be written in it
        able = [base_type(f) for f in GRAPH_FORMATS if f.media_type in failure.formats]
        return TwinkgError(f"this answer cannot be written as {base_type(choice.graph)} ({failure.message}); "
                           f"formats that can carry it: {', '.join(able) or 'none'}", 406)
    if shape.services:
        return TwinkgError(f"a SERVICE call failed: {failure.message}", 502)
    log.error("query failed: %s", failure.message)
    return TwinkgError("the query could not be evaluated; the error is logged", 500)


def respond_parts(req: QueryRequest, choice: Choice, method: str, if_none_match: str | None,
                  extra_headers: dict | None, ds: Dataset, cache: ResponseCache | None
                  ) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of the answer: the negotiated format, truncation flag, ETag,
    304 when unchanged. Plain values and an explicit dataset and cache, so that the WSGI fast
    path (server/endpoint/fastpath.py) answers without an app context, and alike with the Flask routes."""
    ds = ds.pinned()  # the ETag, the header and the query: one build
    settings = ds.settings
    etag = request_etag(req, choice, ds)
    conditional = method in ("GET", "HEAD") and bool(if_none_match)
    if req.scanned.volatile:
        # A strong ETag would name one sequence of bytes (RFC 9110 §8.8.3) and a weak one an
        # equivalent answer: neither holds when SPARQL asks for a fresh NOW(), RAND() or blank
        # node at each run (Oxigraph and Fuseki evaluate such a query per request). So no
        # validator, and no-store: no cache along the way may serve one run's values again.
        caching = [("Cache-Control", "no-store"), ("Vary", "Accept"), (VERSION_HEADER, ds.version)]
        volatile = True
    else:
        caching = [("ETag", etag), ("Cache-Control", f"public, max-age={settings.cache_max_age}"),
                   ("Vary", "Accept"), (VERSION_HEADER, ds.version)]
        volatile = False
        # This ETag, not "*", before any work: "*" is decided below, by an answer that exists.
        if conditional and etag_matches(if_none_match, etag, star=False):
            return 304, caching, b""
    result = answer(req, choice, etag, ds, cache, volatile)
    # RFC 9110 §13.2.1: a precondition only counts when the answer without it is a 2xx; an
    # error (400, 403, 406, …) was raised above. "*" matches any current answer.
    if conditional and is_star(if_none_match):
        return 304, caching, b""
    headers = [("Content-Type", content_type(_format_of(result)))]
    if result.kind != "boolean":
        headers.append((TRUNCATED_HEADER, "true" if result.truncated else "false"))
        headers.append((ROWS_HEADER, str(result.rows)))
    headers.extend((extra_headers or {}).items())
    return 200, headers + caching, _marked(result) if result.truncated else result.body


def _marked(result: Answer) -> bytes:
    """A cut answer's body with a link to the notice, where the format has a place for links:
    SPARQL JSON ``head.link`` and SPARQL XML ``<head><link href=…/>`` (both specs' own field,
    which result parsers read or skip). CSV and TSV results and the RDF formats have none that
    their parsers would not take for data: those bodies stay as they are, the header tells.

    The bodies are pyoxigraph's own serializations (the cut JSON is re-serialized by it in
    twinkg/query_answers.py), so their heads have one fixed shape; anything else stays as is."""
    body = result.body
    if result.media_type == QueryResultsFormat.JSON.media_type and body.startswith(_JSON_HEAD):
        end = body.index(b"]", len(_JSON_HEAD)) + 1  # variable names hold no "]"
        return body[:end] + b',"link":["' + TRUNCATED_NOTICE.encode() + b'"]' + body[end:]
    if result.media_type == "application/sparql-results+xml" and b"</head>" in body:
        # links follow the variables in <head> (SPARQL XML results schema)
        return body.replace(b"</head>", _XML_LINK + b"</head>", 1)
    return body


def respond(req: QueryRequest, choice: Choice, extra_headers: dict | None = None) -> Response:
    """The HTTP answer of a Flask route (see ``respond_parts``)."""
    status, headers, body = respond_parts(req, choice, request.method, request.headers.get("If-None-Match"),
                                          extra_headers, dataset(), response_cache())
    return Response(body, status=status, headers=headers)


def _format_of(result: Answer):
    offered = GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS
    return next(f for f in offered if f.media_type == result.media_type)
