"""HTML documentation of the ontology, generated once per export (never per request).

pyLODE (pinned to 3.3.4: the 3.4 wheels fail at import here) writes the page; we make each
term's HTML id its local name, so that a term IRI ``…/ontology#City`` lands at its entry,
and append what pyLODE 3.3 leaves out (datatypes, SKOS concept schemes and concepts). If
pyLODE is missing or fails, a template of our own lists every term instead.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader
from pyoxigraph import NamedNode, Store

from twinkg.config import ONTOLOGY_IRI, ONTOLOGY_NS, PREFIXES
from twinkg.ontology_files import turtle_graph, turtle_store

from .sparqlfiles import select

RDFS, SKOS, OWL = PREFIXES["rdfs"], PREFIXES["skos"], PREFIXES["owl"]
#: (section id, title, kinds) in the order of the page; a term goes in its first matching section.
SECTIONS = (
    ("tk-classes", "Classes", (OWL + "Class",)),
    ("tk-object-properties", "Object properties", (OWL + "ObjectProperty",)),
    ("tk-datatype-properties", "Datatype properties", (OWL + "DatatypeProperty",)),
    ("tk-datatypes", "Datatypes", (RDFS + "Datatype",)),
    ("tk-concept-schemes", "Concept schemes", (SKOS + "ConceptScheme",)),
    ("tk-concepts", "Concepts", (SKOS + "Concept",)),
)
#: What pyLODE 3.3 documents itself.
PYLODE_KINDS = {OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty"}
LINKS = (("domain", RDFS + "domain"), ("range", RDFS + "range"), ("subclass of", RDFS + "subClassOf"),
         ("subproperty of", RDFS + "subPropertyOf"), ("in scheme", SKOS + "inScheme"))


@dataclass
class Text:
    text: str
    lang: str


@dataclass
class TermDoc:
    iri: str
    kinds: set[str] = field(default_factory=set)
    values: dict[str, list] = field(default_factory=dict)

    @property
    def local(self) -> str:
        return self.iri[len(ONTOLOGY_NS):]

    def texts(self, *predicates) -> list[Text]:
        out = [Text(o.value, o.language or "") for p in predicates for o in self.values.get(p, [])]
        return sorted(out, key=lambda t: (t.lang != "en", t.lang))

    @property
    def labels(self):
        return self.texts(RDFS + "label", SKOS + "prefLabel")

    @property
    def comments(self):
        return self.texts(RDFS + "comment", SKOS + "definition")

    @property
    def title(self) -> str:
        return self.labels[0].text if self.labels else self.local

    @property
    def notation(self) -> list[str]:
        return [o.value for o in self.values.get(SKOS + "notation", [])]

    @property
    def links(self):
        # Blank nodes (unions, restrictions) are left to pyLODE's rendering.
        return [(name, sorted(o.value for o in self.values.get(p, []) if isinstance(o, NamedNode)))
                for name, p in LINKS]


def ontology_terms(ontology: Store) -> dict[str, TermDoc]:
    terms: dict[str, TermDoc] = {}
    for row in select(ontology, "ontology-doc", ns=NamedNode(ONTOLOGY_NS)):
        doc = terms.setdefault(row["term"].value, TermDoc(row["term"].value))
        doc.kinds.add(row["kind"].value)
        if row["p"] is not None:
            values = doc.values.setdefault(row["p"].value, [])
            if row["o"] not in values:
                values.append(row["o"])
    return terms


def _sections(terms: dict[str, TermDoc], skip_kinds=frozenset()) -> list[dict]:
    placed: set[str] = set()
    sections = []
    for section_id, title, kinds in SECTIONS:
        chosen = []
        for doc in terms.values():
            if doc.iri in placed or not doc.kinds & set(kinds):
                continue
            placed.add(doc.iri)
            if not doc.kinds & skip_kinds:
                doc.kind_label = title.lower().rstrip("s")
                chosen.append(doc)
        if chosen:
            sections.append({"id": section_id, "title": title, "terms": chosen})
    return sections


def _env() -> Environment:
    return Environment(loader=PackageLoader("twinkg.export", "templates"), autoescape=True)


def _about(ontology: Store, local: str) -> list:
    return [q.object for q in ontology.quads_for_pattern(NamedNode(ONTOLOGY_IRI), NamedNode(PREFIXES["dct"] + local), None)]


def _english_title(ontology: Store) -> str:
    return next((t.value for t in _about(ontology, "title") if t.language == "en"), "Ontology")


def template_html(ontology: Store, terms: dict[str, TermDoc]) -> str:
    """The fallback: every term from our own template."""
    title = _english_title(ontology)
    descriptions = _about(ontology, "description")
    return _env().get_template("ontology-page.html").render(
        title=title, ontology_iri=ONTOLOGY_IRI, ns=ONTOLOGY_NS,
        descriptions=[Text(d.value, d.language or "") for d in descriptions],
        sections=_sections(terms))


def _import_pylode():
    """pyLODE's import calls ``logging.basicConfig(level=DEBUG)``: undo that for our CLI and server."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub, utils
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    if not getattr(utils.intersperse, "sorts_sets", False):
        utils.intersperse = _ordered_intersperse(utils.intersperse)
    return OntPub


