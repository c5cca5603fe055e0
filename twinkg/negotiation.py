"""Content negotiation like Oxigraph's server: q-values first, then specificity.

The offered formats come from the format table (twinkg/formats.py, pyoxigraph's media types
and file extensions). What each of the
dataset's IRIs offers, in order, is declared here once: the live routes negotiate over these
lists, and the export compiles the same lists into the static site's web-server rules
(twinkg/export/accept_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, TypeVar

from twinkg.errors import TwinkgError
from twinkg.formats import DOCUMENT_FORMATS, VOCABULARY_FORMATS, essence

F = TypeVar("F")


def _parse_accept(header: str) -> list[tuple[str, str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        main, _, sub = media.partition("/")
        ranges.append((main, sub or "*", q))
    return ranges


def _quality(media_type: str, ranges) -> tuple[float, int]:
    """The q of the most specific range that matches, and that specificity (2, 1 or 0)."""
    main, _, sub = media_type.partition("/")
    best = (-1.0, -1)
    for rmain, rsub, q in ranges:
        if rmain == main and rsub == sub:
            spec = 2
        elif rmain == main and rsub == "*":
            spec = 1
        elif rmain == "*" and rsub == "*":
            spec = 0
        else:
            continue
        if spec > best[1]:
            best = (q, spec)
    return best


@dataclass(frozen=True)
class Offer:
    """A representation that is not an RDF format of the library (the HTML page)."""
    media_type: str
    file_extension: str
    #: Other media types that name it, counted only when named (see :func:`negotiate`).
    aliases: tuple[str, ...] = ()


def aliases(offer) -> tuple[str, ...]:
    return offer.aliases if isinstance(offer, Offer) else ()


PAGE = Offer("text/html", "html", ("application/xhtml+xml",))
#: The data documents and the description: Turtle first (the default).
DATA = DOCUMENT_FORMATS
#: ``/id/{kind}/{slug}`` and ``/graph/{name}``: HTML first, so that a bare ``*/*`` (curl's
#: default) gets the page, as browsers do.
ENTITY = (PAGE, *DATA)
#: ``/ontology``: RDF first, a client that accepts anything is most likely an RDF tool;
#: browsers ask for text/html explicitly.
ONTOLOGY = (VOCABULARY_FORMATS[0], PAGE, *VOCABULARY_FORMATS[1:])
#: ``/shapes``: RDF first; a browser gets the downloads page, which lists them.
SHAPES = (*VOCABULARY_FORMATS, PAGE)
#: ``/void``, ``/.well-known/void``: the description itself (no page of its own).
VOID = DATA
#: ``/dataset``, ``/dataset/{release}/…``: RDF first (the description), browsers the downloads page.
DATASET = (*DATA, PAGE)


def negotiate(accept: str | None, offered: Sequence[F], media_type=lambda f: f.media_type,
              aliases=aliases) -> F:
    """Pick from ``offered`` (first = default when anything goes); 406 if none is acceptable."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _parse_accept(accept)
    scored = []
    for index, fmt in enumerate(offered):
        q, spec = _quality(essence(media_type(fmt)), ranges)
        if spec < 2:
            # An alias (application/json for SPARQL JSON, application/xhtml+xml for HTML) counts
            # only when named: matched by a wildcard it would outrank an explicit "q=0" or a
            # lower q for the format's own type, and the answer is sent as that type anyway.
            named = [_quality(m, ranges) for m in aliases(fmt)]
            q, spec = max([(q, spec), *(a for a in named if a[1] == 2)])
        if q > 0:
            scored.append((q, spec, -index, fmt))
    if not scored:
        raise not_acceptable(offered, media_type)
    return max(scored, key=lambda t: t[:3])[3]


def not_acceptable(offered, media_type=lambda f: f.media_type) -> TwinkgError:
    """406, listing the media types of what is offered."""
    return TwinkgError("no acceptable format; offered: " + ", ".join(essence(media_type(f)) for f in offered), 406)
