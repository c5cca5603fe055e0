"""What tests share besides fixtures: paths, settings, free ports, real server processes.

Test modules import these from here (conftest.py is pytest's, not a module to import from);
conftest.py builds its fixtures on them.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from twinkg.backends.protocol import Remote
from twinkg.config import load_settings
from twinkg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots of the browser tests (gitignored)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def misspell_a_place(data_dir: Path) -> None:
    """One problem in a copy of the mini data: the first event's place names no city
    (``events.yaml:5: events[1].place: unknown city 'tuors'``)."""
    events = data_dir / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("place: tours", "place: tuors"), encoding="utf-8")


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


class ServerProcess:
    """A store server process the tests start; ``with`` stops it (terminated, then killed
    after ``stop_seconds``)."""

    process: subprocess.Popen
    stop_seconds = 10

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=self.stop_seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class OxigraphServer(ServerProcess):
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

    def env(self) -> dict[str, str]:
        return {}  # no credentials, the default union


# -- remote stores: Debian's Virtuoso (virtuoso-opensource 7.2) on loopback ------------------

VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")
# The smallest virtuoso.ini that serves SPARQL: its own files in the directory, loopback
# ports, small buffers, no VAD packages (those make up most of a default start), no plugins.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 3000
MaxDirtyBuffers = 2000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


class VirtuosoServer(ServerProcess):
    """One `virtuoso-t` with a generated virtuoso.ini, and a user that may load (SPARQL_UPDATE).

    The anonymous SPARQL user keeps read-only access: loads go to /sparql-auth (digest) and the
    Graph Store endpoint /sparql-graph-crud-auth as the user, as the README tells a city to."""

    user = "twinkg-loader"
    stop_seconds = 30  # Virtuoso writes a checkpoint as it stops

    def __init__(self, location: Path):
        if not VIRTUOSO.exists():
            pytest.fail("Debian's virtuoso-opensource is missing: run `make system-packages`")
        location.mkdir(parents=True, exist_ok=True)
        self.location = location
        self.sql_port, self.port = free_port(), free_port()
        self.password = secrets.token_hex(8)
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url, self.store_url = (
            self.base + p for p in ("/sparql", "/sparql-auth", "/sparql-graph-crud-auth"))
        (location / "virtuoso.ini").write_text(VIRTUOSO_INI.format(sql_port=self.sql_port, http_port=self.port))
        self.process = subprocess.Popen([str(VIRTUOSO), "+foreground", "+configfile", "virtuoso.ini"],
                                        cwd=location, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(self.query_url + "?query=ASK%7B%7D", self.process, timeout=120)
            self.isql(f"DB.DBA.USER_CREATE('{self.user}', '{self.password}');",
                      f"GRANT SPARQL_UPDATE TO \"{self.user}\";")
            self.system_graphs = self.graphs()  # Virtuoso's own: never cleared
        except BaseException:
            self.stop()
            raise

    def isql(self, *statements: str) -> str:
        done = subprocess.run([str(ISQL), f"127.0.0.1:{self.sql_port}", "dba", "dba",
                               "exec=" + " ".join(statements)], capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt failed: {done.stdout}{done.stderr}")
        return done.stdout

    def graphs(self) -> set[str]:
        return {g.value for g in open_store(load_settings(endpoint=self.query_url)).named_graphs()}

    def settings(self, data: Path = DATA, graph_store: bool = False, **kw):
        """As a city would configure twinkg for Virtuoso (README, "What each server needs")."""
        kw.setdefault("store", self.location.parent / f"{self.location.name}-local" / "store")
        kw.setdefault("remote_union", "union-graph")
        return load_settings(data_dir=data, endpoint=self.query_url, update_endpoint=self.update_url,
                             graph_store=self.store_url if graph_store else "", remote_user=self.user,
                             remote_password=self.password, remote_auth="digest", remote_backoff=0.01,
                             remote_timeout=60, **kw)

    def env(self) -> dict[str, str]:
        """The loader's credentials as TWINKG_* variables (for the CLI)."""
        return {"TWINKG_REMOTE_USER": self.user, "TWINKG_REMOTE_PASSWORD": self.password,
                "TWINKG_REMOTE_AUTH": "digest", "TWINKG_REMOTE_UNION": "union-graph"}

    def clear(self) -> None:
        """Every graph but Virtuoso's own dropped: an empty store for the next test."""
        remote = Remote(self.query_url, update_endpoint=self.update_url, user=self.user,
                        password=self.password, auth="digest", timeout=60)
        stale = sorted(self.graphs() - self.system_graphs)
        if stale:
            remote.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stale))


_WKT = re.compile(r'"Point\(([^"]*)\)"\^\^<http://www\.opengis\.net/ont/geosparql#wktLiteral>')


def fold_wkt(text: str) -> str:
    """N-Triples with WKT points in Virtuoso's spelling: it answers "POINT(…)" for the
    "Point(…)" twinkg writes (the one difference README, "What each server needs", names)."""
    return _WKT.sub(r'"POINT(\1)"^^<http://www.opengis.net/ont/geosparql#wktLiteral>', text)


#: The fixture holding the curated data behind each remote backend.
REMOTE_BACKENDS = {"remote": "oxigraph_server", "virtuoso": "virtuoso_server"}


def backend_for(request, name: str):
    """The curated data's settings behind one backend: embedded, remote (oxigraph) or virtuoso."""
    if name == "embedded":
        return request.getfixturevalue("curated_settings")
    return request.getfixturevalue(REMOTE_BACKENDS[name]).settings()
