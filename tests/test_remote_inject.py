"""Bound values for remote queries: where the VALUES block goes, and that it binds like pyoxigraph."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

from twinkg.backends.inject import with_values
from twinkg.errors import TwinkgError
from twinkg.query_inspect import ScannedQuery, inspect_query

MARK = "⟨here⟩"


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE {⟨here⟩ ?x ?p ?o }",
    "select ?x where {⟨here⟩ ?x ?p ?o }",
    "SELECT * {⟨here⟩ ?x ?p ?o }",
    "ASK {⟨here⟩ ?x ?p ?o }",
    "PREFIX ex: <http://ex.org/where/> SELECT ?x WHERE {⟨here⟩ ?x ex:p ?o }",
    "PREFIX where: <http://ex.org/> CONSTRUCT { ?where where:p ?o } WHERE {⟨here⟩ ?where ?p ?o }",
    "# WHERE { in a comment\nSELECT ?x WHERE {⟨here⟩ ?x ?p 'WHERE {' }",
    "SELECT ?x FROM <http://ex.org/g> WHERE {⟨here⟩ ?x ?p ?o }",
    "CONSTRUCT { ?x ?p ?o } WHERE {⟨here⟩ ?x ?p ?o }",
    "CONSTRUCT { ?x <http://ex.org/p> \"}\" } {⟨here⟩ ?x ?p ?o }",
    "CONSTRUCT WHERE {⟨here⟩ ?x ?p ?o }",
    "DESCRIBE ?x WHERE {⟨here⟩ ?x ?p ?o }",
    'SELECT ?x WHERE {⟨here⟩ { SELECT ?x WHERE { ?x ?p """}}""" } } }',
    "SELECT ?x (?a < ?b AS ?c) WHERE {⟨here⟩ ?x ?p ?o }",
])
def test_where_group_is_found(query):
    text = query.replace(MARK, "")
    assert ScannedQuery(text).where_group_start == query.index(MARK)


def test_no_where_group_is_a_clear_400():
    with pytest.raises(TwinkgError) as err:
        with_values("DESCRIBE <http://ex.org/a>", {Variable("x"): NamedNode("http://ex.org/b")})
    assert err.value.status == 400 and "no WHERE group" in err.value.message


XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def test_values_bind_like_pyoxigraph_substitutions():
    """BIND and FILTER see the bound variable: the same answer as pyoxigraph's own binding."""
    store = Store()
    ex = "http://ex.org/"
    for i in range(3):
        store.add(Quad(NamedNode(f"{ex}s{i}"), NamedNode(ex + "n"), Literal(str(i), datatype=XSD_INTEGER)))
    text = ("SELECT ?s ?limit ?twice WHERE { ?s <http://ex.org/n> ?n . BIND(?limit * 2 AS ?twice) "
            "FILTER(?n < ?limit) } ORDER BY ?s")
    subs = {Variable("limit"): Literal("2", datatype=XSD_INTEGER)}
    native = [(r["s"].value, r["limit"].value, r["twice"].value) for r in store.query(text, substitutions=subs)]
    injected = [(r["s"].value, r["limit"].value, r["twice"].value) for r in store.query(with_values(text, subs))]
    assert native == injected == [(ex + "s0", "2", "4"), (ex + "s1", "2", "4")]


def test_hostile_values_stay_terms():
    subs = {Variable("v"): Literal('"} } ; DROP ALL #\n'), Variable("i"): NamedNode("http://ex.org/a")}
    (row,) = list(Store().query(with_values("SELECT ?v ?i WHERE { }", subs)))
    assert row["v"] == subs[Variable("v")] and row["i"] == subs[Variable("i")]


@pytest.mark.parametrize("query, named", [
    ("SELECT * FROM <http://ex.org/g> WHERE { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://ex.org/g> { GRAPH ?g { ?s ?p ?o } }", True),
    ("CONSTRUCT { ?s ?p ?o } FROM <http://ex.org/g> WHERE { ?s ?p ?o }", True),
    ("# FROM <x>\nSELECT * WHERE { ?s ?p 'FROM <x>' }", False),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", False),
    ("PREFIX from: <http://ex.org/> SELECT * WHERE { ?s from:p ?o }", False),
    ("SELECT ?from WHERE { ?s ?p ?from } # counted from <x>", False),
    ("SELECT*FROM<http://ex.org/g>WHERE{?s ?p ?o}", True),
    ("SELECT (COUNT(*) AS ?n)FROM <http://ex.org/g> { ?s ?p ?o }", True),
])
def test_dataset_clause_is_recognised(query, named):
    """A query naming its dataset keeps it: the union is then not sent as the protocol dataset
    (the remote store asks query_inspect, as /sparql and ``twinkg query`` do)."""
    assert inspect_query(query).has_dataset is named


EX = "http://ex.org/"


