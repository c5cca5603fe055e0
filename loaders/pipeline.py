"""The load pipeline: read and check YAML → build RDF → SHACL → atomic store build."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pyoxigraph import NamedNode, Quad, Store

from twinkg.config import ONTOLOGY_IRI, Settings
from twinkg.errors import TwinkgError
from twinkg.export.metadata import FILE_NAME as DATASET_FILE
from twinkg.export.metadata import dataset_info
from twinkg.export.run import export_build
from twinkg.kinds import Registry, kinds_of
from twinkg.ontology_files import ontology_triples
from twinkg.progress import Progress, as_progress
from twinkg.store import oxigraph_path, read_meta

from .check import Curated, read_curated
from .enrichment import enrichment_quads
from .ontology import concepts
from .problems import InvalidInput, Problem
from .rdf import Built, build_quads
from .remote import load_remote
from .remotefiles import write_remote_files
from .shacl import shacl_problems
from .shacl_cache import cache_dir
from .site_index import FILE_NAME as SEARCH_FILE
from .site_index import write_search_index
from .storebuild import BuildInfo, build_store

#: A Progress (twinkg/progress.py), a plain function of a message, or None (quiet).
ProgressLike = Progress | Callable[[str], None] | None


@dataclass
class Validated:
    built: Built
    #: Entities per class, in the order of the schema.
    counts: dict[str, int]
    #: The kinds read (their ontology additions go into the store with the packaged ontology).
    kinds: Registry


def validate_data(settings: Settings, progress: ProgressLike = None) -> Validated:
    """Check the curated data; raise InvalidInput listing every problem."""
    progress = as_progress(progress)
    known = concepts()
    curated = read_curated(settings.data_dir, {k: set(v) for k, v in known.items()}, kinds_of(settings), progress)
    with progress.stage(f"building RDF for {len(curated.entries):,} records", unit="statements") as stage:
        built = build_quads(settings, curated, known)
        stage.advance(len(built.quads))
    # Accepted Wikidata suggestions (data/enrichment/wikidata.yaml): checked for shape, then
    # added in their own graph after SHACL, which judges the curated statements.
    enrichment, problems = enrichment_quads(settings, curated)
    problems += _dataset_file_problems(settings, curated)
    counts, kinds = dict(Counter(e.kind.cls for e in curated.entries)), curated.kinds
    # The YAML tree is read: SHACL and the store need only the statements (a quarter of the
    # memory at a million statements is the tree).
    del curated
    with progress.stage(f"validating {len(built.quads):,} statements against the SHACL shapes"):
        problems = shacl_problems(built.quads, built.origins, kinds, cache_dir(settings)) + problems
    if problems:
        raise InvalidInput(problems)
    built.quads.extend(enrichment)
    return Validated(built, counts, kinds)


def _dataset_file_problems(settings: Settings, curated: Curated) -> list[Problem]:
    """DATASET.toml (the export's dataset description) is input too: checked with the YAML,
    and its publisher must be one of the curated organizations (its IRI is theirs)."""
    try:
        info = dataset_info(settings)
        if info.publisher and info.publisher.organization not in curated.ids.get("organization", {}):
            raise info.error("publisher.organization", f"unknown organization {info.publisher.organization!r} "
                             "(an id in organizations.yaml)")
    except TwinkgError as exc:
        label = f"{settings.data_dir}/{DATASET_FILE}"
        message = exc.message.replace(str(settings.data_dir / DATASET_FILE) + ": ", "")
        at = re.search(r" \(at line (\d+), column \d+\)$", message)
        line = int(at.group(1)) if at else 0
        return [Problem(label, line, "", message[:at.start()] if at else message)]
    return []


def dataset_quads(validated: Validated) -> list[Quad]:
    """The data graphs plus the ontology (with the registry's additions) in its own named graph."""
    graph = NamedNode(ONTOLOGY_IRI)
    return validated.built.quads + [Quad(t.subject, t.predicate, t.object, graph)
                                    for t in ontology_triples(validated.kinds.ontology)]


def load(settings: Settings, progress: ProgressLike = None) -> tuple[Validated, BuildInfo, float]:
    """Validate, then build a new store and swap it in; nothing changes on failure.

    With ``settings.endpoint`` set, the remote store's graphs are replaced instead
    (``remote.py``); the info then has a ``version`` too, but no path."""
    started = time.perf_counter()
    progress = as_progress(progress)
    validated = validate_data(settings, progress)
    quads = dataset_quads(validated)
    meta = {
        "base_iri": settings.base_iri,
        "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "entities": validated.counts,
    }
    if settings.remote:
        progress(f"writing {len(quads)} quads to the remote store at {settings.endpoint}")
        info = load_remote(settings, quads, meta, progress)
        write_remote_files(settings, quads, progress)
        return validated, info, time.perf_counter() - started
    export = _export_into_build(settings, progress) if settings.export_on_load else None

    def extra(build: Path) -> None:
        with progress.stage("indexing names, titles and captions for search", unit="entities") as stage:
            stage.advance(write_search_index(build / SEARCH_FILE, quads, settings.base_iri))
        if export is not None:
            export(build)

    info = build_store(settings.store, quads, meta, extra=extra, progress=progress)
    return validated, info, time.perf_counter() - started


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


__all__ = ["InvalidInput", "Validated", "validate_data", "load", "dataset_quads"]
