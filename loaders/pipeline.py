"""The load pipeline: read and check YAML → build RDF → SHACL → atomic store build."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pyoxigraph import NamedNode, Quad

from twinkg.config import ONTOLOGY_IRI, Settings
from twinkg.errors import TwinkgError
from twinkg.progress import Progress, as_progress

from .check import Curated, read_curated
from .enrichment import enrichment_quads
from .ontology import concepts, ontology_triples
from .problems import InvalidInput, Problem
from .rdf import Built, build_quads
from .searchindex import FILE_NAME as SEARCH_FILE, write_search_index
from .shacl import shacl_problems
from .storebuild import BuildInfo, build_store, oxigraph_path, read_meta

#: A Progress (twinkg/progress.py), a plain function of a message, or None (quiet).
ProgressLike = Progress | Callable[[str], None] | None


@dataclass
class Validated:
    built: Built
    #: Entities per class, in the order of the schema.
    counts: dict[str, int]


def validate_data(settings: Settings, progress: ProgressLike = None) -> Validated:
    """Check the curated data; raise InvalidInput listing every problem."""
    progress = as_progress(progress)
    known = concepts()
    curated = read_curated(settings.data_dir, {k: set(v) for k, v in known.items()}, progress)
    with progress.stage(f"building RDF for {len(curated.entries):,} records", unit="statements") as stage:
        built = build_quads(settings, curated, known)
        stage.advance(len(built.quads))
    # Accepted Wikidata suggestions (data/enrichment/wikidata.yaml): checked for shape, then
    # added in their own graph after SHACL, which judges the curated statements.
    enrichment, problems = enrichment_quads(settings, curated)
    problems += _dataset_file_problems(settings, curated)
    counts = dict(Counter(e.kind.cls for e in curated.entries))
    # The YAML tree is read: SHACL and the store need only the statements (a quarter of the
    # memory at a million statements is the tree).
    del curated
    with progress.stage(f"validating {len(built.quads):,} statements against the SHACL shapes"):
        problems = shacl_problems(built.quads, built.origins) + problems
    if problems:
        raise InvalidInput(problems)
    built.quads.extend(enrichment)
    return Validated(built, counts)


def _dataset_file_problems(settings: Settings, curated: Curated) -> list[Problem]:
    """DATASET.toml (the export's dataset description) is input too: checked with the YAML,
    and its publisher must be one of the curated organizations (its IRI is theirs)."""
    from twinkg.export.metadata import FILE_NAME, dataset_info

    try:
        info = dataset_info(settings)
        if info.publisher and info.publisher.organization not in curated.ids.get("organization", {}):
            raise info.error("publisher.organization", f"unknown organization {info.publisher.organization!r} "
                             "(an id in organizations.yaml)")
    except TwinkgError as exc:
        label = f"{settings.data_dir}/{FILE_NAME}"
        message = exc.message.replace(str(settings.data_dir / FILE_NAME) + ": ", "")
        at = re.search(r" \(at line (\d+), column \d+\)$", message)
        line = int(at.group(1)) if at else 0
        return [Problem(label, line, "", message[:at.start()] if at else message)]
    return []


def dataset_quads(validated: Validated) -> list[Quad]:
    """The data graphs plus the ontology in its own named graph."""
    graph = NamedNode(ONTOLOGY_IRI)
    return validated.built.quads + [Quad(t.subject, t.predicate, t.object, graph)
                                    for t in ontology_triples()]


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
        from .remote import load_remote

        progress(f"writing {len(quads)} quads to the remote store at {settings.endpoint}")
        return validated, load_remote(settings, quads, meta, progress), time.perf_counter() - started
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
        from pyoxigraph import Store

        from twinkg.export.run import export_build

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
