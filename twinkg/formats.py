"""The RDF serializations and SPARQL results formats twinkg speaks, and their names: declared
once, here; the server, the export and the command line pick their lists from this table.

Media types, file extensions and labels are pyoxigraph's (``RdfFormat``,
``QueryResultsFormat``), not typed in; the short names accepted by ``?format=`` and URL
suffixes are derived from them (``srj``, ``json``, ``sparql-results+json``, ``ttl``,
``turtle``, …). What is not the library's (generic aliases, extra names, rdflib's names,
the EU file types) is in the tables below.
"""

from __future__ import annotations

from pyoxigraph import QueryResultsFormat, RdfFormat

#: SELECT/ASK answers; the first is the default when the client accepts anything.
RESULT_FORMATS = (QueryResultsFormat.JSON, QueryResultsFormat.XML,
                  QueryResultsFormat.CSV, QueryResultsFormat.TSV)
#: A graph as a document: data documents, the description, the merged dumps (Turtle first,
#: the default).
DOCUMENT_FORMATS = (RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD, RdfFormat.RDF_XML)
#: Datasets with named graphs (the quad dumps).
DATASET_FORMATS = (RdfFormat.N_QUADS, RdfFormat.TRIG)
#: CONSTRUCT/DESCRIBE answers. A graph is also a dataset with only a default graph, so
#: N-Quads and TriG are offered last for clients that read datasets only.
GRAPH_FORMATS = DOCUMENT_FORMATS + DATASET_FORMATS
#: The ontology and the shapes as files (RDF/XML and JSON-LD for tools that read no Turtle).
VOCABULARY_FORMATS = (RdfFormat.TURTLE, RdfFormat.RDF_XML, RdfFormat.JSON_LD)
#: Formats of one statement a line: no prefixes to declare.
LINE_FORMATS = (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS)
#: What ``twinkg query --format`` writes a graph in (a terminal reads these two).
COMMAND_LINE_GRAPH_FORMATS = (RdfFormat.TURTLE, RdfFormat.N_TRIPLES)

#: rdflib's names of the formats it is given (rdflib serves where pyoxigraph does not nest
#: blank nodes, and pySHACL reads rdflib graphs).
RDFLIB_NAMES = {RdfFormat.TURTLE: "turtle", RdfFormat.N_TRIPLES: "nt", RdfFormat.N_QUADS: "nquads",
                RdfFormat.TRIG: "trig", RdfFormat.JSON_LD: "json-ld", RdfFormat.RDF_XML: "xml"}
#: The EU Publications Office's file type of each format (DCAT-AP's dct:format).
EU_FILE_TYPES = {RdfFormat.TURTLE: "RDF_TURTLE", RdfFormat.N_TRIPLES: "RDF_N_TRIPLES",
                 RdfFormat.N_QUADS: "RDF_N_QUADS", RdfFormat.TRIG: "RDF_TRIG",
                 RdfFormat.JSON_LD: "JSON_LD", RdfFormat.RDF_XML: "RDF_XML"}

#: Generic media types that clients send for the formats above (SPARQLWrapper asks for
#: ``application/json`` next to the SPARQL JSON type, rdflib for ``application/xml``).
_GENERIC = {QueryResultsFormat.JSON: ("application/json",),
            QueryResultsFormat.XML: ("application/xml", "text/xml")}
#: Names that are no part of pyoxigraph's. ``n3``: SPARQLWrapper's N3 return format sends
#: ``format=n3`` (and ``output=n3``, ``results=n3``) for CONSTRUCT; Turtle is valid N3, and
#: Fuseki answers it with Turtle too.
_EXTRA_NAMES = {RdfFormat.TURTLE: ("n3",)}


def essence(media_type: str) -> str:
    """``text/csv; charset=utf-8`` → ``text/csv`` (pyoxigraph includes parameters for some)."""
    return media_type.split(";", 1)[0].strip().lower()


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


def command_name(fmt) -> str:
    """The name ``twinkg query --format`` takes: ``json``, ``csv``; ``turtle``, ``ntriples``."""
    return fmt.name.lower().replace("-", "") if isinstance(fmt, RdfFormat) else link_name(fmt)


def by_name(name: str, offered) -> object | None:
    """The offered format that ``name`` (a short name or a media type) stands for, or None."""
    name = name.strip().lower()
    for fmt in offered:
        if name in short_names(fmt) or name == base_type(fmt) or name in aliases(fmt):
            return fmt
    return None


def by_extension(extension: str, offered) -> object | None:
    """The offered format whose file extension is ``extension``, or None."""
    return next((f for f in offered if f.file_extension == extension), None)


def listed_names(fmt) -> tuple[str, ...]:
    """The names a refusal and the README list for a format: its file extension, its link
    name and the extra ones (``srj``, ``json``; ``ttl``, ``n3``). ``by_name`` takes more
    (``turtle``, ``sparql-results+json``, …), too many to read in a message."""
    return tuple(dict.fromkeys((fmt.file_extension, link_name(fmt), *_EXTRA_NAMES.get(fmt, ()))))


def prefixes_for(fmt: RdfFormat, prefixes: dict | None) -> dict | None:
    """``prefixes`` where ``fmt`` can declare them; None for the line formats."""
    return None if fmt in LINE_FORMATS else prefixes
