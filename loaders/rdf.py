"""Curated records → RDF quads, one named graph per source (mapping in ontology/README.md).

Driven by the registry of kinds (twinkg/kinds.py): each field states its value with the
properties it declares; a kind's hook (twinkg/kind_statements.py) adds what no field states
alone. The plan of each kind (which key, how stated) is made once per build, so a record
costs a dict lookup per field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable

from pyoxigraph import Literal, NamedNode, Quad

from twinkg import kinds as k
from twinkg.config import PREFIXES, Settings
from twinkg.kind_statements import DCT, PROV, RDF, RDF_TYPE, TK, term
from twinkg.values import XSD, date_bounds, parse_date

from .check import Curated, Entry
from .yamlfile import LDict, LList

XSD_DATE = NamedNode(XSD + "date")
XSD_DECIMAL = NamedNode(XSD + "decimal")
DCT_SOURCE = DCT("source")
DATE_PARTS = ("Date", "Earliest", "Latest", "Precision")


@dataclass
class Built:
    quads: list[Quad] = field(default_factory=list)
    #: entity or node IRI → (file, line, record path): to point SHACL results at the YAML
    origins: dict[str, tuple[str, int, str]] = field(default_factory=dict)


@dataclass
class _Plan:
    """How the records of one kind become statements."""
    cls: NamedNode
    #: (key, emit(builder, subject, value, source)) per field that states something
    fields: list[tuple[str, Callable]]
    #: nested records whose own sources the entity cites too (a city's geo, a person's offices)
    nested_sources: tuple[str, ...]
    #: nested records that may mark their own fields as inferred
    nested_inferred: tuple[str, ...]
    statements: Callable | None


def _emitter(spec: k.Field) -> Callable | None:
    """How a value of ``spec`` is stated: emit(builder, subject, value, source), or None."""
    if spec.type == k.DATE:
        stems = [tuple(term(stem + part) for part in DATE_PARTS) for stem in spec.prop]

        def dates(b, s, v, src):
            for nodes in stems:
                b.date_at(s, nodes, v, src)
        return dates
    props = tuple(term(p) for p in spec.prop)
    if not props:
        return None
    if spec.type == k.TEXT:
        def texts(b, s, v, src):
            for p in props:
                b.text(s, p, v, src)
        return texts
    if spec.type == k.ALT_NAMES:
        def names(b, s, v, src):
            for lang, texts in v.items():
                for text in texts:
                    for p in props:
                        b.add(s, p, Literal(text.strip(), language=lang), src)
        return names
    one, many = _to_term(spec), spec.type == k.REFS

    def values(b, s, v, src):
        for item in (v if many else (v,)):
            o = one(b, item)
            for p in props:
                b.add(s, p, o, src)
    return values


def _to_term(spec: k.Field) -> Callable:
    """The RDF term of one value of ``spec``: to_term(builder, value)."""
    if spec.type in (k.REF, k.REFS):
        if len(spec.kinds) == 1:
            only = spec.kinds[0]
            return lambda b, v: b.iri(only, v)
        return lambda b, v: b.ref(spec.kinds, v)
    if spec.type == k.CONCEPT:
        return lambda b, v: b.concept(spec.scheme, v)
    simple = {
        k.STRING: lambda v: Literal(v.strip()),
        k.IRI: NamedNode,
        k.LANG: Literal,
        k.INT: Literal,
        k.DECIMAL: lambda v: Literal(str(Decimal(str(v))), datatype=XSD_DECIMAL),
        k.QID: lambda v: NamedNode(PREFIXES["wd"] + v),
    }.get(spec.type)
    if simple is None:
        raise ValueError(f"a {spec.type} field states nothing by itself: give it no prop, and a hook")
    return lambda b, v: simple(v)


def _plan(kind: k.Kind) -> _Plan:
    emitters = [(key, emit) for key, spec in kind.fields.items() if (emit := _emitter(spec))]
    nested = [(key, spec) for key, spec in kind.fields.items() if spec.type in (k.RECORD, k.RECORDS)]
    return _Plan(TK(kind.cls), emitters,
                 tuple(key for key, spec in nested if "source" in spec.fields),
                 tuple(key for key, spec in nested if spec.type == k.RECORDS and k.INFERRED in spec.fields),
                 kind.statements)


class _Builder:
    def __init__(self, settings: Settings, curated: Curated, concepts: dict[str, dict[str, str]]):
        self.settings = settings
        self.curated = curated
        self.concepts = concepts
        self.out = Built()
        self._plans: dict[str, _Plan] = {}
        self._date_props: dict[str, tuple] = {}
        self.graphs: dict[str, NamedNode] = {}  # source id → its named graph

    def iri(self, kind: str, slug: str) -> NamedNode:
        return NamedNode(self.settings.entity_iri(kind, slug))

    def ref(self, kinds, slug: str) -> NamedNode:
        kind = next(k for k in kinds if slug in self.curated.ids[k])
        return self.iri(kind, slug)

    def add(self, s, p, o, source: str) -> None:
        graph = self.graphs.get(source)
        if graph is None:
            graph = self.graphs[source] = NamedNode(self.settings.source_graph(source))
        self.out.quads.append(Quad(s, p, o, graph))

    def origin(self, node: NamedNode, entry: Entry, line: int, path: str) -> None:
        self.out.origins[node.value] = (entry.file, line, path)

    def text(self, s, p, value: dict, source: str) -> None:
        for lang, text in value.items():
            self.add(s, p, Literal(text.strip(), language=lang), source)

    def date(self, s, stem: str, value, source: str) -> None:
        """tk:{stem}Date at the source's precision, and beside it the bounds a range filter
        can use: tk:{stem}Earliest, tk:{stem}Latest (xsd:date) and tk:{stem}Precision."""
        nodes = self._date_props.get(stem)
        if nodes is None:
            nodes = self._date_props[stem] = tuple(TK(stem + part) for part in DATE_PARTS)
        self.date_at(s, nodes, value, source)

    def date_at(self, s, nodes: tuple, value, source: str) -> None:
        """``date`` with the four properties given (…Date, …Earliest, …Latest, …Precision)."""
        lexical, datatype, _ = parse_date(value)
        earliest, latest, precision = date_bounds(value)
        self.add(s, nodes[0], Literal(lexical, datatype=NamedNode(datatype)), source)
        self.add(s, nodes[1], Literal(earliest, datatype=XSD_DATE), source)
        self.add(s, nodes[2], Literal(latest, datatype=XSD_DATE), source)
        self.add(s, nodes[3], Literal(precision), source)

    def concept(self, scheme: str, notation: str) -> NamedNode:
        return NamedNode(self.concepts[scheme][notation])

    def plan(self, kind: k.Kind) -> _Plan:
        found = self._plans.get(kind.name)
        if found is None:
            found = self._plans[kind.name] = _plan(kind)
        return found

    def build(self) -> Built:
        for entry in self.curated.entries:
            e = self.iri(entry.kind.name, entry.id)
            quads = self._record(entry, e, entry.data, keep_origins=True)
            self.out.quads.extend(quads)
            self._mark_inferred(entry, e, quads)
        return self.out

    def _record(self, entry: Entry, e: NamedNode, data, keep_origins: bool = False) -> list[Quad]:
        """The quads one record (given as ``data``) makes, apart from the rest."""
        out, self.out = self.out, Built()
        try:
            self._statements(replace(entry, data=data), e)
            return self.out.quads
        finally:
            if keep_origins:
                out.origins.update(self.out.origins)
            self.out = out

    def _statements(self, entry: Entry, e: NamedNode) -> None:
        d = entry.data
        plan = self.plan(entry.kind)
        src = d["id"] if entry.kind.own_source else d["source"]
        self.out.origins[e.value] = (entry.file, d.line, entry.path)
        self.add(e, RDF_TYPE, plan.cls, src)
        nested = [i["source"] for key in plan.nested_sources for i in _items(d.get(key)) if i.get("source")]
        for used in dict.fromkeys((src, *nested)):
            self.add(e, DCT_SOURCE, self.iri("source", used), src)
        for key, emit in plan.fields:
            value = d.get(key)
            if value is not None:
                emit(self, e, value, src)
        if plan.statements is not None:
            plan.statements(self, entry, e, src)

    def _mark_inferred(self, entry: Entry, e: NamedNode, quads: list[Quad]) -> None:
        """Each statement a field marked ``inferred`` makes (those the record would not make
        without it) gets a tk:InferredStatement naming it and why: shown on the page,
        filterable in SPARQL (ontology/README.md, "Inferred statements")."""
        n = 0
        for path, reason, source in _inferred_fields(entry.data, self.plan(entry.kind).nested_inferred):
            without = set(self._record(entry, e, _without(entry.data, path)))
            for q in (q for q in quads if q not in without):
                n += 1
                node = NamedNode(f"{e.value}#inferred-{n}")
                self.out.origins[node.value] = (entry.file, entry.data.line, f"{entry.path}.inferred")
                self.add(e, TK("inferredStatement"), node, source)
                self.add(node, RDF_TYPE, TK("InferredStatement"), source)
                self.add(node, RDF("subject"), q.subject, source)
                self.add(node, RDF("predicate"), q.predicate, source)
                self.add(node, RDF("object"), q.object, source)
                self.text(node, TK("derivation"), reason, source)
                self.add(node, PROV("wasDerivedFrom"), self.iri("source", source), source)


def _items(value) -> list:
    """A nested record or list of them, as a list."""
    return value if isinstance(value, list) else [value] if isinstance(value, dict) else []


def _inferred_fields(data, nested_keys: tuple[str, ...]):
    """(path to the field, reason, source) for each field marked inferred in a record and in
    its nested records (a path is ("place",) or ("offices", 0, "organization"))."""
    for key, reason in (data.get("inferred") or {}).items():
        yield (key,), reason, data["source"]
    for nested in nested_keys:
        for i, item in enumerate(data.get(nested) or []):
            for key, reason in (item.get("inferred") or {}).items():
                yield (nested, i, key), reason, item.get("source") or data["source"]


def _without(data, path: tuple):
    """A copy of the record without the field at ``path`` (its lines kept for origins)."""
    copy = LDict(data)
    copy.line, copy.lines = data.line, data.lines
    if len(path) == 1:
        del copy[path[0]]
        return copy
    key, i, rest = path[0], path[1], path[2:]
    items = LList(data[key])
    items.line, items.lines = data[key].line, data[key].lines
    items[i] = _without(data[key][i], rest)
    copy[key] = items
    return copy


def build_quads(settings: Settings, curated: Curated, concepts: dict[str, dict[str, str]]) -> Built:
    return _Builder(settings, curated, concepts).build()
