"""SHACL validation of the built graph, with results pointed back at the curated YAML."""

from __future__ import annotations

import rdflib
from pyoxigraph import Quad, RdfFormat, serialize
from pyshacl import validate
from rdflib.namespace import SH

from twinkg.config import PREFIXES
from twinkg.ontology_files import ontology_bytes, shapes_bytes, turtle_graph

from .problems import Problem


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def shacl_problems(quads: list[Quad], origins: dict[str, tuple[str, int, str]]) -> list[Problem]:
    """Validate the data (merged over all graphs, with the ontology for the concepts)."""
    data = turtle_graph(ontology_bytes())
    triples = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)
    data.parse(data=triples, format="nt")
    shapes = turtle_graph(shapes_bytes())
    conforms, results, _ = validate(data, shacl_graph=shapes, inference="none",
                                    advanced=True, allow_warnings=True)
    if conforms:
        return []
    problems = []
    # Only the report's own results: nested ones (sh:detail) explain these and would repeat them.
    for result in results.objects(None, SH.result):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage) or "violates a shape"
        file, line, where = origins.get(str(focus), ("(generated)", 0, str(focus)))
        field = f"{where} ({_curie(str(path))})" if isinstance(path, rdflib.URIRef) else where
        problems.append(Problem(file, line, field, f"SHACL: {message}"))
    return problems
