"""Files of an export: checksums, sizes and the manifest that lists them."""

from __future__ import annotations

import gzip
import hashlib
import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
#: Where a store build keeps its export: ``<build>/export/`` (also a remote version's local files).
EXPORT_DIR = "export"


@dataclass(frozen=True)
class ExportFile:
    name: str
    #: what it is: dump, ontology, shapes, context, description, documentation, citation, changelog
    role: str
    title: str
    #: the media type of the content (of the uncompressed content for .gz files)
    media_type: str
    #: "gzip" for compressed files
    compression: str | None
    byte_size: int
    sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe(path: Path, role: str, title: str, media_type: str) -> ExportFile:
    compression = "gzip" if path.suffix == ".gz" else None
    return ExportFile(path.name, role, title, media_type, compression, path.stat().st_size, sha256_of(path))


@contextmanager
def gzip_writer(path: Path):
    """A binary stream that gzips into ``path``; no name or time in the header, so the same
    content always gives the same bytes (and checksum)."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        yield gz


def write_manifest(out: Path, entries: list[ExportFile], info: dict) -> None:
    """``manifest.json`` (for the download page) and ``SHA256SUMS`` (for ``sha256sum -c``)."""
    (out / MANIFEST).write_text(json.dumps({**info, "files": [asdict(e) for e in entries]},
                                           indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / CHECKSUMS).write_text("".join(f"{e.sha256}  {e.name}\n" for e in entries), encoding="utf-8")


def is_export(directory: Path) -> bool:
    """A complete export: ``export_store`` moves the files in only once all are written."""
    return (directory / MANIFEST).exists()


def read_manifest(export_dir: Path) -> dict:
    return json.loads((export_dir / MANIFEST).read_text(encoding="utf-8"))
