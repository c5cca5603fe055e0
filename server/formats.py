"""The answer formats of the SPARQL endpoint, their names and how a request picks one.

Media types, file extensions and names come from pyoxigraph (``QueryResultsFormat``,
``RdfFormat``); the short names accepted by ``?format=`` and URL suffixes are derived from
them (``srj``, ``json``, ``sparql-results+json``, ``ttl``, ``turtle``, …), not typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import QueryResultsFormat, RdfFormat

from twinkg.errors import TwinkgError

from twinkg.negotiation import essence, negotiate

#: SELECT/ASK answers; the first is the default when the client accepts anything.
RESULT_FORMATS = (QueryResultsFormat.JSON, QueryResultsFormat.XML,
                  QueryResultsFormat.CSV, QueryResultsFormat.TSV)
#: CONSTRUCT/DESCRIBE answers. A graph is also a dataset with only a default graph, so
#: N-Quads and TriG are offered last for clients that read datasets only.
GRAPH_FORMATS = (RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD, RdfFormat.RDF_XML,
                 RdfFormat.N_QUADS, RdfFormat.TRIG)

#: Generic media types that clients send for the formats above (SPARQLWrapper asks for
#: ``application/json`` next to the SPARQL JSON type, rdflib for ``application/xml``).
_GENERIC = {QueryResultsFormat.JSON: ("application/json",),
            QueryResultsFormat.XML: ("application/xml", "text/xml")}


def base_type(fmt) -> str:
    """The media type without parameters (CSV and TSV carry ``charset`` in pyoxigraph)."""
    return essence(fmt.media_type)


def content_type(fmt) -> str:
    """The Content-Type header: the library's type, with charset for text types."""
    mt = fmt.media_type
    if mt.startswith("text/") and "charset" not in mt:
        mt += "; charset=utf-8"
    return mt.replace(";charset", "; charset")


def aliases(fmt) -> tuple[str, ...]:
    return _GENERIC.get(fmt, ())


#: Names that are no part of pyoxigraph's. ``n3``: SPARQLWrapper's N3 return format sends
#: ``format=n3`` (and ``output=n3``, ``results=n3``) for CONSTRUCT; Turtle is valid N3, and
#: Fuseki answers it with Turtle too.
_EXTRA_NAMES = {RdfFormat.TURTLE: ("n3",)}


def short_names(fmt) -> set[str]:
    """``ttl``, ``turtle``, ``n3``; ``srj``, ``sparql-results+json``, ``json``; ``rdf``, ``rdf+xml``,
    ``xml``; ``json-ld`` (the library's name, as SPARQLWrapper sends it in ``format=``)."""
    subtype = base_type(fmt).split("/", 1)[1]
    names = {fmt.file_extension, subtype, subtype.replace("-", ""), fmt.name.lower(), *_EXTRA_NAMES.get(fmt, ())}
    if "+" in subtype:
        names.add(subtype.rsplit("+", 1)[1])
    return names


def link_name(fmt) -> str:
    """The URL suffix for links: ``json`` rather than ``srj`` where the media type has a ``+json``."""
    subtype = base_type(fmt).split("/", 1)[1]
    return subtype.rsplit("+", 1)[1] if "+" in subtype else fmt.file_extension


def by_name(name: str, offered) -> object | None:
    """The offered format that ``name`` (a short name or a media type) stands for, or None."""
    name = name.strip().lower()
    for fmt in offered:
        if name in short_names(fmt) or name == base_type(fmt) or name in aliases(fmt):
            return fmt
    return None


@dataclass(frozen=True)
class Choice:
    """The format for each kind of answer; None where the request accepts none of them."""
    results: object | None
    graph: object | None


#: The answer formats of each query form (twinkg.query_inspect.query_form names them).
FORMATS_OF_FORM = {"select": RESULT_FORMATS, "ask": RESULT_FORMATS,
                   "construct": GRAPH_FORMATS, "describe": GRAPH_FORMATS}


def listed_names(fmt) -> tuple[str, ...]:
    """The names a refusal and the README list for a format: its file extension, its link
    name and the extra ones (``srj``, ``json``; ``ttl``, ``n3``). ``by_name`` takes more
    (``turtle``, ``sparql-results+json``, …), too many to read in a message."""
    return tuple(dict.fromkeys((fmt.file_extension, link_name(fmt), *_EXTRA_NAMES.get(fmt, ()))))


def unknown_format(format_param: str, form: str | None) -> TwinkgError:
    """400 for a ``format`` that names no format, listing those of the query's form (all of
    them when the form is not known, e.g. for a text that is not a query)."""
    offered = FORMATS_OF_FORM.get(form, RESULT_FORMATS + GRAPH_FORMATS)
    names = dict.fromkeys(n for f in offered for n in listed_names(f))
    for_form = f" for {form.upper()} queries" if form in FORMATS_OF_FORM else ""
    return TwinkgError(f"unknown format {format_param!r}{for_form}; use one of {', '.join(names)} "
                       "or a media type", 400)


@lru_cache(maxsize=256)  # clients send few distinct Accept headers; negotiation is pure
def choose(accept: str | None, format_param: str | None, form: str | None = None) -> Choice:
    """By ``?format=`` when given (400 if unknown, naming the formats of the query ``form``),
    else by ``Accept`` (406 if nothing fits)."""
    if format_param:
        choice = Choice(by_name(format_param, RESULT_FORMATS), by_name(format_param, GRAPH_FORMATS))
        if choice.results is None and choice.graph is None:
            raise unknown_format(format_param, form)
        return choice
    results = graph = None
    try:
        results = negotiate(accept, RESULT_FORMATS, base_type, aliases)
    except TwinkgError:
        pass
    try:
        graph = negotiate(accept, GRAPH_FORMATS, base_type, aliases)
    except TwinkgError:
        pass
    if results is None and graph is None:
        raise not_acceptable(RESULT_FORMATS + GRAPH_FORMATS)
    return Choice(results, graph)


def not_acceptable(offered) -> TwinkgError:
    return TwinkgError("no acceptable format; offered: " + ", ".join(base_type(f) for f in offered), 406)
