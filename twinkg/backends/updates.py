"""The SPARQL Update operations a remote load sends: INSERT DATA, MOVE, DROP.

These are not ``.rq`` files because they are generated, not written: SPARQL Update has no
way to bind values, and the only variable parts are graph IRIs of twinkg's own and triples —
all serialized by pyoxigraph (``str(NamedNode)``, N-Triples), which escapes them. No user
text reaches them. N-Triples lines are valid SPARQL triples, so a batch is sent as it is
serialized.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize


def insert_data(graph: str, triples: list[Triple]) -> str:
    ntriples = serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8")
    return f"INSERT DATA {{ GRAPH {NamedNode(graph)} {{\n{ntriples}}} }}"


def drop(graph: str) -> str:
    return f"DROP SILENT GRAPH {NamedNode(graph)}"


def move(source: str, target: str) -> str:
    return f"MOVE SILENT {NamedNode(source)} TO {NamedNode(target)}"


def request(operations: list[str]) -> str:
    """One update request: its operations run in order (and, on most servers, as one transaction)."""
    return " ;\n".join(operations)
