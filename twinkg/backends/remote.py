"""A remote SPARQL 1.1 store with the query surface of pyoxigraph's ``Store``.

Callers (pages, canned queries, /sparql, export) keep calling
``store.query(text, use_default_graph_as_union=…, substitutions=…)`` and iterating what
pyoxigraph returns; this class answers with the same types:

- SELECT/ASK: the server's JSON results parsed by ``pyoxigraph.parse_query_results`` —
  real ``QuerySolutions`` / ``QueryBoolean``.
- CONSTRUCT/DESCRIBE: the server's Turtle or N-Triples loaded into a small in-memory
  pyoxigraph store and read back with ``CONSTRUCT WHERE { ?s ?p ?o }`` — real ``QueryTriples``.

The query is first parsed by pyoxigraph (against an empty in-memory store, nothing is
evaluated that touches data): syntax errors read the same on both backends, and the parse
tells whether the answer is a graph or solutions. Bound values become a VALUES block
(``inject.py``).

Union default graph: twinkg keeps every statement in a named graph and queries their union
(``use_default_graph_as_union=True``). By default (``remote_union = "graphs"``) the remote
store gets that union as a protocol dataset: every graph ``twinkg load`` wrote (listed in the
metadata graph) as ``default-graph-uri`` and ``named-graph-uri`` — standard SPARQL 1.1, and a
query's own ``FROM`` still works (then nothing is sent). With ``remote_union = "server"`` the
server's own union configuration is relied on instead (README, "What each server needs");
``remote_union = "union-graph"``: ``twinkg load`` also writes the union as one graph
``{base}graph/system/union`` (swapped in with the others), sent as the one
``default-graph-uri`` (the source graphs as ``named-graph-uri``). Measured on Virtuoso 7.2.5
with the curated data (bench/README.md): entity pages took a median 0.016-0.068 s this way,
as with no dataset at all (where Virtuoso's system graphs join the union: COUNT(*) 5,198, not
2,698), and 0.03-0.56 s with the eight graphs as protocol dataset or as FROM/FROM NAMED in
the text; Virtuoso's ``DEFINE input:default-graph-exclude`` of its other graphs was as fast
but failed two canned queries ("Stack Overflow in cost model").
Blank nodes are skolem IRIs in the remote store and blank nodes again in every answer
(``skolem.py``).
``default_graph``/``named_graphs`` are sent as ``default-graph-uri``/``named-graph-uri``.
"""

from __future__ import annotations

import json
from copy import copy
from dataclasses import replace

from pyoxigraph import (DefaultGraph, NamedNode, Quad, QueryBoolean, QueryResultsFormat, QueryTriples,
                        RdfFormat, Store, Variable, parse_query_results)

from twinkg.config import Settings
from twinkg.errors import TwinkgError
from twinkg.query_inspect import ScannedQuery, scanned_once

from .inject import with_values
from .protocol import Remote
from .skolem import GENID, Skolem
from .sparqlfiles import backend_query


def remote_store(settings: Settings, union_graphs: list[str] | None = None, **overrides) -> "RemoteStore":
    """The configured remote store; ``union_graphs`` when the caller knows them (else read once)."""
    return RemoteStore(replace(remote_for(settings), **overrides), meta_graph=settings.meta_graph,
                       union=settings.remote_union, union_graphs=union_graphs, base_iri=settings.base_iri,
                       union_graph=settings.union_graph)


def remote_for(settings: Settings) -> Remote:
    return Remote(endpoint=settings.endpoint, update_endpoint=settings.update_endpoint,
                  graph_store=settings.graph_store, timeout=settings.remote_timeout,
                  retries=settings.remote_retries, backoff=settings.remote_backoff,
                  user=settings.remote_user, password=settings.remote_password, auth=settings.remote_auth)


