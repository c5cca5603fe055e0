"""Incremental SHACL validation: validate again only the focus nodes a change can concern.

The cache holds the statements of the last run and its findings (one file, replaced
atomically). A run compares its statements with them; every shape of ontology/shapes.ttl
looks at most one step from its focus node (values, their types, inverse paths, the
subject of an inferred statement), so a finding can only change for a node that is the
subject or object of a changed statement, or a neighbour of such a subject. Those nodes are
validated again, on the part of the graph they can see (their statements, those pointing at
them, their neighbours' statements, the ontology); the others keep their findings. Any
cache (an older one, another dataset's) is a correct base: only the amount of work differs.
A cache that cannot be read, or was written for other shapes, ontology or engine, is
ignored, and a run that finds no cache validates everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, parse, serialize

from twinkg.config import Settings

from .ontology import ontology_bytes, shapes_bytes
from .shacl_engines import Engine, Finding

FILE_NAME = "shacl.cache"


def cache_dir(settings: Settings) -> Path:
    """Beside the store (``var/validation-cache/``), not in the data folder: the curators'
    folder (often a git checkout) stays theirs, and var/ already holds what the tool makes."""
    return settings.store.parent / "validation-cache"

#: Above this share of changed focus nodes, a full run is cheaper than the neighbourhood's.
FULL_RUN_SHARE = 0.25
_FORMAT = 2


def cache_key(engine_name: str) -> str:
    digest = hashlib.sha256(shapes_bytes() + b"\0" + ontology_bytes())
    package = "pyshacl-turbo" if engine_name == "pyshacl-turbo" else "pyshacl"
    return f"{_FORMAT}:{engine_name}:{version(package)}:{digest.hexdigest()}"


def _read(path: Path, key: str) -> tuple[set[Triple], list[Finding]] | None:
    try:
        with path.open("rb") as f:
            head = json.loads(f.readline())
            if head.get("key") != key:
                return None
            triples = {q.triple for q in parse(f.read(), format=RdfFormat.N_TRIPLES)}
        return triples, [Finding(*f) for f in head["findings"]]
    except (OSError, ValueError, SyntaxError, TypeError, KeyError):
        return None  # no cache, or a broken one: validate everything


def _write(path: Path, key: str, triples: list[Triple], findings: list[Finding]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".shacl-")
        with os.fdopen(fd, "wb") as f:
            f.write(json.dumps({"key": key, "findings": findings}, ensure_ascii=False).encode() + b"\n")
            f.write(serialize(triples, format=RdfFormat.N_TRIPLES))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only place: validation is still right, the next run only slower


def affected_nodes(changed: set[Triple], triples: list[Triple]) -> set:
    """Subjects and objects of changed statements, and the neighbours (either way) of the
    changed subjects in the new graph."""
    subjects = {t.subject for t in changed}
    nodes = subjects | {t.object for t in changed if isinstance(t.object, NamedNode)}
    for t in triples:
        if t.object in subjects:
            nodes.add(t.subject)
        if t.subject in subjects and isinstance(t.object, NamedNode):
            nodes.add(t.object)
    return nodes


def neighbourhood(nodes: set, triples: list[Triple]) -> list[Triple]:
    """What validating ``nodes`` reads: their statements, those pointing at them, and the
    statements of the nodes they point at or are pointed at by."""
    near = set(nodes)
    for t in triples:
        if t.subject in nodes and isinstance(t.object, NamedNode):
            near.add(t.object)
        elif t.object in nodes:
            near.add(t.subject)
    return [t for t in triples if t.subject in near or t.object in nodes]


def incremental_findings(data: list[Triple], ontology: list[Triple], cache_dir: Path,
                         engine_name: str, engine: Engine) -> list[Finding]:
    """The findings ``engine`` gives for ``data`` with ``ontology``, validating only what
    changed since the cache in ``cache_dir`` was written; the cache is then this run's.
    The ontology is the same in both runs (its digest is in the key) and always validated
    with the part, so that class hierarchy and concepts are all there."""
    path, key = cache_dir / FILE_NAME, cache_key(engine_name)
    previous = None
    # Blank nodes have no identity across runs (the loader makes none): such data is validated whole.
    if not any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in data):
        previous = _read(path, key)
    if previous is None:
        findings = engine(data + ontology, None)
    else:
        before, cached = previous
        now = set(data)
        changed = (before - now) | (now - before)
        if not changed:
            return cached
        nodes = affected_nodes(changed, data)
        if len(nodes) > FULL_RUN_SHARE * len({t.subject for t in data}):
            findings = engine(data + ontology, None)
        else:
            focus = {n.value for n in nodes if isinstance(n, NamedNode)}
            part = neighbourhood(nodes, data) + ontology
            findings = [f for f in cached if f.focus not in focus] + engine(part, focus)
    _write(path, key, data, findings)
    return findings
