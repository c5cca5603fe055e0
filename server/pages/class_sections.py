"""What each class's page shows, as view objects: one function per kind (VIEWS, by the kind's
name); a kind without one shows its statements only (templates/entity/entity.html).

Each takes the page's graph (data document + the class's context query), the entity, a
Labeler and today's date, and returns a dict for the class's template.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from twinkg.server.i18n import decimal
from twinkg.server.pages.page_graph import GraphIndex, term
from twinkg.server.presentation.dates import anniversaries, year_of
from twinkg.server.presentation.terms import Labeler, TermView, Text

#: Each list on a page shows at most this many (the context queries read one more, to know
#: whether there are more): a hub's page costs what any page costs.
SECTION_LIMIT = 50
#: Links pointing at the entity shown on its page (server/sparql/page.rq reads one more).
INCOMING_LIMIT = 200


class Capped(list):
    """A list cut at SECTION_LIMIT that knows whether it was cut."""
    more = False


def cap(items, limit: int = SECTION_LIMIT) -> Capped:
    out = Capped(list(items)[:limit])
    out.more = len(items) > limit
    return out


@dataclass
class Dated:
    """An entity with its date, for lists sorted by time."""
    term: TermView
    start: TermView | None
    end: TermView | None = None
    kind: TermView | None = None
    extra: TermView | None = None
    sort: str = ""
    roles: list[Text] = field(default_factory=list)


@dataclass
class PhotoItem:
    term: TermView
    caption: Text | None
    credit: str


#: The letters for north, south, east and west in each UI language.
COMPASS = {"en": "NSEW", "de": "NSOW"}


def coordinates_text(lat: float, long: float, lang: str = "en") -> str:
    """Coordinates for people: 47.39484° N, 0.70398° E; in German 47,39484° N, 0,70398° O
    (west and south without minus signs)."""
    north, south, east, west = COMPASS.get(lang, COMPASS["en"])
    return (f"{decimal(str(abs(lat)), lang)}° {north if lat >= 0 else south}, "
            f"{decimal(str(abs(long)), lang)}° {east if long >= 0 else west}")


def _terms(g: GraphIndex, L: Labeler, s, p) -> list[TermView]:
    return sorted((L.term(o) for o in g.objects(s, p)), key=lambda t: t.text.value.lower())


def _opt(g: GraphIndex, L: Labeler, s, p) -> TermView | None:
    value = g.value(s, p)
    return L.term(value) if value is not None else None


def _sortkey(g: GraphIndex, s) -> str:
    value = g.value(s, "tk:startDate")
    return value.value if value is not None else ""


def _texts(g: GraphIndex, s, p) -> list[Text]:
    return [Text(o.value, o.language, False) for o in g.objects(s, p) if isinstance(o, Literal)]


def _inferred(g: GraphIndex, L: Labeler, e: NamedNode, **fields: str) -> dict[str, Text | None]:
    """How the entity's statements a source does not state were derived, by the view's field
    name (``place="tk:place"``): the summary marks them as the statements table does."""
    marked = {}
    for node in g.objects(e, "tk:inferredStatement"):
        if g.value(node, "rdf:subject") == e and (p := g.value(node, "rdf:predicate")) is not None:
            marked[p] = L.text(g.objects(node, "tk:derivation"))
    return {name: marked[term(curie)] for name, curie in fields.items() if term(curie) in marked}


def _photos(g: GraphIndex, L: Labeler, photos) -> Capped:
    items = {}
    for photo in photos:
        credit = g.value(photo, "tk:credit")
        items[photo] = PhotoItem(L.term(photo), L.text(g.objects(photo, "tk:caption")),
                                 credit.value if credit is not None else "")
    return cap(sorted(items.values(), key=lambda p: p.term.iri))


def _events(g: GraphIndex, L: Labeler, events) -> Capped:
    out = {ev: Dated(L.term(ev), _opt(g, L, ev, "tk:startDate"), _opt(g, L, ev, "tk:endDate"),
                     _opt(g, L, ev, "tk:eventType"), _opt(g, L, ev, "tk:place"), sort=_sortkey(g, ev))
           for ev in events}
    return cap(sorted(out.values(), key=lambda d: (d.sort, d.term.text.value), reverse=True))


def _offices(g: GraphIndex, L: Labeler, offices) -> Capped:
    rows = []
    for office in offices:
        rows.append({
            "person": _opt(g, L, office, "org:member"),
            "organization": _opt(g, L, office, "org:organization"),
            "role": _opt(g, L, office, "org:role"),
            "title": L.text(g.objects(office, "rdfs:label")),
            "start": _opt(g, L, office, "tk:startDate"),
            "end": _opt(g, L, office, "tk:endDate"),
            # without start and end: the date a source gives and the events attesting it
            "attested_date": _opt(g, L, office, "tk:attestedDate"),
            "attested": sorted((Dated(L.term(ev), _opt(g, L, ev, "tk:startDate"), _opt(g, L, ev, "tk:endDate"),
                                      sort=_sortkey(g, ev)) for ev in g.objects(office, "tk:attestedAt")),
                               key=lambda d: (d.sort, d.term.text.value)),
        })
    return cap(sorted(rows, key=lambda r: (r["person"].text.value if r["person"] else "")))


def city(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    partnerships = []
    for p in g.subjects("tk:partner", e):
        others = [c for c in g.objects(p, "tk:partner") if c != e]
        partnerships.append(Dated(L.term(p), _opt(g, L, p, "tk:startDate"), _opt(g, L, p, "tk:endDate"),
                                  _opt(g, L, p, "tk:partnershipKind"),
                                  L.term(others[0]) if others else None, sort=_sortkey(g, p)))
    partnerships = cap(sorted(partnerships, key=lambda d: (d.sort or "9999", d.extra.text.value if d.extra else "")))
    offices = [o for org in g.subjects("tk:basedIn", e) for o in g.subjects("org:organization", org)]
    held_here = g.subjects("tk:place", e)
    related = set(g.subjects("tk:participant", e)) | {
        ev for p in g.subjects("tk:partner", e) for ev in g.subjects("tk:partnership", p)}
    photos = set(g.subjects("tk:depicts", e)) | {p for ev in held_here for p in g.subjects("tk:documents", ev)}
    lat, long = g.value(e, "geo:lat"), g.value(e, "geo:long")
    return {
        "names": sorted(_texts(g, e, "rdfs:label"), key=lambda t: t.lang or ""),
        "alt_names": sorted(_texts(g, e, "skos:altLabel"), key=lambda t: (t.lang or "", t.value)),
        "country": _opt(g, L, e, "tk:country"),
        "part_of": _opt(g, L, e, "tk:partOf"),
        "parts": [L.term(c) for c in g.subjects("tk:partOf", e)],
        "same_as": _terms(g, L, e, "owl:sameAs"),
        "description": L.text(g.objects(e, "dct:description")),
        "coordinates": (lat.value, long.value) if lat is not None and long is not None else None,
        "coordinates_text": coordinates_text(float(lat.value), float(long.value), L.lang) if lat and long else None,
        "partnerships": partnerships,
        "events": _events(g, L, held_here),
        "related_events": _events(g, L, related - set(held_here)),
        "offices": _offices(g, L, offices),
        "photos": _photos(g, L, photos),
    }


def _history(g: GraphIndex, L: Labeler, e: NamedNode) -> list[Dated]:
    """The chain of partnerships this one continues or is continued by, oldest first."""
    chain, seen = [e], {e}
    node = e
    while (prev := next((s for s in g.subjects("tk:continuedBy", node) if s not in seen), None)):
        chain.insert(0, prev)
        seen.add(prev)
        node = prev
    node = e
    while (nxt := next((o for o in g.objects(node, "tk:continuedBy") if o not in seen), None)):
        chain.append(nxt)
        seen.add(nxt)
        node = nxt
    if len(chain) == 1:
        return []
    return [Dated(L.term(p), _opt(g, L, p, "tk:startDate"), _opt(g, L, p, "tk:endDate"),
                  extra=None, sort="current" if p == e else "") for p in chain]


def _lineage_start(g: GraphIndex, e: NamedNode):
    """The first partnership this one continues (itself if none): anniversaries and "since"
    count from its start (Mülheim–Kouvola from 1972, when it began with Kuusankoski)."""
    first, seen = e, {e}
    while (prev := next((s for s in g.subjects("tk:continuedBy", first) if s not in seen), None)):
        first = prev
        seen.add(prev)
    return first


def partnership(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    first = _lineage_start(g, e)
    start, end = g.value(first, "tk:startDate"), g.value(e, "tk:endDate")
    start_year = year_of(start.value) if start is not None else None
    end_year = year_of(end.value) if end is not None else None
    events = g.subjects("tk:partnership", e)
    return {
        "cities": _terms(g, L, e, "tk:partner"),
        "kind": _opt(g, L, e, "tk:partnershipKind"),
        "since": _opt(g, L, first, "tk:startDate"),
        "start": _opt(g, L, e, "tk:startDate"),
        # this partnership's own start, where the lineage began earlier
        "own_start": _opt(g, L, e, "tk:startDate") if first != e else None,
        "end": _opt(g, L, e, "tk:endDate"),
        "description": L.text(g.objects(e, "dct:description")),
        "history": _history(g, L, e),
        "anniversaries": anniversaries(start_year, today.year, end_year) if start_year else None,
        "age": today.year - start_year if start_year and end_year is None else None,
        "events": _events(g, L, events),
        "photos": _photos(g, L, {p for ev in events for p in g.subjects("tk:documents", ev)}),
        "sources": _terms(g, L, e, "dct:source"),
    }


def person(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    events = []
    for ev in g.subjects("tk:participant", e):
        roles = []
        for part in g.objects(ev, "tk:participation"):
            if e in g.objects(part, "tk:agent"):
                role = L.text(g.objects(part, "rdfs:label"))
                concept = g.value(part, "tk:role")
                roles.append(role or (L.label(concept.value) if concept is not None else None))
        events.append(Dated(L.term(ev), _opt(g, L, ev, "tk:startDate"), _opt(g, L, ev, "tk:endDate"),
                            _opt(g, L, ev, "tk:eventType"), _opt(g, L, ev, "tk:place"),
                            sort=_sortkey(g, ev), roles=[r for r in roles if r]))
    events = cap(sorted(events, key=lambda d: (d.sort, d.term.text.value), reverse=True))
    return {
        "name": g.value(e, "foaf:name"),
        "honorific": g.value(e, "foaf:title"),
        "offices": _offices(g, L, g.objects(e, "org:hasMembership")),
        "events": events,
        "photos": _photos(g, L, g.subjects("tk:depicts", e)),
    }


def event(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    participants = []
    for part in sorted(g.objects(e, "tk:participation"), key=lambda n: _number(n.value)):
        participants.append({
            "agent": _opt(g, L, part, "tk:agent"),
            "group": L.text(g.objects(part, "tk:group")),  # an unnamed group instead
            "role": _opt(g, L, part, "tk:role"),
            "title": L.text(g.objects(part, "rdfs:label")),
        })
    return {
        "start": _opt(g, L, e, "tk:startDate"),
        "end": _opt(g, L, e, "tk:endDate"),
        "type": _opt(g, L, e, "tk:eventType"),
        "place": _opt(g, L, e, "tk:place"),
        "venue": L.text(g.objects(e, "tk:venue")),
        "participants": participants,
        "partnerships": _terms(g, L, e, "tk:partnership"),
        "organizers": _terms(g, L, e, "tk:organizer"),
        "description": L.text(g.objects(e, "dct:description")),
        "photos": _photos(g, L, g.subjects("tk:documents", e)),
        "sources": _terms(g, L, e, "dct:source"),
        "inferred": _inferred(g, L, e, start="tk:startDate", place="tk:place"),
    }


def _number(iri: str) -> int:
    tail = iri.rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0


def photo(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    credit = g.value(e, "tk:credit")
    return {
        "caption": L.text(g.objects(e, "tk:caption")),
        "credit": credit.value if credit is not None else None,
        "creators": _terms(g, L, e, "dct:creator"),
        "rights_holder": _opt(g, L, e, "dct:rightsHolder"),
        "depicts": _terms(g, L, e, "tk:depicts"),
        "event": _opt(g, L, e, "tk:documents"),
        "sources": _terms(g, L, e, "dct:source"),
        "inferred": _inferred(g, L, e, event="tk:documents"),
    }


def organization(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    return {
        "type": _opt(g, L, e, "tk:organizationType"),
        "based_in": _opt(g, L, e, "tk:basedIn"),
        "part_of": _opt(g, L, e, "org:subOrganizationOf"),
        "parts": [L.term(o) for o in g.subjects("org:subOrganizationOf", e)],
        "inferred": _inferred(g, L, e, based_in="tk:basedIn", part_of="org:subOrganizationOf"),
        "pages": _terms(g, L, e, "foaf:page"),
        "description": L.text(g.objects(e, "dct:description")),
        "offices": _offices(g, L, g.subjects("org:organization", e)),
        "alt_names": sorted(_texts(g, e, "skos:altLabel"), key=lambda t: (t.lang or "", t.value)),
    }


def source(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    cited = [L.term(s) for s in g.subjects("dct:source", e) if "#" not in s.value]
    return {
        "pages": _terms(g, L, e, "foaf:page"),
        "language": g.value(e, "dct:language"),
        "publisher": _opt(g, L, e, "dct:publisher"),
        "description": L.text(g.objects(e, "dct:description")),
        "cited_by": cap(sorted(cited, key=lambda t: t.text.value.lower()), INCOMING_LIMIT),
    }


def country(g: GraphIndex, e: NamedNode, L: Labeler, today: datetime.date) -> dict:
    code = g.value(e, "tk:countryCode")
    return {
        "code": code.value if code is not None else None,
        "names": sorted(_texts(g, e, "rdfs:label"), key=lambda t: t.lang or ""),
        "cities": cap(sorted((L.term(c) for c in g.subjects("tk:country", e)), key=lambda t: t.text.value),
                      INCOMING_LIMIT),
    }


#: The view of each kind that has a page of its own (templates/entity/{kind}.html).
VIEWS = {"city": city, "partnership": partnership, "person": person, "event": event, "photo": photo,
         "organization": organization, "source": source, "country": country}
