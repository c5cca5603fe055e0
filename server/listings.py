"""Lists over the dataset: class counts, one page of a class, latest events, timeline, map.

Pages are cut with LIMIT/OFFSET, and totals come from the load's meta.json, so no page's
rendering grows with the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Variable

from twinkg.config import ONTOLOGY_NS
from twinkg.errors import TwinkgError
from twinkg.store import run_query

from .iris import KIND_OF_CLASS, class_of_kind
from .queryfiles import server_query
from .classviews import coordinates_text
from .views import Labeler, TermView, Text

#: The list pages, in the order the home page shows them.
LIST_KINDS = ("city", "partnership", "event", "person", "organization", "photo", "source", "country")
DATED_KINDS = {"event", "partnership"}
PAGE_SIZE = 25
MAX_PAGE = 100_000
#: ORDER BY clauses by (sort, order): constants, never text from the request.
ORDERS = {
    ("name", "asc"): 'ORDER BY ASC(LCASE(STRAFTER(?key, "\\t"))) ?e',
    ("name", "desc"): 'ORDER BY DESC(LCASE(STRAFTER(?key, "\\t"))) ?e',
    # undated entries last in both directions
    ("date", "asc"): 'ORDER BY ASC(!BOUND(?sortdate)) ASC(?sortdate) ?e',
    ("date", "desc"): 'ORDER BY ASC(!BOUND(?sortdate)) DESC(?sortdate) ?e',
}


def _labeler(ds, lang) -> Labeler:
    return Labeler(ds.iris, lang)


def class_counts(ds) -> list[tuple[str, str, int]]:
    """(kind, class, count) per class, as the home page shows them."""
    rows = run_query(ds.store, server_query("class-counts"))
    out = []
    for row in rows:
        cls = row["class"].value.rsplit("#", 1)[-1]
        out.append((KIND_OF_CLASS.get(cls, ""), cls, int(row["n"].value)))
    return out


@dataclass
class ListItem:
    term: TermView
    date: TermView | None
    end: TermView | None


@dataclass
class ListPage:
    kind: str
    cls: str
    items: list[ListItem]
    page: int
    pages: int
    total: int
    sort: str
    order: str
    sorts: tuple[str, ...]

    def href(self, page: int) -> str:
        return f"/list/{self.kind}?sort={self.sort}&order={self.order}&page={page}"


def _int_arg(args, name: str, default: int) -> int:
    raw = args.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise TwinkgError(f"'{name}' must be a whole number, not '{raw[:40]}'", 400) from None
    if not 1 <= value <= MAX_PAGE:
        raise TwinkgError(f"'{name}' must be between 1 and {MAX_PAGE}", 400)
    return value


def _key_text(key: Literal | None, iri: str) -> Text:
    if key is None:
        return Text(iri.rsplit("/", 1)[-1], None, False)
    tag, _, label = key.value.partition("\t")
    return Text(label, tag or None, bool(tag))


def list_page(ds, kind: str, lang: str, args) -> ListPage:
    cls = class_of_kind(kind)
    sorts = ("name", "date") if kind in DATED_KINDS else ("name",)
    sort = args.get("sort", sorts[-1] if kind == "event" else "name")
    order = args.get("order", "desc" if sort == "date" else "asc")
    if sort not in sorts or (sort, order) not in ORDERS:
        raise TwinkgError(f"sort must be one of {', '.join(sorts)} and order asc or desc", 400)
    page = _int_arg(args, "page", 1)
    total = int(ds.meta.get("entities", {}).get(cls, 0))
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        raise TwinkgError(f"there are only {pages} page(s) of this list", 404)
    # LIMIT and OFFSET cannot be bound in SPARQL; they are Python ints checked above.
    text = (server_query("list-page") + "\n" + ORDERS[(sort, order)]
            + f"\nLIMIT {PAGE_SIZE:d} OFFSET {(page - 1) * PAGE_SIZE:d}")
    rows = run_query(ds.store, text, {Variable("lang"): Literal(lang),
                                      Variable("class"): NamedNode(ONTOLOGY_NS + cls)})
    labeler = _labeler(ds, lang)
    items = []
    for row in rows:
        iri = row["e"].value
        href = ds.iris.local_href(iri)
        term = TermView(_key_text(row["key"], iri), iri, href or iri, href is not None)
        items.append(ListItem(term, labeler.term(row["date"]) if row["date"] else None,
                              labeler.term(row["end"]) if row["end"] else None))
    return ListPage(kind, cls, items, page, pages, total, sort, order, sorts)


def _grouped_labels(rows, key="e", label="label") -> dict:
    out: dict = {}
    for row in rows:
        out.setdefault(row[key], []).append(row[label])
    return out


def latest_events(ds, lang: str) -> list[tuple[TermView, TermView]]:
    rows = list(run_query(ds.store, server_query("latest-events")))
    labels = _grouped_labels(rows)
    labeler = Labeler(ds.iris, lang, {e.value: ls for e, ls in labels.items()})
    dates = {row["e"]: row["date"] for row in rows}
    events = sorted(labels, key=lambda e: dates[e].value, reverse=True)
    return [(labeler.term(e), labeler.term(dates[e])) for e in events]


@dataclass
class MapCity:
    term: TermView
    lat: float | None
    long: float | None
    partners: int

    @property
    def marker(self) -> dict:
        return {"name": self.term.text.value, "href": self.term.href, "lat": self.lat, "long": self.long}

    @property
    def coordinates_text(self) -> str:
        return coordinates_text(self.lat, self.long)


def map_cities(ds, lang: str) -> list[MapCity]:
    rows = list(run_query(ds.store, server_query("map-cities")))
    labeler = Labeler(ds.iris, lang, {e.value: ls for e, ls in _grouped_labels(rows).items() if ls})
    cities = {}
    for row in rows:
        e = row["e"]
        if e not in cities:
            lat, long = row["lat"], row["long"]
            cities[e] = MapCity(labeler.term(e), float(lat.value) if lat else None,
                                float(long.value) if long else None, int(row["partners"].value))
    # Only cities in a partnership: the map is about twinning.
    return sorted((c for c in cities.values() if c.partners),
                  key=lambda c: c.term.text.value.lower())


UNDATED = "undated"


@dataclass
class Timeline:
    years: list[tuple[str, int]]  # (year or UNDATED, count), latest first, undated last
    year: str | None
    events: list[dict]


def timeline(ds, lang: str, year: str | None) -> Timeline:
    counts = {row["year"].value or UNDATED: int(row["n"].value)
              for row in run_query(ds.store, server_query("event-years"))}
    years = sorted(((y, n) for y, n in counts.items() if y != UNDATED), reverse=True)
    if UNDATED in counts:
        years.append((UNDATED, counts[UNDATED]))
    if year is None:
        year = years[0][0] if years else None
    elif year not in counts:
        raise TwinkgError(f"no events in '{year[:10]}'", 404)
    events = []
    if year:
        bound = "" if year == UNDATED else year
        rows = list(run_query(ds.store, server_query("events-in-year"), {Variable("year"): Literal(bound)}))
        labels = _grouped_labels(rows)
        others = {row[k] for row in rows for k in ("type", "place") if row[k] is not None}
        labeler = Labeler(ds.iris, lang, {e.value: ls for e, ls in labels.items()})
        for other in others:
            for row in run_query(ds.store, server_query("labels-of"), {Variable("x"): other}):
                labeler.add_label(other.value, row["label"])
        seen = {}
        for row in rows:
            if row["e"] in seen:
                continue
            seen[row["e"]] = {
                "term": labeler.term(row["e"]),
                "sort": row["date"].value if row["date"] else "",
                "date": labeler.term(row["date"]) if row["date"] else None,
                "end": labeler.term(row["end"]) if row["end"] else None,
                "type": labeler.term(row["type"]) if row["type"] else None,
                "place": labeler.term(row["place"]) if row["place"] else None,
            }
        events = sorted(seen.values(), key=lambda ev: (ev["sort"], ev["term"].text.value))
    return Timeline(years, year, events)
