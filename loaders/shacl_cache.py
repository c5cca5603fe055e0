"""Incremental SHACL validation: validate again only the focus nodes a change can concern.

The cache holds the statements of the last run and its findings (one file, replaced
atomically). A run compares its statements with them; every shape of ontology/shapes.ttl
looks at most one step from its focus node (its values and their statements, such as
their types; the values of inverse paths; the subject of an inferred statement), so a
finding can only change for a node that is the subject of a changed statement, points at
such a subject, or is read from the object's side (inverse paths) of a changed statement or
of a changed subject's. Those nodes are validated again, on the part of the graph they can
see (``neighbourhood``, with the ontology); the others keep their findings. Any
cache (an older one, another dataset's) is a correct base: only the amount of work differs.
A cache that cannot be read, or was written for other shapes, ontology or engine, is
ignored, and a run that finds no cache validates everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib.metadata import version
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

from twinkg.config import ONTOLOGY_IRI, Settings

from twinkg.ontology_files import ontology_bytes, shapes_bytes
from .shacl_engines import Engine, Finding

FILE_NAME = "shacl.cache"
_SH_INVERSE = NamedNode("http://www.w3.org/ns/shacl#inversePath")
_SH_OBJECTS_OF = NamedNode("http://www.w3.org/ns/shacl#targetObjectsOf")


def cache_dir(settings: Settings) -> Path:
    """Beside the store (``var/validation-cache/``), not in the data folder: the curators'
    folder (often a git checkout) stays theirs, and var/ already holds what the tool makes."""
    return settings.store.parent / "validation-cache"

#: Above this share of changed focus nodes, a full run is cheaper than the neighbourhood's.
FULL_RUN_SHARE = 0.25
_FORMAT = 2


def cache_key(engine_name: str, additions: bytes = b"") -> str:
    """``additions``: the shapes and ontology Turtle of a registry's extra kinds (twinkg/kinds.py)."""
    digest = hashlib.sha256(shapes_bytes() + b"\0" + ontology_bytes() + b"\0" + additions)
    package = "pyshacl-turbo" if engine_name == "pyshacl-turbo" else "pyshacl"
    return f"{_FORMAT}:{engine_name}:{version(package)}:{digest.hexdigest()}"


def _read(path: Path, key: str) -> tuple[set[bytes], list[Finding]] | None:
    """The last run's statements (as N-Triples lines) and findings."""
    try:
        with path.open("rb") as f:
            head = json.loads(f.readline())
            if head.get("key") != key:
                return None
            lines = set(f.read().splitlines())
        return lines, [Finding(*f) for f in head["findings"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None  # no cache, or a broken one: validate everything


def _write(path: Path, key: str, ntriples: bytes, findings: list[Finding]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".shacl-")
        with os.fdopen(fd, "wb") as f:
            f.write(json.dumps({"key": key, "findings": findings}, ensure_ascii=False).encode() + b"\n")
            f.write(ntriples)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only place: validation is still right, the next run only slower


@cache
def inverse_predicates() -> frozenset[NamedNode]:
    """Predicates whose statements the shapes read from the object's side (sh:inversePath,
    sh:targetObjectsOf): a change of them concerns their object too."""
    shapes = parse(shapes_bytes(), format=RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)
    return frozenset(q.object for q in shapes if q.predicate in (_SH_INVERSE, _SH_OBJECTS_OF)
                     and isinstance(q.object, NamedNode))


def affected_nodes(changed: set[Triple], triples: list[Triple]) -> set:
    """The nodes whose findings a change can alter: subjects of changed statements, the
    nodes that point at them (their values' types and statements are read), and the
    nodes read from the object's side of changed statements or of changed subjects'."""
    inverse = inverse_predicates()
    subjects = {t.subject for t in changed}
    nodes = subjects | {t.object for t in changed if t.predicate in inverse}
    for t in triples:
        if t.object in subjects:
            nodes.add(t.subject)
        if t.subject in subjects and t.predicate in inverse:
            nodes.add(t.object)
    return nodes


def neighbourhood(nodes: set, triples: list[Triple]) -> list[Triple]:
    """What validating ``nodes`` reads: their statements and those of their values (also the
    values of inverse paths), and the statements giving them those inverse values."""
    inverse = inverse_predicates()
    near = set(nodes)
    for t in triples:
        if t.subject in nodes and isinstance(t.object, NamedNode):
            near.add(t.object)
        elif t.object in nodes and t.predicate in inverse:
            near.add(t.subject)
    return [t for t in triples if t.subject in near or (t.object in nodes and t.predicate in inverse)]


def incremental_findings(data: list[Triple], ontology: list[Triple], cache_dir: Path,
                         engine_name: str, engine: Engine, additions: bytes = b"") -> list[Finding]:
    """The findings ``engine`` gives for ``data`` with ``ontology``, validating only what
    changed since the cache in ``cache_dir`` was written; the cache is then this run's.
    The ontology is the same in both runs (its digest is in the key) and always validated
    with the part, so that class hierarchy and concepts are all there."""
    path, key = cache_dir / FILE_NAME, cache_key(engine_name, additions)
    # Compared as N-Triples lines (one per statement, written alike for alike statements):
    # cheaper than reading the last run's statements back as terms.
    ntriples = serialize(data, format=RdfFormat.N_TRIPLES)
    # Blank nodes have no identity across runs (the loader makes none): such data is
    # validated whole (as is data with "_:" in a text: rare, and only slower).
    previous = _read(path, key) if b"_:" not in ntriples else None
    if previous is None:
        findings = engine(data + ontology, None)
    else:
        before, cached = previous
        changed_lines = before.symmetric_difference(ntriples.splitlines())
        if not changed_lines:
            return cached
        changed = {q.triple for q in parse(b"\n".join(changed_lines), format=RdfFormat.N_TRIPLES)}
        nodes = affected_nodes(changed, data)
        if len(nodes) > FULL_RUN_SHARE * len({t.subject for t in data}):
            findings = engine(data + ontology, None)
        else:
            focus = {n.value for n in nodes if isinstance(n, NamedNode)}
            part = neighbourhood(nodes, data) + ontology
            findings = [f for f in cached if f.focus not in focus] + engine(part, focus)
    _write(path, key, ntriples, findings)
    return findings
