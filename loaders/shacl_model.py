"""What every SHACL engine takes and gives: statements in, engine-independent findings out.

Its own module so that the engines (shacl_engines.py, shacl_sparql.py) share it without
importing each other, and without importing any engine's library."""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

from pyoxigraph import RdfFormat, Triple, serialize


class Finding(NamedTuple):
    """One violation, as the engine reports it (before it is pointed at the YAML)."""

    focus: str
    path: str  # the result path's IRI; "" where there is none (node constraints, inverse paths)
    message: str
    component: str  # the constraint component's IRI, e.g. sh:MinCountConstraintComponent


#: Statements as terms, or as one N-Triples document (bytes, or str already decoded), or as
#: N-Triples documents to read one after the other (the data's and the ontology's, without
#: a joined copy of a million statements): the loader passes the document it serialized
#: once, so no list of a million Triples is made.
Data = list[Triple] | bytes | str | tuple[bytes, ...]

#: The statements to validate (data and ontology), and None or the only focus nodes to
#: validate; engines take the shapes (Turtle) as a keyword, the packaged ones by default.
Engine = Callable[[Data, "Iterable[str] | None"], list[Finding]]


def ntriples(data: Data) -> bytes | str:
    """``data`` as an N-Triples document (a document is passed through as it is)."""
    if isinstance(data, tuple):
        return b"".join(data)
    return data if isinstance(data, (bytes, str)) else serialize(data, format=RdfFormat.N_TRIPLES)


def documents(data: Data) -> tuple[bytes | str, ...]:
    """``data`` as N-Triples documents, read one after the other."""
    return data if isinstance(data, tuple) else (ntriples(data),)
