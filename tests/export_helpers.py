"""Helpers of the export tests (a module of its own: conftest modules are not for importing)."""

from __future__ import annotations

import gzip

import rdflib
from pyoxigraph import RdfFormat, serialize


def graph_of(triples) -> rdflib.Graph:
    """An rdflib graph of pyoxigraph triples (through N-Triples: rdflib is the independent parser)."""
    return rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")


def read_gz(path) -> bytes:
    with gzip.open(path) as f:
        return f.read()
