"""A remote store's local files, written by `twinkg load --endpoint` after the swap:
``<store>.remote/<version>/`` with the pages' index and the export (twinkg/backends/localfiles.py).

The export runs here, at load time, as it does into an embedded build: a web request never
runs one (a server whose local files lack it answers /download with 503).
"""

from __future__ import annotations

import os
from pathlib import Path

from pyoxigraph import Quad

from twinkg.backends.localfiles import prune, remote_files_dir, versions
from twinkg.backends.mirror import local_mirror
from twinkg.backends.remote import remote_store
from twinkg.config import Settings
from twinkg.export.run import export_build

from .site_index import FILE_NAME, write_search_index


def write_index(directory: Path, quads, base_iri: str) -> Path:
    """The pages' index of a remote version into ``directory``, moved in whole (processes
    that race write the same file; the last rename wins)."""
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{FILE_NAME}.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    write_search_index(tmp, quads, base_iri)
    os.replace(tmp, directory / FILE_NAME)
    return directory


def write_remote_files(settings: Settings, quads: list[Quad], progress=lambda _: None) -> Path:
    """The index and (``export_on_load``) the export of the version just loaded, with a
    changelog against the newest earlier version that has an export."""
    meta = remote_store(settings).meta(settings.meta_graph)  # the version as servers read it
    directory = remote_files_dir(settings, meta["version"])
    earlier = [p for p in versions(settings) if p.name != meta["version"]]
    progress(f"writing the pages' index and the export into {directory}")
    write_index(directory, quads, meta.get("base_iri", settings.base_iri))
    if settings.export_on_load:
        export_build(local_mirror(quads), meta, settings, directory, earlier, progress)
    prune(settings, meta["version"])
    return directory
