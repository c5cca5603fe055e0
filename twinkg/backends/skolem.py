"""Blank nodes and a remote store: skolem IRIs there, blank nodes again where twinkg reads.

Why skolemize (RDF 1.1 Concepts §3.5) instead of sending blank nodes: a blank node sent to a
server is a new node that only the server can name, in its own syntax (Virtuoso refuses them
in ``INSERT DATA`` and answers ``nodeID://b10003``; Oxigraph answers fresh labels), so a page
that reads a node's properties in a second query could not name it, and each server would
need its own upload form. A skolem IRI ``{base}.well-known/genid/{label}`` is an ordinary IRI
on every server and in both upload paths (``INSERT DATA``, Graph Store PUT/POST), keeps its
identity across requests, and maps back to the blank node ``_:{label}`` that the embedded
store holds. So :class:`Skolem` turns blank nodes into skolem IRIs on the way out (loaded
quads, bound values) and back on the way in (results, CONSTRUCT answers): pages, exports and
``/sparql`` answers show blank nodes as the embedded store does.

Blank nodes the server makes itself (``BNODE()``, a CONSTRUCT template) come back in its own
syntax; :func:`blank_label` turns any label that pyoxigraph would refuse (Virtuoso's
``nodeID://b10003``) into one it reads, the same label each time it appears in an answer.

One more term a server changes is undone here: Virtuoso stores a ``geo:wktLiteral`` as its
own geometry type and answers ``"POINT(0.70398 47.39484)"^^virtrdf:Geometry`` for
``"Point(0.70398 47.39484)"^^geo:wktLiteral``; the datatype is given back (the upper-case
``POINT`` stays: README, "What each server needs").
"""

from __future__ import annotations

import json
import re

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

GENID = ".well-known/genid/"
VIRTUOSO_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)\Z")


def blank_label(label: str) -> str:
    """A label pyoxigraph accepts: ``label`` itself if valid, else a readable injective form."""
    if _LABEL.match(label):
        return label
    if label.startswith("nodeID://") and re.fullmatch(r"\w+", label[9:], re.A):
        return "nodeID_" + label[9:]  # Virtuoso's blank nodes: _:nodeID_b10003
    return "x" + label.encode("utf-8").hex()


class Skolem:
    """Blank nodes ↔ skolem IRIs under ``{base_iri}.well-known/genid/``.

    Without a base IRI (a store read before its settings are known) nothing is skolemized,
    but blank node labels are still made readable."""

    def __init__(self, base_iri: str | None):
        # "\0" starts no IRI: with no base, no term is taken for a skolem IRI
        self.prefix = base_iri + GENID if base_iri else "\0"

    # -- out: what twinkg sends ---------------------------------------------------------

    def out(self, term):
        if isinstance(term, BlankNode) and self.prefix != "\0":
            return NamedNode(self.prefix + term.value)
        if isinstance(term, Triple):
            return Triple(self.out(term.subject), term.predicate, self.out(term.object))
        return term

    # -- in: what the server answers ----------------------------------------------------

    def back(self, term):
        if isinstance(term, NamedNode) and term.value.startswith(self.prefix):
            return BlankNode(blank_label(term.value[len(self.prefix):]))
        if isinstance(term, Literal) and term.datatype.value == VIRTUOSO_GEOMETRY:
            return Literal(term.value, datatype=NamedNode(WKT))
        if isinstance(term, Triple):
            return Triple(self.back(term.subject), term.predicate, self.back(term.object))
        return term

    def json_results(self, body: bytes) -> bytes:
        """SPARQL JSON results with skolem IRIs as blank nodes and every blank label readable."""
        if b'"bnode"' not in body and self.prefix.encode() not in body and VIRTUOSO_GEOMETRY.encode() not in body:
            return body  # the common case: nothing to rewrite, no parse
        data = json.loads(body)
        for row in data.get("results", {}).get("bindings", []):
            for name, value in row.items():
                row[name] = self._json_term(value)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def _json_term(self, value: dict) -> dict:
        kind = value.get("type")
        if kind == "uri" and value.get("value", "").startswith(self.prefix):
            return {"type": "bnode", "value": blank_label(value["value"][len(self.prefix):])}
        if kind == "bnode":
            return {**value, "value": blank_label(value.get("value", ""))}
        if value.get("datatype") == VIRTUOSO_GEOMETRY:
            return {**value, "datatype": WKT}
        if kind == "triple":
            inner = value.get("value", {})
            return {**value, "value": {k: self._json_term(v) for k, v in inner.items()}}
        return value

    def xml_results(self, body: bytes) -> bytes:
        """The same for SPARQL XML results (a server may answer XML when JSON was asked for)."""
        text = body.decode("utf-8")
        prefix = re.escape(self.prefix)
        text = re.sub(rf"<uri>{prefix}([^<]*)</uri>",
                      lambda m: f"<bnode>{blank_label(m.group(1))}</bnode>", text)
        text = re.sub(r"<bnode>([^<]*)</bnode>", lambda m: f"<bnode>{blank_label(m.group(1))}</bnode>", text)
        text = text.replace(f'datatype="{VIRTUOSO_GEOMETRY}"', f'datatype="{WKT}"')
        return text.encode("utf-8")
