"""HTML pages rendered from the graph: home, entity pages, lists, timeline, map, search."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request

from twinkg.config import PAGES_AS_OF_RELEASE
from twinkg.errors import TwinkgError
from twinkg.server.conditional import conditional_get
from twinkg.server.dataset import dataset
from twinkg.server.i18n import COOKIE, COOKIE_MAX_AGE, LANGUAGES, current_language
from twinkg.server.linkeddata.deref import entity_iri
from twinkg.server.pages import listings
from twinkg.server.pages.entity import build_page
from twinkg.server.pages.search import search as run_search
from twinkg.server.presentation.about import about
from twinkg.server.presentation.schemaorg_dataset import dataset_jsonld

bp = Blueprint("pages", __name__)
conditional_get(bp, html=True)


def _today(ds) -> datetime.date | None:
    if current_app.config.get(PAGES_AS_OF_RELEASE):
        return datetime.date.fromisoformat(ds.meta["loaded_at"][:10])
    return None  # build_page takes today's date


@bp.route("/")
def home():
    ds = dataset()
    lang = current_language()
    return render_template("home.html", counts=listings.class_counts(ds), meta=ds.meta,
                           latest=listings.latest_events(ds, lang), city_map=listings.home_map(ds, lang),
                           dataset_jsonld=dataset_jsonld(about(), lang, request.host_url))


@bp.route("/page/<kind>/<slug>")
def entity(kind: str, slug: str):
    ds = dataset()
    iri = entity_iri(kind, slug)  # build_page answers 404 when the data has no such entity
    page = build_page(ds, kind, slug, iri, current_language(), page_url=request.base_url, today=_today(ds))
    template = current_app.jinja_env.select_template([f"entity/{kind}.html", "entity/entity.html"])
    response = render_template(template, page=page, v=page.view)
    links = ", ".join(f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in page.alternates)
    return response, 200, {"Link": links}


@bp.route("/list/<kind>")
def listing(kind: str):
    ds = dataset()
    listed = [k.name for k in ds.kinds.listed]
    if kind not in listed:
        raise TwinkgError(f"no list of '{kind}'; lists: {', '.join(listed)}", 404)
    page = listings.list_page(ds, kind, current_language(), request.args)
    return render_template("list.html", listing=page)


@bp.route("/timeline")
def timeline():
    return render_template("timeline.html", timeline=listings.timeline(dataset(), current_language(), request.args))


@bp.route("/map")
def city_map():
    return render_template("map.html", city_map=listings.city_map(dataset(), current_language(), request.args))


@bp.route("/search")
def search():
    text = request.args.get("q", "")
    if len(text) > 200:
        raise TwinkgError("the search text is too long (at most 200 characters)", 400)
    results = run_search(dataset(), text, current_language()) if text.strip() else None
    return render_template("search.html", q=text, results=results)


def _local_path(target: str) -> str:
    """``target`` if it is a path on this site, else ``/``: no open redirect, no header injection.

    Browsers drop tabs and newlines from URLs (``/<TAB>/evil.org`` becomes ``//evil.org``), so
    any control character disqualifies a target, as does a scheme, a host or a backslash.
    """
    parts = urlsplit(target)
    if (any(ord(c) < 0x20 or ord(c) == 0x7f for c in target) or "\\" in target
            or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")):
        return "/"
    return target


@bp.route("/lang/<code>")
def switch_language(code: str):
    """The language switch: remember the choice in a cookie and go back (works without JS)."""
    if code not in LANGUAGES:
        raise TwinkgError(f"unknown language '{code}'; available: {', '.join(LANGUAGES)}", 404)
    response = redirect(_local_path(request.args.get("next", "/")), 303)
    # Secure over HTTPS (behind a proxy: as its X-Forwarded-Proto says, if trusted_proxies
    # trusts it); over plain HTTP a Secure cookie would never come back
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    return response
