"""The linked-data publication: dataset description, downloads and the ontology, as one blueprint."""

from flask import Blueprint

from . import downloads, ontology_doc, void

bp = Blueprint("publication", __name__)
for child in (void.bp, downloads.bp, ontology_doc.bp):
    bp.register_blueprint(child)
