"""The same queries on every backend: embedded pyoxigraph, a real `oxigraph serve` and Debian's Virtuoso.

``backend_settings`` is parametrized over the three here (elsewhere over the first two), so
every test here runs three times.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Variable
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from twinkg.canned import canned_queries
from twinkg.cli import main
from twinkg.errors import TwinkgError
from twinkg.store import dataset_meta, open_store, run_query

from helpers import backend_for, fold_wkt

TK = "https://twinkg.example.org/ontology#"
CITY = "https://twinkg.example.org/id/city/"


def rows(results) -> Counter:
    names = [v.value for v in results.variables]
    return Counter(tuple(str(s[n]) if s[n] is not None else None for n in names) for s in results)


@pytest.fixture(scope="session", params=["embedded", "remote", "virtuoso"])
def backend_settings(request):
    return backend_for(request, request.param)


@pytest.fixture(scope="module")
def embedded(curated_settings):
    return open_store(curated_settings)


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_every_canned_query_gives_the_embedded_answer(backend_settings, embedded, name):
    canned = canned_queries()[name]
    results = run_query(open_store(backend_settings), canned.text, canned.bindings({}))
    assert isinstance(results, QuerySolutions)
    expected = rows(run_query(embedded, canned.text, canned.bindings({})))
    assert expected, f"{name} answers nothing on the curated data: the comparison would prove nothing"
    assert rows(results) == expected


def test_bound_parameter_reaches_filters_and_binds(backend_settings):
    canned = canned_queries()["anniversaries"]
    results = run_query(open_store(backend_settings), canned.text, canned.bindings({"year": "2022"}))
    got = {(s["partnershipName"].value, s["years"].value) for s in results}
    assert ("Mülheim an der Ruhr – Tours", "60") in got
    assert ("Kouvola – Mülheim an der Ruhr", "50") in got
    assert all(int(y) % 5 == 0 for _, y in got)


def test_a_bound_literal_is_a_value_not_query_text(backend_settings):
    store = open_store(backend_settings)
    hostile = Literal('x" } } ; DROP ALL ; SELECT * { "')
    text = "SELECT ?v (STRLEN(?v) AS ?n) WHERE { BIND(1 AS ?one) }"
    (row,) = list(run_query(store, text, {Variable("v"): hostile}))
    assert row["v"] == hostile and int(row["n"].value) == len(hostile.value)
    assert bool(run_query(store, f"ASK {{ <{CITY}tours> a <{TK}City> }}"))


def test_ask_and_construct_have_pyoxigraph_types(backend_settings, embedded):
    store = open_store(backend_settings)
    ask = run_query(store, "ASK { ?c a <%sCity> }" % TK)
    assert isinstance(ask, QueryBoolean) and bool(ask)
    text = "CONSTRUCT { ?c ?p ?o } WHERE { ?c a <%sCity> ; ?p ?o }" % TK
    triples = run_query(store, text)
    assert isinstance(triples, QueryTriples)
    got, want = Graph(), Graph()
    got.parse(data=fold_wkt(triples.serialize(format=RdfFormat.N_TRIPLES).decode()), format="nt")
    want.parse(data=fold_wkt(run_query(embedded, text).serialize(format=RdfFormat.N_TRIPLES).decode()),
               format="nt")
    assert len(want) > 50 and isomorphic(got, want)


def test_syntax_error_is_a_400_on_both(backend_settings):
    with pytest.raises(TwinkgError) as err:
        run_query(open_store(backend_settings), "SELECT WHERE {")
    assert err.value.status == 400 and "SPARQL syntax error" in err.value.message


def test_store_surface_beyond_query(backend_settings, embedded):
    store = open_store(backend_settings)
    graphs = {g.value for g in store.named_graphs()}
    assert graphs >= {g.value for g in embedded.named_graphs()}
    tours = NamedNode(CITY + "tours")
    assert ({fold_wkt(str(q)) for q in store.quads_for_pattern(tours, None, None)}
            == {fold_wkt(str(q)) for q in embedded.quads_for_pattern(tours, None, None)})


def test_meta_has_version_and_counts(backend_settings):
    meta = dataset_meta(backend_settings)
    (row,) = run_query(open_store(backend_settings), "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?c a <%sCity> }" % TK)
    assert meta["entities"]["City"] == int(row["n"].value) > 0
    assert len(meta["version"].split("-")[-1]) == 12


def _cli_args(settings):
    if settings.remote:
        return ["--endpoint", settings.endpoint]
    return ["--store", str(settings.store)]


def test_cli_canned_query_on_both(backend_settings):
    result = CliRunner().invoke(main, ["query", "anniversaries", "-p", "year=2022", "--format", "json",
                                       *_cli_args(backend_settings)])
    assert result.exit_code == 0, result.output
    names = {b["partnershipName"]["value"] for b in json.loads(result.output)["results"]["bindings"]}
    assert "Mülheim an der Ruhr – Tours" in names


def test_cli_construct_on_both(backend_settings):
    result = CliRunner().invoke(main, ["query", f"DESCRIBE <{CITY}tours>", "--format", "ntriples",
                                       *_cli_args(backend_settings)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.output, format="nt")
    assert graph.value(URIRef(CITY + "tours"), RDF.type) == URIRef(TK + "City")


def test_unprojected_substitution_is_refused_on_both(backend_settings):
    """pyoxigraph binds only projected variables; the remote backend checks the same rule."""
    with pytest.raises(RuntimeError, match="does not contains variable"):
        run_query(open_store(backend_settings), "SELECT ?n WHERE { ?c ?p ?n }",
                  {Variable("c"): NamedNode(CITY + "tours")})


def test_default_prefixes_on_both(backend_settings):
    store = open_store(backend_settings)
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a tk:City }", prefixes={"tk": TK},
                         use_default_graph_as_union=True)
    assert int(row["n"].value) > 0



@pytest.mark.parametrize("dataset", ["FROM <https://example.org/no-such-graph>",
                                     "FROM NAMED <https://example.org/no-such-graph>"])
def test_remote_union_leaves_a_query_its_own_dataset(oxigraph_server, dataset):
    """With the union asked for, a query's FROM / FROM NAMED still picks its dataset: the
    loaded graphs are not sent in its place as the protocol dataset."""
    store = open_store(oxigraph_server.settings())
    count = "SELECT (COUNT(*) AS ?n) %s WHERE { ?s a <%sCity> }"
    (everything,) = store.query(count % ("", TK), use_default_graph_as_union=True)
    (unknown,) = store.query(count % (dataset, TK), use_default_graph_as_union=True)
    assert int(everything["n"].value) > 0
    assert int(unknown["n"].value) == 0


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_canned_queries_take_years_from_the_date_bounds_not_year_of_a_gyear(name):
    """YEAR() is defined on xsd:dateTime: on an xsd:gYear it is not SPARQL 1.1 and other
    stores refuse it. Years come from tk:…Earliest (an xsd:date) as text instead."""
    code = [line for line in canned_queries()[name].text.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "YEAR(" in line.upper()]
