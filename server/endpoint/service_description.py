"""The SPARQL 1.1 Service Description of /sparql (W3C SPARQL 1.1 Service Description).

It names the endpoint, the query language (SPARQL 1.1 Query only: no Update is claimed),
the result formats (their W3C format IRIs come from pyoxigraph's ``.iri``), how requests may
be sent (methods and body media types, as a schema.org EntryPoint, since the SD vocabulary's
``sd:inputFormat`` means RDF formats for LOAD, which this endpoint does not do), and the
default dataset: the union of all graphs as the default graph, and the named graphs.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from twinkg.config import PREFIXES
from twinkg.formats import GRAPH_FORMATS, RESULT_FORMATS, base_type
from twinkg.server.endpoint.request import DIRECT, FORM

SD = "http://www.w3.org/ns/sparql-service-description#"
SCHEMA = "https://schema.org/"
RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
DESCRIPTION_PREFIXES = {**PREFIXES, "sd": SD, "formats": "http://www.w3.org/ns/formats/"}


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def _schema(name: str) -> NamedNode:
    return NamedNode(SCHEMA + name)


def description(endpoint: str, named_graphs, title: str) -> list[Triple]:
    service = NamedNode(endpoint)
    triples = [
        Triple(service, RDF_TYPE, _sd("Service")),
        Triple(service, _sd("endpoint"), service),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(service, NamedNode(PREFIXES["dct"] + "title"), Literal(title, language="en")),
    ]
    # Blank nodes with fixed labels: the same ETag must name the same bytes in every worker
    action, entry = BlankNode("action"), BlankNode("entry")
    triples += [
        Triple(service, _schema("potentialAction"), action),
        Triple(action, RDF_TYPE, _schema("SearchAction")),
        Triple(action, _schema("target"), entry),
        Triple(entry, RDF_TYPE, _schema("EntryPoint")),
        Triple(entry, _schema("urlTemplate"), Literal(endpoint + "?query={query}")),
        Triple(entry, _schema("httpMethod"), Literal("GET")),
        Triple(entry, _schema("httpMethod"), Literal("POST")),
        Triple(entry, _schema("encodingType"), Literal(DIRECT)),
        Triple(entry, _schema("encodingType"), Literal(FORM)),
    ]
    for fmt in RESULT_FORMATS + GRAPH_FORMATS:  # what the service answers in, and the entry point
        triples += [Triple(service, _sd("resultFormat"), NamedNode(fmt.iri)),
                    Triple(entry, _schema("contentType"), Literal(base_type(fmt)))]
    dataset, default_graph = BlankNode("dataset"), BlankNode("defaultGraph")
    triples += [
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, _sd("Graph")),
    ]
    for number, graph in enumerate(sorted(named_graphs, key=lambda g: g.value), 1):
        named = BlankNode(f"namedGraph{number}")
        triples += [
            Triple(dataset, _sd("namedGraph"), named),
            Triple(named, RDF_TYPE, _sd("NamedGraph")),
            Triple(named, _sd("name"), graph),
        ]
    return triples


def serialize_description(triples: list[Triple], fmt) -> bytes:
    return serialize(triples, format=fmt, prefixes=DESCRIPTION_PREFIXES)
