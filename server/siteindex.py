"""Read access to the site index written at load time (loaders/searchindex.py)."""

from __future__ import annotations

import contextlib
import json
import sqlite3

from pyoxigraph import Literal, NamedNode

from twinkg.errors import TwinkgError
from twinkg.loaders.searchindex import FILE_NAME

from .views import Labeler


@contextlib.contextmanager
def connect(ds):
    path = ds.build_dir / FILE_NAME
    if not path.exists():
        raise TwinkgError("the site index is missing: reload the dataset with `twinkg load`", 503)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()


def add_labels(labeler: Labeler, iri: str, labels_json: str) -> None:
    for tag, value in json.loads(labels_json):
        labeler.add_label(iri, Literal(value, language=tag) if tag else Literal(value))


def date_literal(lexical: str | None, datatype: str | None) -> Literal | None:
    if lexical is None:
        return None
    return Literal(lexical, datatype=NamedNode(datatype)) if datatype else Literal(lexical)
