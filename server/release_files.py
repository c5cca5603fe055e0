"""The export of the served store build: ``<store>.d/<version>/export/``, written at load time.

Each server process reads the export of the build whose store it has open (the version in
its cached meta.json), so files, statistics and the SPARQL endpoint always agree, also while
a new load swaps in the next build.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from flask import current_app

from twinkg.errors import TwinkgError
from twinkg.export.files import (
    CHECKSUMS,
    EXPORT_DIR,
    MANIFEST,
    ExportFile,
    is_export,
    read_manifest,
    sha256_of,
)
from twinkg.server.dataset import dataset

#: The files that list the others (and so are not in the manifest themselves).
INDEX_FILES = {CHECKSUMS: "text/plain", MANIFEST: "application/json"}
#: The language of the release's HTML (the ontology's documentation, written by pyLODE in
#: English: twinkg/export/ontodoc.py), the same for every reader.
HTML_LANGUAGE = "en"


class Published:
    def __init__(self, directory: Path):
        self.directory = directory
        #: Bytes made from this release's files (e.g. /void in other formats than the Turtle
        #: file): the files never change, so each is made once per build.
        self.renderings: dict = {}

    @cached_property
    def manifest(self) -> dict:
        return read_manifest(self.directory)

    @cached_property
    def files(self) -> dict[str, ExportFile]:
        return {f["name"]: ExportFile(**f) for f in self.manifest["files"]}

    def path(self, name: str) -> Path:
        """The path of a listed file; anything else (other names, ``..``) is not found."""
        if name not in self.files and name not in INDEX_FILES:
            raise TwinkgError(f"no file {name!r} in this release; see /download", 404)
        return self.directory / name

    def served_as(self, name: str) -> tuple[Path, str, str]:
        """(path, media type as served, ETag) of a file of the release."""
        path = self.path(name)
        if name in INDEX_FILES:
            return path, INDEX_FILES[name], sha256_of(path)
        entry = self.files[name]
        # A .gz file is served as what it is (application/gzip), not with Content-Encoding: the
        # bytes a client stores are the bytes SHA256SUMS lists.
        return path, "application/gzip" if entry.compression == "gzip" else entry.media_type, entry.sha256


def published() -> Published:
    """The export of the build this process serves (a new load is picked up with the store)."""
    ds = dataset()
    version = ds.version
    current = current_app.extensions.get("twinkg.published")
    if current is None or current[0] != version:
        directory = ds.build_dir / EXPORT_DIR  # <store>.d/<version>/, or a remote version's files
        if not is_export(directory):
            # The export is written at load time, never by a request.
            where = (f"`twinkg load --endpoint …` with this server's --store ({ds.settings.store})"
                     if ds.settings.remote else "`twinkg load`")
            raise TwinkgError(f"this store build has no export: load it again with {where} "
                              "(TWINKG_EXPORT_ON_LOAD=true, the default)", 503)
        current = current_app.extensions["twinkg.published"] = (version, Published(directory))
    return current[1]
