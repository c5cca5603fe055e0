"""The served dataset of one process: its read-only store handle and metadata."""

from __future__ import annotations

import os
from functools import cached_property

from flask import current_app
from pyoxigraph import Store

from twinkg.config import Settings
from twinkg.loaders.storebuild import oxigraph_path
from twinkg.store import open_read_only, store_meta

from .executor import Executor


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
    def executor(self) -> Executor:
        """Users' queries run here, bounded by the time limit (server/executor.py)."""
        self.meta  # 503 when there is no store yet
        # The resolved build directory: the children keep reading the build this process
        # serves (and whose version it reports) even when a load repoints the symlink.
        path = os.path.realpath(oxigraph_path(self.settings.store))
        return Executor(path, self.settings.executor_processes, self.settings.query_timeout)


def dataset() -> Dataset:
    return current_app.extensions["twinkg"]