@pytest.fixture(scope="module")
def people() -> Store:
    """Three people with two events each: enough for LIMITs, UNIONs and MINUS to matter."""
    store = Store()
    p = lambda local: NamedNode(EX + local)  # noqa: E731
    for person in ("ann", "bob", "cy"):
        for n in (1, 2):
            store.add(Quad(p(f"{person}-ev{n}"), p("participant"), p(person)))
            store.add(Quad(p(f"{person}-ev{n}"), p("year"), Literal(str(2000 + n), datatype=XSD_INTEGER)))
    store.add(Quad(p("bob-ev1"), p("cancelled"), Literal("true")))
    return store


@pytest.mark.parametrize("query", [
    # a subquery with a LIMIT must pick the bound person's events, not any two events
    "SELECT ?e ?ev WHERE { { SELECT ?e ?ev WHERE { ?ev <http://ex.org/participant> ?e } LIMIT 2 } }",
    # the same behind what is no comment: an escaped '#' in a prefixed name, a comment that a
    # carriage return ends
    "PREFIX ex: <http://ex.org/> SELECT ?e ?ev WHERE { OPTIONAL { ?x ex:tag\\#1 ?t } "
    "{ SELECT ?e ?ev WHERE { ?ev ex:participant ?e } LIMIT 2 } }",
    "SELECT ?e ?ev WHERE { # two of the person's events\r{ SELECT ?e ?ev WHERE { ?ev <http://ex.org/participant> ?e } "
    "LIMIT 2 } }",
    # a UNION branch that uses the variable in a BIND
    "SELECT ?e ?x WHERE { { BIND(STR(?e) AS ?x) } UNION { ?x <http://ex.org/participant> ?e } }",
    # MINUS does not see outer bindings: only substitution-like binding reaches it
    "SELECT ?e ?ev WHERE { ?ev <http://ex.org/participant> ?other MINUS { ?ev <http://ex.org/participant> ?e } }",
    # CONSTRUCT template braces and a VALUES data block are not groups
    "CONSTRUCT { ?ev <http://ex.org/by> ?e } WHERE { VALUES ?y { 2001 } ?ev <http://ex.org/year> ?y ; "
    "<http://ex.org/participant> ?e }",
    "SELECT ?e (COUNT(?ev) AS ?n) WHERE { ?ev <http://ex.org/participant> ?e FILTER NOT EXISTS { "
    "?ev <http://ex.org/cancelled> ?c } } GROUP BY ?e",
    # an OPTIONAL lookup that does not name ?e, and one whose nested group does
    "SELECT ?e ?ev ?y ?c WHERE { ?ev <http://ex.org/participant> ?e OPTIONAL { ?ev <http://ex.org/year> ?y } "
    "OPTIONAL { ?ev <http://ex.org/cancelled> ?c { ?ev <http://ex.org/participant> ?e } } }",
])
@pytest.mark.parametrize("person", ["ann", "bob"])
def test_values_in_every_group_answer_like_substitutions(people, query, person):
    subs = {Variable("e"): NamedNode(EX + person)}
    native = people.query(query, substitutions=subs)
    injected = people.query(with_values(query, subs))
    if hasattr(native, "variables"):
        as_set = lambda rs: sorted(tuple(str(r[v]) for v in rs.variables) for r in rs)  # noqa: E731
    else:
        as_set = lambda ts: sorted(map(str, ts))  # noqa: E731
    expected = as_set(native)
    assert expected and as_set(injected) == expected


def test_a_minus_group_gets_the_value_even_when_it_does_not_name_it(people):
    """pyoxigraph binds ?e in a MINUS group that never names it, so the MINUS shares ?e with
    its left side and removes every row; the injected query must do the same."""
    query = "SELECT ?e ?ev WHERE { ?ev <http://ex.org/participant> ?e MINUS { ?x <http://ex.org/cancelled> ?c } }"
    subs = {Variable("e"): NamedNode(EX + "ann")}
    without_minus = query.split(" MINUS")[0] + " }"
    assert len(list(people.query(without_minus, substitutions=subs))) == 2
    assert list(people.query(query, substitutions=subs)) == list(people.query(with_values(query, subs))) == []


def test_groups_that_do_not_name_the_variable_get_no_block():
    """Only the WHERE group, groups naming ?e and MINUS groups are given the VALUES block."""
    query = ("SELECT ?e WHERE { ?ev ?p ?e OPTIONAL { ?ev ?q ?label } "
             "OPTIONAL { ?ev ?r ?c { ?ev ?s ?e } } MINUS { ?x ?t ?y } }")
    injected = with_values(query, {Variable("e"): NamedNode(EX + "ann")})
    assert injected.count("VALUES") == 4  # WHERE, the second OPTIONAL and its nested group, MINUS
    assert "OPTIONAL { ?ev ?q ?label }" in injected
