"""The SHACL engines, each giving the same engine-independent findings.

The loader's engine is the shapes compiled to SPARQL and run by Oxigraph (shacl_sparql.py),
chosen by measurement (bench/shacl_engines.py, bench/README.md); tests/test_shacl_engines.py
requires every engine's findings to equal pySHACL's on the curated data and on broken copies
of it. Shapes the compiler does not translate run in pyshacl-turbo (Rust, pySHACL's report
model), and pySHACL is the reference and the last fallback.

rdflib, pySHACL and pyshacl-turbo are imported inside their engines: importing them costs
0.25–0.4 s per command, which `validate` and `load` skip when the SPARQL engine runs.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from typing import Iterable

from twinkg.ontology_files import shapes_bytes, turtle_graph

from .shacl_model import Data, Engine, Finding, ntriples
from .shacl_sparql import compiles, sparql_findings

__all__ = ["Data", "Engine", "Finding", "ntriples", "ENGINES", "ENGINE", "engine_for"]

SH = "http://www.w3.org/ns/shacl#"


def _findings(report) -> list[Finding]:
    import rdflib  # see the module's docstring: only these engines need it

    sh = rdflib.Namespace(SH)
    found = []
    # Only the report's own results: nested ones (sh:detail) explain these and would repeat them.
    for result in report.objects(None, sh.result):
        if report.value(result, sh.resultSeverity) != sh.Violation:
            continue
        path = report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage) or "violates a shape"
        found.append(Finding(str(report.value(result, sh.focusNode)),
                             str(path) if isinstance(path, rdflib.URIRef) else "", str(message),
                             str(report.value(result, sh.sourceConstraintComponent))))
    return found


def _text(data: Data) -> str:
    document = ntriples(data)
    return document if isinstance(document, str) else document.decode()


def _focus(focus: Iterable[str] | None):
    import rdflib  # see the module's docstring

    return None if focus is None else [rdflib.URIRef(f) for f in focus]


@cache
def _turbo_shapes(shapes: bytes):
    import pyshacl_turbo  # see the module's docstring

    return pyshacl_turbo.compile_shapes(shapes.decode(), shacl_graph_format="turtle", advanced=True)


def turbo_findings(data: Data, focus: Iterable[str] | None = None,
                   shapes: bytes | None = None) -> list[Finding]:
    # Input hands N-Triples straight to the Rust parser. The public ways are slower (a str
    # goes through rdflib: 7× at 100 k statements) or wrong (a pyoxigraph Store: sh:in of
    # plain strings fails in 0.6.5); pyproject.toml pins the version for this reason.
    from pyshacl_turbo.rdf import Input as TurboInput  # see the module's docstring

    focus_nodes = _focus(focus)
    if focus_nodes == []:
        return []
    source = TurboInput(_text(data), "nt", None, {}, {})
    _, report, _ = _turbo_shapes(shapes or shapes_bytes()).validate(source, allow_warnings=True, focus_nodes=focus_nodes)
    return _findings(report)


def pyshacl_findings(data: Data, focus: Iterable[str] | None = None,
                     shapes: bytes | None = None) -> list[Finding]:
    import pyshacl  # see the module's docstring
    import rdflib

    focus_nodes = _focus(focus)
    if focus_nodes == []:
        return []
    graph = rdflib.Graph().parse(data=_text(data), format="nt")
    _, report, _ = pyshacl.validate(graph, shacl_graph=turtle_graph(shapes or shapes_bytes()), inference="none",
                                    advanced=True, allow_warnings=True, focus_nodes=focus_nodes)
    return _findings(report)


ENGINES: dict[str, Engine] = {"pyshacl": pyshacl_findings, "oxigraph-sparql": sparql_findings}
# a Rust extension; every platform pyoxigraph has wheels for has one too
if find_spec("pyshacl_turbo") is not None:
    ENGINES["pyshacl-turbo"] = turbo_findings
#: The loader's engine (a key of ENGINES); the validation cache keys its results by it.
ENGINE = "oxigraph-sparql"
#: For shapes the SPARQL compiler refuses (shacl_sparql.Unsupported).
FALLBACK = "pyshacl-turbo" if "pyshacl-turbo" in ENGINES else "pyshacl"


def engine_for(shapes: bytes) -> str:
    """The engine that runs ``shapes`` (Turtle): ENGINE where it translates them all."""
    return ENGINE if ENGINE != "oxigraph-sparql" or compiles(shapes) else FALLBACK
