"""The concept lists the curated data may use, read from the packaged ontology."""

from __future__ import annotations

from functools import cache

from twinkg.config import ONTOLOGY_NS
from twinkg.kinds import SCHEMES
from twinkg.ontology_files import ontology_store

from .sparqlfiles import read_query


@cache
def concepts() -> dict[str, dict[str, str]]:
    """``{scheme short name: {notation: concept IRI}}`` for the schemes the YAML uses."""
    store = ontology_store()
    by_scheme_iri = {ONTOLOGY_NS + local: short for short, local in SCHEMES.items()}
    result: dict[str, dict[str, str]] = {short: {} for short in SCHEMES}
    for row in store.query(read_query("concepts")):
        short = by_scheme_iri.get(row["scheme"].value)
        if short:
            result[short][row["notation"].value] = row["concept"].value
    return result
