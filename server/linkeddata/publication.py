"""The linked-data publication: dataset description, downloads, the ontology and the other IRIs the
dataset mints (named graphs, version IRIs), as one blueprint."""

from flask import Blueprint

from twinkg.server.cors import READ_METHODS, allow_cross_origin
from twinkg.server.linkeddata import downloads, minted_iris, ontology, void

bp = Blueprint("publication", __name__)
allow_cross_origin(bp, READ_METHODS)  # for its child blueprints too
for child in (void.bp, downloads.bp, ontology.bp, minted_iris.bp):
    bp.register_blueprint(child)
