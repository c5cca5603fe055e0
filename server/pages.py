"""HTML pages rendered from the graph: the home page."""

from __future__ import annotations

from flask import Blueprint, render_template

from twinkg.store import run_query

from .dataset import dataset
from .queryfiles import server_query

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    ds = dataset()
    counts = [(row["class"].value.rsplit("#", 1)[-1], int(row["n"].value))
              for row in run_query(ds.store, server_query("class-counts"))]
    return render_template("home.html", counts=counts, meta=ds.meta)
