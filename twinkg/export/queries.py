"""The export's SPARQL, kept as .rq files in twinkg/export/sparql/."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pyoxigraph import Store, Variable


@cache
def read_query(name: str) -> str:
    return files("twinkg.export").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")


def select(store: Store, name: str, **bindings) -> list:
    """Rows of a SELECT over the union of all graphs; ``bindings`` are RDF terms by variable name."""
    substitutions = {Variable(k): v for k, v in bindings.items()} or None
    return list(store.query(read_query(name), use_default_graph_as_union=True,
                            substitutions=substitutions))
