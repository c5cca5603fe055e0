"""The served dataset of one process: its read-only store handle and metadata."""

from __future__ import annotations

from functools import cached_property

from flask import current_app
from pyoxigraph import Store

from twinkg.config import Settings
from twinkg.store import dataset_meta, open_store


class Dataset:
    """Opened lazily, so that each server worker opens the store after the fork."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def store(self) -> Store:  # or a RemoteStore with the same query surface
        return open_store(self.settings)

    @cached_property
    def meta(self) -> dict:
        return dataset_meta(self.settings)

    @property
    def version(self) -> str:
        return self.meta["version"]


def dataset() -> Dataset:
    return current_app.extensions["twinkg"]
