"""/download: every file of the release listed, and served with conditional and range requests."""

from __future__ import annotations

from flask import Blueprint, render_template, request, send_file

from twinkg.server.conditional import conditional_get
from twinkg.server.i18n import catalogue, current_language, decimal
from twinkg.server.presentation.about import about
from twinkg.server.presentation.dates import XSD, format_date
from twinkg.server.presentation.schemaorg_dataset import dataset_jsonld
from twinkg.server.presentation.terms import Text
from twinkg.server.release_files import HTML_LANGUAGE, published
from twinkg.server.security import DOCUMENT_POLICY

bp = Blueprint("downloads", __name__)
conditional_get(bp, html=True)  # the listing (each file has its own digest as its ETag)

#: The order of the page's sections (titled by ``download.role.<role>`` in messages.json).
ROLES = ("dump", "description", "ontology", "shapes", "context", "documentation", "citation", "license", "readme",
         "changelog", "release")


def _human(size: int, lang: str) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "B" else f"{decimal(f'{size:.1f}', lang)} {unit}"
        size /= 1024
    return ""


def _title(name: str, manifest_title: str, lang: str) -> Text:
    """A file's title in the reader's language: the manifest's own (English) titles, and
    ``download.file.<name>`` from messages.json in other languages; a file the catalogue does
    not know keeps its English title, marked as such."""
    translated = catalogue().get(f"download.file.{name}", {}).get(lang)
    if translated:
        return Text(translated, lang, False)
    return Text(manifest_title, "en", lang != "en")


@bp.route("/download")
def listing():
    pub = published()
    lang = current_language()
    files = list(pub.files.values())
    sections = [(role, [f for f in files if f.role == role]) for role in ROLES]
    issued = pub.manifest["issued"]
    return render_template("download.html", manifest=pub.manifest,
                           issued=format_date(issued[:10], XSD + "date", lang),
                           sections=[(role, fs) for role, fs in sections if fs],
                           human=lambda size: _human(size, lang), title=lambda f: _title(f.name, f.title, lang),
                           dataset_jsonld=dataset_jsonld(about(), lang, request.host_url))


@bp.route("/download/<path:name>")  # releases/<release>.ttl too
def file(name: str):
    pub = published()
    path, media_type, etag = pub.served_as(name)
    # (send_file adds "; charset=utf-8" to text types; JSON is UTF-8 by definition)
    # The dumps are data to store (the bytes SHA256SUMS lists): attachments. The rest are
    # documents people read in the browser (the ontology and its HTML documentation, README,
    # LICENSE, the VoID description): inline, never sniffed (nosniff, server/security.py).
    dump = name in pub.files and pub.files[name].role == "dump"
    response = send_file(path, mimetype=media_type, as_attachment=dump or media_type == "application/gzip",
                         download_name=name, conditional=True, etag=etag, max_age=3600)
    if media_type == "text/html":
        response.headers["Content-Language"] = HTML_LANGUAGE
        response.headers["Content-Security-Policy"] = DOCUMENT_POLICY  # renders, runs nothing
    return response
