"""Incremental SHACL validation: validate again only the focus nodes a change can concern.

The cache holds the last run's findings and, per subject, a digest of its statements and
the values it gives through inverse-read predicates (one file, replaced atomically; a
digest per subject, not the statements: at a million statements the lines held as a set
took more memory than the statements themselves). A run compares its subjects' digests with
them; every shape of ontology/shapes.ttl
looks at most one step from its focus node (its values and their statements, such as
their types; the values of inverse paths; the subject of an inferred statement), so a
finding can only change for a node whose statements changed, that points at such a
subject, or is read from the object's side (inverse paths) of such a subject's statements
(as they were or are now). Those nodes are validated again, on the part of the graph they can
see (``neighbourhood``, with the ontology); the others keep their findings. Any
cache (an older one, another dataset's) is a correct base: only the amount of work differs.
A cache that cannot be read, or was written for other shapes, ontology or engine, is
ignored, and a run that finds no cache validates everything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Iterator, NamedTuple

from pyoxigraph import NamedNode, RdfFormat, parse

from twinkg.config import ONTOLOGY_IRI, Settings

from twinkg.ontology_files import ontology_bytes, shapes_bytes, with_additions
from .shacl_chunks import full_findings
from .shacl_model import Data, Engine, Finding, ntriples
from .shacl_sparql import COMPILER_VERSION

FILE_NAME = "shacl.cache"
_SH_INVERSE = NamedNode("http://www.w3.org/ns/shacl#inversePath")
_SH_OBJECTS_OF = NamedNode("http://www.w3.org/ns/shacl#targetObjectsOf")


def cache_dir(settings: Settings) -> Path:
    """Beside the store (``var/validation-cache/``), not in the data folder: the curators'
    folder (often a git checkout) stays theirs, and var/ already holds what the tool makes."""
    return settings.store.parent / "validation-cache"

#: Above this share of changed focus nodes, a full run is cheaper than the neighbourhood's.
FULL_RUN_SHARE = 0.25
_FORMAT = 3  # 3: digests per subject (2 kept every N-Triples line)


def engine_version(engine_name: str) -> str:
    """What the engine's findings depend on besides the shapes: its package's version (and
    for the SPARQL engine, the compiler's)."""
    if engine_name == "oxigraph-sparql":
        return f"pyoxigraph {version('pyoxigraph')} compiler {COMPILER_VERSION}"
    return version("pyshacl-turbo" if engine_name == "pyshacl-turbo" else "pyshacl")


def cache_key(engine_name: str, additions: bytes = b"") -> str:
    """``additions``: the shapes and ontology Turtle of a registry's extra kinds (twinkg/kinds.py)."""
    digest = hashlib.sha256(shapes_bytes() + b"\0" + ontology_bytes() + b"\0" + additions)
    return f"{_FORMAT}:{engine_name}:{engine_version(engine_name)}:{digest.hexdigest()}"


class Index(NamedTuple):
    """Per subject (its N-Triples term): a digest of its statements, and the objects of its
    statements whose predicate the shapes read from the object's side."""

    digests: dict[bytes, bytes]
    inverse: dict[bytes, list[bytes]]


def _lines(document: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
    """(subject, predicate, object) terms of each N-Triples line, lazily (no list of lines)."""
    for line in io.BytesIO(document):
        subject, predicate, rest = line.split(b" ", 2)
        yield subject, predicate, rest[:-3]  # without " .\n"


def index(document: bytes, inverse: frozenset[bytes]) -> Index:
    """One pass over the statements: per subject, a hash of its lines in their order (the
    same records give the same lines in the same order; another order only costs a
    re-validation), and its values through ``inverse`` (inverse-read predicates)."""
    hashes: dict[bytes, "hashlib._Hash"] = {}
    values: dict[bytes, list[bytes]] = {}
    for line in io.BytesIO(document):
        subject = line[:line.index(b" ")]
        digest = hashes.get(subject)
        if digest is None:
            digest = hashes[subject] = hashlib.blake2b(digest_size=16)
        digest.update(line)
        predicate, rest = line[len(subject) + 1:].split(b" ", 1)
        if predicate in inverse:
            values.setdefault(subject, []).append(rest[:-3])
    return Index({s: h.digest() for s, h in hashes.items()}, values)


def _read(path: Path, key: str) -> tuple[Index, list[Finding]] | None:
    """The last run's index and findings."""
    try:
        with path.open("rb") as f:
            head = json.loads(f.readline())
            if head.get("key") != key:
                return None
            body = json.loads(f.read())
        digests = {s.encode(): bytes.fromhex(d) for s, d in body["digests"].items()}
        inverse = {s.encode(): [o.encode() for o in objects] for s, objects in body["inverse"].items()}
        return Index(digests, inverse), [Finding(*f) for f in head["findings"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # no cache, or a broken one: validate everything


def _write(path: Path, key: str, current: Index, findings: list[Finding]) -> None:
    # N-Triples is UTF-8 and the terms are whole lines' parts: decoded without loss
    body = {"digests": {s.decode(): d.hex() for s, d in current.digests.items()},
            "inverse": {s.decode(): [o.decode() for o in objects] for s, objects in current.inverse.items()}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".shacl-")
        with os.fdopen(fd, "wb") as f:
            f.write(json.dumps({"key": key, "findings": findings}, ensure_ascii=False).encode() + b"\n")
            f.write(json.dumps(body, ensure_ascii=False).encode())
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only place: validation is still right, the next run only slower


@cache
def inverse_terms(additions: tuple[bytes, ...] = ()) -> frozenset[bytes]:
    """Predicates (N-Triples terms) whose statements the shapes read from the object's side
    (sh:inversePath, sh:targetObjectsOf): a change of them concerns their object too. The
    shapes are those the engine validates with: the packaged ones and ``additions`` (a
    registry's, twinkg/kinds.py ``Registry.shapes``)."""
    shapes = parse(with_additions(shapes_bytes(), additions), format=RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)
    return frozenset(f"<{q.object.value}>".encode() for q in shapes
                     if q.predicate in (_SH_INVERSE, _SH_OBJECTS_OF) and isinstance(q.object, NamedNode))


def affected_nodes(changed: set[bytes], before: Index, now: Index, document: bytes) -> set[bytes]:
    """The nodes whose findings a change can alter: the subjects whose statements changed,
    the nodes that point at them (their values' types and statements are read), and the
    nodes read from the object's side of a changed subject's statements, before and now."""
    nodes = set(changed)
    for subject in changed:
        nodes.update(before.inverse.get(subject, ()))
        nodes.update(now.inverse.get(subject, ()))
    for subject, _, value in _lines(document):
        if value in changed:
            nodes.add(subject)
    return nodes


def neighbourhood(nodes: set[bytes], document: bytes, inverse: frozenset[bytes]) -> bytes:
    """What validating ``nodes`` reads: their statements and those of their values (also the
    values of inverse paths, ``inverse``), and the statements giving them those inverse values."""
    near = set(nodes)
    for subject, predicate, value in _lines(document):
        if subject in nodes and value.startswith(b"<"):
            near.add(value)
        elif value in nodes and predicate in inverse:
            near.add(subject)
    return b"".join(line for line, (subject, predicate, value) in zip(io.BytesIO(document), _lines(document))
                    if subject in near or (value in nodes and predicate in inverse))


def incremental_findings(data: Data, ontology: Data, cache_dir: Path,
                         engine_name: str, engine: Engine, shape_additions: tuple[bytes, ...] = (),
                         additions: bytes = b"", whole: float | None = None) -> list[Finding]:
    """The findings ``engine`` gives for ``data`` with ``ontology``, validating only what
    changed since the cache in ``cache_dir`` was written; the cache is then this run's.
    The ontology is the same in both runs (its digest is in the key) and always validated
    with the part, so that class hierarchy and concepts are all there.

    ``data`` is best one N-Triples document (bytes): it is compared subject by subject with
    the last run's digests (not kept line by line: a digest per subject is a small part of
    the statements), and it is what the engine reads. ``shape_additions``: the shapes the
    engine has beside the packaged ones (a registry's); ``additions``: those and the
    ontology's, for the cache key; ``whole``: as for ``full_findings``."""
    path, key = cache_dir / FILE_NAME, cache_key(engine_name, additions)
    inverse = inverse_terms(shape_additions)
    document, ontology = _bytes(data), _bytes(ontology)
    # Blank nodes have no identity across runs (the loader makes none): such data is
    # validated whole (as is data with "_:" in a text: rare, and only slower).
    if b"_:" in document:
        return full_findings(engine, document, ontology, inverse, whole)
    previous = _read(path, key)
    if previous is None:
        # Nothing to compare with: the digests (Python) are made while the engine validates
        # (the SPARQL engine loads and queries its store without Python's lock).
        with ThreadPoolExecutor(1, thread_name_prefix="twinkg-digests") as pool:
            indexing = pool.submit(index, document, inverse)
            findings = full_findings(engine, document, ontology, inverse, whole)
            now = indexing.result()
    else:
        now = index(document, inverse)
        before, cached = previous
        changed = {s for s in now.digests.keys() | before.digests.keys()
                   if now.digests.get(s) != before.digests.get(s)}
        if not changed:
            return cached
        nodes = affected_nodes(changed, before, now, document)
        if len(nodes) > FULL_RUN_SHARE * len(now.digests):
            findings = full_findings(engine, document, ontology, inverse, whole)
        else:
            focus = {n[1:-1].decode() for n in nodes if n.startswith(b"<")}
            part = neighbourhood(nodes, document, inverse) + ontology
            findings = [f for f in cached if f.focus not in focus] + engine(part, focus)
    _write(path, key, now, findings)
    return findings


def _bytes(data: Data) -> bytes:
    document = ntriples(data)
    return document.encode() if isinstance(document, str) else document
