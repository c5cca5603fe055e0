"""query_inspect reads a query as Oxigraph does: every SERVICE it would call is found (and
refused unless allowed), and a query deep enough to overflow the engine's stack is refused
before it runs, instead of ending the server process."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pyoxigraph import QueryBoolean, Store

from twinkg.errors import TwinkgError
from twinkg.query_inspect import MAX_NESTING, MAX_OPERATORS, MAX_PATTERNS, ScannedQuery, inspect_query, is_update

EVIL = "http://127.0.0.1:9/sparql"

# Each hides its SERVICE from a reader that lexes differently from Oxigraph.
HIDDEN_SERVICES = [
    # \u0022 is an escaped quote inside a string for Oxigraph (the string goes on), a real
    # quote for a reader that undoes escapes first (the string ends, '#' starts a comment)
    f'SELECT * WHERE {{ BIND("\\u0022 # " AS ?q) SERVICE <{EVIL}> {{ ?x ?y ?z }} }}',
    # \# in a prefixed name is part of the name, not a comment
    f'PREFIX ex: <http://ex.org/> SELECT ?x WHERE {{ {{ ?s ex:p\\#x ?o }} UNION {{ SERVICE <{EVIL}> {{ ?x ?y ?z }} }} }}',
    # a comment ends at a carriage return too
    f"# a comment\rSELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    # Oxigraph's parser lets a keyword run into what follows it
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:sparql {} }",
    "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICEe:sparql {} }",
    # \u escapes in an IRI; and '#' in one is no comment
    f"SELECT * WHERE {{ SERVICE <{EVIL}\\u002F#x> {{ ?s ?p ?o }} }} # {{",
    # after a term in an expression '<' is less-than: the quote after 'a>' opens a string for
    # Oxigraph; a reader that takes <?x&&'a> for an IRI reads the SERVICE as part of a string
    f"SELECT * WHERE {{ FILTER(?o<?x&&'a>'=?z) SERVICE <{EVIL}> {{ ?a ?b ?c }} FILTER(?w='x') }}",
]


@pytest.mark.parametrize("query", HIDDEN_SERVICES)
def test_every_service_oxigraph_calls_is_found(query):
    # Oxigraph does try to call it (port 9 is refused as a port for HTTP: the call was made)
    with pytest.raises(OSError):
        answer = Store().query(query)
        list(answer) if not isinstance(answer, QueryBoolean) else bool(answer)
    services = inspect_query(query).services
    assert services and all(s is None or s.startswith(EVIL) for s in services)


@pytest.mark.parametrize("query, services", [
    (f"SELECT * {{ SERVICE <{EVIL}> {{}} }}", (EVIL,)),
    (f"SELECT * {{ service SILENT <{EVIL}> {{}} }}", (EVIL,)),
    # SILENT hides the failed call from the oracle above, but Oxigraph calls it all the same
    (f"SELECT * {{ SERVICESILENT <{EVIL}> {{}} }}", (EVIL,)),
    ("PREFIX r: <http://127.0.0.1:9/> SELECT * { SERVICE r:sparql {} }", (EVIL,)),
    ("PREFIX r: <http://127.0.0.1:9/> SELECT * { SERVICE q:sparql {} }", (None,)),  # undeclared
    ("SELECT * { VALUES ?e { <x:y> } SERVICE ?e {} }", (None,)),
    # relative endpoints are not resolved here: Oxigraph keeps './' and '//' that urljoin drops
    ("BASE <http://127.0.0.1:9/> SELECT * { SERVICE <sparql> {} }", (None,)),
    ("BASE <http://127.0.0.1:9/d//> SELECT * { SERVICE <sparql> {} }", (None,)),
    ("PREFIX r: <d/> SELECT * { SERVICE r:sparql {} }", (None,)),
    (f"SELECT*WHERE{{?s ?p ?o.SERVICE<{EVIL}>{{?a ?b ?from}}}}", (EVIL,)),
    (f"SELECT * {{ \\u0053ERVICE <{EVIL}> {{}} }}", (None, EVIL)),  # SPARQL 1.1 would call it
    # the word elsewhere is no SERVICE
    ('# SERVICE <x:y> {}\nSELECT ?x { BIND("SERVICE <x:y> {}" AS ?x) }', ()),
    ("PREFIX service: <x:> SELECT ?service { ?s service:p <http://ex.org/service> }", ()),
])
def test_service_endpoints(query, services):
    assert inspect_query(query).services == services


def test_from_in_a_string_that_oxigraph_keeps_open_is_still_a_dataset():
    assert inspect_query('SELECT * FROM <http://nope.example/> { BIND("\\u0022 # " AS ?q) }').has_dataset


@pytest.mark.parametrize("query", ["SELECT * FROMNAMED<http://ex.org/g> { GRAPH ?g {} }",
                                   "PREFIX f: <http://ex.org/> SELECT * FROM f:g { ?s ?p ?o }",
                                   "PREFIX : <http://ex.org/> SELECT * FROM:g { ?s ?p ?o }"])
def test_a_dataset_clause_run_together_is_found(query):
    list(Store().query(query))  # Oxigraph takes it
    assert inspect_query(query).has_dataset


@pytest.mark.parametrize("text, update", [
    ("PREFIX a: <x:> INSERT DATA { <x:a> <x:b> <x:c> }", True),
    ("# comment\nclear all", True),
    ("BASE <x:> DELETE WHERE { ?s ?p ?o }", True),
    ("SELECT * {}", False),
    ("SELEC * {}", False),
    ("\\u0049NSERT DATA { <x:a> <x:b> <x:c> }", True),  # SPARQL 1.1 §19.2: INSERT
    ("\\u0053ELECT * {}", False),
])
def test_updates_are_told_from_queries(text, update):
    assert is_update(text) is update


def _nested(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


def _chain(length: int) -> str:
    return "SELECT * WHERE { FILTER(" + "+".join(["1"] * length) + ") }"


@pytest.mark.slow
def test_too_deep_or_too_long_is_refused_naming_the_limit():
    for query, limit in ((_nested(MAX_NESTING + 1), MAX_NESTING), (_chain(MAX_OPERATORS + 2), MAX_OPERATORS)):
        with pytest.raises(TwinkgError) as info:
            inspect_query(query)
        assert info.value.status == 400 and f"the limit is {limit}" in info.value.message
    # where Oxigraph reads '<' as less-than, what looks like an IRI is code: it counts
    # (Oxigraph overflows on the brackets before it finds the comparison cannot go on)
    hidden = "SELECT * WHERE { FILTER(1<" + "(" * 6000 + "1" + ")" * 6000 + ">0) }"
    hidden_chain = "SELECT * WHERE { FILTER(1<" + "1/" * (MAX_OPERATORS + 100) + "1>0) }"
    for query in (hidden, hidden_chain):
        with pytest.raises(TwinkgError):
            inspect_query(query)
    # a chain of '!' and a list of 400,000 objects overflowed the stack, brackets or not
    for query in ("SELECT * WHERE { FILTER(" + "!" * 400000 + "true) }",
                  "SELECT * WHERE { <x:s> <x:p> " + ",".join(["1"] * 400000) + " }"):
        with pytest.raises(TwinkgError):
            inspect_query(query)
    # real IRIs, many of them with their slashes, are not operators
    inspect_query("CONSTRUCT { " + " ".join(f"<http://ex.org/a/b/c/{i}> <http://ex.org/p> 1 ." for i in range(8000))
                  + " } WHERE {}")
    # brackets in strings, and signs in VALUES data, do not count
    inspect_query('SELECT * { BIND("' + "(" * 5000 + '" AS ?x) }')
    inspect_query("SELECT * { VALUES ?x { " + " ".join(["-1"] * (MAX_OPERATORS + 10)) + " } }")


@pytest.mark.parametrize("make", [
    lambda n: "SELECT * WHERE { ?s ?p " + ",".join(["1"] * n) + " }",
    lambda n: "SELECT * WHERE { ?s " + ";".join("?p 1" for _ in range(n)) + " }",
    lambda n: "SELECT * WHERE { ?s ?p [ " + ";".join("?p 1" for _ in range(n - 1)) + " ] }",  # and ?s ?p [ ] itself
    lambda n: "SELECT * WHERE { " + " ".join(f"?s{i % 7} ?p ?o{i} ." for i in range(n)) + " }",
    lambda n: "SELECT * WHERE { " + " ".join("{ ?s ?p 1 }" for _ in range(n)) + " }",
    lambda n: "SELECT * WHERE { " + " ".join("?s ?p 1 FILTER(true)" for _ in range(n)) + " }",
    lambda n: "SELECT * WHERE { " + " ".join("VALUES ?s { 1 }" for _ in range(n)) + " }",
    lambda n: "SELECT * WHERE { ?s " + "/".join(["<x:p>"] * n) + " ?o }",
    lambda n: "SELECT * WHERE { ?s ?p (" + " ".join(["1"] * (n - 1)) + ") }",
])
def test_too_many_triple_patterns_are_refused_at_the_limit(make):
    inspect_query(make(MAX_PATTERNS))
    with pytest.raises(TwinkgError) as info:
        inspect_query(make(MAX_PATTERNS + 1))
    assert info.value.status == 400 and f"the limit is {MAX_PATTERNS}" in info.value.message


def test_what_does_not_join_is_not_a_triple_pattern():
    # a CONSTRUCT template, a long IN list, the calls of FILTERs
    inspect_query("CONSTRUCT { " + " ".join(f"<x:s{i}> <x:p> {i} ." for i in range(500)) + " } WHERE { ?s ?p ?o }")
    inspect_query("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(map(str, range(500))) + ")) }")
    inspect_query("SELECT * WHERE { " + " ".join(f'?s ?p ?o{i} FILTER regex(?o{i}, "a", "i") .'
                                                  for i in range(MAX_PATTERNS)) + " }")


@pytest.mark.slow
def test_what_is_let_through_runs_on_a_query_thread_without_overflowing():
    """At the limits, on a thread made as the server's query threads are: an 8 MiB stack
    overflows (the process dies) on the chain of 8,000."""
    code = (
        "import sys; sys.path[:0] = " + repr(sys.path) + "\n"
        "from pyoxigraph import Store\n"
        "from twinkg.server.execution.threads import start_query_thread\n"
        "import threading\n"
        "done = threading.Event()\n"
        "def run():\n"
        f"    list(Store().query({_nested(MAX_NESTING)!r}))\n"
        f"    list(Store().query({_chain(8000)!r}))\n"
        "    done.set()\n"
        "start_query_thread(run)\n"
        "assert done.wait(120)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr.decode()[-500:]


ALLOWED = "http://allowed.example/sparql"


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ ?s ?p 1SERVICE<{EVIL}>{{}} }}",  # a keyword run into a value
    f"SELECT * WHERE {{ ?s ?p trueSERVICE<{EVIL}>{{}} }}",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { FILTER(1<2)SERVICE:sparql#>\n{} }",  # '<' is less-than
    "PREFIX silent: <http://allowed.example/> PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE silent:sparql {} }",
    "PREFIX p: <http://allowed.example/> PREFIXp:<http://127.0.0.1:9/> SELECT * WHERE { SERVICE p:sparql {} }",
    "PREFIX : <http://allowed.example/> PREFIX:<http://127.0.0.1:9/> SELECT * WHERE { SERVICE :sparql {} }",
    'PREFIX p: <http://127.0.0.1:9/> SELECT * WHERE { VALUES (?a ?b ?c) { ("x"@prefix p: <http://allowed.example/>) } '
    "SERVICE p:sparql {} }",  # a language tag is no PREFIX
    f'SELECT * WHERE {{ FILTER("a"@prefix)SERVICE<{EVIL}>{{}} }}',
])
def test_red_team_spellings_never_pass_for_the_allowed_endpoint(query):
    # found by a fuzzer against Oxigraph's real calls: each calls 127.0.0.1:9
    services = inspect_query(query)
    assert services.services and ALLOWED not in services.services
    assert all(s is None or s.startswith("http://127.0.0.1:9/") for s in services.services)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s <x:p> (" + " 1" * 200000 + ") }",  # a collection's elements
    "SELECT * WHERE { FILTER(" + ("(" * 990 + "<x:a(" + ")" * 991 + "> + ") * 200 + "1" + ")" * 198000 + ") }",
    'SELECT * WHERE { ?s ?p "x"@values OPTIONAL { FILTER(' + "1+" * 400000 + "1) } }",  # @values is no VALUES
])
@pytest.mark.slow
def test_red_team_stack_overflows_are_refused(query):
    with pytest.raises(TwinkgError):
        inspect_query(query)


# Texts on which the three scanners that came before the one lexer disagreed (SERVICE and the
# limits: query_inspect; caching: server/volatile.py; VALUES injection: backends/inject.py).
# Each row: the text, its SERVICE endpoints, whether its answer is volatile, and the text
# just before the WHERE group's "{" ends; the one reading answers all three.
ONE_READING = [
    # a '#' escaped in a prefixed name is no comment: NOW() and the group's end are code
    ("PREFIX ex: <http://ex.org/> SELECT * WHERE { ?s ex:p\\#q ?o BIND(NOW() AS ?t) }", (), True, "WHERE {"),
    # a '#' in an IRI with a \\u escape is no comment
    ("SELECT ?x FROM <http://ex.org/\\u0041#g> WHERE { ?x ?p ?o }", (), False, "WHERE {"),
    # a comment ends at a carriage return
    ("SELECT ?x WHERE # the group:\r{ ?x ?p ?o BIND(RAND() AS ?r) }", (), True, "\r{"),
    # long strings hold quotes, braces, '#', keywords and calls that are none
    ("SELECT ?x WHERE { ?x ?p '''it's { # SERVICE <x:y> {} NOW()''' . ?x ?q \"\"\"\"a\" }\"\"\" }", (), False, "WHERE {"),
    # '<' after a term in an expression is less-than, before one an IRI
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o<?x&&'a>'=?z) BIND(NOW() AS ?n) FILTER(?w='x') }", (), True, "WHERE {"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o = <http://ex.org/now()>) }", (), False, "WHERE {"),
    # a reified triple written without spaces makes a fresh reifier: volatile
    ("CONSTRUCT { <<?s?p?o>> <http://ex.org/q> 1 } WHERE { ?s ?p ?o }", (), True, "WHERE {"),
    (f"SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}", (EVIL,), False, "SELECT * {"),
]


@pytest.mark.parametrize("text, services, volatile, before", ONE_READING)
def test_one_reading_answers_every_question(text, services, volatile, before):
    Store().query(text.replace(f"SERVICE <{EVIL}>", "GRAPH ?g"))  # Oxigraph parses each
    scanned = ScannedQuery(text)
    assert scanned.shape.services == services
    assert scanned.volatile is volatile
    assert scanned.where_group_start == text.index(before) + len(before)
    assert scanned.group_spans[0] == (scanned.where_group_start, text.rindex("}"), False)
