"""The search index, written beside the store at load time (SQLite FTS5).

A ``CONTAINS`` filter over every label of a large store costs a scan per query; an FTS5
index answers in milliseconds. ``unicode61 remove_diacritics 2`` folds case and accents, so
``wisniewski`` finds "Wiśniewski"; other names (``skos:altLabel``) are indexed too, so
``oppeln`` finds Opole. One row per name, title or caption, in every language.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from twinkg.config import ONTOLOGY_NS, PREFIXES

FILE_NAME = "search.sqlite"
RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
#: What is searched: names, titles (rdfs:label), other names, captions.
SEARCHED = {NamedNode(PREFIXES["rdfs"] + "label"), NamedNode(PREFIXES["skos"] + "altLabel"),
            NamedNode(PREFIXES["foaf"] + "name"), NamedNode(ONTOLOGY_NS + "caption")}
#: What a result is shown by.
SHOWN = {NamedNode(PREFIXES["rdfs"] + "label"), NamedNode(ONTOLOGY_NS + "caption")}

SCHEMA = """
CREATE VIRTUAL TABLE names USING fts5(text, iri UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE entities (iri TEXT PRIMARY KEY, class TEXT NOT NULL, labels TEXT NOT NULL);
"""


def write_search_index(path: Path, quads: Iterable[Quad], base_iri: str) -> int:
    """Index the entities under ``{base_iri}id/`` (not their #fragments); return their count."""
    prefix = base_iri + "id/"
    classes: dict[str, str] = {}
    texts: dict[str, set[str]] = {}
    labels: dict[str, set[tuple[str, str]]] = {}
    for q in quads:
        s = q.subject
        if not isinstance(s, NamedNode) or not s.value.startswith(prefix) or "#" in s.value:
            continue
        if q.predicate == RDF_TYPE and q.object.value.startswith(ONTOLOGY_NS):
            classes[s.value] = q.object.value[len(ONTOLOGY_NS):]
        elif q.predicate in SEARCHED and isinstance(q.object, Literal):
            texts.setdefault(s.value, set()).add(q.object.value)
            if q.predicate in SHOWN:
                labels.setdefault(s.value, set()).add((q.object.language or "", q.object.value))
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO names (text, iri) VALUES (?, ?)",
                       ((text, iri) for iri in classes for text in sorted(texts.get(iri, ()))))
        db.executemany("INSERT INTO entities (iri, class, labels) VALUES (?, ?, ?)",
                       ((iri, cls, json.dumps(sorted(labels.get(iri, ())), ensure_ascii=False))
                        for iri, cls in classes.items()))
        db.execute("INSERT INTO names (names) VALUES ('optimize')")
    db.close()
    return len(classes)
