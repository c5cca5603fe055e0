"""Issue 16: the command line explains itself (help, wording, output endings)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helpers import misspell_a_place
from twinkg.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def args(data, store, command, *rest):
    """The command with the options it takes: query reads no YAML, validate opens no store."""
    return [command, *rest, *([] if command == "query" else ["--data", str(data)]),
            *([] if command == "validate" else ["--store", str(store)])]


@pytest.fixture
def loaded(runner, mini_data, tmp_path):
    store = tmp_path / "store"
    result = runner.invoke(main, args(mini_data, store, "load"))
    assert result.exit_code == 0, result.output
    return mini_data, store


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml", "table"])
def test_select_output_ends_with_a_newline(runner, loaded, fmt):
    result = runner.invoke(main, args(*loaded, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                      "--format", fmt))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("\n") and not result.stdout.endswith("\n\n")


@pytest.mark.parametrize("query", ["ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1"])
@pytest.mark.parametrize("fmt", ["json", "ntriples", "turtle"])
def test_other_forms_end_with_a_newline(runner, loaded, query, fmt):
    result = runner.invoke(main, args(*loaded, "query", query, "--format", fmt))
    if result.exit_code == 0:  # a format of the other form is refused; that is tested elsewhere
        assert result.stdout.endswith("\n")


def test_validate_says_what_it_checked_not_what_it_did_not_write(runner, mini_data, tmp_path):
    misspell_a_place(mini_data)
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 1
    assert "nothing was written" not in result.output
    assert "1 problem(s) found in the curated data" in result.output


def test_load_still_says_nothing_was_written(runner, mini_data, tmp_path):
    misspell_a_place(mini_data)
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "load"))
    assert result.exit_code == 1
    assert "1 problem(s) found; nothing was written" in result.output


def test_query_help_lists_the_canned_queries(runner):
    from twinkg.canned import canned_queries

    result = runner.invoke(main, ["query", "--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Canned queries:", 1)[1]
    for name, canned in canned_queries().items():
        line = next(line for line in listed.splitlines() if line.strip().startswith(name + " "))
        assert canned.title in line
    assert "--param year=" in listed  # a parameter and its default are shown


def test_a_duplicate_key_names_the_record_and_the_first_occurrence(runner, mini_data, tmp_path):
    events = mini_data / "events.yaml"
    events.write_text(events.read_text().replace("      role: mayor\n", "      role: mayor\n      role: guest\n"))
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 1
    assert "events.yaml:10: events[1].participants[1].role: duplicate key (first at " in result.output
    assert "events.yaml:9; a key is given once per record)" in result.output


@pytest.mark.parametrize("old, new, line, hint", [
    ("  place: tours\n", " place: tours\n", 5, "indented unlike the lines before it"),
    ("  place: tours\n", "  place: tours\n\tsource: x\n", 6, "indent with spaces, not tabs"),
    ("  place: tours\n", "  place: Tours: the city\n", 5, "needs quotes"),
])
def test_a_yaml_syntax_error_gets_a_plain_hint(runner, mini_data, tmp_path, old, new, line, hint):
    events = mini_data / "events.yaml"
    events.write_text(events.read_text().replace(old, new))
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 1
    problem = next(p for p in result.output.splitlines() if "YAML syntax error" in p)
    assert problem.startswith(f"{events}:{line}: YAML syntax error: ")  # still file:line: message
    assert "(hint: " in problem and hint in problem, problem


def _options_of(runner, *command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command, absent", [
    (["validate"], ["--store", "--endpoint", "--update-endpoint", "--graph-store"]),
    (["serve"], ["--update-endpoint", "--graph-store"]),
    (["query", "x"], ["--data", "--update-endpoint", "--graph-store"]),
    (["export"], ["--update-endpoint", "--graph-store"]),
])
def test_each_command_lists_only_the_options_it_uses(runner, command, absent):
    shown = _options_of(runner, command[0])
    for option in absent:
        assert option not in shown, (command, option)
    result = runner.invoke(main, [*command, absent[-1], "http://example.org/"])
    assert result.exit_code == 2 and "No such option" in result.output


def test_load_lists_the_remote_options(runner):
    shown = _options_of(runner, "load")
    for option in ("--endpoint", "--update-endpoint", "--graph-store"):
        assert option in shown


@pytest.mark.parametrize("command, variables", [
    (["validate"], ["TWINKG_DATA_DIR", "TWINKG_BASE_IRI"]),
    (["load"], ["TWINKG_STORE", "TWINKG_ENDPOINT", "TWINKG_UPDATE_ENDPOINT", "TWINKG_GRAPH_STORE"]),
    (["serve"], ["TWINKG_PORT", "TWINKG_HOST", "TWINKG_WORKERS"]),
    (["enrich", "wikidata"], ["TWINKG_WIKIDATA_ENDPOINT"]),
])
def test_help_names_the_environment_variables(runner, command, variables):
    shown = " ".join(_options_of(runner, *command).split())  # help wraps lines
    for variable in variables:
        assert f"env var: {variable}" in shown


def test_the_environment_variables_are_the_ones_config_reads(runner):
    import re

    from twinkg.config import SETTING_NAMES

    shown = " ".join(" ".join(_options_of(runner, *c).split()) for c in
                     (["validate"], ["load"], ["query"], ["serve"], ["export"], ["enrich", "wikidata"]))
    named = set(re.findall(r"env var: TWINKG_([A-Z_]+)", shown))
    assert named and {n.lower() for n in named} <= SETTING_NAMES


def test_the_top_level_help_says_every_setting_has_a_variable(runner):
    assert "TWINKG_" in _options_of(runner)


def test_enrich_names_its_endpoint_unambiguously(runner):
    shown = _options_of(runner, "enrich", "wikidata")
    assert "--wikidata-endpoint" in shown
    assert "--endpoint " not in shown
    result = runner.invoke(main, ["enrich", "wikidata", "--endpoint", "http://example.org/sparql"])
    assert result.exit_code == 2 and "No such option" in result.output
