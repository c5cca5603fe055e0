"""The same graph, the same bytes: blank nodes labelled canonically, triples in a fixed order.

A serializer writes triples in the order it is given them and blank nodes under the labels
they have; parsers label blank nodes at random and in-memory stores iterate in an order of
their own. Labelling blank nodes by the W3C RDF Canonicalization algorithm (RDFC-1.0, which
names each blank node by its place in the graph) and sorting the triples makes every release
file a function of its graph alone, so two exports of one store are byte-identical.
"""

from __future__ import annotations

from itertools import groupby
from typing import Iterable, Iterator

from pyoxigraph import BlankNode, CanonicalizationAlgorithm, Dataset, DefaultGraph, NamedNode, Quad, Triple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def canonical_triples(triples: Iterable[Triple]) -> list[Triple]:
    """``triples`` (a set: duplicates go) with canonical blank-node labels, in N-Triples order."""
    dataset = Dataset(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((q.triple for q in dataset), key=str)


def by_subject(triples: list[Triple]) -> Iterator[tuple[object, list[Triple]]]:
    """Sorted triples grouped by subject, as the JSON-LD writer takes them."""
    for subject, group in groupby(triples, key=lambda t: t.subject):
        yield subject, list(group)


def rdflib_graph(triples: Iterable[Triple], prefixes: dict[str, str]):
    """An rdflib Graph of the triples that keeps their blank-node labels (rdflib's parsers
    give blank nodes new random ones), for rdflib's readable Turtle."""
    import rdflib  # only the small, readable Turtle files need it

    def node(term):
        if isinstance(term, BlankNode):
            return rdflib.BNode(term.value)
        if isinstance(term, NamedNode):
            return rdflib.URIRef(term.value)
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = None if term.datatype.value == XSD_STRING else rdflib.URIRef(term.datatype.value)
        return rdflib.Literal(term.value, datatype=datatype)

    graph = rdflib.Graph()
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns, override=True, replace=True)
    for t in triples:
        graph.add((node(t.subject), node(t.predicate), node(t.object)))
    return graph
