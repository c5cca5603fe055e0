"""JSON-LD with our published ``@context``: short names for the ontology's terms.

pyoxigraph writes JSON-LD in expanded form only (full IRIs as keys). The published dump
should be readable with short names (``partner``, ``startDate``), so this module writes the
node objects itself, one subject at a time straight to the output: memory holds one
subject's statements, never the document. Values are written unambiguously (IRIs as
``{"@id"}`` unless the term says they are IRIs, literals as value objects), so any JSON-LD
processor expands the dump back to exactly the store's triples.
"""

from __future__ import annotations

import json
from typing import BinaryIO, Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple

from twinkg.config import ONTOLOGY_NS, PREFIXES

from .sparqlfiles import select

RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"
OBJECT_PROPERTY = "http://www.w3.org/2002/07/owl#ObjectProperty"


def build_context(ontology: Store) -> dict:
    """The ``@context``: our prefixes, and a short name for each of the ontology's terms."""
    context: dict = dict(PREFIXES)
    terms: dict[str, dict] = {}
    for row in select(ontology, "ontology-terms", ns=NamedNode(ONTOLOGY_NS)):
        iri = row["term"].value
        name = iri[len(ONTOLOGY_NS):]
        definition = terms.setdefault(name, {"@id": "tk:" + name})
        if row["kind"].value == OBJECT_PROPERTY:
            definition["@type"] = "@id"
    for name, definition in terms.items():
        context[name] = definition if len(definition) > 1 else definition["@id"]
    return context


class _Compactor:
    """Keys and types as short names or CURIEs, following the context."""

    def __init__(self, context: dict):
        self.prefixes = sorted(((ns, p) for p, ns in context.items() if isinstance(ns, str)
                                and ns.endswith(("/", "#"))), key=lambda t: -len(t[0]))
        self.terms: dict[str, tuple[str, bool]] = {}
        for name, definition in context.items():
            iri, coerced = (definition, False) if isinstance(definition, str) else \
                (definition["@id"], definition.get("@type") == "@id")
            if ":" in iri and not iri.endswith(("/", "#")):
                prefix, _, local = iri.partition(":")
                iri = context.get(prefix, prefix + ":") + local
                self.terms[iri] = (name, coerced)

    def curie(self, iri: str) -> str:
        for ns, prefix in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def vocab(self, iri: str) -> str:
        """A key or a type: the term's short name, else a CURIE, else the IRI."""
        term = self.terms.get(iri)
        return term[0] if term else self.curie(iri)

    def coerced(self, iri: str) -> bool:
        term = self.terms.get(iri)
        return bool(term and term[1])


def _node_id(term) -> str:
    return "_:" + term.value if isinstance(term, BlankNode) else term.value


def _value(obj, coerced: bool, compactor: _Compactor):
    if isinstance(obj, (NamedNode, BlankNode)):
        return _node_id(obj) if coerced and isinstance(obj, NamedNode) else {"@id": _node_id(obj)}
    assert isinstance(obj, Literal)
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    if obj.datatype.value == XSD_STRING:
        return obj.value if not coerced else {"@value": obj.value}
    return {"@value": obj.value, "@type": compactor.curie(obj.datatype.value)}


def node_object(subject, triples: Iterable[Triple], compactor: _Compactor) -> dict:
    node: dict = {"@id": _node_id(subject)}
    for t in triples:
        p = t.predicate.value
        if p == RDF_TYPE and isinstance(t.object, NamedNode):
            node.setdefault("@type", []).append(compactor.vocab(t.object.value))
            continue
        # A value the term's coercion would misread (a literal for an IRI-valued term) goes
        # under the full IRI as key, which no term definition touches.
        coerced = compactor.coerced(p)
        key = compactor.vocab(p) if not (coerced and isinstance(t.object, Literal)) else p
        node.setdefault(key, []).append(_value(t.object, coerced and isinstance(t.object, NamedNode),
                                               compactor))
    return node


def write_jsonld(out: BinaryIO, context: dict, subjects: Iterable[tuple[object, Iterable[Triple]]]) -> None:
    """``{"@context": …, "@graph": [node, …]}``, one node object per subject, streamed."""
    compactor = _Compactor(context)
    out.write(b'{\n"@context": ')
    out.write(json.dumps(context, ensure_ascii=False, indent=1).encode("utf-8"))
    out.write(b',\n"@graph": [')
    for index, (subject, triples) in enumerate(subjects):
        out.write(b",\n" if index else b"\n")
        out.write(json.dumps(node_object(subject, triples, compactor), ensure_ascii=False).encode("utf-8"))
    out.write(b"\n]\n}\n")
