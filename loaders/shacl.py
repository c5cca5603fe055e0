"""SHACL validation of the built graph, with results pointed back at the curated YAML."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import Iterable

from pyoxigraph import Quad, RdfFormat, Triple, serialize

from twinkg.config import PREFIXES
from twinkg.kinds import CURATED, Registry
from twinkg.ontology_files import ontology_triples, shapes_bytes, with_additions

from .problems import Problem
from .shacl_cache import incremental_findings, inverse_terms
from .shacl_chunks import full_findings
from .shacl_engines import ENGINE, ENGINES, Finding, engine_for


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


@cache
def _ontology(additions: tuple[bytes, ...]) -> tuple[Triple, ...]:
    return tuple(q.triple for q in ontology_triples(additions))


@cache
def _ontology_document(additions: tuple[bytes, ...]) -> bytes:
    return serialize(_ontology(additions), format=RdfFormat.N_TRIPLES)


def ontology_data(kinds: Registry = CURATED) -> list[Triple]:
    """Validated with the data: the concepts and the class hierarchy (ontology/shapes.ttl),
    with the terms of the registry's extra kinds."""
    return list(_ontology(kinds.ontology))


def to_problems(findings: Iterable[Finding], origins: dict[str, tuple[str, int, str]]) -> list[Problem]:
    """Findings as the curator reads them: ``file:line: record (property): SHACL: message``."""
    problems = []
    for f in findings:
        file, line, where = origins.get(f.focus, ("(generated)", 0, f.focus))
        field = f"{where} ({_curie(f.path)})" if f.path else where
        problems.append(Problem(file, line, field, f"SHACL: {f.message}"))
    return problems


def shacl_document(quads: list[Quad], output: Path | None = None) -> bytes | None:
    """What SHACL reads: one N-Triples document, merged over all graphs, streamed from the
    quads; the engine reads it and the cache digests it (a list of Triples and a second
    serialization took 1.4–2.2 GB at a million statements). Written to ``output`` if given
    (made in memory, it takes about twice its size while it grows)."""
    return serialize((q.triple for q in quads), None if output is None else str(output), format=RdfFormat.N_TRIPLES)


def shacl_problems(statements: list[Quad] | bytes, origins: dict[str, tuple[str, int, str]],
                   kinds: Registry = CURATED, cache_dir: Path | None = None, whole: float | None = None) -> list[Problem]:
    """Validate the data (quads, or their ``shacl_document``) against the shapes, both with
    the additions of ``kinds``; with ``cache_dir``, only what changed since the run that
    wrote the cache is validated again (shacl_cache.py), with the same result as a full
    run; ``whole``: as for ``shacl_chunks.full_findings`` (for the SPARQL engine; the
    fallback always reads groups above ``WHOLE``)."""
    data = statements if isinstance(statements, bytes) else shacl_document(statements)
    ontology = _ontology_document(kinds.ontology)
    shapes = with_additions(shapes_bytes(), kinds.shapes)
    # the SPARQL engine where it translates the shapes, else pyshacl-turbo (shacl_engines.py)
    name = engine_for(shapes)
    engine = partial(ENGINES[name], shapes=shapes)
    if name != ENGINE:
        whole = None  # the fallback holds ~1.3 kB per statement it reads: groups above WHOLE
    if cache_dir is None:
        return to_problems(full_findings(engine, data, ontology, inverse_terms(kinds.shapes), whole), origins)
    additions = b"\0".join(kinds.shapes + kinds.ontology)
    return to_problems(incremental_findings(data, ontology, cache_dir, name, engine, kinds.shapes, additions,
                                            whole), origins)
