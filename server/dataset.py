"""The served dataset of one process: its read-only store handle, metadata and query executor.

``twinkg load`` builds a new store and repoints the ``<store>`` link; each process looks at
the link at most once a second and then serves the new build (a new version: new ETags),
so a load needs no restart. Everything is opened lazily, so that each server worker opens
the store after the fork.

With a remote store (``settings.endpoint``) the "build" is the dataset version written in
the remote metadata graph: each process reads it at most every few seconds, and a new
version (a load into the remote store) gives new ETags the same way; its files (the pages'
index, the export) are the ones the load wrote locally (twinkg/backends/localfiles.py).
"""

from __future__ import annotations

import os
import threading
import time
from functools import cached_property
from pathlib import Path

from flask import current_app
from pyoxigraph import Store

from twinkg.backends.localfiles import prune, remote_files_dir
from twinkg.backends.mirror import remote_quads
from twinkg.backends.remote import remote_store
from twinkg.config import Settings
from twinkg.execution import QueryExecutor
from twinkg.kinds import Registry, kinds_of
from twinkg.loaders.remotefiles import write_index
from twinkg.loaders.site_index import FILE_NAME as SEARCH_FILE
from twinkg.server.execution.processes import ProcessExecutor
from twinkg.server.execution.recycle import Recycler
from twinkg.server.execution.remote import RemoteExecutor
from twinkg.server.execution.threads import ThreadExecutor
from twinkg.server.iris import IriMap
from twinkg.server.vocabulary import read_vocabulary_labels
from twinkg.store import dataset_meta, read_meta, store_meta

#: Seconds between two looks at where the store link points.
RECHECK_SECONDS = 1.0
#: Seconds between two reads of a remote store's version (a query over HTTP, not a readlink).
REMOTE_RECHECK_SECONDS = 5.0


class _Build:
    """One store build (``<store>.d/<version>/``) as this process serves it."""

    def __init__(self, settings: Settings, target: str, recycler: Recycler | None = None):
        self.settings = settings
        self.target = target
        self.recycler = recycler
        # Read through the resolved build, not the link: a load may repoint the link meanwhile,
        # and the metadata, the store handle and the executor must all be of the same build.
        self.meta = read_meta(Path(target)) if os.path.isdir(target) else store_meta(settings.store)

    @cached_property
    def store(self) -> Store:
        return Store.read_only(os.path.join(self.target, "oxigraph"))

    @cached_property
    def executor(self) -> QueryExecutor:
        settings = self.settings
        if self.recycler is not None:  # worker isolation under a supervisor (server/execution/recycle.py)
            return ThreadExecutor(self.store, settings.parallel_queries, settings.query_timeout,
                                  self.recycler.end_worker)
        # The resolved build directory: the children keep reading this build (whose version
        # the answers carry) even after a load repoints the link.
        path = os.path.join(self.target, "oxigraph")
        return ProcessExecutor(path, settings.parallel_queries, settings.query_timeout)

    @cached_property
    def iris(self) -> IriMap:
        # The base the store was loaded with: its IRIs are the ones pages must recognise.
        return IriMap(self.meta.get("base_iri", self.settings.base_iri), kinds_of(self.settings).names)

    @cached_property
    def vocabulary(self) -> dict:
        """Labels of the ontology's terms: read once per build."""
        return read_vocabulary_labels(self.store)

    @property
    def build_dir(self) -> Path:
        return Path(self.target)

    def retire(self) -> None:
        if "executor" in self.__dict__:
            self.executor.close()


class _RemoteBuild(_Build):
    """A remote store's dataset version as this process serves it (twinkg/backends): the
    version in its metadata graph is the "build"; pages' index files are made locally."""

    def __init__(self, settings: Settings, meta: dict):
        self.settings = settings
        self.meta = meta
        self.target = meta["version"]

    @cached_property
    def store(self):
        # pyoxigraph's query surface over HTTP; the union is this version's graphs
        return remote_store(self.settings, self.meta.get("graphs", []))

    @cached_property
    def executor(self) -> QueryExecutor:
        return RemoteExecutor(self.settings, self.meta.get("graphs", []))

    @cached_property
    def build_dir(self) -> Path:
        """The version's local files, written by `twinkg load --endpoint`. A server on another
        machine than the load writes the pages' index itself (never the export: /download
        then answers 503)."""
        directory = remote_files_dir(self.settings, self.target)
        if not (directory / SEARCH_FILE).exists():
            base = self.meta.get("base_iri", self.settings.base_iri)
            write_index(directory, remote_quads(self.store, self.meta), base)
            prune(self.settings, self.target)
        return directory

    def retire(self) -> None:
        pass


class Dataset:
    def __init__(self, settings: Settings, recycler: Recycler | None = None):
        self.settings = settings
        #: Set when this worker may be ended after a runaway query (worker isolation).
        self.recycler = recycler
        self._build: _Build | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def _current(self) -> _Build | _RemoteBuild:
        build = self._build
        recheck = REMOTE_RECHECK_SECONDS if self.settings.remote else RECHECK_SECONDS
        if build is not None and time.monotonic() - self._checked < recheck:
            return build
        with self._lock:
            self._checked = time.monotonic()
            remote = self.settings.remote
            if remote:
                meta = dataset_meta(self.settings)  # 503 when the remote is down or empty
                target = meta["version"]
            else:
                target = os.path.realpath(self.settings.store)
            if self._build is None or self._build.target != target:
                new = _RemoteBuild(self.settings, meta) if remote else _Build(self.settings, target, self.recycler)
                old, self._build = self._build, new
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
    def executor(self) -> QueryExecutor:
        """Users' queries run here, bounded by the time limit (twinkg/execution.py)."""
        return self._current().executor

    @property
    def iris(self) -> IriMap:
        return self._current().iris

    @property
    def kinds(self) -> Registry:
        """The dataset's kinds of entity (twinkg/kinds.py)."""
        return kinds_of(self.settings)

    @property
    def vocabulary(self) -> dict:
        return self._current().vocabulary

    @property
    def build_dir(self) -> Path:
        """The directory of the served build (the site index lives there)."""
        return self._current().build_dir

    def pinned(self) -> Pinned:
        """The served build, fixed for one answer (see ``Pinned``)."""
        return Pinned(self.settings, self._current())


class Pinned:
    """One build of the dataset, fixed for one answer: the version its ETag and
    ``X-Twinkg-Version`` name is the build its query runs on, even if a load swaps the store
    meanwhile (each property of ``Dataset`` looks at the link again)."""

    def __init__(self, settings: Settings, build: _Build | _RemoteBuild):
        self.settings = settings
        self._build = build

    @property
    def store(self) -> Store:
        return self._build.store

    @property
    def meta(self) -> dict:
        return self._build.meta

    @property
    def version(self) -> str:
        return self._build.meta["version"]

    @property
    def executor(self) -> QueryExecutor:
        return self._build.executor

    @property
    def iris(self) -> IriMap:
        return self._build.iris

    def pinned(self) -> Pinned:
        return self


def dataset() -> Dataset:
    return current_app.extensions["twinkg"]
