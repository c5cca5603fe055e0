"""The store behind twinkg, chosen by configuration: embedded pyoxigraph or a remote SPARQL server.

Both answer ``store.query(...)`` with pyoxigraph's result types, so callers do not know
which one they have. ``settings.endpoint`` empty → the embedded store at ``settings.store``;
set → :class:`~twinkg.backends.remote.RemoteStore` over the SPARQL 1.1 Protocol.
"""

from __future__ import annotations

from twinkg.config import Settings
from twinkg.errors import TwinkgError


def open_backend(settings: Settings):
    """A read-only store handle for ``settings``."""
    if settings.remote:
        from .remote import remote_store

        return remote_store(settings)
    from twinkg.store import open_read_only

    return open_read_only(settings.store)


def backend_meta(settings: Settings) -> dict:
    """The served dataset's metadata (version, counts): meta.json, or the remote meta graph."""
    if settings.remote:
        from .remote import remote_store
        from .sparqlfiles import backend_query

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
    from twinkg.store import store_meta

    return store_meta(settings.store)
