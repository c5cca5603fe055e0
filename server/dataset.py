"""The served dataset of one process: its read-only store handle, metadata and query executor.

``twinkg load`` builds a new store and repoints the ``<store>`` link; each process looks at
the link at most once a second and then serves the new build (a new version: new ETags),
so a load needs no restart. Everything is opened lazily, so that each server worker opens
the store after the fork.
"""

from __future__ import annotations

import os
import threading
import time
from functools import cached_property

from flask import current_app
from pyoxigraph import Store

from twinkg.config import Settings
from twinkg.store import open_read_only, store_meta

from .executor import Executor

#: Seconds between two looks at where the store link points.
RECHECK_SECONDS = 1.0


class _Build:
    """One store build (``<store>.d/<version>/``) as this process serves it."""

    def __init__(self, settings: Settings, target: str):
        self.settings = settings
        self.target = target
        self.meta = store_meta(settings.store)  # 503 when there is no store yet

    @cached_property
    def store(self) -> Store:
        return open_read_only(self.settings.store)

    @cached_property
    def executor(self) -> Executor:
        # The resolved build directory: the children keep reading this build (whose version
        # the answers carry) even after a load repoints the link.
        path = os.path.join(self.target, "oxigraph")
        return Executor(path, self.settings.executor_processes, self.settings.query_timeout)

    def retire(self) -> None:
        if "executor" in self.__dict__:
            self.executor.close()


class Dataset:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._build: _Build | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def _current(self) -> _Build:
        build = self._build
        if build is not None and time.monotonic() - self._checked < RECHECK_SECONDS:
            return build
        with self._lock:
            self._checked = time.monotonic()
            target = os.path.realpath(self.settings.store)
            if self._build is None or self._build.target != target:
                old, self._build = self._build, _Build(self.settings, target)
                if old is not None:
                    old.retire()
            return self._build

    @property
    def store(self) -> Store:
        return self._current().store

    @property
    def meta(self) -> dict:
        return self._current().meta

    @property
    def version(self) -> str:
        return self._current().meta["version"]

    @property
    def executor(self) -> Executor:
        """Users' queries run here, bounded by the time limit (server/executor.py)."""
        return self._current().executor


def dataset() -> Dataset:
    return current_app.extensions["twinkg"]
