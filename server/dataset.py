"""The served dataset of one process: its read-only store handle and metadata."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from flask import current_app
from pyoxigraph import Store

from twinkg.config import Settings
from twinkg.store import open_read_only, store_meta

from .iris import IriMap


class Dataset:
    """Opened lazily, so that each server worker opens the store after the fork."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def store(self) -> Store:
        return open_read_only(self.settings.store)

    @cached_property
    def meta(self) -> dict:
        return store_meta(self.settings.store)

    @property
    def version(self) -> str:
        return self.meta["version"]

    @cached_property
    def iris(self) -> IriMap:
        # The base the store was loaded with: its IRIs are the ones pages must recognise.
        return IriMap(self.meta.get("base_iri", self.settings.base_iri))

    @cached_property
    def vocabulary(self) -> dict:
        """Labels of the ontology's terms: read once, the ontology is fixed per store."""
        from .vocabulary import read_vocabulary_labels
        return read_vocabulary_labels(self.store)

    @cached_property
    def build_dir(self) -> Path:
        """The directory of the served build (search index and meta live there)."""
        return self.settings.store.resolve()


def dataset() -> Dataset:
    return current_app.extensions["twinkg"]
