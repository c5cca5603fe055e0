"""The dataset's canonical IRIs and the local paths that serve them.

RDF keeps the canonical IRIs (``{base}id/{kind}/{slug}``); HTML links point to paths on the
host the server runs on, so the same store works on localhost and when published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twinkg.loaders.schema import KIND_BY_NAME

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class IriMap:
    base: str

    @property
    def id_base(self) -> str:
        return self.base + "id/"

    def entity_iri(self, kind: str, slug: str) -> str:
        return f"{self.id_base}{kind}/{slug}"

    def split(self, iri: str) -> tuple[str, str, str] | None:
        """(kind, slug, fragment) of one of our entity IRIs, else None."""
        if not iri.startswith(self.id_base):
            return None
        path, _, fragment = iri[len(self.id_base):].partition("#")
        kind, _, slug = path.partition("/")
        if kind not in KIND_BY_NAME or not SLUG.fullmatch(slug):
            return None
        return kind, slug, fragment

    def local_href(self, iri: str) -> str | None:
        """The path of the page about ``iri`` on this host, or None if it is not ours."""
        parts = self.split(iri)
        if parts is None:
            return None
        kind, slug, fragment = parts
        return f"/page/{kind}/{slug}" + (f"#{fragment}" if fragment else "")


def valid_kind_and_slug(kind: str, slug: str) -> bool:
    return kind in KIND_BY_NAME and bool(SLUG.fullmatch(slug))


def class_of_kind(kind: str) -> str:
    return KIND_BY_NAME[kind].cls


KIND_OF_CLASS = {k.cls: k.name for k in KIND_BY_NAME.values()}
