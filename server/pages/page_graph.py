"""A small in-memory index over the triples of one page, for the view builders to walk."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from pyoxigraph import NamedNode, Triple

from twinkg.config import PREFIXES


def term(curie: str) -> NamedNode:
    prefix, _, local = curie.partition(":")
    return NamedNode(PREFIXES[prefix] + local)


class GraphIndex:
    def __init__(self, triples: Iterable[Triple] = ()):
        self.spo: dict = defaultdict(lambda: defaultdict(list))
        self.pos: dict = defaultdict(lambda: defaultdict(list))
        self.triples: list[Triple] = []
        self.add(triples)

    def add(self, triples: Iterable[Triple]) -> None:
        # sorted: every store answers a CONSTRUCT in its own order, and the views list values
        # in this order (a remote store's page must read as the embedded store's)
        for t in sorted(triples, key=str):
            if t.object in self.spo[t.subject][t.predicate]:
                continue
            self.triples.append(t)
            self.spo[t.subject][t.predicate].append(t.object)
            self.pos[t.predicate][t.object].append(t.subject)

    def objects(self, s, p) -> list:
        return list(self.spo.get(s, {}).get(term(p) if isinstance(p, str) else p, ()))

    def value(self, s, p):
        found = self.objects(s, p)
        return min(found, key=str) if found else None

    def subjects(self, p, o) -> list:
        return list(self.pos.get(term(p) if isinstance(p, str) else p, {}).get(o, ()))
