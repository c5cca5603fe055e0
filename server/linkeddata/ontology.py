"""The ontology at its namespace IRI, after the W3C "Best Practice Recipes for Publishing RDF
Vocabularies" (recipe 3, hash namespace): ``/ontology`` answers 303 See Other to the
documentation for browsers or to the RDF serialization the client accepts; a term IRI
``…/ontology#City`` keeps its fragment across the redirect and lands at the term's entry.
The documentation was generated with the export at load time (pyLODE), never per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, redirect, request, send_file

from twinkg.errors import TwinkgError
from twinkg.negotiation import ONTOLOGY, aliases, negotiate
from twinkg.server.release_files import HTML_LANGUAGE, published
from twinkg.server.security import DOCUMENT_POLICY


@dataclass(frozen=True)
class Representation:
    media_type: str
    extension: str
    file_name: str
    aliases: tuple[str, ...] = ()


# RDF first (twinkg/negotiation.py ONTOLOGY): a client that accepts anything (*/*) is most
# likely an RDF tool; browsers ask for text/html explicitly.
OFFERED = tuple(Representation(o.media_type, o.file_extension, f"ontology.{o.file_extension}", aliases(o))
                for o in ONTOLOGY)
BY_EXTENSION = {r.extension: r for r in OFFERED}

bp = Blueprint("ontology", __name__)


@bp.route("/ontology")
def namespace():
    chosen = negotiate(request.headers.get("Accept"), OFFERED, aliases=lambda r: r.aliases)
    response = redirect(f"/ontology.{chosen.extension}", 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/ontology.<ext>")
def representation(ext: str):
    rep = BY_EXTENSION.get(ext)
    if rep is None:
        raise TwinkgError(f"no ontology.{ext}; offered: " + ", ".join(f"ontology.{e}" for e in BY_EXTENSION), 404)
    response = send_file(published().path(rep.file_name), mimetype=rep.media_type,
                         conditional=True, etag=published().files[rep.file_name].sha256, max_age=3600)
    if rep.media_type == "text/html":
        response.headers["Content-Language"] = HTML_LANGUAGE
        response.headers["Content-Security-Policy"] = DOCUMENT_POLICY  # renders, runs nothing
    return response
