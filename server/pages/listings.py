"""Lists over the dataset: class counts, one page of a class, latest events, timeline, map.

List pages, the latest events and the timeline read the site index written at load time
(server/pages/site_index.py): an indexed ORDER BY … LIMIT … OFFSET per page, so that no page's cost
grows with the dataset (sorting a class by label in SPARQL took 11 s at 250,000 entities).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from pyoxigraph import NamedNode, Variable

from twinkg.backends.inject import with_rows
from twinkg.config import UI_LANGUAGES
from twinkg.errors import TwinkgError
from twinkg.server.pages.class_sections import coordinates_text
from twinkg.server.pages.site_index import add_labels, connect, date_literal, rows_of
from twinkg.server.presentation.terms import Labeler, TermView
from twinkg.server.sparqlfiles import server_query
from twinkg.store import run_query

PAGE_SIZE = 25
#: Events per page of a timeline year: a busy year of a large dataset (thousands of events)
#: is paged, so a timeline page costs the same whatever the year holds.
TIMELINE_PAGE_SIZE = 100
MAX_PAGE = 100_000
#: The home page's map shows the cities with the most partners (a large dataset has tens of
#: thousands); the map page shows all, with its table paged.
HOME_MAP_CITIES = 100
MAP_PAGE_SIZE = 100
#: ORDER BY clauses of the index by (sort, order): constants, each served by an index.
ORDERS = {
    ("name", "asc"): "key_{lang} ASC, iri ASC",
    ("name", "desc"): "key_{lang} DESC, iri DESC",
    ("date", "asc"): "date_asc ASC, iri ASC",  # undated ('~') last
    ("date", "desc"): "date_desc ASC, iri ASC",  # date_desc sorts dates backwards, undated last
}
COLUMNS = "iri, labels, start, start_type, \"end\", end_type"


def _page_count(total: int, size: int, page: int, of_what: str) -> int:
    """The pages of ``size`` that ``total`` items fill (at least one); 404 past the last."""
    pages = max(1, -(-total // size))
    if page > pages:
        raise TwinkgError(f"there are only {pages} page(s) of {of_what}", 404)
    return pages


def _sort_language(lang: str) -> str:
    """The UI language whose sort key orders a list for a reader of ``lang``."""
    return lang if lang in UI_LANGUAGES else UI_LANGUAGES[0]


def class_counts(ds) -> list[tuple[str, str, int]]:
    """(kind, class, count) per listed class, most entities first, as the home page shows them."""
    listed = tuple(kind.cls for kind in ds.kinds.listed)
    with connect(ds) as db:
        rows = rows_of(db, f"SELECT class, n FROM class_counts WHERE class IN ({', '.join('?' * len(listed))})"
                           " AND n > 0 ORDER BY n DESC, class", listed)
    return [(ds.kinds.of_class(cls).name, cls, n) for cls, n in rows]


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

    @property
    def start(self) -> int:
        """The number of the first item on this page (``<ol start>``)."""
        return (self.page - 1) * PAGE_SIZE + 1

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


def _item(ds, labeler: Labeler, row) -> "ListItem":
    iri, labels, start, start_type, end, end_type = row
    add_labels(labeler, iri, labels)
    start, end = date_literal(start, start_type), date_literal(end, end_type)
    return ListItem(labeler.term_for_iri(iri), labeler.term(start) if start else None,
                    labeler.term(end) if end else None)


def list_page(ds, kind: str, lang: str, args) -> ListPage:
    declared = ds.kinds[kind]
    cls, sorts = declared.cls, declared.sorts
    sort = args.get("sort", declared.default_sort)
    order = args.get("order", "desc" if sort == "date" else "asc")
    if sort not in sorts or (sort, order) not in ORDERS:
        raise TwinkgError(f"sort must be one of {', '.join(sorts)} and order asc or desc", 400)
    page = _int_arg(args, "page", 1)
    # the column name comes from the fixed UI languages, never from the request
    order_by = ORDERS[(sort, order)].format(lang=_sort_language(lang))
    with connect(ds) as db:
        # what the index holds, not the curated records' count: enrichment or another loader
        # may have added entities
        total = sum(n for n, in rows_of(db, "SELECT n FROM class_counts WHERE class = ?", (cls,)))
        pages = _page_count(total, PAGE_SIZE, page, "this list")
        rows = db.execute(f"SELECT {COLUMNS} FROM entities WHERE class = ? ORDER BY {order_by} LIMIT ? OFFSET ?",
                          (cls, PAGE_SIZE, (page - 1) * PAGE_SIZE)).fetchall()
    labeler = Labeler(ds.iris, lang)
    return ListPage(kind, cls, [_item(ds, labeler, row) for row in rows], page, pages, total, sort, order, sorts)


def latest_events(ds, lang: str, n: int = 6) -> list[ListItem]:
    with connect(ds) as db:
        rows = db.execute(f"SELECT {COLUMNS} FROM entities WHERE class = 'Event' AND date_desc != '~'"
                          " ORDER BY date_desc ASC, iri ASC LIMIT ?", (n,)).fetchall()
    labeler = Labeler(ds.iris, lang)
    return [_item(ds, labeler, row) for row in rows]


@dataclass
class MapCity:
    term: TermView
    lat: float | None
    long: float | None
    partners: int
    lang: str  # the reader's, for the coordinates as text

    @property
    def marker(self) -> dict:
        return {"name": self.term.text.value, "href": self.term.href, "lat": self.lat, "long": self.long}

    @property
    def coordinates_text(self) -> str:
        return coordinates_text(self.lat, self.long, self.lang)


@dataclass
class CityMap:
    """Partner cities for a map: ``markers`` on the map, ``rows`` in the table beside it (the
    same cities as text, for readers without JavaScript), paged on the map page."""

    markers: list[MapCity]
    rows: list[MapCity]
    total: int  # the partner cities in the dataset
    page: int = 1
    pages: int = 1

    def href(self, page: int) -> str:
        return f"/map?{urlencode({'page': page})}"


def _map_cities(db, ds, lang: str, top: int | None = None) -> list[MapCity]:
    """The cities in a partnership (the map is about twinning), by name in ``lang``; with
    ``top``, only the ``top`` with the most partners."""
    # the column name comes from the fixed UI languages, never from the request
    chosen = "(SELECT * FROM map_cities ORDER BY partners DESC, iri LIMIT ?)" if top else "map_cities"
    rows = rows_of(db, f"SELECT m.iri, m.lat, m.long, m.partners, e.labels FROM {chosen} m JOIN entities e"
                       f" ON e.iri = m.iri ORDER BY e.key_{_sort_language(lang)}, m.iri", (top,) if top else ())
    labeler = Labeler(ds.iris, lang)
    for iri, *_, labels in rows:
        add_labels(labeler, iri, labels)
    return [MapCity(labeler.term(NamedNode(iri)), lat, long, partners, lang) for iri, lat, long, partners, _ in rows]


def home_map(ds, lang: str) -> CityMap:
    """The home page's map: at most HOME_MAP_CITIES, those with the most partners."""
    with connect(ds) as db:
        cities = _map_cities(db, ds, lang, HOME_MAP_CITIES)
        total = rows_of(db, "SELECT COUNT(*) FROM map_cities")[0][0]
    return CityMap(cities, cities, total)


