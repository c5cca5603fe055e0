"""The row limit on SELECT answers: JSON is counted as pyoxigraph writes it, the other formats
through TSV lines. Both must give the same rows, count and truncation flag for any text in
the data, including text that looks like JSON structure, and solutions that bind nothing."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Store, parse_query_results

from twinkg.query_answers import Answer, Job, run

EX = "http://example.org/"
JSON = "application/sparql-results+json"
TSV = "text/tab-separated-values"

#: Literals that contain what the JSON counter looks for, quoted and escaped in the output.
TRICKY = ['a,{"b', '[{"c": 1}]', "{}", ',{}', '[{}', 'back\\slash', 'quote"{"', 'new\nline',
          'tab\t{"', 'ünïcödé {"', '\\"', '"', '}},{"x"', "", "\\", ",{", "[{"]


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    for i, text in enumerate(TRICKY):
        store.add(Quad(NamedNode(f"{EX}t{i}"), NamedNode(f"{EX}text"), Literal(text)))
    for i in range(3000):  # enough output for pyoxigraph to write it in several pieces
        store.add(Quad(NamedNode(f"{EX}n{i}"), NamedNode(f"{EX}value"), Literal(f'row {i} ,{{"' + "x" * (i % 50))))
    return store


QUERIES = [
    "SELECT ?s ?o WHERE { ?s <http://example.org/text> ?o } ORDER BY ?s",
    "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s",
    "SELECT * WHERE { }",  # one solution that binds nothing
    "SELECT ?x WHERE { ?s <http://example.org/text> ?o }",  # a solution per text, none bound
    # solutions with and without bindings, mixed
    "SELECT ?o WHERE { ?s <http://example.org/text> ?t OPTIONAL { ?s <http://example.org/text> ?o "
    "FILTER(STRLEN(?o) > 2) } } ORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(false) }",  # no solutions
    "SELECT ?s ?t WHERE { ?s <http://example.org/value> ?o BIND(<<( ?s <http://example.org/value> ?o )>> AS ?t) } "
    "ORDER BY ?s LIMIT 40",  # triple terms: nested JSON objects
]


def answer(store: Store, query: str, media_type: str, max_rows: int) -> Answer:
    result = run(store, Job(query, False, None, None, None, media_type, None, max_rows))
    assert isinstance(result, Answer), result
    return result


def solutions(answer: Answer, fmt: QueryResultsFormat) -> list[dict]:
    parsed = parse_query_results(answer.body, fmt)
    return [{v.value: s[v] for v in parsed.variables if s[v] is not None} for s in parsed]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("max_rows", [0, 1, 2, 5, 17, 2999, 10_000])
def test_json_rows_match_the_tsv_rows(store, query, max_rows):
    by_json = answer(store, query, JSON, max_rows)
    by_tsv = answer(store, query, TSV, max_rows)
    assert (by_json.rows, by_json.truncated) == (by_tsv.rows, by_tsv.truncated)
    got = solutions(by_json, QueryResultsFormat.JSON)
    assert got == solutions(by_tsv, QueryResultsFormat.TSV)
    assert len(got) == by_json.rows <= max_rows


@pytest.mark.parametrize("query", QUERIES)
def test_an_answer_within_the_limit_is_pyoxigraphs_own(store, query):
    complete = store.query(query).serialize(format=QueryResultsFormat.JSON)
    got = answer(store, query, JSON, 10_000)
    assert got.body == complete and not got.truncated
    assert got.rows == len(list(parse_query_results(complete, QueryResultsFormat.JSON)))


def test_a_cut_answer_is_flagged_and_well_formed(store):
    got = answer(store, QUERIES[1], JSON, 100)
    assert got.truncated and got.rows == 100
    parsed = parse_query_results(got.body, QueryResultsFormat.JSON)
    assert [v.value for v in parsed.variables] == ["s", "o"]
    rows = list(parsed)
    assert len(rows) == 100
    assert rows[0]["s"] == NamedNode(f"{EX}n0")  # the first rows, in order


def test_rows_are_counted_across_any_split_of_the_writes(store):
    """pyoxigraph writes a long answer in pieces: a row start may span two of them."""
    from twinkg.query_answers import _JsonRows

    # no "{}" in these texts, so the count as written is the one used
    query = "SELECT ?s ?o WHERE { ?s <http://example.org/value> ?o } ORDER BY ?s LIMIT 12"
    document = store.query(query).serialize(format=QueryResultsFormat.JSON)
    assert b"{}" not in document
    for split in range(1, len(document)):
        for pieces in ([document[:split], document[split:]],
                       [document[:split], document[split:split + 1], document[split + 1:]]):
            rows = _JsonRows(100)
            for piece in pieces:
                rows.write(piece)
            assert (rows.bound, rows.maybe_empty) == (12, False), split
