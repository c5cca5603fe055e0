"""The packaged ontology and shapes, parsed the same way wherever they are read (the load,
the validation, the export, the pages)."""

from __future__ import annotations

from importlib.resources import files

from pyoxigraph import RdfFormat, Store, parse

from twinkg.config import ONTOLOGY_IRI
from twinkg.formats import RDFLIB_NAMES


def ontology_bytes() -> bytes:
    return files("twinkg.ontology").joinpath("twinkg.ttl").read_bytes()


def shapes_bytes() -> bytes:
    return files("twinkg.ontology").joinpath("shapes.ttl").read_bytes()


def _parse(turtle: bytes):
    # Relative IRIs resolve against the ontology IRI in every reading: the store, the
    # export, the documentation and the validation see the same terms.
    return parse(turtle, format=RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)


#: owl:versionInfo: the ontology's version (its version IRI is ``ontology/<version>``).
OWL_VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"


def ontology_version(turtle: bytes) -> str:
    """owl:versionInfo of an ontology in Turtle (the packaged one, or a release's copy)."""
    return next((q.object.value for q in _parse(turtle) if q.predicate.value == OWL_VERSION_INFO), "")


def ontology_triples(additions: tuple[bytes, ...] = ()) -> list:
    """The packaged ontology's triples, and those of ``additions`` (Turtle: a registry's
    terms for kinds the package does not have, twinkg/kinds.py)."""
    return list(_parse(with_additions(ontology_bytes(), additions)))


def with_additions(turtle: bytes, additions: tuple[bytes, ...]) -> bytes:
    """``turtle`` followed by each addition (a Turtle document may declare prefixes again)."""
    return b"\n".join((turtle, *additions))


def turtle_store(turtle: bytes) -> Store:
    """``turtle`` (the ontology or the shapes) in a new in-memory pyoxigraph store."""
    store = Store()
    store.extend(_parse(turtle))
    return store


def ontology_store() -> Store:
    return turtle_store(ontology_bytes())


def turtle_graph(turtle: bytes):
    """``turtle`` as a new rdflib ``Graph``, for the libraries that take one (pySHACL, pyLODE)."""
    import rdflib  # only validation and the documentation need it

    return rdflib.Graph().parse(data=turtle, format=RDFLIB_NAMES[RdfFormat.TURTLE], publicID=ONTOLOGY_IRI)