def _ordered_intersperse(intersperse):
    """pyLODE 3.3 collects the members of a union (``A or B or C``) in a set of HTML elements,
    which iterates in memory-address order: sort them by their HTML, so the page is the same
    on every run."""
    def ordered(items, sep):
        return intersperse(sorted(items, key=str) if isinstance(items, (set, frozenset)) else items, sep)

    ordered.sorts_sets = True
    return ordered


class _SortedJsonLd:
    """pyLODE's schema.org JSON-LD (in the page's head) with keys and arrays in a fixed order:
    rdflib serialises in the order of its hash-ordered indexes, which varies between runs."""

    def __init__(self, graph):
        self.graph = graph

    def serialize(self, format: str) -> str:
        return json.dumps(_sorted_json(json.loads(self.graph.serialize(format=format))),
                          indent=2, sort_keys=True, ensure_ascii=False)


def _sorted_json(value):
    # No @list in this JSON-LD (pyLODE writes names, descriptions, licences): arrays are sets.
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted_json(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


@lru_cache(maxsize=4)  # pyLODE takes about half a second; the ontology rarely changes between loads
def pylode_html(turtle: bytes) -> str:
    from dominate.util import raw

    OntPub = _import_pylode()
    ontology = turtle_store(turtle)
    terms = ontology_terms(ontology)

    supplement = _env().get_template("ontology-terms.html").render(
        ns=ONTOLOGY_NS, sections=_sections(terms, skip_kinds=PYLODE_KINDS))

    class _OntPub(OntPub):
        def _make_main_sections(self):
            super()._make_main_sections()
            self.content.add(raw(supplement))

        def _make_schema_org(self):
            return _SortedJsonLd(super()._make_schema_org())

    graph = turtle_graph(turtle)
    doc = _OntPub(ontology=graph)
    # pyLODE names anchors after labels ("Stadt"); ours are the IRIs' local names.
    doc.fids.update({iri: term.local for iri, term in terms.items()})
    # Other vocabularies' terms by prefix and name: pyLODE would number clashes ("Event1" for
    # both schema:Event and sem:Event) and give some of them the same id twice.
    doc.fids.update(_foreign_fids(graph, set(terms)))
    # pyLODE 3.3 titles the page with the last dct:title it meets (a concept scheme's):
    doc.doc.title = _english_title(ontology)
    html = doc.make_html()
    # … and states no language; its headings and legend are English.
    return html.replace("<html>", '<html lang="en">', 1)


def _foreign_fids(graph, ours: set[str]) -> dict[str, str]:
    import rdflib

    fids = {}
    for node in set(graph.subjects()) | set(graph.objects()):
        iri = str(node)
        if not isinstance(node, rdflib.URIRef) or iri in ours or iri.startswith(ONTOLOGY_NS):
            continue
        known = next(((p, iri[len(ns):]) for p, ns in PREFIXES.items() if iri.startswith(ns)), None)
        try:
            prefix, local = known or graph.namespace_manager.compute_qname(iri, generate=False)[::2]
        except (KeyError, ValueError):
            continue
        if local:
            fids[iri] = f"{prefix}-{local}"
    return fids


def write_ontology_doc(turtle: bytes, path: Path, progress=lambda _: None, use_pylode: bool = True) -> str:
    """Write the documentation of the ontology ``turtle``; returns which generator made it
    ("pylode" or "template")."""
    if use_pylode:
        try:
            path.write_text(pylode_html(turtle), encoding="utf-8")
            return "pylode"
        except Exception as exc:  # noqa: BLE001 — any failure of the generator: fall back, say why
            progress(f"pyLODE failed ({type(exc).__name__}: {exc}); using the built-in template")
    ontology = turtle_store(turtle)
    path.write_text(template_html(ontology, ontology_terms(ontology)), encoding="utf-8")
    return "template"
