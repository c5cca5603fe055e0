"""The twinkg command line, driven through click's CliRunner on the fixture dataset."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from twinkg.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def args(data, store, *rest):
    return [*rest, "--data", str(data), "--store", str(store)]


def test_help_lists_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "load", "query", "serve"):
        assert command in result.output


def test_validate_prints_counts(runner, mini_data, tmp_path):
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output
    counts = dict(line.split() for line in result.output.splitlines() if line.startswith("  "))
    assert counts == {"Source": "1", "Country": "2", "City": "2", "Organization": "1", "Person": "1",
                      "Partnership": "1", "Event": "1", "Photo": "1"}
    assert not (tmp_path / "store").exists()


def test_validate_reports_problems_and_fails(runner, mini_data, tmp_path):
    (mini_data / "events.yaml").write_text(
        (mini_data / "events.yaml").read_text().replace("place: tours", "place: tuors"))
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 1
    assert "events.yaml:5: events[0].place: unknown city 'tuors' (did you mean 'tours'?)" in result.output
    assert "1 problem(s) found; nothing was written" in result.output


def test_load_then_query(runner, mini_data, tmp_path):
    store = tmp_path / "store"
    result = runner.invoke(main, args(mini_data, store, "load"))
    assert result.exit_code == 0, result.output
    assert "loaded" in result.output and "City" in result.output
    result = runner.invoke(main, args(mini_data, store, "query",
                                      "SELECT ?n WHERE { ?c a <https://twinkg.example.org/ontology#City> ; "
                                      "<http://www.w3.org/2000/01/rdf-schema#label> ?n FILTER(LANG(?n)='en') }",
                                      "--format", "csv"))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows == [["n"], ["Alpha City"]]


def test_canned_query_with_parameter(runner, mini_data, tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(main, args(mini_data, store, "load")).exit_code == 0
    result = runner.invoke(main, args(mini_data, store, "query", "anniversaries",
                                      "--param", "year=2022", "--format", "json"))
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    assert [(b["partnershipName"]["value"], b["years"]["value"]) for b in bindings] == \
        [("Alphastadt – Tours", "60")]
    table = runner.invoke(main, args(mini_data, store, "query", "anniversaries", "-p", "year=2023"))
    assert table.exit_code == 0
    assert "(0 rows)" in table.output


def test_bad_parameter_is_a_clear_error(runner, mini_data, tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(main, args(mini_data, store, "load")).exit_code == 0
    result = runner.invoke(main, args(mini_data, store, "query", "anniversaries", "-p", "year=soon"))
    assert result.exit_code == 1
    assert "parameter 'year': expected a whole number, got 'soon'" in result.output


def test_query_syntax_error(runner, mini_data, tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(main, args(mini_data, store, "load")).exit_code == 0
    result = runner.invoke(main, args(mini_data, store, "query", "SELECT WHERE {"))
    assert result.exit_code == 1
    assert "SPARQL syntax error" in result.output


def test_query_without_store(runner, mini_data, tmp_path):
    result = runner.invoke(main, args(mini_data, tmp_path / "nowhere", "query", "partner-cities"))
    assert result.exit_code == 1
    assert "run `twinkg load` first" in result.output


def test_query_with_from_sees_only_the_named_graph(runner, mini_data, tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(main, args(mini_data, store, "load")).exit_code == 0
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s a <https://twinkg.example.org/ontology#City> }}"
    union = runner.invoke(main, args(mini_data, store, "query", count.format(""), "--format", "csv"))
    unknown = runner.invoke(main, args(mini_data, store, "query",
                                       count.format("FROM <https://example.org/no-such-graph>"),
                                       "--format", "csv"))
    source = runner.invoke(main, args(mini_data, store, "query",
                                      count.format("FROM <https://twinkg.example.org/graph/example-page>"),
                                      "--format", "csv"))
    assert union.output.split() == ["n", "2"]
    assert unknown.output.split() == ["n", "0"]
    assert source.output.split() == ["n", "2"]


@pytest.mark.parametrize("query, message", [
    ("partner-citys", "unknown canned query 'partner-citys' (did you mean 'partner-cities'?); known: "),
    ("missing.rq", "no such query file: missing.rq"),
])
def test_mistyped_query_names_are_named(runner, mini_data, tmp_path, query, message):
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "query", query))
    assert result.exit_code == 1
    assert message in result.output


def test_bad_environment_value_is_a_clear_error(runner, mini_data, tmp_path, monkeypatch):
    monkeypatch.setenv("TWINKG_PORT", "eighty")
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 1
    assert "TWINKG_PORT='eighty': expected a whole number" in result.output
    assert "Traceback" not in result.output
