"""The SHACL engines, each giving the same engine-independent findings.

pyshacl-turbo (Rust, pySHACL's report model) is the loader's engine, chosen by measurement
(bench/shacl_engines.py, bench/README.md); tests/test_shacl_engines.py requires its findings
to equal pySHACL's on the curated data and on broken copies of it. pySHACL is the reference
and the fallback where pyshacl-turbo has no wheel.
"""

from __future__ import annotations

from functools import cache
from typing import Callable, Iterable, NamedTuple

import pyshacl
import rdflib
from pyoxigraph import RdfFormat, Triple, serialize
from rdflib.namespace import SH

from twinkg.ontology_files import shapes_bytes, turtle_graph

try:  # a Rust extension; every platform pyoxigraph has wheels for has one too
    import pyshacl_turbo
    # Input hands N-Triples straight to the Rust parser. The public ways are slower (a str
    # goes through rdflib: 7× at 100 k statements) or wrong (a pyoxigraph Store: sh:in of
    # plain strings fails in 0.6.5); pyproject.toml pins the version for this reason.
    from pyshacl_turbo.rdf import Input as TurboInput
except ImportError:  # pragma: no cover
    pyshacl_turbo = None


class Finding(NamedTuple):
    """One violation, as the engine reports it (before it is pointed at the YAML)."""

    focus: str
    path: str  # the result path's IRI; "" where there is none (node constraints, inverse paths)
    message: str
    component: str  # the constraint component's IRI, e.g. sh:MinCountConstraintComponent


#: Statements as terms, or as one N-Triples document (bytes, or str already decoded): the
#: loader passes the document it serialized once, so no list of a million Triples is made.
Data = list[Triple] | bytes | str

#: The statements to validate (data and ontology), and None or the only focus nodes to
#: validate; engines take the shapes (Turtle) as a keyword, the packaged ones by default.
Engine = Callable[[Data, "Iterable[str] | None"], list[Finding]]


def _findings(report: rdflib.Graph) -> list[Finding]:
    found = []
    # Only the report's own results: nested ones (sh:detail) explain these and would repeat them.
    for result in report.objects(None, SH.result):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage) or "violates a shape"
        found.append(Finding(str(report.value(result, SH.focusNode)),
                             str(path) if isinstance(path, rdflib.URIRef) else "", str(message),
                             str(report.value(result, SH.sourceConstraintComponent))))
    return found


def ntriples(data: Data) -> bytes | str:
    """``data`` as an N-Triples document (a document is passed through as it is)."""
    return data if isinstance(data, (bytes, str)) else serialize(data, format=RdfFormat.N_TRIPLES)


def _text(data: Data) -> str:
    document = ntriples(data)
    return document if isinstance(document, str) else document.decode()


def _focus(focus: Iterable[str] | None) -> list[rdflib.URIRef] | None:
    return None if focus is None else [rdflib.URIRef(f) for f in focus]


@cache
def _turbo_shapes(shapes: bytes):
    return pyshacl_turbo.compile_shapes(shapes.decode(), shacl_graph_format="turtle", advanced=True)


def turbo_findings(data: Data, focus: Iterable[str] | None = None,
                   shapes: bytes | None = None) -> list[Finding]:
    focus_nodes = _focus(focus)
    if focus_nodes == []:
        return []
    source = TurboInput(_text(data), "nt", None, {}, {})
    _, report, _ = _turbo_shapes(shapes or shapes_bytes()).validate(source, allow_warnings=True, focus_nodes=focus_nodes)
    return _findings(report)


def pyshacl_findings(data: Data, focus: Iterable[str] | None = None,
                     shapes: bytes | None = None) -> list[Finding]:
    focus_nodes = _focus(focus)
    if focus_nodes == []:
        return []
    graph = rdflib.Graph().parse(data=_text(data), format="nt")
    _, report, _ = pyshacl.validate(graph, shacl_graph=turtle_graph(shapes or shapes_bytes()), inference="none",
                                    advanced=True, allow_warnings=True, focus_nodes=focus_nodes)
    return _findings(report)


ENGINES: dict[str, Engine] = {"pyshacl": pyshacl_findings}
if pyshacl_turbo is not None:
    ENGINES["pyshacl-turbo"] = turbo_findings
#: The loader's engine (a key of ENGINES); the validation cache keys its results by it.
ENGINE = "pyshacl-turbo" if pyshacl_turbo is not None else "pyshacl"
