"""The served store, embedded or remote, chosen by configuration; running SPARQL on it the same
way everywhere.

``settings.endpoint`` empty → the embedded pyoxigraph store at ``settings.store`` (a link to
the current build ``<store>.d/<version>/``, which holds ``oxigraph/`` and ``meta.json``); set →
:class:`~twinkg.backends.remote.RemoteStore` over the SPARQL 1.1 Protocol. Both answer
``store.query(...)`` with pyoxigraph's result types, so callers do not know which one they have.
"""

from __future__ import annotations

import json
from pathlib import Path

from pyoxigraph import Store

from twinkg.backends.remote import remote_store
from twinkg.backends.sparqlfiles import backend_query
from twinkg.config import Settings
from twinkg.errors import TwinkgError
from twinkg.query_inspect import ScannedQuery, scanned_once


def read_meta(store: Path) -> dict:
    """A store build's ``meta.json``: version, load time, counts."""
    return json.loads((store.resolve() / "meta.json").read_text(encoding="utf-8"))


def oxigraph_path(store: Path) -> Path:
    return store.resolve() / "oxigraph"


def open_read_only(store: Path) -> Store:
    """A read-only handle: many processes may hold one while a load builds the next store."""
    if not store.exists():
        raise TwinkgError(f"no store at {store}: run `twinkg load` first", 503)
    return Store.read_only(str(oxigraph_path(store)))


def store_meta(store: Path) -> dict:
    if not store.exists():
        raise TwinkgError(f"no store at {store}: run `twinkg load` first", 503)
    return read_meta(store)


def open_store(settings: Settings):
    """A read-only handle on the configured store: embedded at ``settings.store`` or remote at
    ``settings.endpoint``."""
    if settings.remote:
        return remote_store(settings)
    return open_read_only(settings.store)


def dataset_meta(settings: Settings) -> dict:
    """Version and counts of the configured store (meta.json, or the remote meta graph)."""
    if not settings.remote:
        return store_meta(settings.store)
    store = remote_store(settings)
    meta = store.meta(settings.meta_graph)
    if meta is None:
        raise TwinkgError(f"the remote store at {settings.endpoint} holds no twinkg dataset "
                          "(no metadata graph): run `twinkg load --endpoint … --update-endpoint …` first",
                          503)
    if settings.remote_union == "union-graph" and meta.get("union_graph") != settings.union_graph:
        raise TwinkgError(f"the remote store at {settings.endpoint} holds no union graph "
                          f"<{settings.union_graph}>: load it with remote_union = union-graph "
                          "(`TWINKG_REMOTE_UNION=union-graph twinkg load …`)", 503)
    if settings.remote_union == "server" and not bool(store.query(backend_query("union-check"))):
        raise TwinkgError(f"the remote store at {settings.endpoint} does not query the union of its "
                          "named graphs by default, so every page would be empty: configure it "
                          "(README, \"What each server needs\"; Oxigraph: serve --union-default-graph) "
                          "or set remote_union = graphs", 503)
    return meta


def run_query(store: Store, text: str, substitutions=None):
    """Run a query with the dataset's view: the union of all graphs as the default graph.

    A query that names its own dataset (FROM / FROM NAMED) gets exactly that, as on /sparql:
    with the union switched on, ``FROM <unknown>`` would see all data.
    """
    # A text with values to bind is one of the server's own queries: its scan is kept, and
    # the remote store, which binds the values into it, reads the same scan (not a second).
    union = not (scanned_once(text) if substitutions else ScannedQuery(text)).shape.has_dataset
    try:
        return store.query(text, use_default_graph_as_union=union, substitutions=substitutions)
    except SyntaxError as exc:
        raise TwinkgError(f"SPARQL syntax error: {exc}", 400) from None
    except OSError as exc:  # a SERVICE call or the remote store failed
        raise TwinkgError(f"the query failed: {exc}", 502) from None
