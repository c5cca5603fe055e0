"""CITATION.cff: how to cite this release (Citation File Format 1.2.0)."""

from __future__ import annotations

from pathlib import Path

import yaml

from twinkg.licences import known_licence

from .description import Release
from .metadata import DatasetInfo

#: The author when DATASET.toml names no publisher (a fixture): CFF needs one.
ANONYMOUS = "anonymous"


def _keywords(info: DatasetInfo) -> list[str]:
    """All languages' keywords, each once: CFF wants unique items, and "Mülheim an der
    Ruhr" or "Linked Data" / "linked data" are the same word in German and English."""
    seen: dict[str, str] = {}
    for words in info.keywords.values():
        for word in words:
            seen.setdefault(word.casefold(), word)
    return list(seen.values())


def _authors(info: DatasetInfo) -> list[dict]:
    """The publisher, as a CFF entity (an organization, not a person)."""
    if info.publisher is None:
        return [{"name": ANONYMOUS}]
    name = info.publisher.name
    author = {"name": name.get("en") or next(iter(name.values()))}
    other = [n for n in name.values() if n != author["name"]]
    if other:
        author["alias"] = other[0]
    return [author]


def citation(release: Release, info: DatasetInfo) -> dict:
    cff = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite this release as below.",
        "type": "dataset",
        "title": info.title.get("en") or next(iter(info.title.values())),
        "abstract": info.description.get("en") or next(iter(info.description.values())),
        "authors": _authors(info),
        "version": f"{info.version}+{release.build_version}",
        "date-released": release.loaded_at[:10],
        "url": release.dataset.value,
        "identifiers": [{"type": "url", "value": release.version_iri.value,
                         "description": "The version IRI of this release"}],
        "keywords": _keywords(info),
    }
    licence = known_licence(info.license)
    if licence and licence.cff:
        cff["license"] = licence.cff
    else:
        cff["license-url"] = info.license
    return cff


def write_citation(path: Path, release: Release, info: DatasetInfo) -> None:
    path.write_text(yaml.safe_dump(citation(release, info), sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