def _graph_iris(graphs) -> list[str]:
    if graphs is None:
        return []
    if not isinstance(graphs, (list, tuple, set)):
        graphs = [graphs]
    out = []
    for g in graphs:
        if isinstance(g, DefaultGraph):
            raise TwinkgError("a remote store cannot name its default graph in default_graph", 400)
        out.append(g.value)
    return out


# pyoxigraph's result objects must be dropped by the thread that made them. These helpers
# keep them in their own frames, so that no exception traceback carries one to the garbage
# collector of another thread.

def _is_graph_query(text: str, base_iri: str | None, substitutions) -> bool:
    """Parse with pyoxigraph (SyntaxError as on the embedded store) and tell the query form.

    The empty in-memory store evaluates nothing: solutions are lazy and there is no data."""
    return isinstance(Store().query(text, base_iri=base_iri, substitutions=substitutions), QueryTriples)


def _results_format(media_type: str) -> QueryResultsFormat:
    """JSON is asked for; a server that answers XML (or TSV, CSV) anyway is read as such."""
    return (QueryResultsFormat.from_media_type(media_type) if media_type else None) or QueryResultsFormat.JSON


def _unreadable_results(body: bytes, fmt: QueryResultsFormat) -> str | None:
    try:
        parsed = parse_query_results(body, format=fmt)
        if not isinstance(parsed, QueryBoolean):
            for _ in parsed:
                pass
    except (SyntaxError, ValueError) as exc:
        return str(exc)
    return None


def _store_of(quads) -> Store:
    store = Store()
    store.extend(quads)
    return store


