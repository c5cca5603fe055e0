"""Reading a SPARQL 1.1 Protocol query request (W3C SPARQL 1.1 Protocol, §2.1).

Three ways to send a query: GET ``?query=``, POST form-encoded, POST ``application/sparql-query``
(with ``default-graph-uri``/``named-graph-uri`` in the URL). Anything else is refused with
the status the protocol or HTTP prescribes: updates 403 (this endpoint is read-only), other
bodies 415 (and so a query body in another charset than UTF-8, the only one the protocol
allows), bodies over the limit 413 (with or without Content-Length), a missing or repeated
query 400, and so is text that cannot be read as the client wrote it (bytes that are not
UTF-8, malformed percent-escapes): such input is refused, never silently changed.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from flask import request
from pyoxigraph import NamedNode
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict
from werkzeug.wsgi import get_current_url
from yarl import URL

from twinkg.errors import TwinkgError
from twinkg.server.endpoint.answers import QueryRequest

READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
URL_QUERY = "the URL's query string"
FORM_BODY = "the form body"
#: The protocol's dataset parameters of a query (§2.1.4).
GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")


def read_query_request(max_body_bytes: int, req=None) -> tuple[QueryRequest | None, str | None]:
    """The query request and its ``format`` parameter; the request is None for a GET without
    ``query`` (the editor / service description).

    ``req`` is a werkzeug request (server/endpoint/fastpath.py makes one without Flask's routing);
    Flask's current request by default. The URL and a form body are decoded here, not by
    werkzeug (which keeps what it cannot decode as text, or drops the whole form)."""
    if req is None:
        req = request
    args = url_params(req.environ)
    base = endpoint_iri(req.environ)
    if req.method in ("GET", "HEAD"):  # HEAD: GET's answer without its body (RFC 9110 §9.3.2)
        return read_get(args, base), args.get("format")
    _check_size(req, max_body_bytes)
    mime = req.mimetype
    if mime == "application/sparql-update":
        raise TwinkgError(READ_ONLY, 403)
    if mime == DIRECT:
        if "query" in args:
            raise TwinkgError("query given twice: in the URL and as the request body", 400)
        text = _body_text(req, _read_body(req, max_body_bytes))
        return _request(_one_query([text]), args, base), args.get("format")
    if mime == FORM:
        form = _form_params(_read_body(req, max_body_bytes))
        if "update" in form or "update" in args:
            raise TwinkgError(READ_ONLY, 403)
        params = CombinedMultiDict([args, form])  # as werkzeug's request.values: URL first
        queries = form.getlist("query") + args.getlist("query")
        return _request(_one_query(queries), params, base), params.get("format")  # graphs in the body or the URL
    raise TwinkgError(f"unsupported request body type {mime or '(none)'}: send the query as "
                      f"{DIRECT} or {FORM}", 415)


def read_get(params, base_iri: str) -> QueryRequest | None:
    """The query of a GET, from its URL parameters; None without ``query``. ``base_iri``: the
    endpoint's IRI (``endpoint_iri``)."""
    if "update" in params:
        raise TwinkgError(READ_ONLY, 403)
    if "query" not in params:
        # The dataset parameters belong to a query: a request with them asks for one, and
        # forgot it (not for the editor or the service description, which take neither).
        if given := [name for name in GRAPH_PARAMS if name in params]:
            raise TwinkgError(f"missing 'query' parameter ({' and '.join(given)} given without a query)", 400)
        return None
    return _request(_one_query(params.getlist("query")), params, base_iri)


def endpoint_iri(environ) -> str:
    """The endpoint's IRI as the client addressed it (scheme, host, path; no query string):
    the base IRI of the query's relative IRIs, and the ``sd:endpoint`` of the service
    description (server/endpoint/routes.py).

    The protocol leaves the base IRI to the service ("which MAY be the service endpoint", W3C
    test update_base_uri); RFC 3986 §5.1.3 makes it the address the text was retrieved from,
    as Oxigraph's server does. The configured dataset base would resolve ``<id/city/tours>`` to
    an entity, but also make a query mean something else here than the address it was sent
    to says. An answer depends on the host this way: the host is part of the response
    cache's key and of the ETag (the request holds the IRI). A Host header that is missing
    or names no host (werkzeug makes it empty) is a 400 (RFC 9112 §3.2), not an address
    ``http:///sparql`` that relative IRIs would resolve against."""
    iri = get_current_url(environ, strip_querystring=True)
    if not _valid_iri(iri):
        raise TwinkgError("the request's Host header is missing or not a host name, so the "
                          "endpoint has no address to resolve relative IRIs against", 400)
    return iri


@lru_cache(maxsize=64)  # a server is addressed by few hosts; a check costs a parse
def _valid_iri(iri: str) -> bool:
    try:
        NamedNode(iri)
    except ValueError:
        return False
    return bool(urlsplit(iri).netloc)


def url_params(environ) -> ImmutableMultiDict:
    """The URL's parameters as werkzeug's ``Request.args`` has them, without building a Request
    (server/endpoint/fastpath.py); a URL whose raw bytes are not UTF-8 is a 400, not a server error,
    and so is a malformed percent-escape or one whose bytes are not UTF-8 (werkzeug and
    yarl would keep the first as text and turn the second into ``%XX`` or U+FFFD: the query
    that ran would not be the one the client wrote).

    yarl decodes them in C (a percent-encoded query took 16 µs in ``urllib.parse``). Where
    yarl put U+FFFD (for bytes that are not UTF-8, or a U+FFFD the client sent) or the
    escapes are malformed, the URL is decoded as werkzeug does, strictly (the two agree on
    200,000 random strings otherwise)."""
    raw = environ.get("QUERY_STRING", "")
    if not raw.isascii():  # PEP 3333: the URL's bytes arrive as latin-1 text
        try:
            raw = raw.encode("latin-1").decode()
        except UnicodeError:
            raise TwinkgError(f"{URL_QUERY} is not valid UTF-8", 400) from None
    pairs = list(URL.build(query_string=raw, encoded=True).query.items())
    if _BAD_ESCAPE.search(raw) or any("\ufffd" in name or "\ufffd" in value for name, value in pairs):
        return _decode_params(raw, URL_QUERY)
    return ImmutableMultiDict(pairs)


#: A "%" that does not start an escape of two hex digits (RFC 3986 §2.1).
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: What ``errors="surrogateescape"`` makes of a byte that is not part of a UTF-8 character.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _form_params(body: bytes) -> ImmutableMultiDict:
    """A form-encoded body's parameters, decoded as werkzeug decodes them (UTF-8, whatever the
    ``charset`` parameter says); 400 where werkzeug would drop the whole form or keep
    undecodable escapes as text."""
    try:
        text, problem = body.decode(), None
    except UnicodeDecodeError as exc:  # still parsed: an update is a 403 all the same
        text = body.decode("utf-8", "surrogateescape")
        problem = f"{FORM_BODY} is not valid UTF-8: {exc.reason} at byte {exc.start}"
    return _decode_params(text, FORM_BODY, problem)


def _decode_params(text: str, where: str, problem: str | None = None) -> ImmutableMultiDict:
    """The name/value pairs of form-encoded ``text``, as ``werkzeug`` decodes valid input; a
    malformed escape or one whose bytes are not UTF-8 (or ``problem``) is a 400, or a 403 when
    the text asks for an update."""
    pairs = parse_qsl(text, keep_blank_values=True, errors="surrogateescape")
    if problem is None and (bad := _BAD_ESCAPE.search(text)):
        problem = (f"{where} has a malformed percent-escape {text[bad.start():bad.start() + 3]!r} "
                   f"at character {bad.start()}: '%' must be followed by two hex digits "
                   "(a literal '%' is written %25)")
    if problem is None:
        problem = _undecodable(pairs, where)
    if problem is not None:
        if any(name == "update" for name, _ in pairs):  # an update is refused, however written
            raise TwinkgError(READ_ONLY, 403)
        raise TwinkgError(problem, 400)
    return ImmutableMultiDict(pairs)


def _undecodable(pairs, where: str) -> str | None:
    for name, value in pairs:
        if bad := _NOT_UTF8.search(name):
            which = "a parameter name"
        elif bad := _NOT_UTF8.search(value):
            which = f"parameter {name!r}"
        else:
            continue
        escape = f"%{ord(bad.group()) - 0xDC00:02X}"
        return (f"{where} is not valid UTF-8: the percent-escape {escape} in {which} is not part "
                "of a UTF-8 character (percent-encode the UTF-8 bytes of the text)")
    return None


def _check_size(req, limit: int) -> None:
    length = req.content_length
    if length is not None and length > limit:
        raise TwinkgError(f"request body of {length} bytes is over the limit of {limit} bytes", 413)


def _read_body(req, limit: int) -> bytes:
    """The request body; 413 when it is longer than ``limit``, with or without Content-Length."""
    if req.content_length is not None:  # checked by _check_size
        return req.get_data(cache=False)
    # A streamed body (Transfer-Encoding: chunked). werkzeug's stream stops at
    # MAX_CONTENT_LENGTH without a word, which would run a cut query: read one byte more
    # than the limit from the server's stream instead, and refuse if it arrives.
    if "wsgi.input_terminated" not in req.environ:  # the server does not end the stream: werkzeug
        return b""                                  # reads no body either (its safe fallback)
    stream, parts, size = req.environ["wsgi.input"], [], 0
    while size <= limit:
        chunk = stream.read(min(1 << 16, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    if size > limit:
        raise TwinkgError(f"the request body is over the limit of {limit} bytes", 413)
    return b"".join(parts)


def _body_text(req, data: bytes) -> str:
    # The protocol (§2.1.3) allows UTF-8 only: a body declared in another charset is refused
    # with the media type it came with (415), not decoded, so that a client learns to send
    # UTF-8 rather than getting answers that another server would refuse.
    charset = req.mimetype_params.get("charset")
    if charset is not None and not _is_utf8(charset):
        raise TwinkgError(f"unsupported charset {charset!r}: the SPARQL 1.1 Protocol takes a query "
                          f"body in UTF-8 only (send it as {DIRECT}; charset=utf-8, or without charset)", 415)
    try:
        text = data.decode()
    except UnicodeDecodeError as exc:
        raise TwinkgError(f"the request body is not valid utf-8: {exc.reason} at byte {exc.start}",
                          400) from None
    # A byte-order mark (editors on Windows write one at the start of .rq files) is no part
    # of the query; pyoxigraph would report a syntax error at the first keyword.
    return text.removeprefix("\ufeff")


def _is_utf8(charset: str) -> bool:
    """``utf-8`` in any spelling Python knows (``UTF-8``, ``utf8``, ``"utf-8"``)."""
    try:
        return codecs.lookup(charset.strip().strip('"')).name == "utf-8"
    except LookupError:
        return False


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


def _request(text: str, params, base_iri: str) -> QueryRequest:
    return QueryRequest(text=text, default_graphs=_graphs(params, "default-graph-uri"),
                        named_graphs=_graphs(params, "named-graph-uri"), base_iri=base_iri)
