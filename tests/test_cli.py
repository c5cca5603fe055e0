"""The twinkg command line, driven through click's CliRunner on the fixture dataset."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import urllib.request
from urllib.parse import quote, urlsplit

import pytest
from click.testing import CliRunner
from helpers import DATA, misspell_a_place, running_server, settings_for

from twinkg import cli
from twinkg.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def args(data, store, command, *rest):
    """The command with the options it takes: query reads no YAML, validate opens no store."""
    return [command, *rest, *([] if command == "query" else ["--data", str(data)]),
            *([] if command == "validate" else ["--store", str(store)])]


def test_help_lists_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "load", "query", "serve"):
        assert command in result.output


def test_help_lists_each_command_with_its_own_one_line_help(runner):
    """The list comes from cli.COMMANDS without importing the commands: each line must be the
    first line of the command's own help."""
    listed = runner.invoke(main, ["--help"], terminal_width=200).output.split("Commands:\n")[1]
    rows = dict(line.split(None, 1) for line in listed.splitlines())
    assert list(rows) == sorted(cli.COMMANDS)
    for name, line in rows.items():
        assert line == main.get_command(None, name).get_short_help_str(limit=200)


def test_help_and_a_light_command_leave_the_heavy_libraries_unloaded():
    """`twinkg --help` and `twinkg query` do not wait for Flask, pySHACL or the export's
    libraries: only the command that runs is imported (twinkg/commands/)."""
    probe = ("import sys\nfrom click.testing import CliRunner\nfrom twinkg.cli import main\n"
             "for argv in (['--help'], ['query', '--help']):\n"
             "    assert CliRunner().invoke(main, argv).exit_code == 0\n"
             "print(sorted(m for m in ('flask', 'pyshacl', 'bs4', 'rdflib', 'granian', 'twinkg.server',"
             " 'twinkg.loaders.pipeline', 'twinkg.export.run') if m in sys.modules))\n")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_validate_prints_counts(runner, mini_data, tmp_path):
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output
    counts = dict(line.split() for line in result.output.splitlines() if line.startswith("  "))
    assert counts == {"Source": "1", "Country": "2", "City": "2", "Organization": "1", "Person": "1",
                      "Partnership": "1", "Event": "1", "Photo": "1"}
    assert not (tmp_path / "store").exists()


def test_validate_reports_problems_and_fails(runner, mini_data, tmp_path):
    misspell_a_place(mini_data)
    result = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    assert result.exit_code == 1
    assert "events.yaml:5: events[1].place: unknown city 'tuors' (did you mean 'tours'?)" in result.output
    assert "1 problem(s) found in the curated data (YAML syntax, fields, references and SHACL shapes)" \
        in result.output
    assert "nothing was written" not in result.output  # validate never writes


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


@pytest.fixture
def loaded(runner, mini_data, tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(main, args(mini_data, store, "load")).exit_code == 0
    return mini_data, store


@pytest.mark.parametrize("param, message", [
    ("city=http://x.org/%zz", "parameter 'city': expected an absolute http(s) IRI, got 'http://x.org/%zz' "
                              "(Invalid IRI percent encoding '%zz')"),
    ("city=http://[::1", "parameter 'city': expected an absolute http(s) IRI, got 'http://[::1' (Invalid IPv6 URL)"),
    ("city=http://x.org/a\tb", "parameter 'city': expected an absolute http(s) IRI, got 'http://x.org/a\\tb'"),
])
def test_an_iri_parameter_rdf_refuses_is_a_clear_error(runner, loaded, param, message):
    result = runner.invoke(main, args(*loaded, "query", "partner-cities", "--param", param))
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert isinstance(result.exception, SystemExit)  # a clean error, not a traceback


@pytest.mark.parametrize("year, message", [
    ("1" * 4301, "parameter 'year': expected a whole number from -9223372036854775808 to 9223372036854775807"),
    ("١٩٥٣", "parameter 'year': expected a whole number, got '١٩٥٣'"),  # int() would take these digits
])
def test_an_integer_parameter_out_of_range_is_a_clear_error(runner, loaded, year, message):
    result = runner.invoke(main, args(*loaded, "query", "anniversaries", "--param", f"year={year}"))
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_repeated_parameter_is_a_usage_error(runner, loaded):
    result = runner.invoke(main, args(*loaded, "query", "anniversaries", "-p", "year=2022", "-p", "year=2027"))
    assert result.exit_code == 2
    assert "Invalid value for --param: parameter 'year' is given twice; it takes one value" in result.output


@pytest.mark.parametrize("query, fmt, message", [
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "csv", "--format csv is for SELECT/ASK; use turtle or ntriples"),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "table", "--format table is for SELECT/ASK; use turtle or ntriples"),
    ("ASK { ?s ?p ?o }", "turtle", "--format turtle is for CONSTRUCT/DESCRIBE; use table, csv, tsv, json or xml"),
])
def test_a_format_the_query_form_has_not_is_refused(runner, loaded, query, fmt, message):
    result = runner.invoke(main, args(*loaded, "query", query, "--format", fmt))
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"


