"""Where the files a server reads beside a remote store's dataset version live.

Pages read an index (``loaders/site_index.py``: labels, search, list orders), and /download,
/void and the ontology pages read the export (``twinkg/export``); an embedded build holds both.
For a remote store they live in ``<store>.remote/<version>/`` (``--store`` names the local
place; the default is ``var/store.remote/``): `twinkg load --endpoint` writes both there
(``loaders/remotefiles.py``); servers only read them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from twinkg.config import Settings

#: Versions kept: this one and the one before (another process may serve it a few seconds more).
KEEP = 2


def remote_files_root(settings: Settings) -> Path:
    return settings.store.parent / (settings.store.name + ".remote")


def remote_files_dir(settings: Settings, version: str) -> Path:
    """The local directory of files for the remote dataset version ``version``."""
    return remote_files_root(settings) / version


def versions(settings: Settings) -> list[Path]:
    """The versions with local files, oldest first."""
    root = remote_files_root(settings)
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)


def prune(settings: Settings, current: str) -> None:
    """Remove the files of all versions but the newest ``KEEP`` (never ``current``)."""
    for old in versions(settings)[:-KEEP]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
