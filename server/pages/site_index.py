"""Read access to the site index written at load time (loaders/site_index.py)."""

from __future__ import annotations

import contextlib
import json
import sqlite3

from pyoxigraph import Literal, NamedNode

from twinkg.errors import TwinkgError
from twinkg.loaders.site_index import FILE_NAME
from twinkg.server.presentation.terms import Labeler


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


def rows_of(db, sql: str, params: tuple = ()) -> list:
    """``sql``'s rows; a table the index lacks means that it was written by an older twinkg."""
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        raise TwinkgError("the site index is older than this twinkg: reload the dataset with `twinkg load`",
                          503) from None


def add_labels(labeler: Labeler, iri: str, labels_json: str) -> None:
    for tag, value in json.loads(labels_json):
        labeler.add_label(iri, Literal(value, language=tag) if tag else Literal(value))


def date_literal(lexical: str | None, datatype: str | None) -> Literal | None:
    if lexical is None:
        return None
    return Literal(lexical, datatype=NamedNode(datatype)) if datatype else Literal(lexical)
