"""The page about one entity: its data document plus what its class's page shows, turned
into view objects. Routes render it; templates never see RDF terms."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Variable

from twinkg.backends.inject import with_rows
from twinkg.server.dataset import Dataset
from twinkg.server.linkeddata.deref import unknown_entity
from twinkg.server.linkeddata.documents import DATA_FORMATS, is_entity
from twinkg.server.pages import class_sections
from twinkg.server.pages.class_sections import INCOMING_LIMIT, Capped, cap
from twinkg.server.pages.page_graph import GraphIndex, term
from twinkg.server.pages.schemaorg_entity import schema_org
from twinkg.server.presentation.terms import Labeler, TermView, Text
from twinkg.server.sparqlfiles import server_query
from twinkg.store import run_query

LABELS = tuple(term(c) for c in ("rdfs:label", "skos:prefLabel", "tk:caption"))
#: Who holds an office or takes part in an event, and in what role.
HOLDERS = tuple(term(c) for c in ("tk:agent", "org:member"))
ROLES = tuple(term(c) for c in ("tk:role", "org:role"))
RDF_TYPE = term("rdf:type")
INFERRED_STATEMENT = term("tk:InferredStatement")
REIFIED = tuple(term(c) for c in ("rdf:subject", "rdf:predicate", "rdf:object"))
DERIVATION = term("tk:derivation")


@dataclass
class Cell:
    value: TermView
    source: TermView | None = None
    inferred: Text | None = None  # how it was derived, where the source does not state it


@dataclass
class Row:
    prop: TermView
    cells: list[Cell]


@dataclass
class Fragment:
    anchor: str
    title: TermView
    rows: list[Row]


@dataclass
class Alternate:
    name: str
    href: str
    media_type: str


@dataclass
class EntityPage:
    iri: str
    kind: str
    cls: str
    title: Text
    statements: list[Row]
    fragments: list[Fragment]
    incoming: Capped  # of (referrer, property)
    provenance: list[tuple[TermView, int]]
    alternates: list[Alternate]
    view: dict = field(default_factory=dict)  # what the class's own template shows
    jsonld: dict = field(default_factory=dict)


def _labeler(ds: Dataset, graph: GraphIndex, lang: str) -> Labeler:
    # the build's vocabulary labels, copied: the page adds its own
    labeler = Labeler(ds.iris, lang, {k: list(v) for k, v in ds.vocabulary.items()})
    for t in graph.triples:
        if t.predicate in LABELS and isinstance(t.object, Literal) and isinstance(t.subject, NamedNode):
            labeler.add_label(t.subject.value, t.object)
    _label_offices_and_participations(graph, labeler)
    return labeler


def _label_offices_and_participations(graph: GraphIndex, labeler: Labeler) -> None:
    """An office or a participation (…/person/x#office-1) has no name of its own, at most a
    title: it is labelled "Jean Royer — mayor", by who holds it and as what, as the lists of
    offices and participants show it."""
    for node in {t.subject for t in graph.triples if t.predicate in HOLDERS}:
        who = next(v for p in HOLDERS if (v := graph.value(node, p)) is not None)
        role = next((v for p in ROLES if (v := graph.value(node, p)) is not None), None)
        name = labeler.term(who).text
        what = labeler.text(graph.objects(node, "rdfs:label")) or (labeler.term(role).text if role else None)
        labeler.composed[node.value] = name if what is None else Text(
            f"{name.value} — {what.value}", what.lang or name.lang, name.fallback or what.fallback)


def _cell_order(cell: Cell) -> tuple[str, str, str]:
    return cell.value.text.value, cell.value.text.lang or "", cell.value.iri or ""


def _inferred(rows, labeler: Labeler) -> dict[tuple, Text]:
    """(subject, predicate, object) → how it was derived, for the statements of the page
    that a tk:InferredStatement among its fragment nodes marks."""
    nodes: dict[NamedNode, dict[NamedNode, list]] = {}
    for row in rows:
        nodes.setdefault(row["s"], {}).setdefault(row["p"], []).append(row["o"])
    out = {}
    for props in nodes.values():
        if INFERRED_STATEMENT not in props.get(RDF_TYPE, ()):
            continue
        key = tuple(props.get(p, [None])[0] for p in REIFIED)
        if None not in key:
            out[key] = labeler.text(props.get(DERIVATION, []))
    return out


def _source_of_graph(ds: Dataset, graph_iri: str) -> str:
    """Each source's statements live in ``{base}graph/{source}``: name the source entity."""
    prefix = ds.iris.base + "graph/"
    if graph_iri.startswith(prefix):
        return ds.iris.entity_iri("source", graph_iri[len(prefix):])
    return graph_iri


def build_page(ds: Dataset, kind: str, slug: str, iri: str, lang: str, page_url: str = "",
               today: datetime.date | None = None) -> EntityPage:
    e = NamedNode(iri)
    # The page's own CONSTRUCT: the data document with the incoming links capped.
    graph = GraphIndex(run_query(ds.store, server_query("page"), {Variable("e"): e}))
    if not is_entity(graph.triples, iri):  # no type: no such entity (as exists.rq asks)
        raise unknown_entity(kind, slug)
    declared = ds.kinds[kind]
    if declared.context:
        graph.add(run_query(ds.store, server_query(f"context-{kind}"), {Variable("e"): e}))
    rows = list(run_query(ds.store, server_query("statements"), {Variable("e"): e}))
    labeler = _labeler(ds, graph, lang)

    # Outgoing statements with the source (named graph) of each; fragments in their own tables.
    sources = [_source_of_graph(ds, row["g"].value) for row in rows]
    per_source: dict[str, int] = {}
    for source in sources:
        per_source[source] = per_source.get(source, 0) + 1
    # titles first, so that the statements name their sources as the provenance list does
    _add_source_titles(ds, labeler, [src for src in per_source if src not in labeler.labels])
    inferred = _inferred(rows, labeler)
    grouped: dict[NamedNode, dict[NamedNode, list[Cell]]] = {}
    for row, source in zip(rows, sources):
        grouped.setdefault(row["s"], {}).setdefault(row["p"], []).append(
            Cell(labeler.term(row["o"]), labeler.term(NamedNode(source)),
                 inferred.get((row["s"], row["p"], row["o"]))))

    def table(subject) -> list[Row]:
        props = grouped.get(subject, {})
        # by text, then by the whole term (language tag): stores answer in their own order
        return [Row(labeler.term(p), sorted(cells, key=_cell_order))
                for p, cells in sorted(props.items(), key=lambda kv: labeler.label(kv[0].value).value.lower())]

    fragments = [Fragment(s.value.partition("#")[2], labeler.term(s), table(s))
                 for s in sorted(grouped, key=lambda n: _fragment_order(n.value)) if s != e]
    incoming = cap(_incoming(graph, e, labeler), INCOMING_LIMIT)
    # page.rq reads one link more than is shown: more may exist even where the shown ones
    # were merged (a fragment's link shown as its entity's)
    incoming.more = sum(1 for t in graph.triples if t.object == e and t.subject != e) > INCOMING_LIMIT
    provenance = [(labeler.term(NamedNode(src)), n)
                  for src, n in sorted(per_source.items(), key=lambda pair: (-pair[1], pair[0]))]
    alternates = [Alternate(fmt.name, f"/data/{kind}/{slug}.{fmt.file_extension}", fmt.media_type)
                  for fmt in DATA_FORMATS]
    page = EntityPage(iri, kind, declared.cls, labeler.label(iri), table(e), fragments,
                      incoming, provenance, alternates)
    view = class_sections.VIEWS.get(kind)
    if view:
        page.view = view(graph, e, labeler, today or datetime.date.today())
    page.jsonld = schema_org(page, declared, graph, e, page_url)
    return page


def _add_source_titles(ds: Dataset, labeler: Labeler, sources: list[str]) -> None:
    """The titles of sources named only as graphs: one query for all of them (none when all
    are known), so that a page's cost in queries does not grow with its number of sources."""
    if not sources:
        return
    # one VALUES row per source, serialized by pyoxigraph (twinkg.backends.inject)
    text = with_rows(server_query("labels-of"), ((Variable("x"),), [(NamedNode(src),) for src in sources]))
    for row in run_query(ds.store, text):
        labeler.add_label(row["x"].value, row["label"])


def _incoming(graph: GraphIndex, e: NamedNode, labeler: Labeler) -> list[tuple[TermView, TermView]]:
    """Statements pointing at ``e``; one from another entity's fragment only where that entity
    does not already point at ``e`` itself (an event's participant and its participation)."""
    direct = {t.subject for t in graph.triples if t.object == e and "#" not in t.subject.value}
    pairs = []
    for t in graph.triples:
        if t.object != e or t.subject == e or t.subject.value.startswith(e.value + "#"):
            continue
        if "#" in t.subject.value and NamedNode(t.subject.value.partition("#")[0]) in direct:
            continue
        pairs.append((_referrer(labeler, t.subject), labeler.term(t.predicate)))
    return sorted(pairs, key=lambda pair: (pair[1].text.value.lower(), pair[0].text.value.lower()))


def _fragment_order(iri: str):
    name = iri.partition("#")[2]
    head, _, number = name.rpartition("-")
    return (head, int(number) if number.isdigit() else 0, name)


def _referrer(labeler: Labeler, subject) -> TermView:
    """A statement from another entity's fragment (…/event/x#participant-2) is shown as from
    that entity, linked to the fragment's anchor on its page."""
    if isinstance(subject, NamedNode) and "#" in subject.value:
        parent = subject.value.partition("#")[0]
        view = labeler.term(subject)
        return TermView(labeler.label(parent), subject.value, view.href, view.local)
    return labeler.term(subject)
