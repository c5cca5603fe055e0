"""The load pipeline: validated data (validation.py) → atomic store build, or the remote store."""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from twinkg.config import ONTOLOGY_IRI, Settings
from twinkg.errors import TwinkgError
from twinkg.export.run import export_build
from twinkg.kinds import Registry
from twinkg.memory import give_back_freed_memory
from twinkg.ontology_files import ontology_triples
from twinkg.progress import Progress, as_progress
from twinkg.store import oxigraph_path, read_meta

from .problems import InvalidInput, Problem
from .remote import load_remote
from .remotefiles import write_remote_files
from .shacl import shacl_document
from .site_index import FILE_NAME as SEARCH_FILE
from .site_index import write_search_index
from .storebuild import BuildInfo, dataset_hash, new_build
from .validation import ProgressLike, Validated, check_data, judged, rare_collections, shacl_stage


def dataset_quads(statements: list[Quad], kinds: Registry) -> list[Quad]:
    """The data graphs plus the ontology (with the additions of ``kinds``) in its own named graph."""
    graph = NamedNode(ONTOLOGY_IRI)
    return statements + [Quad(t.subject, t.predicate, t.object, graph) for t in ontology_triples(kinds.ontology)]


def load(settings: Settings, progress: ProgressLike = None) -> tuple[Validated, BuildInfo, float]:
    """Validate, then build a new store and swap it in; nothing changes on failure.

    With ``settings.endpoint`` set, the remote store's graphs are replaced instead
    (``remote.py``); the info then has a ``version`` too, but no path."""
    with rare_collections():
        return _load(settings, as_progress(progress))


def _load(settings: Settings, progress: Progress) -> tuple[Validated, BuildInfo, float]:
    started = time.perf_counter()
    checked = check_data(settings, progress)
    # The store's statements: the curated ones, the enrichment, the ontology (a second list
    # of the same quads, not a copy of them), hashed on a thread of its own meanwhile.
    quads = dataset_quads(checked.built.quads + checked.enrichment, checked.kinds)
    pool = ThreadPoolExecutor(1, thread_name_prefix="twinkg-hash")
    hashing = pool.submit(dataset_hash, quads)
    pool.shutdown(wait=False)  # the hash goes on; result() waits for it
    if settings.remote or checked.problems:
        # The remote store is written in place (no build to discard); problems found already
        # are reported with SHACL's (judged raises), as `validate` reports them.
        validated = judged(checked, shacl_stage(settings, checked, progress))
        with progress.stage("hashing the content", len(quads), "quads"):
            content = hashing.result()
        progress(f"writing {len(quads)} quads to the remote store at {settings.endpoint}")
        info = load_remote(settings, quads, _meta(settings, validated), progress, content)
        write_remote_files(settings, quads, progress)
        return validated, info, time.perf_counter() - started
    # The store first, then SHACL: once the statements are in the store and the search
    # index, the Python objects of them are released (a third of the memory at 166 k
    # statements), and SHACL reads its own N-Triples document of them; so no stage holds
    # two copies of the statements, and SHACL reads the document at once, not in groups.
    # A build SHACL refuses is removed, never served.
    validated = judged(checked, [])
    export = _export_into_build(settings, progress) if settings.export_on_load else None

    with new_build(settings.store, quads, progress, beside=partial(_search_index, quads, settings, progress)) as build:
        with progress.stage("hashing the content", len(quads), "quads"):
            content = hashing.result()
        # What SHACL reads (the curated statements, not the enrichment), made only now and
        # through a file: made in memory it took twice its size beside the statements, the
        # peak of the load (285–315 MB at 166 k statements; through the file 258–265 MB).
        scratch = build.path / "shacl.nt"
        shacl_document(validated.built.quads[:checked.statements], scratch)
        del quads  # new_build holds them no more, nor the search index's step
        validated.built.quads = []
        give_back_freed_memory()
        document = scratch.read_bytes()
        scratch.unlink()
        problems = shacl_stage(settings, checked, progress, document, whole=math.inf)
        if problems:
            raise InvalidInput(problems)
        del document
        build.describe(_meta(settings, validated), content)
        if export is not None:
            export(build.path)
    return validated, BuildInfo(build.version, build.path), time.perf_counter() - started


def _search_index(quads: list[Quad], settings: Settings, progress: Progress, build: Path) -> None:
    with progress.stage("indexing names, titles and captions for search", unit="entities") as stage:
        stage.advance(write_search_index(build / SEARCH_FILE, quads, settings.base_iri))


def _meta(settings: Settings, validated: Validated) -> dict:
    return {
        "base_iri": settings.base_iri,
        "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "entities": validated.counts,
    }


def _export_into_build(settings: Settings, progress: Progress):
    """Write the publication into the new build (``<build>/export/``) before it is swapped in,
    with a changelog against the export of the build served until now."""
    def export(build: Path) -> None:
        served = [settings.store.resolve()] if settings.store.exists() else []
        store = Store.read_only(str(oxigraph_path(build)))
        try:
            export_build(store, read_meta(build), settings, build, served, progress)
        except TwinkgError as exc:  # e.g. a broken DATASET.toml: reported like any input problem
            raise InvalidInput([Problem("export", 0, "", exc.message)]) from None
        finally:
            del store
    return export


__all__ = ["load", "dataset_quads"]
