"""Opening the served store, and running SPARQL on it the same way everywhere."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Store

from twinkg.errors import TwinkgError
from twinkg.query_inspect import inspect_query
from twinkg.loaders.storebuild import oxigraph_path, read_meta


def open_read_only(store: Path) -> Store:
    """A read-only handle: many processes may hold one while a load builds the next store."""
    if not store.exists():
        raise TwinkgError(f"no store at {store}: run `twinkg load` first", 503)
    return Store.read_only(str(oxigraph_path(store)))


def store_meta(store: Path) -> dict:
    if not store.exists():
        raise TwinkgError(f"no store at {store}: run `twinkg load` first", 503)
    return read_meta(store)


def open_store(settings):
    """The configured store: embedded at ``settings.store`` or remote at ``settings.endpoint``."""
    from twinkg.backends import open_backend

    return open_backend(settings)


def dataset_meta(settings) -> dict:
    """Version and counts of the configured store (meta.json, or the remote meta graph)."""
    from twinkg.backends import backend_meta

    return backend_meta(settings)


def run_query(store: Store, text: str, substitutions=None):
    """Run a query with the dataset's view: the union of all graphs as the default graph.

    A query that names its own dataset (FROM / FROM NAMED) gets exactly that, as on /sparql:
    with the union switched on, ``FROM <unknown>`` would see all data.
    """
    union = not inspect_query(text).has_dataset
    try:
        return store.query(text, use_default_graph_as_union=union, substitutions=substitutions)
    except SyntaxError as exc:
        raise TwinkgError(f"SPARQL syntax error: {exc}", 400) from None
    except OSError as exc:  # a SERVICE call or the remote store failed
        raise TwinkgError(f"the query failed: {exc}", 502) from None
