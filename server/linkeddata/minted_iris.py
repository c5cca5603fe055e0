"""The IRIs the dataset mints besides its entities' (server/linkeddata/deref.py), made to dereference.

- Named graphs ``graph/<name>`` (one per source, ``graph-names`` in the service description
  and the quad dumps): their statements, by ``Accept``, through the query executor (time
  limit, row limit and its truncation header, ETag). A browser is sent to the page of the
  source the graph holds, where there is one.
- The ontology's version IRI ``ontology/<version>``: 303 to the ontology, for the version
  served here.
- The shapes' IRI ``shapes``: 303 to the published shapes in the format the client accepts.
- The dataset's IRIs (``dataset/<release>/...``) are server/linkeddata/void.py's.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request
from pyoxigraph import NamedNode

from twinkg.errors import TwinkgError
from twinkg.negotiation import SHAPES, negotiate
from twinkg.ontology_files import ontology_version as version_of
from twinkg.server.dataset import dataset
from twinkg.server.endpoint.answers import QueryRequest, respond
from twinkg.server.endpoint.format_choice import Choice
from twinkg.server.linkeddata.deref import HTML, OFFERED
from twinkg.server.linkeddata.documents import DATA_FORMATS, exists
from twinkg.server.sparqlfiles import server_query
from twinkg.server.release_files import published

bp = Blueprint("minted", __name__)



def _see_other(target: str):
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/graph/<path:name>", methods=["GET", "HEAD"])
def graph(name: str):
    ds = dataset()
    iri = ds.settings.source_graph(name)
    if iri not in {g.value for g in ds.store.named_graphs()}:
        raise TwinkgError(f"no named graph {iri} in this dataset", 404)
    fmt = negotiate(request.headers.get("Accept"), OFFERED)
    if fmt is HTML:
        source = ds.iris.entity_iri("source", name)
        if "/" not in name and exists(ds.store, source):
            return _see_other(f"/page/source/{name}")
        fmt = DATA_FORMATS[0]  # no page for this graph: its statements, in Turtle
    req = QueryRequest(text=server_query("graph-statements"), substitutions=(("graph", NamedNode(iri)),))
    return respond(req, Choice(None, fmt))


@bp.route("/ontology/<version>", methods=["GET", "HEAD"])
def ontology_version(version: str):
    served = _ontology_version()
    if version != served:
        raise TwinkgError(f"ontology version {version!r} is not served here; the current one is {served}", 404)
    return _see_other("/ontology")  # which negotiates the representation


@bp.route("/shapes", methods=["GET", "HEAD"])
def shapes():
    # RDF first (*/* is most likely an RDF tool); the shapes have no page of their own: a
    # browser gets the downloads page, which lists them
    fmt = negotiate(request.headers.get("Accept"), SHAPES)
    return _see_other("/download" if fmt is HTML else f"/download/shapes.{fmt.file_extension}")


def _ontology_version() -> str:
    """owl:versionInfo of the published ontology, read once per build."""
    release = published()
    if "ontology-version" not in release.renderings:
        release.renderings["ontology-version"] = version_of(release.path("ontology.ttl").read_bytes())
    return release.renderings["ontology-version"]
