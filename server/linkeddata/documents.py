"""The data document of an entity, built once and rendered as RDF or as a page."""

from __future__ import annotations

from typing import Iterable

from pyoxigraph import NamedNode, RdfFormat, Triple, Variable, serialize

from twinkg.config import PREFIXES
from twinkg.formats import DOCUMENT_FORMATS, prefixes_for
from twinkg.server.dataset import dataset
from twinkg.server.presentation.about import about
from twinkg.server.sparqlfiles import server_query
from twinkg.store import run_query

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
FOAF_DOCUMENT = NamedNode(PREFIXES["foaf"] + "Document")
FOAF_PRIMARY_TOPIC = NamedNode(PREFIXES["foaf"] + "primaryTopic")
VOID_IN_DATASET = NamedNode("http://rdfs.org/ns/void#inDataset")
DCT_LICENSE = NamedNode(PREFIXES["dct"] + "license")

#: The formats of the data documents: Turtle first (the default).
DATA_FORMATS = DOCUMENT_FORMATS


def describe(store, iri: str) -> list[Triple]:
    """Outgoing (incl. fragment nodes) and incoming statements, and labels of what is linked."""
    results = run_query(store, server_query("describe"), {Variable("e"): NamedNode(iri)})
    # Sorted so that the same data always gives the same document.
    return sorted(set(results), key=str)


def document_statements(iri: str, fmt: RdfFormat) -> list[Triple]:
    """The data document as a document of the dataset, under the dataset's licence (VoID's
    void:inDataset, whose domain is foaf:Document). Its IRI is its own address,
    ``{base}data/{kind}/{slug}.{ext}``: each format is a document of its own, and each IRI
    dereferences (live and on the static site)."""
    ds, info = dataset(), about()
    parts = ds.iris.split(iri)
    if parts is None:
        return []
    kind, slug, _ = parts
    document = NamedNode(f"{ds.iris.base}data/{kind}/{slug}.{fmt.file_extension}")
    return [Triple(document, RDF_TYPE, FOAF_DOCUMENT),
            Triple(document, FOAF_PRIMARY_TOPIC, NamedNode(iri)),
            Triple(document, VOID_IN_DATASET, NamedNode(info.dataset)),
            Triple(document, DCT_LICENSE, NamedNode(info.licence.iri))]


def exists(store, iri: str) -> bool:
    rows = run_query(store, server_query("exists"), {Variable("e"): NamedNode(iri)})
    return any(True for _ in rows)


def is_entity(triples: Iterable[Triple], iri: str) -> bool:
    """What :func:`exists` asks (has ``iri`` a type?), answered from statements already read
    that include the entity's own (its data document, its page's graph)."""
    e = NamedNode(iri)
    return any(t.subject == e and t.predicate == RDF_TYPE for t in triples)


def serialize_document(triples: list[Triple], fmt: RdfFormat) -> bytes:
    # JSON-LD: prefixes would make a context that changes the document's shape
    prefixes = prefixes_for(fmt, PREFIXES) if fmt != RdfFormat.JSON_LD else None
    return serialize(triples, format=fmt, prefixes=prefixes)
