"""The site index, written beside the store at load time (SQLite): search and list order.

Search: a ``CONTAINS`` filter over every label of a large store costs a scan per query; an
FTS5 index answers in milliseconds. ``unicode61 remove_diacritics 2`` folds case and
accents, so ``wisniewski`` finds "Wiśniewski"; other names (``skos:altLabel``) are indexed
too, so ``oppeln`` finds Opole. One row per name, title or caption, in every language.

Map and home page: the cities in a partnership, with their coordinates and number of
partners, and the entities per class, so that the map and the home page count nothing over
the whole store per request (1.2 s and 0.15 s at a million statements).

Lists: sorting all entities of a class by their label in the reader's language is a full
sort in SPARQL (seconds at a million statements). Here each entity carries its sort keys
per UI language and by date, each with an index, so a list page is an indexed
``ORDER BY … LIMIT … OFFSET`` whose cost does not grow with the dataset.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from twinkg.config import ONTOLOGY_NS, PREFIXES, UI_LANGUAGES

FILE_NAME = "search.sqlite"
RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
#: What is searched: names, titles (rdfs:label), other names, captions.
SEARCHED = {NamedNode(PREFIXES["rdfs"] + "label"), NamedNode(PREFIXES["skos"] + "altLabel"),
            NamedNode(PREFIXES["foaf"] + "name"), NamedNode(ONTOLOGY_NS + "caption")}
#: What an entity is shown and sorted by.
SHOWN = {NamedNode(PREFIXES["rdfs"] + "label"), NamedNode(ONTOLOGY_NS + "caption")}
START, END = NamedNode(ONTOLOGY_NS + "startDate"), NamedNode(ONTOLOGY_NS + "endDate")
#: The map shows every city in a partnership (of any kind, also an ended one): read from the
#: partnership nodes, since tk:twinnedWith holds only the current twin-town ones.
PARTNER = NamedNode(ONTOLOGY_NS + "partner")
LAT, LONG = NamedNode(PREFIXES["geo"] + "lat"), NamedNode(PREFIXES["geo"] + "long")
#: Every predicate the index reads.
WANTED = {RDF_TYPE, *SEARCHED, START, END, PARTNER, LAT, LONG}
#: Sorts after every date: undated entries come last.
UNDATED = "~"

SCHEMA = f"""
CREATE VIRTUAL TABLE names USING fts5(text, iri UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE entities (
  iri TEXT PRIMARY KEY, class TEXT NOT NULL, labels TEXT NOT NULL,
  start TEXT, start_type TEXT, "end" TEXT, end_type TEXT,
  date_asc TEXT NOT NULL, date_desc TEXT NOT NULL,
  {", ".join(f"key_{lang} TEXT NOT NULL" for lang in UI_LANGUAGES)});
CREATE TABLE event_years (year TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE map_cities (iri TEXT PRIMARY KEY, lat REAL, long REAL, partners INTEGER NOT NULL);
CREATE TABLE class_counts (class TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""
#: Made once the rows are in: one sort per index, not an index update per row.
INDEXES = f"""
CREATE INDEX by_date_asc ON entities (class, date_asc, iri);
CREATE INDEX by_date_desc ON entities (class, date_desc, iri);
{"".join(f"CREATE INDEX by_name_{lang} ON entities (class, key_{lang}, iri);" for lang in UI_LANGUAGES)}
CREATE INDEX by_partners ON map_cities (partners DESC, iri);
"""


def sort_key(text: str) -> str:
    """Case- and accent-folded, so that Ö sorts with O and "tours" with "Tours"."""
    folded = text.casefold()
    if folded.isascii():  # nothing to decompose (most names): skips the walk over characters
        return folded.strip()
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _label_for(labels: set[tuple[str, str]], lang: str) -> str:
    """The label a reader of ``lang`` sees (chain: lang or untagged → de → en → any)."""
    by_lang: dict[str, list[str]] = {}
    for tag, value in labels:
        by_lang.setdefault(tag, []).append(value)
    for choice in (lang, "", "de", "en", *sorted(by_lang)):
        if choice in by_lang:
            return min(by_lang[choice])
    return ""


#: Each ASCII digit d as 9 - d (a table: a walk over the characters took a sixth of the index's time).
_NINES = str.maketrans("0123456789", "9876543210")


def _descending(lexical: str) -> str:
    """A key whose ascending order is the dates' descending order (9 - each digit)."""
    return lexical.translate(_NINES)


def write_search_index(path: Path, quads: Iterable[Quad], base_iri: str) -> int:
    """Index the entities under ``{base_iri}id/`` (not their #fragments); return their count."""
    prefix = base_iri + "id/"
    classes: dict[str, str] = {}
    texts: dict[str, set[str]] = {}
    labels: dict[str, set[tuple[str, str]]] = {}
    dates: dict[tuple[str, NamedNode], Literal] = {}
    partners: dict[str, set] = {}  # partnership → its cities
    coordinates: dict[tuple[str, NamedNode], float] = {}
    for q in quads:
        p = q.predicate
        if p not in WANTED:  # most statements: a cheap test before the subject is looked at
            continue
        s = q.subject
        if not isinstance(s, NamedNode):
            continue
        iri = s.value
        if not iri.startswith(prefix) or "#" in iri:
            continue
        o = q.object
        if p == RDF_TYPE:
            if o.value.startswith(ONTOLOGY_NS):
                classes[iri] = o.value[len(ONTOLOGY_NS):]
        elif p in SEARCHED:
            if isinstance(o, Literal):
                texts.setdefault(iri, set()).add(o.value)
                if p in SHOWN:
                    labels.setdefault(iri, set()).add((o.language or "", o.value))
        elif p in (START, END):
            if isinstance(o, Literal):
                dates[(iri, p)] = o
        elif p == PARTNER:
            partners.setdefault(iri, set()).add(o.value)
        elif isinstance(o, Literal):  # LAT, LONG
            try:
                coordinates.setdefault((iri, p), float(o.value))
            except ValueError:  # not a number: the city is shown without coordinates
                pass

    def row(iri: str, cls: str) -> tuple:
        shown = labels.get(iri, set())
        start, end = dates.get((iri, START)), dates.get((iri, END))
        return (iri, cls, json.dumps(sorted(shown), ensure_ascii=False),
                start.value if start else None, start.datatype.value if start else None,
                end.value if end else None, end.datatype.value if end else None,
                start.value if start else UNDATED, _descending(start.value) if start else UNDATED,
                *(sort_key(_label_for(shown, lang) or iri.rsplit("/", 1)[-1]) for lang in UI_LANGUAGES))

    years: dict[str, int] = {}
    for iri, cls in classes.items():
        if cls == "Event":
            start = dates.get((iri, START))
            year = start.value.lstrip("-")[:4] if start else ""
            years[year] = years.get(year, 0) + 1
    twins: dict[str, set] = {}
    for cities in partners.values():
        for city in cities:
            twins.setdefault(city, set()).update(cities - {city})
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        # No journal and no fsync: the file is new, in a build that is discarded if the load
        # fails or dies, and the swap (an atomic rename) comes after it is closed.
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        # one transaction for the tables and one for the rows (not a commit per table)
        db.executescript(f"BEGIN; {SCHEMA} COMMIT;")
        with db:
            db.executemany("INSERT INTO names (text, iri) VALUES (?, ?)",
                           ((text, iri) for iri in classes for text in sorted(texts.get(iri, ()))))
            marks = ", ".join("?" * (9 + len(UI_LANGUAGES)))
            db.executemany(f"INSERT INTO entities VALUES ({marks})",
                           (row(iri, cls) for iri, cls in classes.items()))
            db.executemany("INSERT INTO event_years VALUES (?, ?)", years.items())
            db.executemany("INSERT INTO map_cities VALUES (?, ?, ?, ?)",
                           ((iri, coordinates.get((iri, LAT)), coordinates.get((iri, LONG)), len(twins[iri]))
                            for iri, cls in classes.items() if cls == "City" and twins.get(iri)))
            db.executemany("INSERT INTO class_counts VALUES (?, ?)", Counter(classes.values()).items())
            db.execute("INSERT INTO names (names) VALUES ('optimize')")
            db.executescript(INDEXES)
    finally:
        db.close()
    return len(classes)
