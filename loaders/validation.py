"""Validation of the curated data: read and check the YAML → build RDF → SHACL.

Apart from the load (pipeline.py), so that `twinkg validate`, a curator's command of many
times a day, imports neither the export nor the store build."""

from __future__ import annotations

import gc
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from pyoxigraph import Quad

from twinkg.config import Settings
from twinkg.errors import TwinkgError
from twinkg.export.metadata import FILE_NAME as DATASET_FILE
from twinkg.export.metadata import dataset_info
from twinkg.kinds import Registry, kinds_of
from twinkg.progress import Progress, as_progress

from .check import Curated, read_curated
from .enrichment import enrichment_quads
from .ontology import concepts
from .problems import InvalidInput, Problem
from .rdf import Built, build_quads
from .shacl import shacl_problems
from .shacl_cache import cache_dir

#: A Progress (twinkg/progress.py), a plain function of a message, or None (quiet).
ProgressLike = Progress | Callable[[str], None] | None


@dataclass
class Validated:
    built: Built
    #: Entities per class, in the order of the schema.
    counts: dict[str, int]
    #: The kinds read (their ontology additions go into the store with the packaged ontology).
    kinds: Registry
    #: The data statements (``load`` releases ``built.quads`` once they are in the store).
    statements: int


@dataclass
class Checked(Validated):
    """The data read, checked and built, before SHACL has judged it."""

    #: Accepted Wikidata suggestions, added after SHACL (which judges the curated statements).
    enrichment: list[Quad]
    #: Every problem found before SHACL.
    problems: list[Problem]


def check_data(settings: Settings, progress: Progress) -> Checked:
    """Read, check and build the curated data; raises InvalidInput where records cannot be
    built, and returns the other problems found (SHACL comes after)."""
    known = concepts()
    curated = read_curated(settings.data_dir, {k: set(v) for k, v in known.items()}, kinds_of(settings), progress)
    with progress.stage(f"building RDF for {len(curated.entries):,} records", unit="statements") as stage:
        built = build_quads(settings, curated, known)
        stage.advance(len(built.quads))
    # Accepted Wikidata suggestions (data/enrichment/wikidata.yaml): checked for shape, then
    # added in their own graph after SHACL, which judges the curated statements.
    enrichment, problems = enrichment_quads(settings, curated)
    problems += _dataset_file_problems(settings, curated)
    # The YAML tree is not kept: SHACL and the store need only the statements (a quarter of
    # the memory at a million statements is the tree).
    return Checked(built, dict(Counter(e.kind.cls for e in curated.entries)), curated.kinds, len(built.quads),
                   enrichment, problems)


def judged(checked: Checked, shacl: list[Problem]) -> Validated:
    """The data once SHACL has judged it: InvalidInput listing every problem, or the
    statements with the enrichment added."""
    problems = shacl + checked.problems
    if problems:
        raise InvalidInput(problems)
    checked.built.quads.extend(checked.enrichment)
    return Validated(checked.built, checked.counts, checked.kinds, len(checked.built.quads))


def shacl_stage(settings: Settings, checked: Checked, progress: Progress, document: bytes | None = None,
                whole: float | None = None) -> list[Problem]:
    """SHACL's problems of the curated statements, or of their ``document`` (``shacl_document``)
    where the caller has released them (with the validation cache of ``settings``)."""
    with progress.stage(f"validating {checked.statements:,} statements against the SHACL shapes"):
        return shacl_problems(checked.built.quads if document is None else document, checked.built.origins,
                              checked.kinds, cache_dir(settings), whole)


@contextmanager
def rare_collections() -> Iterator[None]:
    """Python's cycle collector less often while the data is read and built: the records,
    statements and origins all live to the end, and at 100 k statements the default
    thresholds ran 496 collections (0.15 s), 50,000 allocations per young collection 5."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def validate_data(settings: Settings, progress: ProgressLike = None) -> Validated:
    """Check the curated data; raise InvalidInput listing every problem."""
    progress = as_progress(progress)
    with rare_collections():
        checked = check_data(settings, progress)
        return judged(checked, shacl_stage(settings, checked, progress))


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
