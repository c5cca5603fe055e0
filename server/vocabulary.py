"""Labels of the ontology's terms (classes, properties, concepts), read once per store."""

from __future__ import annotations

from pyoxigraph import Literal

from twinkg.store import run_query

from .queryfiles import server_query


def read_vocabulary_labels(store) -> dict[str, list[Literal]]:
    labels: dict[str, list[Literal]] = {}
    for row in run_query(store, server_query("vocabulary-labels")):
        labels.setdefault(row["term"].value, []).append(row["label"])
    return labels


def vocabulary_labels(ds) -> dict[str, list[Literal]]:
    return ds.vocabulary
