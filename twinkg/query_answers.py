"""A user's query run and its answer serialized, cut to the row limit: what every query
executor does with a job (twinkg/execution.py), on whichever store it has.

This module imports only pyoxigraph (and small twinkg modules): the executor's child
processes (twinkg/query_worker.py) import it, and a replacement child must be ready in a
fraction of a second.

Answers are serialized here, as bytes. At most ``max_rows`` rows (or triples)
are kept. A graph's triples are taken, one more than the limit, and serialized once. A SELECT
answer (which pyoxigraph cannot rebuild from solution objects) is serialized by pyoxigraph
into a writer that counts its rows as they arrive and stops the serializer once one row more
than the limit has arrived. JSON, the default, is counted as it is written (``_JsonRows``);
the other formats are first written as TSV, one row per line, and those lines are parsed
back and written in the requested format. Either way a cut answer is still well-formed and is
flagged as truncated instead of passing for complete.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from itertools import islice
from dataclasses import dataclass

from pyoxigraph import (NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store,
                        Variable, parse_query_results, serialize)

from twinkg.config import PREFIXES
from twinkg.formats import GRAPH_FORMATS


@dataclass(frozen=True)
class Job:
    text: str
    #: Query the union of all graphs as the default graph (only when the request names no dataset).
    union: bool
    default_graph: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    #: Variable name → pyoxigraph term.
    substitutions: dict | None
    #: Media types wanted for SELECT/ASK and for CONSTRUCT/DESCRIBE answers (None: not acceptable).
    results_format: str | None
    graph_format: str | None
    max_rows: int
    #: What relative IRIs in the query resolve against (None: a relative IRI is an error).
    base_iri: str | None = None


@dataclass(frozen=True)
class Answer:
    kind: str  # "results", "boolean" or "graph"
    media_type: str | None  # None: the request accepts no format for this kind of answer
    body: bytes
    truncated: bool = False
    rows: int = 0


@dataclass(frozen=True)
class Failure:
    #: What went wrong: "syntax" (the query does not parse), "function" (it calls a function
    #: the engine does not have), "format" (the answer cannot be written in the format asked
    #: for), "io" (storage or a SERVICE call failed; anything else unexpected).
    kind: str
    message: str
    #: For "format": the media types the answer can be written in.
    formats: tuple[str, ...] = ()


class _Enough(Exception):
    """Raised by a capped writer to stop a serializer once it holds enough."""


class _CappedWriter:
    """A binary writer that keeps what a serializer writes, and stops it (``_Enough``) once
    ``_take`` says that it holds enough."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.full = False

    def write(self, data) -> int:
        if self.full:
            raise _Enough()
        data = bytes(data)
        self.parts.append(data)
        self.full = self._take(data)
        return len(data)

    def flush(self) -> None:
        pass

    def _take(self, data: bytes) -> bool:
        raise NotImplementedError


