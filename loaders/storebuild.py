"""Atomic store builds: a new store is built beside the served one and swapped in whole.

Layout: ``<store>`` is a symlink to ``<store>.d/<version>/``, which holds ``oxigraph/`` (the
pyoxigraph store) and ``meta.json``. Replacing a symlink with ``os.replace`` is atomic, so a
reader sees the old build or the new one, never a mix; a failed or killed load leaves the
symlink as it was.

One load at a time per store: ``.<store name>.lock`` beside the store link is held (``flock``) from the build to the
swap. Without it, concurrent loads removed each other's half-built stores (``_remove_stale`` of
one saw the other's work). A second load waits for the first, saying so; the kernel releases the
lock of a load that dies, even by ``kill -9``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, serialize

from twinkg.errors import TwinkgError
from twinkg.progress import Progress, Stage, as_progress

from .problems import InvalidInput, Problem

KEEP_BUILDS = 2  # the served build and the one before it (a reader may still have it open)


def lock_path(store: Path) -> Path:
    """Beside the link (as its temporary ``.<name>.link-<pid>``): <store>.d/ holds builds only."""
    return store.parent / f".{store.name}.lock"


@dataclass(frozen=True)
class BuildInfo:
    version: str
    path: Path


#: Quads per step of the bulk load, and of hashing: each step holds one chunk's batch or
#: text, so memory stays bounded however large the dataset (the quad list is the one copy).
#: The hash runs beside the store build, so its steps are smaller (its 50,000 lines' text
#: and their list added 20 MB to the build's peak).
CHUNK = 50_000
HASH_CHUNK = 10_000
_BLANK = NamedNode("urn:twinkg:blank-node")
_MODULUS = 1 << 256


def dataset_hash(quads: Sequence[Quad], stage: Stage | None = None) -> str:
    """A digest of the content: the same statements always give the same hash, in any order.

    The sum (mod 2^256) of each statement's SHA-256 over its N-Quads line, hashed once more:
    order-free like a digest of the sorted lines, without a sorted copy of a million lines.
    Blank nodes (only the ontology's OWL lists have them) get new ids at every parse, so they
    are hashed as one placeholder; the named nodes carry the content.
    """
    total = 0
    for start in range(0, len(quads), HASH_CHUNK):
        chunk = quads[start:start + HASH_CHUNK]
        text = serialize(chunk, format=RdfFormat.N_QUADS)
        if b"_:" in text:  # a blank node, or "_:" in a literal: this chunk quad by quad
            text = serialize(map(_without_blank_ids, chunk), format=RdfFormat.N_QUADS)
        for line in text.splitlines():
            total += int.from_bytes(hashlib.sha256(line).digest(), "big")
        if stage is not None:
            stage.advance(len(chunk))
    return hashlib.sha256((total % _MODULUS).to_bytes(32, "big")).hexdigest()


def _without_blank_ids(quad: Quad) -> Quad:
    s, o = quad.subject, quad.object
    if isinstance(s, BlankNode) or isinstance(o, BlankNode):
        return Quad(_BLANK if isinstance(s, BlankNode) else s, quad.predicate,
                    _BLANK if isinstance(o, BlankNode) else o, quad.graph_name)
    return quad


def builds_dir(store: Path) -> Path:
    return store.parent / (store.name + ".d")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(builds: Path) -> None:
    """Remove half-built stores left by killed loads."""
    for tmp in builds.glob(".building-*"):
        pid = tmp.name.split("-")[1]
        if not (pid.isdigit() and _pid_alive(int(pid))):
            shutil.rmtree(tmp, ignore_errors=True)


def _garbage_collect(builds: Path, current: Path) -> None:
    done = sorted((p for p in builds.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    keep = {current.name} | {p.name for p in done[-KEEP_BUILDS:]}
    for p in done:
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)


def build_store(store: Path, quads: list[Quad], meta: dict,
                extra: Callable[[Path], None] | None = None,
                progress: Progress | Callable[[str], None] | None = None,
                beside: Callable[[Path], None] | None = None) -> BuildInfo:
    """Write ``quads`` into a fresh store and make it the served one (``new_build``, whose
    block runs ``extra(build_dir)``: further files, such as the export)."""
    with new_build(store, quads, progress, beside) as build:
        build.describe(meta, dataset_hash(quads))
        if extra is not None:
            extra(build.path)
    return BuildInfo(build.version, build.path)


@dataclass
class Build:
    """A build being made: ``path`` is its directory (the served one's once swapped in)."""

    path: Path
    #: What the store holds (duplicates among the quads written count once).
    quads: int
    version: str = ""

    def describe(self, meta: dict, content: str) -> None:
        """meta.json: ``meta`` with the version made from ``content`` (``dataset_hash``)."""
        self.version = new_version(content)
        meta = {**meta, "version": self.version, "content_sha256": content, "quads": self.quads}
        (self.path / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


@contextlib.contextmanager
def new_build(store: Path, quads: list[Quad], progress: Progress | Callable[[str], None] | None = None,
              beside: Callable[[Path], None] | None = None) -> Iterator[Build]:
    """A fresh store of ``quads`` beside the served one, swapped in when the block ends.

    The store is written and compacted before the block; ``beside(build_dir)`` writes files
    made from ``quads`` meanwhile (the search index). The block gets the build, holding no
    reference to ``quads`` any more (the caller may release them), gives it its metadata
    (``Build.describe``) and adds files (the export): always those of the store they are
    served with. If the block raises, the build is removed and nothing changes; so does a
    failure of the disk, reported in one line.
    """
    if store.exists() and not store.is_symlink():
        raise InvalidInput([Problem(str(store), 0, "",
                                    "exists and is not a twinkg store link; move it away or choose another --store")])
    builds = builds_dir(store)
    progress = as_progress(progress)
    with contextlib.ExitStack() as held:
        try:
            builds.mkdir(parents=True, exist_ok=True)
            held.enter_context(_load_lock(store, progress))
            _remove_stale(builds)
            tmp = builds / f".building-{os.getpid()}-{time.time_ns()}"
            held.callback(shutil.rmtree, tmp, ignore_errors=True)  # gone already once renamed
            tmp.mkdir()
            build = Build(tmp, _write(tmp, quads, beside, progress))
            del quads, beside  # the caller may release the statements (``beside`` may hold them too)
            yield build
            if not build.version:
                raise ValueError("a build swapped in without its metadata (Build.describe)")
            final = builds / build.version
            try:
                os.replace(tmp, final)
            except OSError:
                # The same content loaded again within the same microsecond (by another load
                # too): the build there is this one.
                if not (final / "meta.json").exists():
                    raise
            link = store.parent / f".{store.name}.link-{os.getpid()}"
            if link.is_symlink():
                link.unlink()
            link.symlink_to(os.path.relpath(final, store.parent))
            os.replace(link, store)
            build.path = final
        except (OSError, sqlite3.Error) as exc:  # not a directory, no permission, disk full…
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise TwinkgError(f"cannot write the store at {builds}: {reason}; "
                              f"the served store {store} was not changed", 500) from None
    try:
        _garbage_collect(builds, final)
    except OSError:
        pass  # the new store is served; old builds go at the next load


@contextlib.contextmanager
def _load_lock(store: Path, progress: Progress):
    """Hold the store's lock file; if another load holds it, say so and wait for it."""
    with open(lock_path(store), "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            progress.notice(f"another load (process {holder}) is writing {store}; waiting for it to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))  # for the message of the next one to wait
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def new_version(content: str) -> str:
    """A load's version: its UTC time to the microsecond and the content hash's first 12 digits.

    Unique per load: two loads of the same content in one second used to share a version
    (second resolution), hence their ETags and a remote load's scratch graphs."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z"
    return stamp + "-" + content[:12]


def _write(tmp: Path, quads: list[Quad], beside: Callable[[Path], None] | None, progress: Progress) -> int:
    """The store of ``quads`` in ``tmp``, compacted (and ``beside``'s files); its count."""
    db = Store(str(tmp / "oxigraph"))
    with progress.stage("writing the new store", len(quads), "quads") as stage:
        for start in range(0, len(quads), CHUNK):
            db.bulk_extend(quads[start:start + CHUNK])
            stage.advance(min(CHUNK, len(quads) - start))
        db.flush()
    # Compaction runs in Oxigraph without Python's lock: ``beside`` runs meanwhile (on
    # two cores the two take the longer one's time, not their sum).
    with ThreadPoolExecutor(1, thread_name_prefix="twinkg-compact") as pool:
        compacted = pool.submit(db.optimize)
        if beside is not None:
            beside(tmp)
        with progress.stage("compacting the store"):
            compacted.result()
    # What the store itself holds (duplicates in ``quads`` count once); a set of all
    # the quads to compare with took hundreds of MB at a million statements.
    count = len(db)
    del db  # closes the store and releases its lock
    return count
