"""What the pages say about the dataset: licence, publisher, title (footer and schema.org).

From the served release's manifest (written at export time from DATASET.toml and the
licence setting), so pages name the licence the files were published under; a build
without an export (or a store that cannot be read) falls back to the settings, so that
the footer never breaks a page, error pages included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twinkg.errors import TwinkgError
from twinkg.licences import Licence, licence
from twinkg.server.dataset import dataset
from twinkg.server.release_files import published


@dataclass(frozen=True)
class About:
    #: the dataset across releases ({base}dataset)
    dataset: str
    licence: Licence
    #: the publisher's names by language, and its IRI (empty when none is stated)
    publisher: dict[str, str] = field(default_factory=dict)
    publisher_iri: str = ""
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    #: the release's manifest; None when the build has no export
    manifest: dict | None = None

    def text(self, texts: dict[str, str], lang: str) -> str:
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def about() -> About:
    ds = dataset()
    settings = ds.settings
    try:
        base = ds.meta.get("base_iri") or settings.base_iri
        manifest = published().manifest
    except (TwinkgError, OSError):
        return About(settings.base_iri + "dataset", licence(settings.dataset_license))
    described = manifest.get("dataset", {})
    return About(
        dataset=described.get("iri", base + "dataset"),
        licence=licence(described.get("license", settings.dataset_license)),
        publisher=described.get("publisher", {}).get("name", {}),
        publisher_iri=described.get("publisher", {}).get("iri", ""),
        title=described.get("title", {}), description=described.get("description", {}),
        keywords=described.get("keywords", {}), manifest=manifest)
