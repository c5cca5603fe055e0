"""/download: every file of the release listed, and served with conditional and range requests."""

from __future__ import annotations

from flask import Blueprint, render_template, send_file

from .conditional import conditional_get
from .published import published

bp = Blueprint("downloads", __name__)
conditional_get(bp, html=True)  # the listing (each file has its own digest as its ETag)

#: The order of the page's sections.
ROLES = (("dump", "Dumps"), ("description", "Dataset description"), ("ontology", "Ontology"),
         ("shapes", "SHACL shapes"), ("context", "JSON-LD context"), ("documentation", "Documentation"),
         ("citation", "Citation"), ("changelog", "Changes"))


def _human(size: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


@bp.route("/download")
def listing():
    pub = published()
    files = list(pub.files.values())
    sections = [(title, [f for f in files if f.role == role]) for role, title in ROLES]
    return render_template("download.html", manifest=pub.manifest,
                           sections=[(t, fs) for t, fs in sections if fs], human=_human)


@bp.route("/download/<name>")
def file(name: str):
    path, media_type, etag = published().served_as(name)
    # (send_file adds "; charset=utf-8" to text types; JSON is UTF-8 by definition)
    return send_file(path, mimetype=media_type, as_attachment=media_type == "application/gzip",
                     download_name=name, conditional=True, etag=etag, max_age=3600)