class _LineCap(_CappedWriter):
    """Keeps whole lines until it holds ``limit`` of them."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.lines = 0

    def _take(self, data: bytes) -> bool:
        self.lines += data.count(b"\n")
        return self.lines >= self.limit

    def head(self, n: int) -> tuple[bytes, bool]:
        """The first ``n`` lines, and whether more than that arrived."""
        *complete, partial = b"".join(self.parts).split(b"\n")
        more = len(complete) > n or (len(complete) == n and partial != b"")
        return b"".join(line + b"\n" for line in complete[:n]), more


class _JsonRows(_CappedWriter):
    """Keeps pyoxigraph's SPARQL JSON results, counting the solutions while they arrive, until
    it holds one more than ``limit``.

    A solution with a binding starts with ``[{"`` (the first) or ``,{"``, and neither can
    occur inside a JSON string, where a quote is escaped: counting them needs no parsing. An
    empty solution (``{}``, nothing bound) is not counted so; if ``{}`` occurs at all, the rows
    are counted again by a scan that skips strings (``row_starts``).
    """

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.bound = 0  # solutions with a binding
        self.maybe_empty = False  # "{}" seen: an empty solution, or text in a string
        self._tail = b""  # the end of the previous write: a row start may span two writes

    def _take(self, data: bytes) -> bool:
        seen = self._tail + data
        self.bound += seen.count(b',{"') + seen.count(b'[{"')
        self.maybe_empty = self.maybe_empty or b"{}" in seen
        self._tail = seen[-2:]
        return self.bound > self.limit

    def row_starts(self, body: bytes):
        """Offsets of the ``[`` or ``,`` before each solution of ``body``, in order."""
        if not self.maybe_empty:
            return (m.start() for m in _BOUND_ROW.finditer(body))
        return (m.start(1) for m in _ANY_ROW.finditer(body) if m.start(1) >= 0)


_BOUND_ROW = re.compile(rb'[\[,]\{"')
_ANY_ROW = re.compile(rb'"(?:[^"\\]|\\.)*"|([\[,])\{')


def _capped(write, cap):
    try:
        write(cap)
    except Exception:
        if not cap.full:
            raise
    return cap


def run(store: Store, job: Job) -> Answer | Failure:
    kwargs = {}
    if job.substitutions:
        kwargs["substitutions"] = {Variable(k): v for k, v in job.substitutions.items()}
    if job.union:
        kwargs["use_default_graph_as_union"] = True
    if job.default_graph is not None:
        kwargs["default_graph"] = [NamedNode(g) for g in job.default_graph]
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    if job.base_iri is not None:
        kwargs["base_iri"] = job.base_iri
    try:
        results = store.query(job.text, **kwargs)
        if isinstance(results, QueryBoolean):
            return _boolean(results, job)
        if isinstance(results, QuerySolutions):
            return _solutions(results, job)
        return _graph(results, job)
    except SyntaxError as exc:
        return Failure("syntax", str(exc))
    except RuntimeError as exc:
        # pyoxigraph raises its evaluation errors as RuntimeError; the query's own mistakes
        # among them are told by their message. Any other is unexpected: raised on.
        if _UNSUPPORTED_FUNCTION.match(str(exc)):
            return Failure("function", str(exc))
        raise
    except OSError as exc:  # storage or a SERVICE call failed
        return Failure("io", str(exc))


#: pyoxigraph 0.5's message for a call of an IRI that names no function it has.
_UNSUPPORTED_FUNCTION = re.compile(r"The custom function <[^>]*> is not supported$")


_TSV = QueryResultsFormat.TSV
_JSON = QueryResultsFormat.JSON


@lru_cache(maxsize=None)  # a handful of media types; pyoxigraph's lookup parses each time
def _results_format(media_type: str) -> QueryResultsFormat:
    return QueryResultsFormat.from_media_type(media_type)


def _boolean(results: QueryBoolean, job: Job) -> Answer:
    if job.results_format is None:
        return Answer("boolean", None, b"")
    fmt = _results_format(job.results_format)
    return Answer("boolean", job.results_format, results.serialize(format=fmt))


def _solutions(results: QuerySolutions, job: Job) -> Answer:
    if job.results_format is None:
        return Answer("results", None, b"")
    fmt = _results_format(job.results_format)
    if fmt == _JSON:
        return _json_solutions(results, job)
    # header line + max_rows rows + one more row to know whether there are more
    cap = _capped(partial(results.serialize, format=_TSV), _LineCap(job.max_rows + 2))
    if cap.full:
        tsv, truncated = cap.head(job.max_rows + 1)
    else:  # the usual case: the whole answer arrived, in one write for small ones
        tsv, truncated = b"".join(cap.parts), False
    rows = max(tsv.count(b"\n") - 1, 0)
    if fmt == _TSV and not truncated:
        return Answer("results", job.results_format, tsv, False, rows)
    body = parse_query_results(tsv, _TSV).serialize(format=fmt)
    return Answer("results", job.results_format, body, truncated, rows)


def _json_solutions(results: QuerySolutions, job: Job) -> Answer:
    cap = _capped(partial(results.serialize, format=_JSON), _JsonRows(job.max_rows))
    body = b"".join(cap.parts)
    if not cap.full and not cap.maybe_empty:  # the usual case: all there, and counted
        return Answer("results", job.results_format, body, False, cap.bound)
    starts = list(islice(cap.row_starts(body), job.max_rows + 1))
    if len(starts) <= job.max_rows:
        return Answer("results", job.results_format, body, False, len(starts))
    # Cut before the separator of the first row too many and close the bindings list and the
    # document; pyoxigraph reads the cut document back, which proves it well-formed.
    cut = starts[job.max_rows] + (body[starts[job.max_rows]] == ord("["))
    body = parse_query_results(body[:cut] + b"]}}", _JSON).serialize(format=_JSON)
    return Answer("results", job.results_format, body, True, job.max_rows)


def _graph(triples, job: Job) -> Answer:
    if job.graph_format is None:
        return Answer("graph", None, b"")
    # Triples are kept as objects (one more than the limit, to know whether there are more)
    # and serialized once: for the usual small graphs this is a third cheaper than a capped
    # N-Triples pass parsed back, and a cut graph is as well-formed either way.
    kept = list(islice(triples, job.max_rows + 1))
    truncated = len(kept) > job.max_rows
    del kept[job.max_rows:]
    try:
        body = serialize(kept, format=RdfFormat.from_media_type(job.graph_format), prefixes=PREFIXES)
    except (OSError, ValueError) as exc:
        # The triples are in memory: an error now is the format's (JSON-LD cannot carry
        # RDF 1.2 triple terms), not storage's. Which formats can is found by trying them.
        return Failure("format", str(exc), tuple(fmt.media_type for fmt in GRAPH_FORMATS
                                                 if fmt.media_type != job.graph_format and _writes(kept, fmt)))
    return Answer("graph", job.graph_format, body, truncated, len(kept))


def _writes(triples: list, fmt: RdfFormat) -> bool:
    try:
        serialize(triples, format=fmt, prefixes=PREFIXES)
    except (OSError, ValueError):
        return False
    return True
