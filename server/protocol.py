"""Reading a SPARQL 1.1 Protocol query request (W3C SPARQL 1.1 Protocol, §2.1).

Three ways to send a query: GET ``?query=``, POST form-encoded, POST ``application/sparql-query``
(with ``default-graph-uri``/``named-graph-uri`` in the URL). Anything else is refused with
the status the protocol or HTTP prescribes: updates 403 (this endpoint is read-only), other
bodies 415, bodies over the limit 413, a missing or repeated query 400.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import request
from pyoxigraph import NamedNode
import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" decoding error handler
from werkzeug.datastructures import ImmutableMultiDict
from yarl import URL

from twinkg.errors import TwinkgError

from .answers import QueryRequest

READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def read_query_request(max_body_bytes: int, req=None) -> QueryRequest | None:
    """The query request, or None for a GET without ``query`` (the editor / service description).

    ``req`` is a werkzeug request (server/fastpath.py makes one without Flask's routing);
    Flask's current request by default."""
    if req is None:
        req = request
    if req.method in ("GET", "HEAD"):  # HEAD: GET's answer without its body (RFC 9110 §9.3.2)
        return read_get(req.args)
    _check_size(req, max_body_bytes)
    mime = req.mimetype
    if mime == "application/sparql-update":
        raise TwinkgError(READ_ONLY, 403)
    if mime == DIRECT:
        if "query" in req.args:
            raise TwinkgError("query given twice: in the URL and as the request body", 400)
        return _request(_one_query([_body_text(req)]), req.args)
    if mime == FORM:
        form = req.form
        if "update" in form or "update" in req.args:
            raise TwinkgError(READ_ONLY, 403)
        queries = form.getlist("query") + req.args.getlist("query")
        return _request(_one_query(queries), req.values)  # graphs in the body or the URL
    raise TwinkgError(f"unsupported request body type {mime or '(none)'}: send the query as "
                      f"{DIRECT} or {FORM}", 415)


def read_get(params) -> QueryRequest | None:
    """The query of a GET, from its URL parameters; None without ``query``."""
    if "update" in params:
        raise TwinkgError(READ_ONLY, 403)
    if "query" not in params:
        return None
    return _request(_one_query(params.getlist("query")), params)


def url_params(environ) -> ImmutableMultiDict:
    """The URL's parameters as werkzeug's ``Request.args`` has them, without building a Request
    (server/fastpath.py); a URL whose raw bytes are not UTF-8 is a 400, not a server error.

    yarl decodes them in C (a percent-encoded query took 16 µs in ``urllib.parse``). Where
    yarl put U+FFFD for bytes that are not UTF-8, werkzeug keeps them percent-encoded: those
    URLs are decoded as werkzeug does (the two agree on 200,000 random strings otherwise)."""
    raw = environ.get("QUERY_STRING", "")
    if not raw.isascii():  # PEP 3333: the URL's bytes arrive as latin-1 text
        try:
            raw = raw.encode("latin-1").decode()
        except UnicodeError:
            raise TwinkgError("the URL's query string is not valid UTF-8", 400) from None
    pairs = list(URL.build(query_string=raw, encoded=True).query.items())
    if any("\ufffd" in name or "\ufffd" in value for name, value in pairs):
        pairs = parse_qsl(raw, keep_blank_values=True, errors="werkzeug.url_quote")
    return ImmutableMultiDict(pairs)


def _check_size(req, limit: int) -> None:
    length = req.content_length
    if length is not None and length > limit:
        raise TwinkgError(f"request body of {length} bytes is over the limit of {limit} bytes", 413)


def _body_text(req) -> str:
    charset = req.mimetype_params.get("charset", "utf-8")
    data = req.get_data(cache=False)  # werkzeug answers 413 past MAX_CONTENT_LENGTH
    try:
        return data.decode(charset)
    except LookupError:
        raise TwinkgError(f"unsupported charset {charset!r}", 415) from None
    except UnicodeDecodeError as exc:
        raise TwinkgError(f"the request body is not valid {charset}: {exc.reason} at byte {exc.start}",
                          400) from None


def _one_query(queries: list[str]) -> str:
    if not queries:
        raise TwinkgError("missing 'query' parameter", 400)
    if len(queries) > 1:
        raise TwinkgError(f"'query' given {len(queries)} times; send exactly one query", 400)
    if not queries[0].strip():
        raise TwinkgError("the 'query' parameter is empty", 400)
    return queries[0]


def _graphs(params, name: str) -> tuple[str, ...]:
    graphs = []
    for value in params.getlist(name):
        try:
            graphs.append(NamedNode(value.strip()).value)
        except ValueError as exc:
            raise TwinkgError(f"parameter '{name}': not an IRI: {value!r} ({exc})", 400) from None
    return tuple(graphs)


def _request(text: str, params) -> QueryRequest:
    return QueryRequest(text=text, default_graphs=_graphs(params, "default-graph-uri"),
                   named_graphs=_graphs(params, "named-graph-uri"))
