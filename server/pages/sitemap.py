"""What crawlers and browsers ask every site for: /robots.txt, /sitemap.xml, /favicon.ico.

Addresses are absolute on the host that is asked (as pages map the base IRI onto it); the
static site rewrites them to the dataset's base IRI (twinkg/export/sitefiles.py). Every
page was last modified by the release that made it: ``<lastmod>`` is its load time.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from pyoxigraph import Literal, NamedNode, Variable

from twinkg.config import ONTOLOGY_NS
from twinkg.server.dataset import dataset
from twinkg.server.i18n import DEFAULT, LANGUAGES
from twinkg.server.sparqlfiles import server_query
from twinkg.store import run_query

bp = Blueprint("sitemap", __name__)

#: The pages besides the entities' (lists: the listed kinds, twinkg/kinds.py).
PAGES = ("/", "/timeline", "/map", "/queries", "/download")


def page_paths(ds) -> list[str]:
    """Every page a crawler should find: the main pages, the lists and each entity's page."""
    rows = run_query(ds.store, server_query("sitemap-entities"), {
        Variable("space"): Literal(ds.iris.id_base), Variable("ns"): NamedNode(ONTOLOGY_NS)})
    entities = [ds.iris.local_href(row["e"].value) for row in rows]
    return [*PAGES, *(f"/list/{kind.name}" for kind in ds.kinds.listed), *(p for p in entities if p)]


@bp.route("/robots.txt")
def robots():
    body = render_template("robots.txt", sitemap=request.host_url + "sitemap.xml") + "\n"
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/sitemap.xml")
def sitemap():
    ds = dataset()
    site = request.host_url.rstrip("/")
    # each page in every language tree (/de/… as on the static site)
    trees = ["", *(f"/{lang}" for lang in LANGUAGES if lang != DEFAULT)]
    urls = [site + (tree + path if path != "/" or not tree else tree) for tree in trees for path in page_paths(ds)]
    body = render_template("sitemap.xml", urls=urls,
                           lastmod=ds.meta["loaded_at"]) + "\n"
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for it at the root whatever the pages link to; it changes with the code only.
    return current_app.send_static_file("favicon.ico")
