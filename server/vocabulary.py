"""Labels of the ontology's terms (classes, properties, concepts), read once per store build."""

from __future__ import annotations

from pyoxigraph import Literal

from twinkg.config import PREFIXES
from twinkg.server.i18n import catalogue
from twinkg.server.sparqlfiles import server_query
from twinkg.store import run_query


def read_vocabulary_labels(store) -> dict[str, list[Literal]]:
    """The ontology's labels, plus the UI catalogue's names for well-known properties
    (dct:source, rdfs:label…), which carry no labels in our ontology."""
    labels: dict[str, list[Literal]] = {}
    for row in run_query(store, server_query("vocabulary-labels")):
        labels.setdefault(row["term"].value, []).append(row["label"])
    for key, entry in catalogue().items():
        if key.startswith("prop."):
            prefix, _, local = key[5:].partition(":")
            labels.setdefault(PREFIXES[prefix] + local, []).extend(
                Literal(text, language=code) for code, text in entry.items())
    return labels
