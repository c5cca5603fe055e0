"""Files a server reads beside its store, made for a remote store's dataset version.

Pages read an index written at load time into the store build (``loaders/searchindex.py``:
labels, search, list orders), and /download, /void and the ontology pages read the export
written there too (``twinkg/export``). A server in front of a remote store has no build of
its own — it may run on another machine than the load — so it writes both itself, once per
dataset version, from the quads of the remote store, into ``<store>.remote/<version>/``
(``--store`` names the local place; the default is ``var/store.remote/``). Workers that race
write the same files; the first rename wins.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from twinkg.config import Settings
from twinkg.loaders.searchindex import FILE_NAME, write_search_index

from .mirror import local_mirror, remote_quads

KEEP = 2


def remote_build_dir(settings: Settings, meta: dict, store) -> Path:
    """The local directory of files for this remote version, written if missing."""
    root = settings.store.parent / (settings.store.name + ".remote")
    final = root / meta["version"]
    if (final / FILE_NAME).exists():
        return final
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{meta['version']}-", dir=root))  # per process and thread
    quads = remote_quads(store, meta)
    write_search_index(tmp / FILE_NAME, quads, meta.get("base_iri", settings.base_iri))
    if settings.export_on_load:
        from twinkg.export.run import export_build

        earlier = [p for p in root.iterdir() if not p.name.startswith(".")]
        export_build(local_mirror(quads), meta, settings, tmp, earlier)
    try:
        os.replace(tmp, final)
    except OSError:  # another worker was first: its files are the same
        shutil.rmtree(tmp, ignore_errors=True)
    # Keep this version and the one before (another process may serve it a few seconds more).
    done = sorted((p for p in root.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    for old in done[:-KEEP]:
        if old.name != final.name:
            shutil.rmtree(old, ignore_errors=True)
    return final
