"""The dataset's canonical IRIs and the local paths that serve them.

RDF keeps the canonical IRIs (``{base}id/{kind}/{slug}``); HTML links point to paths on the
host the server runs on, so the same store works on localhost and when published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twinkg.kinds import CURATED

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class IriMap:
    base: str
    #: the kinds of entity whose IRIs are ours (the dataset's registry, twinkg/kinds.py)
    kinds: frozenset[str] = CURATED.names

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
        if not self.valid(kind, slug):
            return None
        return kind, slug, fragment

    def valid(self, kind: str, slug: str) -> bool:
        """``kind/slug`` can name an entity of the dataset."""
        return kind in self.kinds and bool(SLUG.fullmatch(slug))

    def local_href(self, iri: str) -> str | None:
        """The path of the page about ``iri`` on this host, or None if it is not ours."""
        parts = self.split(iri)
        if parts is None:
            return None
        kind, slug, fragment = parts
        return f"/page/{kind}/{slug}" + (f"#{fragment}" if fragment else "")

