"""The packaged ontology and shapes, and the concept lists the curated data may use."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pyoxigraph import RdfFormat, Store, parse

from twinkg.config import ONTOLOGY_IRI, ONTOLOGY_NS

from .schema import SCHEMES
from .sparqlfiles import read_query


def ontology_bytes() -> bytes:
    return files("twinkg.ontology").joinpath("twinkg.ttl").read_bytes()


def shapes_bytes() -> bytes:
    return files("twinkg.ontology").joinpath("shapes.ttl").read_bytes()


def ontology_triples() -> list:
    return list(parse(ontology_bytes(), format=RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI))


@cache
def concepts() -> dict[str, dict[str, str]]:
    """``{scheme short name: {notation: concept IRI}}`` for the schemes the YAML uses."""
    store = Store()
    store.extend(ontology_triples())
    by_scheme_iri = {ONTOLOGY_NS + local: short for short, local in SCHEMES.items()}
    result: dict[str, dict[str, str]] = {short: {} for short in SCHEMES}
    for row in store.query(read_query("concepts")):
        short = by_scheme_iri.get(row["scheme"].value)
        if short:
            result[short][row["notation"].value] = row["concept"].value
    return result
