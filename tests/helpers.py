"""What tests share besides fixtures: paths, settings, free ports, real server processes.

Test modules import these from here (conftest.py is pytest's, not a module to import from);
conftest.py builds its fixtures on them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from twinkg.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots of the browser tests (gitignored)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def csp_violations(page) -> list[str]:
    """The Content-Security-Policy violations chromium reports on ``page`` (filled as it runs):
    each is a console error "Refused to … because it violates … Content Security Policy"."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def settings_for(data: Path, store: Path, **kw):
    return load_settings(data_dir=data, store=store, **kw)


class CountedStore:
    """The app's real store, recording each query sent to it: what a page costs in queries."""

    def __init__(self, store):
        self.store = store
        self.queries: list[str] = []

    def query(self, query, *args, **kwargs):
        self.queries.append(query)
        return self.store.query(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers (no sleeps standing in for readiness)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = process.stderr.read() if process.stderr else "(stderr not captured)"
            raise RuntimeError(f"server exited with {process.returncode}: {detail}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def serving(command: list[str], base: str, env: dict | None = None, stderr=subprocess.DEVNULL):
    """Run a server process until the block ends; ready once ``base + "/"`` answers.

    stderr is not read while serving: a pipe suits only servers that write little there
    (twinkg serve logs no access lines); web servers with access logs get DEVNULL.
    """
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr, text=True)
    try:
        wait_for(base + "/", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def running_server(store: Path, workers: int = 1, **settings):
    """``twinkg serve`` (the production server) on a free loopback port; settings as TWINKG_* env.

    One worker by default (light for tests; users' queries then run in child processes);
    two or more switch on worker isolation (server/execution/recycle.py)."""
    port = free_port()
    env = {**os.environ, "TWINKG_STORE": str(store), "TWINKG_DATA_DIR": str(DATA),
           **{f"TWINKG_{k.upper()}": str(v) for k, v in settings.items()}}
    command = [sys.executable, "-m", "twinkg.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with serving(command, f"http://127.0.0.1:{port}", env, stderr=subprocess.PIPE) as base:
        yield base


OXIGRAPH = Path(sys.executable).with_name("oxigraph")


class OxigraphServer:
    """One `oxigraph serve` process with its SPARQL, Update and Graph Store URLs."""

    def __init__(self, location: Path, union: bool = False):
        self.location = location
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url, self.store_url = (self.base + p for p in ("/query", "/update", "/store"))
        # Plain by default: twinkg sends the union of its graphs as the protocol dataset;
        # union=True is the server-side alternative (remote_union = "server", README).
        self.process = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
             *(["--union-default-graph"] if union else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_for(self.query_url + "?query=ASK%7B%7D", self.process)

    def settings(self, data: Path = DATA, graph_store: bool = False, **kw):
        # store: where a server writes its local files for a remote version (never the cwd)
        kw.setdefault("store", self.location.parent / f"{self.location.name}-local" / "store")
        return load_settings(data_dir=data, endpoint=self.query_url, update_endpoint=self.update_url,
                             graph_store=self.store_url if graph_store else "", remote_backoff=0.01, **kw)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