class RemoteStore:
    """Read access to a remote SPARQL store, shaped like ``pyoxigraph.Store``."""

    def __init__(self, remote: Remote, meta_graph: str | None = None, union: str = "graphs",
                 union_graphs: list[str] | None = None, base_iri: str | None = None,
                 union_graph: str | None = None):
        self.remote = remote
        self.skolem = Skolem(base_iri)  # blank nodes are skolem IRIs in the remote store
        self.union_graph = union_graph  # remote_union = "union-graph": the loader's union copy
        self.meta_graph = meta_graph
        self.union = union
        self._union_graphs = union_graphs

    def union_graphs(self) -> list[str]:
        """The graphs of the last load (from the metadata graph): the union's protocol dataset."""
        if self._union_graphs is None:
            meta = self.meta(self.meta_graph) if self.meta_graph else None
            self._union_graphs = list((meta or {}).get("graphs", []))
        return self._union_graphs

    def __repr__(self) -> str:
        return f"<RemoteStore {self.remote.endpoint}>"

    def query(self, query: str, *, base_iri: str | None = None, prefixes: dict[str, str] | None = None,
              use_default_graph_as_union: bool = False, default_graph=None, named_graphs=None,
              substitutions=None):
        # pyoxigraph parses the query (SyntaxError as on the embedded store) and checks the
        # substitutions (their variables must be projected): both backends accept and refuse
        # the same queries.
        if prefixes:  # pyoxigraph's default prefixes, as declarations the server understands
            query = "".join(f"PREFIX {p}: {NamedNode(iri)}\n" for p, iri in prefixes.items()) + query
        if substitutions:
            substitutions = {v: self.skolem.out(t) for v, t in substitutions.items()}
        graph_result = _is_graph_query(query, base_iri, substitutions)
        # read once, for the VALUES blocks and the dataset clause; a text that values are bound
        # into is one of the server's own queries, read once per process
        scanned = scanned_once(query) if substitutions else ScannedQuery(query)
        text = with_values(scanned, substitutions or {})
        if base_iri is not None:  # the protocol has no base parameter: a BASE before the prologue
            text = f"BASE {NamedNode(base_iri)}\n{text}"  # (the query's own BASE still overrides it)
        defaults, named = _graph_iris(default_graph), _graph_iris(named_graphs)
        own_dataset = bool(defaults or named) or scanned.shape.has_dataset
        union = use_default_graph_as_union and not own_dataset
        if union and self.union == "graphs":
            defaults = named = self.union_graphs()
        elif union and self.union == "union-graph":
            # one default graph (the loader's copy of the union): as fast as a plain query
            defaults, named = [self.union_graph], self.union_graphs()
        body, media_type = self.remote.query(text, graph_result=graph_result,
                                             default_graphs=defaults, named_graphs=named)
        if graph_result:
            return self._triples(body, media_type)
        return self._solutions(body, _results_format(media_type))

    def using(self, **overrides) -> "RemoteStore":
        """The same store with other request settings (timeout, retries), sharing what it has read."""
        other = copy(self)
        other.remote = replace(self.remote, **overrides)
        return other

    def _solutions(self, body: bytes, fmt: QueryResultsFormat):
        try:  # skolem IRIs back to blank nodes, any server's blank node labels made readable
            if fmt == QueryResultsFormat.JSON:
                body = self.skolem.json_results(body)
            elif fmt == QueryResultsFormat.XML:
                body = self.skolem.xml_results(body)
        except (ValueError, AttributeError, TypeError):
            pass  # not JSON or not UTF-8: the parse below names the problem
        # Parse once completely: garbage must fail here (503), not later while a page or a
        # serializer iterates the answer.
        problem = _unreadable_results(body, fmt)
        if problem:
            raise TwinkgError(f"the remote SPARQL store at {self.remote.endpoint} answered with "
                              f"results that cannot be read: {problem}", 503)
        return parse_query_results(body, format=fmt)

    def _triples(self, body: bytes, media_type: str):
        fmt = RdfFormat.from_media_type(media_type) if media_type else None
        if fmt is None:
            raise TwinkgError(f"the remote SPARQL store at {self.remote.endpoint} answered a "
                              f"CONSTRUCT with {media_type or 'no media type'}, not RDF", 503)
        graph = Store()
        try:
            graph.load(body, format=fmt, to_graph=DefaultGraph())
        except (SyntaxError, ValueError) as exc:
            raise TwinkgError(f"the remote SPARQL store at {self.remote.endpoint} answered with "
                              f"RDF that cannot be read: {exc}", 503) from None
        if GENID.encode() in body or b"openlinksw.com/schemas/virtrdf#" in body:  # terms as twinkg wrote them
            back = self.skolem.back
            graph = _store_of(Quad(back(q.subject), q.predicate, back(q.object), DefaultGraph()) for q in graph)
        return graph.query(backend_query("all-triples"))

    # -- the parts of pyoxigraph's Store beyond query() that twinkg uses ---------------

    def _own_graphs(self) -> set[str]:
        return {*self.union_graphs(), *filter(None, [self.meta_graph])}

    def named_graphs(self):
        """twinkg's graphs on the server: the version's and the metadata graph (not a server's
        own graphs, such as Virtuoso's system graphs, nor a load's scratch graphs)."""
        ours = self._own_graphs()
        for row in self.query(backend_query("graph-names")):
            if row["g"].value in ours:
                yield row["g"]

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None):
        given = {Variable(n): t for n, t in zip("spog", (subject, predicate, object, graph_name))
                 if t is not None}
        ours = self._own_graphs()
        for row in self.query(backend_query("quads"), substitutions=given):
            if row["g"].value in ours:
                yield Quad(row["s"], row["p"], row["o"], row["g"])

    def __len__(self) -> int:
        rows = list(self.query(backend_query("count")))
        return int(rows[0]["n"].value) if rows else 0

    def meta(self, meta_graph: str) -> dict | None:
        """The metadata ``twinkg load`` wrote last into ``meta_graph``; None if never loaded."""
        rows = list(self.query(backend_query("meta"), substitutions={Variable("graph"): NamedNode(meta_graph)}))
        if not rows:
            return None
        try:
            return json.loads(rows[0]["json"].value)
        except ValueError:
            raise TwinkgError(f"the metadata graph <{meta_graph}> of the remote store is not "
                              "valid JSON; run `twinkg load` again", 503) from None
