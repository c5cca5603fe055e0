"""A local, in-memory copy of a remote store's dataset, for work that reads everything.

The export (dumps in six syntaxes, statistics, documentation) and the pages' index read the
whole dataset, and the export code uses pyoxigraph's ``Store`` beyond queries (``dump``). For
a remote store they run on this copy: one query fetches the quads of the version's graphs
(listed in its metadata), never the metadata graph itself.
"""

from __future__ import annotations

from pyoxigraph import Quad, Store


def remote_quads(store, meta: dict) -> list[Quad]:
    graphs = set(meta.get("graphs", []))
    return [q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name.value in graphs]


def local_mirror(quads: list[Quad]) -> Store:
    mirror = Store()
    mirror.bulk_extend(quads)
    return mirror
