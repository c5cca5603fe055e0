"""The dataset description (VoID + DCAT) at /void and /.well-known/void, by content negotiation."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request
from pyoxigraph import RdfFormat, parse, serialize
from werkzeug.utils import get_content_type

from twinkg.errors import TwinkgError
from twinkg.export.canonical import canonical_triples
from twinkg.export.description import NS
from twinkg.export.run import DESCRIPTION, RELEASES
from twinkg.formats import by_extension, prefixes_for
from twinkg.negotiation import DATASET, PAGE, VOID, negotiate
from twinkg.server.caching import cache_headers, etag_for, is_not_modified, not_modified
from twinkg.server.dataset import dataset
from twinkg.server.release_files import published

bp = Blueprint("void", __name__)

OFFERED = VOID


def _chosen() -> RdfFormat:
    # ?format=ttl (a file extension) makes every format reachable from a browser link
    ext = request.args.get("format")
    if ext:
        fmt = by_extension(ext, OFFERED)
        if fmt is None:
            raise TwinkgError(f"unknown format {ext!r}; offered: "
                              + ", ".join(f.file_extension for f in OFFERED), 400)
        return fmt
    return negotiate(request.headers.get("Accept"), OFFERED)


def _description(fmt: RdfFormat) -> bytes:
    """The description in ``fmt``: serialized once per build (a load makes a new one), so
    a request costs no parse. Blank nodes get their canonical labels (a parse gives random
    ones): every worker writes the same bytes under the same ETag."""
    release = published()
    key = (DESCRIPTION, fmt)
    if key not in release.renderings:
        path = release.path(DESCRIPTION)
        release.renderings[key] = path.read_bytes() if fmt == RdfFormat.TURTLE else serialize(
            canonical_triples(parse(path.read_bytes(), format=RdfFormat.TURTLE)), format=fmt,
            prefixes=prefixes_for(fmt, NS))
    return release.renderings[key]


@bp.route("/void")
@bp.route("/.well-known/void")
def void():
    fmt = _chosen()
    ds = dataset()
    etag = etag_for(ds.version, "void", fmt.media_type)  # the description changes only with a load
    if is_not_modified(etag):
        return not_modified(etag, ds.settings.cache_max_age)
    response = Response(_description(fmt), content_type=get_content_type(fmt.media_type, "utf-8"))
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = "</download>; rel=\"alternate\"; type=\"text/html\""
    return cache_headers(response, etag, ds.settings.cache_max_age)


@bp.route("/catalog")
@bp.route("/dataset")
@bp.route("/dataset/<version>")
@bp.route("/dataset/<version>/<path:part>")  # its distributions and linksets
def dataset_iri(version: str | None = None, part: str | None = None):
    """The catalogue, the dataset IRI, its version IRIs and their parts are described by /void
    (303: see other); a browser asking for HTML is sent to /download, the description's page.
    An earlier release whose description the export kept is described by that file."""
    pub = published()
    if version is not None and version != pub.manifest["release"]:
        return _earlier_release(version)
    # RDF first: */* (curl, RDF tools) gets the description, as before there was a page
    picked = negotiate(request.headers.get("Accept"), DATASET)
    response = redirect("/download" if picked is PAGE else "/void", 303)
    response.headers["Vary"] = "Accept"
    return response


def _earlier_release(version: str):
    """303 to ``/download/releases/<release>.ttl`` (Turtle, as the export keeps it; the static
    site has the same file at the same address), or to /download for a browser; an unknown
    release is 404."""
    pub = published()
    name = f"{RELEASES}/{version}.ttl"
    if name not in pub.files:
        raise TwinkgError(f"release {version!r} is not known here; the current one is "
                          f"{pub.manifest['release']}", 404)
    # the same choice as for the current release (and as the static site's configurations
    # make): RDF clients get the kept description, which is Turtle, browsers the downloads page
    picked = negotiate(request.headers.get("Accept"), DATASET)
    response = redirect("/download" if picked is PAGE else f"/download/{name}", 303)
    response.headers["Vary"] = "Accept"
    return response
