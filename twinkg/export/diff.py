"""What changed between two exports: triples added and removed, entities by class.

Both sides are read from the merged N-Triples dumps. Triples without blank nodes are
compared as sets; the few with blank nodes (OWL unions and lists in the ontology) are
compared after rdflib's canonical relabelling, so that fresh blank node ids of a new load
are not reported as changes.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, parse, serialize

from twinkg.config import ONTOLOGY_NS, PREFIXES
from twinkg.formats import RDFLIB_NAMES

from .dumps import DUMPS

MERGED_NT = next(d.file_name for d in DUMPS if d.format == RdfFormat.N_TRIPLES)
RDF_TYPE = PREFIXES["rdf"] + "type"


@dataclass
class Diff:
    added: list[str] = field(default_factory=list)  # N-Triples lines
    removed: list[str] = field(default_factory=list)
    #: class IRI → {"added": [...], "removed": [...], "changed": [...]} (entity IRIs)
    entities: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed)

    def summary(self) -> dict:
        return {"triples": {"added": len(self.added), "removed": len(self.removed)},
                "entities": self.entities}


def _read(export_dir: Path) -> list[Triple]:
    with gzip.open(export_dir / MERGED_NT) as f:
        return list(parse(f, format=RdfFormat.N_TRIPLES))


def _has_blank(t: Triple) -> bool:
    return isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode)


def _nt(t: Triple) -> str:
    return serialize([t], format=RdfFormat.N_TRIPLES).decode("utf-8").strip()


def _blank_diff(old: list[Triple], new: list[Triple]) -> tuple[list[str], list[str]]:
    # rdflib only here (as in canonical.py): `load` imports the export, and rdflib took 53 ms
    import rdflib
    from rdflib.compare import graph_diff, to_isomorphic

    def graph(triples):
        return to_isomorphic(rdflib.Graph().parse(
            data=serialize(triples, format=RdfFormat.N_TRIPLES), format=RDFLIB_NAMES[RdfFormat.N_TRIPLES]))
    _, only_old, only_new = graph_diff(graph(old), graph(new))
    lines = lambda g: sorted(line for line in g.serialize(format=RDFLIB_NAMES[RdfFormat.N_TRIPLES]).splitlines() if line.strip())  # noqa: E731
    return lines(only_new), lines(only_old)


def _types(triples) -> dict[str, str]:
    """Entity IRI → its class (ours first, so that an entity counts under tk:City, not schema:City)."""
    found: dict[str, list[str]] = defaultdict(list)
    for t in triples:
        if t.predicate.value == RDF_TYPE and isinstance(t.subject, NamedNode) and isinstance(t.object, NamedNode):
            found[t.subject.value].append(t.object.value)
    return {s: sorted(classes, key=lambda c: (not c.startswith(ONTOLOGY_NS), c))[0]
            for s, classes in found.items()}


def _owner(subject: str, entities: dict[str, str]) -> str | None:
    """The entity a statement is about: itself, or the entity whose fragment it is (offices)."""
    if subject in entities:
        return subject
    base = subject.split("#", 1)[0]
    return base if base in entities else None


def diff_exports(previous: Path, current: Path) -> Diff:
    old, new = _read(previous), _read(current)
    old_ground = {t for t in old if not _has_blank(t)}
    new_ground = {t for t in new if not _has_blank(t)}
    added = new_ground - old_ground
    removed = old_ground - new_ground
    blank_added, blank_removed = _blank_diff([t for t in old if _has_blank(t)], [t for t in new if _has_blank(t)])
    result = Diff(sorted(map(_nt, added)) + blank_added, sorted(map(_nt, removed)) + blank_removed)

    old_types, new_types = _types(old), _types(new)
    by_class: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entity in new_types.keys() - old_types.keys():
        by_class[new_types[entity]]["added"].add(entity)
    for entity in old_types.keys() - new_types.keys():
        by_class[old_types[entity]]["removed"].add(entity)
    for t in added | removed:
        if isinstance(t.subject, NamedNode):
            owner = _owner(t.subject.value, new_types) or _owner(t.subject.value, old_types)
            if owner in new_types and owner in old_types:
                by_class[new_types[owner]]["changed"].add(owner)
    result.entities = {cls: {kind: sorted(ents) for kind, ents in sorted(kinds.items())}
                       for cls, kinds in sorted(by_class.items())}
    return result


def changelog_entry(diff: Diff, version: str, previous_version: str, date: str) -> str:
    lines = [f"## {version} ({date})", "", f"Compared with {previous_version}: "
             f"{len(diff.added)} triples added, {len(diff.removed)} removed."]
    if diff.entities:
        lines += ["", "| class | added | removed | changed |", "|---|---|---|---|"]
        for cls, kinds in diff.entities.items():
            lines.append(f"| `{cls}` | {len(kinds.get('added', []))} | {len(kinds.get('removed', []))} "
                         f"| {len(kinds.get('changed', []))} |")
    return "\n".join(lines) + "\n"
