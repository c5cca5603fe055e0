"""CITATION.cff: how to cite this release (Citation File Format 1.2.0)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .description import Release
from .metadata import DatasetInfo

#: SPDX identifiers of licence IRIs; CFF wants an SPDX id, else we give the licence URL.
SPDX = {
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC-BY-SA-4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
    "http://opendatacommons.org/licenses/odbl/1-0/": "ODbL-1.0",
    "https://www.govdata.de/dl-de/by-2-0": "DL-DE-BY-2.0",
    "https://www.govdata.de/dl-de/zero-2-0": "DL-DE-ZERO-2.0",
}


def citation(release: Release, info: DatasetInfo) -> dict:
    cff = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite this release as below.",
        "type": "dataset",
        "title": info.title.get("en") or next(iter(info.title.values())),
        "abstract": info.description.get("en") or next(iter(info.description.values())),
        "authors": [{"name": info.publisher}],
        "version": f"{info.version}+{release.build_version}",
        "date-released": release.loaded_at[:10],
        "url": release.dataset.value,
        "identifiers": [{"type": "url", "value": release.version_iri.value,
                         "description": "The version IRI of this release"}],
        "keywords": [w for words in info.keywords.values() for w in words],
    }
    if info.license in SPDX:
        cff["license"] = SPDX[info.license]
    else:
        cff["license-url"] = info.license
    return cff


def write_citation(path: Path, release: Release, info: DatasetInfo) -> None:
    path.write_text(yaml.safe_dump(citation(release, info), sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
