"""Helpers shared by the SPARQL endpoint tests: queries, expected answers, result parsing."""

from __future__ import annotations

import json

from pyoxigraph import Store

from twinkg.store import oxigraph_path

TK = "https://twinkg.example.org/ontology#"
BASE = "https://twinkg.example.org/"
TOURS = BASE + "id/city/tours"

COUNT_PARTNERSHIPS = f"PREFIX tk: <{TK}> SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a tk:Partnership }}"
CITY_NAMES = (f"PREFIX tk: <{TK}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
              "SELECT ?city ?name WHERE { ?city a tk:City ; rdfs:label ?name FILTER(LANG(?name) = 'de') } "
              "ORDER BY ?city")
TOURS_GRAPH = f"CONSTRUCT {{ <{TOURS}> ?p ?o }} WHERE {{ <{TOURS}> ?p ?o }}"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Runs for hours on any real dataset: a count over a three-way cross product of all triples.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

#: partner-cities on the curated data: Mülheim's current partners and their start dates
#: (Kouvola: the merged city from 2009; the lineage, with Kuusankoski, since 1972).
PARTNER_CITIES = [("Darlington", "1953"), ("Tours", "1962-05"), ("Kouvola", "2009"), ("Opole", "1989"),
                  ("Kfar Saba", "1993"), ("Beykoz", "2008-01-26"), ("Ivano-Frankivsk", None)]


def direct(store_path, query: str, **kw):
    """The same query straight on the store (read-only), union default graph: the reference."""
    store = Store.read_only(str(oxigraph_path(store_path)))
    kw.setdefault("use_default_graph_as_union", True)
    return store.query(query, **kw)


def bindings(body: bytes) -> list[dict[str, str]]:
    """SPARQL JSON results as a list of {variable: value}."""
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def count_of(body: bytes) -> int:
    return int(bindings(body)[0]["n"])