def city_map(ds, lang: str, args) -> CityMap:
    """The map page: every partner city on the map; the table paged by MAP_PAGE_SIZE."""
    page = _int_arg(args, "page", 1)
    with connect(ds) as db:
        cities = _map_cities(db, ds, lang)
    pages = _page_count(len(cities), MAP_PAGE_SIZE, page, "partner cities")
    rows = cities[(page - 1) * MAP_PAGE_SIZE:page * MAP_PAGE_SIZE]
    return CityMap(cities, rows, len(cities), page, pages)


UNDATED = "undated"


@dataclass
class Timeline:
    years: list[tuple[str, int]]  # (year or UNDATED, count), latest first, undated last
    year: str | None
    events: list[dict]
    page: int = 1
    pages: int = 1
    total: int = 0  # the events of the year

    @property
    def start(self) -> int:
        """The number of the first event on this page (``<ol start>``)."""
        return (self.page - 1) * TIMELINE_PAGE_SIZE + 1

    def href(self, page: int) -> str:
        return f"/timeline?{urlencode({'year': self.year, 'page': page})}"


def timeline(ds, lang: str, args) -> Timeline:
    """The year ``args['year']`` (default: the latest), its page ``args['page']``."""
    year = args.get("year")
    page = _int_arg(args, "page", 1)
    with connect(ds) as db:
        counts = {y or UNDATED: n for y, n in db.execute("SELECT year, n FROM event_years")}
        years = sorted(((y, n) for y, n in counts.items() if y != UNDATED), reverse=True)
        if UNDATED in counts:
            years.append((UNDATED, counts[UNDATED]))
        if year is None:
            year = years[0][0] if years else None
        elif year not in counts:
            raise TwinkgError(f"no events in '{year[:10]}'", 404)
        total = counts.get(year, 0) if year else 0
        pages = _page_count(total, TIMELINE_PAGE_SIZE, page, f"events in '{year}'")
        window = (TIMELINE_PAGE_SIZE, (page - 1) * TIMELINE_PAGE_SIZE)
        rows = []
        if year == UNDATED:
            order_by = ORDERS[("name", "asc")].format(lang=_sort_language(lang))
            rows = db.execute(f"SELECT {COLUMNS} FROM entities WHERE class = 'Event' AND date_asc = '~'"
                              f" ORDER BY {order_by} LIMIT ? OFFSET ?", window).fetchall()
        elif year:
            rows = db.execute(f"SELECT {COLUMNS} FROM entities WHERE class = 'Event'"
                              " AND date_asc >= ? AND date_asc < ? ORDER BY date_asc, iri LIMIT ? OFFSET ?",
                              (year, year + "~", *window)).fetchall()
    labeler = Labeler(ds.iris, lang)
    items = [_item(ds, labeler, row) for row in rows]
    summaries = _event_summaries(ds, labeler, [row[0] for row in rows])
    events = [{"term": item.term, "date": item.date, "end": item.end, **summaries[row[0]]}
              for item, row in zip(items, rows)]
    return Timeline(years, year, events, page, pages, total)


def _event_summaries(ds, labeler: Labeler, iris: list[str]) -> dict[str, dict]:
    """Each event's type and place with their labels: one query for all events of the page
    (a year may hold hundreds; a query per event cost a round trip each on a remote store)."""
    found: dict[str, dict] = {iri: {} for iri in iris}
    if iris:
        # one VALUES row per event, serialized by pyoxigraph (twinkg.backends.inject)
        text = with_rows(server_query("event-summary"), ((Variable("e"),), [(NamedNode(iri),) for iri in iris]))
        for row in run_query(ds.store, text):
            if row["label"] is not None:
                labeler.add_label(row["o"].value, row["label"])
            found[row["e"].value][row["p"].value.rsplit("#", 1)[-1]] = row["o"]
    return {iri: {"type": labeler.term(f["eventType"]) if "eventType" in f else None,
                  "place": labeler.term(f["place"]) if "place" in f else None}
            for iri, f in found.items()}
