"""The README's examples, run as written (issue 16.2): its curl commands, Python snippets and
`twinkg` commands against a server started on a store that `twinkg load` has just built.
Only the host:port of the Quick start is replaced. An example fails when it exits non-zero,
answers an HTTP error, or prints nothing; a few also have to show what their comment says.
`make check-readme` runs this file alone."""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import DATA, ROOT, running_server

SERVER_FIXTURES = {"fresh"}  # twinkg serve on a freshly loaded store

README = (ROOT / "README.md").read_text(encoding="utf-8")
QUICK_START = "http://127.0.0.1:8000"
BIN = Path(sys.executable).parent

# What an example's output must contain besides being non-empty: its comment in the README
# promises it (a key is a substring of the command).
EXPECTED = {
    "anniversaries.csv?year=2022": ["Mülheim an der Ruhr – Tours,1962,60", "Kouvola – Mülheim an der Ruhr,1972,50"],
    "COUNT(*)": ['"2698"'],
    "twinkg query anniversaries --param year=2024": ["Mülheim an der Ruhr – Opole,1989,35"],
    "curl -i": ["303", "/page/city/tours"],
}

# Commands shown but not run here, with why: they need the network, write outside a temporary
# place, run until stopped, are placeholders, or are the setup this test itself performs.
NOT_RUN = {
    "sudo": "installs system packages",
    "make": "the Makefile's targets (make check-readme runs this file)",
    "twinkg load": "run once by this test's fixture, into a temporary store",
    "twinkg serve": "runs until stopped; this test's fixture runs it",
    "twinkg enrich": "asks the public Wikidata service (network)",
    "twinkg export": "writes a publication (tests/test_export*.py cover it)",
    "twinkg query my-question.rq": "a placeholder for the reader's own file",
    "$EDITOR": "an editor",
    "TWINKG_QUERY_TIMEOUT=30": "runs a server until stopped",
    "pytest": "runs the tests (this one among them)",
}


def code_blocks(lang: str) -> list[str]:
    return [body for tag, body in re.findall(r"^```(\w*)\n(.*?)^```", README, re.S | re.M) if tag == lang]


def shell_commands() -> list[str]:
    """The commands of the sh blocks, continuation lines and multi-line quotes joined."""
    commands = []
    for block in code_blocks("sh"):
        # the remote-store examples need a running store: test_remote_load.py and
        # test_remote_backend.py do the same on `oxigraph serve`, test_remote_virtuoso.py on Virtuoso
        if "TWINKG_ENDPOINT=" in block:
            continue
        pending = ""
        for line in block.splitlines():
            pending += line + "\n"
            try:
                shlex.split(pending, comments=True)
            except ValueError:  # an open quote: the command goes on
                continue
            if pending.rstrip().endswith("\\"):
                continue
            if pending.strip() and not pending.lstrip().startswith("#"):
                commands.append(pending.strip())
            pending = ""
    return commands


def reason_not_run(command: str) -> str | None:
    return next((why for start, why in NOT_RUN.items() if command.startswith(start)), None)


COMMANDS = shell_commands()


def test_the_readme_has_examples_of_each_kind():
    # a change to the README's fences must not silently leave nothing to run
    starts = {c.split()[0] for c in COMMANDS if not reason_not_run(c)}
    assert {"curl", "python", "twinkg"} <= starts, starts
    assert len(code_blocks("python")) >= 2


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """`twinkg load` into a new store (the README's command, in the repository), then
    `twinkg serve` on a free loopback port. Yields (base URL, environment)."""
    store = tmp_path_factory.mktemp("readme") / "var" / "store"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWINKG_")}
    # the publication written on load is not used by any example; skipping it keeps this fast
    env.update(TWINKG_STORE=str(store), TWINKG_DATA_DIR=str(DATA), TWINKG_EXPORT_ON_LOAD="false",
               PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")  # as after `. .venv/bin/activate`
    subprocess.run(["twinkg", "load"], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    with running_server(store) as base:
        yield base, env


def run(command: str, base: str, env: dict) -> str:
    # a backslash before a newline continues the line in a shell; shlex would keep the newline
    argv = [arg.replace(QUICK_START, base) for arg in shlex.split(command.replace("\\\n", " "), comments=True)]
    if argv[0] == "curl":
        argv[1:1] = ["--silent", "--show-error", "--fail-with-body", "--max-time", "20"]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{command}\nexit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=[c.split("#")[0].strip()[:60] for c in COMMANDS])
def test_shell_example(command, fresh):
    why = reason_not_run(command)
    if why:
        pytest.skip(why)
    base, env = fresh
    out = run(command, base, env)
    assert out.strip(), f"{command}\nprinted nothing"
    if re.search(r"csv|tsv", command):  # a table with only its header row is an empty answer
        assert len(out.strip().splitlines()) > 1, f"{command}\nanswered only a header: {out!r}"
    for key, wanted in EXPECTED.items():
        if key in command:
            for text in wanted:
                assert text in out, f"{command}\nshould show {text!r}:\n{out[:2000]}"


@pytest.mark.parametrize("code", code_blocks("python"), ids=lambda c: c.split()[1])
def test_python_example(code, fresh):
    base, _ = fresh
    tree = ast.parse(code)
    for module in {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                               if isinstance(node, ast.ImportFrom)}:
        if importlib.util.find_spec(module) is None:
            # pandas is the reader's choice, not a dependency of twinkg (nor of its tests)
            pytest.skip(f"{module} is not installed in this environment")
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.replace(QUICK_START, base), "README.md", "exec"), namespace)
    # "returns nothing": neither printed anything nor left a non-empty result (pandas' df)
    last = next((n.targets[0].id for n in reversed(tree.body)
                 if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)), None)
    result = namespace.get(last) if last else None
    assert printed.getvalue().strip() not in ("", "[]") or (result is not None and len(result) > 0), code


def test_the_statement_count_in_the_readme_is_current(fresh):
    base, env = fresh
    said = re.search(r"loads as ([\d,]+) statements", README)
    assert said, "the Quick start names the number of statements"
    out = run(f"curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}' "
              f"{QUICK_START}/sparql", base, env)
    assert out.split()[-1] == said.group(1).replace(",", "")
