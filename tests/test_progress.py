"""`twinkg validate` and `load` show progress with counts and rates on a terminal, and stay
quiet in pipes (CI logs): only results, problems and notices there."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from helpers import misspell_a_place

TWINKG = Path(sys.executable).with_name("twinkg")
ENV = {**os.environ, "TWINKG_EXPORT_ON_LOAD": "false", "TERM": "xterm"}


def _on_a_terminal(args: list, status: int = 0) -> str:
    """What a user sees: stdout and stderr on one pseudo-terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([TWINKG, *map(str, args)], stdin=follower, stdout=follower, stderr=follower, env=ENV)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.wait(timeout=120) == status, seen.decode()
    return seen.decode()


def _lines(screen: str) -> list[str]:
    """The lines as they stand at the end: each redraw (\\r) replaces the line before."""
    return [line.split("\r")[-1].rstrip() for line in screen.replace("\r\n", "\n").split("\n")]


def test_validate_on_a_terminal_counts_records_and_statements(mini_data):
    screen = _on_a_terminal(["validate", "--data", mini_data])
    lines = _lines(screen)
    reading = next(line for line in lines if line.startswith(f"… reading {mini_data}:"))
    assert re.fullmatch(r"… reading .*: 10 records \(\d+\.\d s, [\d,]+ records/s\)", reading), reading
    building = next(line for line in lines if line.startswith("… building RDF for 10 records:"))
    assert re.search(r": [\d,]+ statements \(\d+\.\d s, [\d,]+ statements/s\)$", building), building
    assert any(re.fullmatch(r"… validating [\d,]+ statements against the SHACL shapes \(\d+\.\d s\)", line)
               for line in lines), lines
    assert f"{mini_data}: 0 problems;" in screen


def test_load_on_a_terminal_counts_quads_written(mini_data, tmp_path):
    screen = _on_a_terminal(["load", "--data", mini_data, "--store", tmp_path / "store"])
    lines = _lines(screen)
    assert any(re.fullmatch(r"… writing the new store: [\d,]+ quads \(\d+\.\d s(, [\d,]+ quads/s)?\)", line)
               for line in lines), lines
    assert any(line.startswith("… indexing names, titles and captions for search: 10 entities") for line in lines)
    assert "loaded" in screen


def test_pipes_get_results_only(mini_data, tmp_path):
    for args in (["validate", "--data", mini_data], ["load", "--data", mini_data, "--store", tmp_path / "store"]):
        done = subprocess.run([TWINKG, *map(str, args)], capture_output=True, text=True, env=ENV)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # no progress in a log
        assert "\r" not in done.stdout and "…" not in done.stdout
        assert "0 problems" in done.stdout or "loaded" in done.stdout


def test_problems_are_reported_the_same_on_a_terminal(mini_data):
    misspell_a_place(mini_data)
    lines = _lines(_on_a_terminal(["validate", "--data", mini_data], status=1))
    # the problem stands on a line of its own, not after a progress line
    assert f"{mini_data}/events.yaml:5: events[1].place: unknown city 'tuors' (did you mean 'tours'?)" in lines
