"""Accept headers → the format a client gets (formats and media types from pyoxigraph)."""

from __future__ import annotations

import pytest
from pyoxigraph import QueryResultsFormat as R, RdfFormat as G

from twinkg.negotiation import negotiate
from twinkg.errors import TwinkgError

RESULTS = (R.JSON, R.XML, R.CSV, R.TSV)
GRAPHS = (G.TURTLE, G.N_TRIPLES, G.JSON_LD, G.RDF_XML)


@pytest.mark.parametrize("accept, offered, expected", [
    (None, RESULTS, R.JSON),
    ("", GRAPHS, G.TURTLE),
    ("*/*", RESULTS, R.JSON),
    ("text/csv", RESULTS, R.CSV),
    ("text/csv; charset=utf-8", RESULTS, R.CSV),
    ("text/tab-separated-values", RESULTS, R.TSV),
    ("application/sparql-results+xml, application/sparql-results+json;q=0.5", RESULTS, R.XML),
    ("application/sparql-results+xml;q=0.5, application/sparql-results+json", RESULTS, R.JSON),
    ("text/*, application/sparql-results+json;q=0.1", RESULTS, R.CSV),
    ("text/csv;q=0.2, */*;q=0.9", RESULTS, R.JSON),
    ("application/n-triples", GRAPHS, G.N_TRIPLES),
    ("application/ld+json", GRAPHS, G.JSON_LD),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.8", GRAPHS, G.RDF_XML),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", GRAPHS, G.TURTLE),
])
def test_accept_table(accept, offered, expected):
    assert negotiate(accept, offered) == expected


ALIASES = {R.JSON: ("application/json",), R.XML: ("application/xml",)}


@pytest.mark.parametrize("accept, expected", [
    ("application/json", R.JSON),
    ("application/xml", R.XML),
    ("application/xml, application/json;q=0.5", R.XML),
    # matched only through a wildcard, an alias must not outrank its format's own refusal
    ("application/sparql-results+json;q=0, application/*", R.XML),
    ("application/sparql-results+json;q=0.1, application/*;q=0.5", R.XML),
])
def test_aliases_count_when_named(accept, expected):
    assert negotiate(accept, RESULTS, aliases=lambda f: ALIASES.get(f, ())) == expected


@pytest.mark.parametrize("accept", ["image/png", "text/csv;q=0", "application/json;q=0, */*;q=0"])
def test_nothing_acceptable_is_406_listing_the_offer(accept):
    with pytest.raises(TwinkgError) as info:
        negotiate(accept, RESULTS)
    assert info.value.status == 406
    assert "application/sparql-results+json, application/sparql-results+xml, text/csv, " \
           "text/tab-separated-values" in info.value.message
