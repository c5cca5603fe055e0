"""RDF terms as small view objects for templates: a label in the reader's language (with a
visible fallback), and a local link or the external IRI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pyoxigraph import Literal, NamedNode

from twinkg.server.iris import IriMap
from twinkg.server.presentation.dates import XSD, format_date, html_datetime

FALLBACK_CHAIN = ("de", "en")
DATES = {XSD + "date", XSD + "gYear", XSD + "gYearMonth"}


@dataclass(frozen=True)
class Text:
    value: str
    lang: str | None  # the language tag of what is shown (None: no tag)
    fallback: bool  # True when shown in another language than the reader's


def pick_text(literals: Iterable[Literal], lang: str) -> Text | None:
    """One literal by the chain: reader's language (or untagged) → de → en → any."""
    by_lang: dict[str, list[str]] = {}
    for lit in literals:
        by_lang.setdefault(lit.language or "", []).append(lit.value)
    if lang in by_lang:
        return Text(min(by_lang[lang]), lang, False)
    if "" in by_lang:
        return Text(min(by_lang[""]), None, False)
    for other in (*FALLBACK_CHAIN, *sorted(by_lang)):
        if other in by_lang:
            return Text(min(by_lang[other]), other, True)
    return None


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


@dataclass(frozen=True)
class TermView:
    text: Text
    iri: str | None = None  # the canonical IRI of a named node
    href: str | None = None  # a local path for our entities, else the external IRI
    local: bool = False
    datatype: str | None = None
    datetime: str | None = None  # a date's value for <time datetime> (YYYY, YYYY-MM, YYYY-MM-DD)

    @property
    def is_literal(self) -> bool:
        return self.iri is None


class Labeler:
    """Turns terms into views, given the labels known for the IRIs involved."""

    def __init__(self, iris: IriMap, lang: str, labels: dict[str, list[Literal]] | None = None):
        self.iris = iris
        self.lang = lang
        self.labels: dict[str, list[Literal]] = labels if labels is not None else {}
        #: labels made from other statements (an office: its holder and role), chosen already
        self.composed: dict[str, Text] = {}

    def add_label(self, iri: str, literal: Literal) -> None:
        self.labels.setdefault(iri, []).append(literal)

    def label(self, iri: str) -> Text:
        if iri in self.composed:
            return self.composed[iri]
        found = pick_text(self.labels.get(iri, ()), self.lang)
        if found:
            return found
        if self.iris.split(iri) is None and "://" in iri:
            # An external IRI without a label: show where it leads (host and path).
            return Text(iri.split("://", 1)[1].rstrip("/"), None, False)
        return Text(local_name(iri), None, False)

    def term(self, node) -> TermView:
        if isinstance(node, NamedNode):
            href = self.iris.local_href(node.value)
            if href is None and node.value.startswith(self.iris.base):
                # Our own IRIs outside /id/ (ontology terms, graph names) have no page here.
                return TermView(self.label(node.value), node.value, None, False)
            return TermView(self.label(node.value), node.value, href or node.value, href is not None)
        if isinstance(node, Literal):
            datatype = node.datatype.value if node.datatype else None
            if datatype in DATES:
                return TermView(Text(format_date(node.value, datatype, self.lang), None, False),
                                datatype=datatype, datetime=html_datetime(node.value, datatype))
            return TermView(Text(node.value, node.language, False), datatype=datatype)
        return TermView(Text(str(node), None, False))

    def term_for_iri(self, iri: str) -> TermView:
        return self.term(NamedNode(iri))

    def text(self, literals: Iterable[Literal]) -> Text | None:
        return pick_text(literals, self.lang)
