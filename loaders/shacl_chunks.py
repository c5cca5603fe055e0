"""A full SHACL run in parts: the engine's graph of a million statements took 1.2 GB.

Every shape looks at most one step from its focus node (shacl_cache.py relies on the same):
its statements, its values' statements (their types), and the statements that point at it
through an inverse path. So the nodes are validated a group at a time, each group as focus
nodes on that part of the graph with the whole ontology, and the findings are the full
run's. The groups follow the document's order (the records'), each with about ``LINES``
statements of its own; documents up to ``WHOLE`` statements go to the engine whole.
"""

from __future__ import annotations

import io
from typing import Iterator

from .shacl_model import Engine, Finding

#: Statements of a group's own nodes; its part of the graph is 1–4 times that (the values'
#: statements). Measured on curated_yaml.py's 166 k statements in one process, pyshacl-turbo:
#: 10 k gave 294 MB peak and 3.4 s CPU for the stage, 25 k 352 MB / 3.9 s, 50 k 424 MB / 4.3 s,
#: one run 443 MB / 2.4 s. The SPARQL engine (shacl_sparql.py; Oxigraph's in-memory store
#: holds ~620 bytes per statement, turbo ~1.3 kB): 10 k 250 MB / 2.6 s, 25 k 293 MB / 2.8 s,
#: 50 k 331 MB / 2.7 s, one run 338 MB / 1.8 s; so the same values suit both engines.
LINES = 10_000
#: Up to this many statements the engine reads all at once (~160 MB of turbo's graph, ~75 MB
#: of Oxigraph's store): faster than groups, which read the values' statements again (at
#: 100 k, turbo: 1.2 s against 2.1 s CPU).
WHOLE = 120_000


def _terms(line: bytes) -> tuple[bytes, bytes, bytes]:
    subject, predicate, rest = line.split(b" ", 2)
    return subject, predicate, rest[:-3]  # without " .\n"


def full_findings(engine: Engine, document: bytes, ontology: bytes, inverse: frozenset[bytes],
                  whole: float | None = None) -> list[Finding]:
    """What ``engine`` finds on ``document`` with ``ontology`` (N-Triples without blank nodes
    in ``document``); ``inverse``: the predicates (terms) shapes read from the object's side;
    ``whole``: up to how many statements the engine reads the document at once (``WHOLE`` by
    default; a caller that holds no other copy of the statements can afford more)."""
    # blank nodes: a group could get part of a node's statements (the loader makes none)
    if document.count(b"\n") <= (WHOLE if whole is None else whole) or b"_:" in document:
        return engine((document, ontology), None)  # not joined: a copy of the statements
    own: dict[bytes, list[int]] = {}  # node → offsets of its statements
    pointing: dict[bytes, list[int]] = {}  # node → offsets of inverse-read statements at it
    offset = 0
    for line in io.BytesIO(document):
        subject, predicate, value = _terms(line)
        own.setdefault(subject, []).append(offset)
        if predicate in inverse:
            pointing.setdefault(value, []).append(offset)
        if value.startswith(b"<"):
            own.setdefault(value, [])  # a node too (a value without statements of its own)
        offset += len(line)
    findings = []
    # Ontology nodes (concepts) are validated with the first group; those the data speaks
    # of are nodes of the data too, validated in theirs.
    extra = {s for s, _, _ in map(_terms, io.BytesIO(ontology)) if s.startswith(b"<") and s not in own}
    for group in _groups(own):
        part = _part(document, group, own, pointing)
        focus = {n[1:-1].decode() for n in group + sorted(extra) if n.startswith(b"<")}
        findings += engine(b"".join(part) + ontology, focus)
        extra = set()
    return findings


def _groups(own: dict[bytes, list[int]]) -> Iterator[list[bytes]]:
    group, size = [], 0
    for node, offsets in own.items():
        group.append(node)
        size += len(offsets)
        if size >= LINES:
            yield group
            group, size = [], 0
    if group:
        yield group


def _line(document: bytes, offset: int) -> bytes:
    return document[offset:document.index(b"\n", offset) + 1]


def _part(document: bytes, group: list[bytes], own: dict[bytes, list[int]],
          pointing: dict[bytes, list[int]]) -> list[bytes]:
    """``shacl_cache.neighbourhood`` by the index: the group's statements, its values'
    statements, the inverse-read statements at it, and the statements of their subjects."""
    near, offsets = set(group), set()
    for node in group:
        for offset in own[node]:
            value = _terms(_line(document, offset))[2]
            if value.startswith(b"<"):
                near.add(value)
        for offset in pointing.get(node, ()):
            offsets.add(offset)
            near.add(_terms(_line(document, offset))[0])
    for node in near:
        offsets.update(own.get(node, ()))
    return [_line(document, offset) for offset in sorted(offsets)]
