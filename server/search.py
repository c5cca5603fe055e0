"""Search over the FTS5 index written at load time; results grouped by class.

The reader's text never becomes SPARQL, nor raw FTS syntax: it is split into words, each
quoted as an FTS5 string (a prefix query), and passed as a bound parameter.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from pyoxigraph import Literal

from twinkg.errors import TwinkgError
from twinkg.loaders.searchindex import FILE_NAME

from .iris import KIND_OF_CLASS
from .listings import LIST_KINDS
from .views import Labeler, TermView

MAX_RESULTS = 200
MAX_WORDS = 12
WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """``Wiśniewski oppel`` → ``"Wiśniewski"* "oppel"*`` (all words, each as a prefix)."""
    words = WORD.findall(text)[:MAX_WORDS]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


@dataclass
class Group:
    kind: str
    cls: str
    items: list[TermView]


def search(ds, text: str, lang: str) -> list[Group]:
    query = fts_query(text)
    if query is None:
        return []
    path = ds.build_dir / FILE_NAME
    if not path.exists():
        raise TwinkgError("the search index is missing: reload the dataset with `twinkg load`", 503)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT e.iri, e.class, e.labels FROM "
            " (SELECT iri, MIN(rank) AS best FROM names WHERE names MATCH ? GROUP BY iri) AS hit"
            " JOIN entities AS e ON e.iri = hit.iri ORDER BY hit.best LIMIT ?",
            (query, MAX_RESULTS)).fetchall()
    finally:
        db.close()
    labeler = Labeler(ds.iris, lang)
    groups: dict[str, Group] = {}
    for iri, cls, labels in rows:
        for tag, value in json.loads(labels):
            labeler.add_label(iri, Literal(value, language=tag) if tag else Literal(value))
        kind = KIND_OF_CLASS.get(cls, cls)
        groups.setdefault(kind, Group(kind, cls, [])).items.append(labeler.term_for_iri(iri))
    order = {k: i for i, k in enumerate(LIST_KINDS)}
    return sorted(groups.values(), key=lambda g: order.get(g.kind, len(order)))
