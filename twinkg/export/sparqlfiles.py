"""The export's SPARQL, kept as .rq files in twinkg/export/sparql/."""

from __future__ import annotations

from functools import partial

from pyoxigraph import Store, Variable

from twinkg.rqfiles import packaged_query

#: ``read_query(name)``: the text of twinkg/export/sparql/<name>.rq
read_query = partial(packaged_query, "twinkg.export")


def select(store: Store, name: str, **bindings) -> list:
    """Rows of a SELECT over the union of all graphs; ``bindings`` are RDF terms by variable name."""
    substitutions = {Variable(k): v for k, v in bindings.items()} or None
    return list(store.query(read_query(name), use_default_graph_as_union=True,
                            substitutions=substitutions))



def exists(store: Store, name: str, **bindings) -> bool:
    """Whether a SELECT has a row (pyoxigraph binds only projected variables, so the value
    looked for is projected: no ASK)."""
    return bool(select(store, name, **bindings))
