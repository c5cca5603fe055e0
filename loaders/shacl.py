"""SHACL validation of the built graph, with results pointed back at the curated YAML."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Iterable

from pyoxigraph import Quad, Triple

from twinkg.config import PREFIXES

from .ontology import ontology_triples
from .problems import Problem
from .shacl_cache import incremental_findings
from .shacl_engines import ENGINE, ENGINES, Finding


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


@cache
def _ontology() -> tuple[Triple, ...]:
    return tuple(q.triple for q in ontology_triples())


def ontology_data() -> list[Triple]:
    """Validated with the data: the concepts and the class hierarchy (ontology/shapes.ttl)."""
    return list(_ontology())


def to_problems(findings: Iterable[Finding], origins: dict[str, tuple[str, int, str]]) -> list[Problem]:
    """Findings as the curator reads them: ``file:line: record (property): SHACL: message``."""
    problems = []
    for f in findings:
        file, line, where = origins.get(f.focus, ("(generated)", 0, f.focus))
        field = f"{where} ({_curie(f.path)})" if f.path else where
        problems.append(Problem(file, line, field, f"SHACL: {f.message}"))
    return problems


def shacl_problems(quads: list[Quad], origins: dict[str, tuple[str, int, str]],
                   cache_dir: Path | None = None) -> list[Problem]:
    """Validate the data; with ``cache_dir``, only what changed since the run that wrote the
    cache is validated again (shacl_cache.py), with the same result as a full run."""
    data = [q.triple for q in quads]  # merged over all graphs
    if cache_dir is None:
        return to_problems(ENGINES[ENGINE](data + ontology_data(), None), origins)
    return to_problems(incremental_findings(data, ontology_data(), cache_dir, ENGINE, ENGINES[ENGINE]),
                       origins)
