"""Loading into a remote SPARQL store: validated first, then swapped in whole.

1. The data is validated exactly as for the embedded store (nothing is sent if it fails).
2. Each named graph is uploaded, in batches, into a temporary graph
   ``{base}graph/system/load-<version>/<n>`` — by Graph Store Protocol POSTs when a
   ``graph_store`` URL is configured, else by SPARQL Update ``INSERT DATA``.
3. One SPARQL Update request then ``MOVE``s every temporary graph over its target, drops the
   graphs of the previous load that are gone, and moves the metadata graph (version, counts)
   in last. Servers run one update request as one transaction (Oxigraph, GraphDB, Fuseki;
   Virtuoso per statement), so readers see the old dataset or the new one, never half a graph.
4. A failure before that request leaves the previous data untouched; the temporary graphs
   are dropped (best effort) and the error names the endpoint.

Blank nodes (the ontology's OWL lists) are sent as skolem IRIs (``twinkg/backends/skolem.py``:
Virtuoso refuses blank nodes in ``INSERT DATA``, and a blank node a server makes cannot be
named by the next query); the remote store maps them back when read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from twinkg.backends import updates
from twinkg.backends.protocol import Remote
from twinkg.backends.remote import RemoteStore, remote_for
from twinkg.backends.skolem import Skolem
from twinkg.config import PREFIXES, Settings
from twinkg.errors import TwinkgError

from .storebuild import dataset_hash, new_version

RDF_JSON = NamedNode(PREFIXES["rdf"] + "JSON")
RDF_VALUE = NamedNode(PREFIXES["rdf"] + "value")
OWL_VERSION = NamedNode(PREFIXES["owl"] + "versionInfo")
DCT_MODIFIED = NamedNode(PREFIXES["dct"] + "modified")
XSD_DATETIME = NamedNode(PREFIXES["xsd"] + "dateTime")


@dataclass(frozen=True)
class RemoteLoad:
    version: str
    endpoint: str
    graphs: int
    quads: int


def batches(triples: list[Triple], size: int) -> list[list[Triple]]:
    """Triples in batches of about ``size``; triples linked by blank nodes stay together."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in triples:
        blanks = [n.value for n in (t.subject, t.object) if isinstance(n, BlankNode)]
        for b in blanks[1:]:
            parent[find(b)] = find(blanks[0])
    units: dict[object, list[Triple]] = {}
    for i, t in enumerate(triples):
        blank = next((n.value for n in (t.subject, t.object) if isinstance(n, BlankNode)), None)
        units.setdefault(find(blank) if blank else i, []).append(t)
    out: list[list[Triple]] = [[]]
    for unit in units.values():
        if out[-1] and len(out[-1]) + len(unit) > size:
            out.append([])
        out[-1].extend(unit)
    return [b for b in out if b]


def _upload(remote: Remote, graph: str, triples: list[Triple], size: int) -> None:
    for n, batch in enumerate(batches(triples, size)):
        if remote.graph_store:
            remote.put_graph(graph, serialize(batch, format=RdfFormat.N_TRIPLES), replace=n == 0)
        else:
            remote.update(updates.insert_data(graph, batch))


def _meta_triples(graph: str, meta: dict) -> list[Triple]:
    g = NamedNode(graph)
    return [Triple(g, RDF_VALUE, Literal(json.dumps(meta, ensure_ascii=False), datatype=RDF_JSON)),
            Triple(g, OWL_VERSION, Literal(meta["version"])),
            Triple(g, DCT_MODIFIED, Literal(meta["loaded_at"], datatype=XSD_DATETIME))]


def _swap_timeout(settings: Settings, statements: int) -> float:
    """The swap moves every statement in one request, so its time grows with the dataset
    (100 k statements took over 10 s in `oxigraph serve` on a busy machine, where each
    upload took well under one): it gets REMOTE_TIMEOUT per REMOTE_BATCH statements moved,
    as long as their upload was allowed."""
    return settings.remote_timeout * max(1.0, statements / settings.remote_batch)


def load_remote(settings: Settings, quads: list[Quad], meta: dict,
                progress=lambda _: None, content: str | None = None) -> RemoteLoad:
    """Replace the remote dataset by ``quads`` (already validated) and ``meta``;
    ``content``: ``dataset_hash(quads)`` where the caller has it already."""
    remote = remote_for(settings)
    if not remote.update_endpoint:
        raise TwinkgError("loading into a remote store needs --update-endpoint "
                          "(its SPARQL Update URL)", 400)
    previous = RemoteStore(remote).meta(settings.meta_graph) or {}
    content = content or dataset_hash(quads)
    version = new_version(content)
    skolem = Skolem(settings.base_iri)
    by_graph: dict[str, list[Triple]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(
            Triple(skolem.out(q.subject), q.predicate, skolem.out(q.object)))
    graphs = sorted(by_graph)
    meta = {**meta, "version": version, "content_sha256": content, "quads": len(set(quads)),
            "graphs": graphs}
    scratch = f"{settings.graph_base}system/load-{version}/"
    moves = [(f"{scratch}{i}", g) for i, g in enumerate(graphs)]
    if settings.remote_union == "union-graph":  # the union as one graph too (backends/remote.py)
        by_graph[settings.union_graph] = list(dict.fromkeys(t for g in graphs for t in by_graph[g]))
        moves.append((f"{scratch}union", settings.union_graph))
        meta["union_graph"] = settings.union_graph
    moves.append((f"{scratch}meta", settings.meta_graph))
    try:
        for (tmp, target) in moves[:-1]:
            progress(f"uploading {len(by_graph[target])} statements of <{target}>")
            _upload(remote, tmp, by_graph[target], settings.remote_batch)
        _upload(remote, moves[-1][0], _meta_triples(settings.meta_graph, meta), settings.remote_batch)
        stale = sorted({*previous.get("graphs", []), *filter(None, [previous.get("union_graph")])}
                       - {*graphs, *filter(None, [meta.get("union_graph")])})
        progress(f"swapping {len(graphs)} graphs in (one update request)")
        swap = replace(remote, timeout=_swap_timeout(settings, sum(map(len, by_graph.values()))))
        swap.update(updates.request([*(updates.drop(g) for g in stale),
                                     *(updates.move(t, g) for t, g in moves)]))
    except TwinkgError:
        try:
            remote.update(updates.request([updates.drop(t) for t, _ in moves]))
        except TwinkgError:
            pass  # the server is gone; the scratch graphs are named by version and harmless
        raise
    return RemoteLoad(version, settings.endpoint, len(graphs), meta["quads"])
