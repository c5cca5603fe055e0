"""Search over the FTS5 index written at load time; results grouped by class.

The reader's text never becomes SPARQL, nor raw FTS syntax: it is split into words, each
quoted as an FTS5 string (a prefix query), and passed as a bound parameter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from twinkg.server.pages.site_index import add_labels, connect
from twinkg.server.presentation.terms import Labeler, TermView

MAX_RESULTS = 200
MAX_WORDS = 12
WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """``Wiśniewski oppel`` → ``"Wiśniewski"* "oppel"*`` (all words, each as a prefix)."""
    # NFC first: typed or pasted as a base letter plus a combining mark ("u" + U+0308), a word
    # would split at the mark, which \w does not match
    words = WORD.findall(unicodedata.normalize("NFC", text))[:MAX_WORDS]
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
    with connect(ds) as db:
        rows = db.execute(
            "SELECT e.iri, e.class, e.labels FROM "
            " (SELECT iri, MIN(rank) AS best FROM names WHERE names MATCH ? GROUP BY iri) AS hit"
            " JOIN entities AS e ON e.iri = hit.iri ORDER BY hit.best LIMIT ?",
            (query, MAX_RESULTS)).fetchall()
    labeler = Labeler(ds.iris, lang)
    groups: dict[str, Group] = {}
    for iri, cls, labels in rows:
        add_labels(labeler, iri, labels)
        declared = ds.kinds.of_class(cls)
        kind = declared.name if declared else cls
        groups.setdefault(kind, Group(kind, cls, [])).items.append(labeler.term_for_iri(iri))
    order = {k.name: i for i, k in enumerate(ds.kinds.listed)}
    return sorted(groups.values(), key=lambda g: order.get(g.kind, len(order)))