@pytest.mark.parametrize("query, fmt, start", [
    ("CONSTRUCT WHERE { ?s a ?c } LIMIT 1", None, "<https://twinkg.example.org/"),  # Turtle
    ("CONSTRUCT WHERE { ?s a ?c } LIMIT 1", "ntriples", "<https://twinkg.example.org/"),
    ("ASK { ?s ?p ?o }", None, "true"),
    ("ASK { ?s ?p ?o }", "json", '{"head":{},"boolean":true}'),
])
def test_each_query_form_has_its_default_and_its_formats(runner, loaded, query, fmt, start):
    result = runner.invoke(main, args(*loaded, "query", query, *(["--format", fmt] if fmt else [])))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(start)


@pytest.mark.parametrize("base, message", [
    ("https://x.org/ns#", "base IRI 'https://x.org/ns#' (--base-iri or TWINKG_BASE_IRI): must not contain '#'; "
                          "end it in '/'"),
    ("foo", "base IRI 'foo' (--base-iri or TWINKG_BASE_IRI): expected an absolute http(s) IRI such as "
            "https://example.org/"),
])
def test_a_bad_base_iri_is_a_clear_error(runner, mini_data, tmp_path, monkeypatch, base, message):
    by_option = runner.invoke(main, args(mini_data, tmp_path / "store", "validate", "--base-iri", base))
    monkeypatch.setenv("TWINKG_BASE_IRI", base)
    by_environment = runner.invoke(main, args(mini_data, tmp_path / "store", "validate"))
    for result in (by_option, by_environment):
        assert result.exit_code == 1
        assert result.output == f"Error: {message}\n"


def test_a_store_that_cannot_be_written_is_a_one_line_error(runner, mini_data, tmp_path):
    (tmp_path / "afile").write_text("")
    result = runner.invoke(main, args(mini_data, tmp_path / "afile" / "store", "load"))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (f"Error: cannot write the store at {tmp_path}/afile/store.d: "
                                              f"Not a directory; the served store {tmp_path}/afile/store "
                                              "was not changed")


def test_loading_a_directory_without_the_curated_files_fails(runner, loaded, tmp_path):
    _, store = loaded
    served = store.resolve()
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, args(tmp_path / "empty", store, "load"))
    assert result.exit_code == 1
    assert f"{tmp_path}/empty: holds none of the curated files" in result.output
    assert store.resolve() == served


# -- serve refuses a port in use (issue 15, point 6) --------------------------------------

def _serve(store, port: int, timeout: float = 30):
    """`twinkg serve` as a user runs it; a server that starts is stopped at ``timeout``."""
    env = {**os.environ, "TWINKG_DATA_DIR": str(DATA)}
    command = [sys.executable, "-m", "twinkg.cli", "serve", "--port", str(port), "--store", str(store),
               "--workers", "1"]
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"a second server started on port {port} (it was stopped after {timeout} s)")


@pytest.mark.server
def test_serve_refuses_a_port_another_server_listens_on(curated_store, mini_data, tmp_path):
    """A second `twinkg serve --port P --store OTHER` used to start beside the first (granian binds
    with SO_REUSEPORT) and the kernel split the requests between the two datasets."""
    from twinkg.loaders.pipeline import load

    other = tmp_path / "other" / "store"
    load(settings_for(mini_data, other))
    with running_server(curated_store) as base:
        port = urlsplit(base).port
        second = _serve(other, port)
        assert second.returncode == 3
        assert f"port {port} on 127.0.0.1 is in use" in second.stderr
        assert "Traceback" not in second.stderr
        # the first server keeps every request: no other dataset answers beside it
        assert len({_count(base) for _ in range(12)}) == 1


def _count(base: str) -> str:
    query = quote("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    with urllib.request.urlopen(f"{base}/sparql?query={query}&format=csv", timeout=10) as response:
        return response.read().decode().split()[-1]


def test_serve_refuses_a_port_any_program_listens_on(curated_store):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        second = _serve(curated_store, other.getsockname()[1])
    assert second.returncode == 3 and "is in use" in second.stderr
