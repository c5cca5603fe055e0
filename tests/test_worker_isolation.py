"""Worker isolation: users' queries run in the server workers themselves; a query past the
time limit gets 503, the workers are replaced (that stops the work) and no other request fails."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import DATA, free_port, wait_for
from pyoxigraph import Store
from sparql_helpers import CITY_NAMES, COUNT_PARTNERSHIPS, RUNAWAY, count_of

from twinkg.query_inspect import MAX_NESTING
from twinkg.query_answers import Job
from twinkg.execution import QueryExecutor, QueryTimeout
from twinkg.server.execution.threads import ThreadExecutor

SERVER_FIXTURES = {"isolated"}  # twinkg serve with two workers

#: Runs a second or two on the curated data, then ends by itself (unlike RUNAWAY).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?x { 1 2 3 } }"


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path

    def workers(self) -> set[int]:
        """PIDs of the server's worker processes (the children of granian's main process)."""
        found = set()
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.add(int(entry))
        return found


@pytest.fixture(scope="module")
def isolated(curated_store, tmp_path_factory):
    """``twinkg serve`` with two workers (worker isolation) and a 1 s query time limit."""
    log = tmp_path_factory.mktemp("isolated") / "serve.log"
    port = free_port()
    env = {**os.environ, "TWINKG_STORE": str(curated_store), "TWINKG_DATA_DIR": str(DATA),
           "TWINKG_QUERY_TIMEOUT": "1"}
    with open(log, "w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "twinkg.cli", "serve", "--port", str(port),
                                    "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            wait_for(f"http://127.0.0.1:{port}/", process)
            yield Server(f"http://127.0.0.1:{port}", process, log)
        finally:
            process.terminate()
            process.wait(timeout=30)


def ask(base: str, query: str) -> tuple[int, bytes]:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError as exc:  # a refused or reset connection is a failure the test must see
        return 0, repr(exc).encode()


def test_queries_run_in_the_workers_without_child_processes(isolated):
    status, body = ask(isolated.base, COUNT_PARTNERSHIPS)
    assert status == 200 and count_of(body) > 0
    for pid in isolated.workers():
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert children == [], "worker isolation starts no query processes"


def test_queries_too_deep_for_the_engine_are_400_and_no_worker_dies(isolated):
    """Nesting 6,000 deep overflowed the engine's stack: the worker died, and two such requests
    within seconds made granian take it for a crash loop and stop the whole server."""
    before = isolated.workers()
    deep = "SELECT * WHERE { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }"
    for _ in range(4):
        status, body = ask(isolated.base, deep)
        assert status == 400 and b"levels deep" in body
    inner = MAX_NESTING - 2  # with the braces and FILTER's own parenthesis: the deepest allowed
    allowed = "SELECT * WHERE { FILTER(" + "(" * inner + "1" + ")" * inner + ") }"
    assert ask(isolated.base, allowed)[0] == 200
    status, body = ask(isolated.base, COUNT_PARTNERSHIPS)
    assert status == 200 and count_of(body) > 0
    assert isolated.workers() == before


def test_a_runaway_query_gets_503_its_worker_is_replaced_and_no_other_request_fails(isolated):
    before = isolated.workers()
    assert len(before) == 2
    answers: list[int] = []
    failures: list = []
    stop = threading.Event()

    def others(n: int) -> None:  # distinct texts, so the response cache does not answer them
        i = 0
        while not stop.is_set():
            i += 1
            status, body = ask(isolated.base, f"{CITY_NAMES} # {n}-{i}")
            answers.append(status)
            if status != 200:
                failures.append((round(time.monotonic(), 2), status, body[:120]))

    background = [threading.Thread(target=others, args=(n,)) for n in range(2)]
    for thread in background:
        thread.start()
    try:
        status, body = ask(isolated.base, RUNAWAY)
        assert status == 503
        assert "longer than the limit of 1 s and was stopped" in body.decode()
        # The process that ran the query is gone: the work really stopped.
        deadline = time.monotonic() + 30
        while isolated.workers() & before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not isolated.workers() & before
        time.sleep(0.5)  # the scenario: requests keep coming to the new workers
    finally:
        stop.set()
        for thread in background:
            thread.join()
    assert len(answers) > 10
    assert set(answers) == {200}, f"{len(failures)} of {len(answers)} other requests failed: {failures[:3]}"
    assert len(isolated.workers()) == 2
    assert "is replaced (a query ran longer than the limit of 1 s)" in isolated.log.read_text()
    status, body = ask(isolated.base, COUNT_PARTNERSHIPS)
    assert status == 200 and count_of(body) > 0


# --- the executor itself, on a real store ------------------------------------------------------

@pytest.fixture(scope="module")
def store(curated_store):
    return Store.read_only(os.path.join(os.path.realpath(curated_store), "oxigraph"))


def job(text: str) -> Job:
    return Job(text, True, None, None, None, "application/sparql-results+json", None, 100)


def test_a_query_past_the_limit_asks_for_the_worker_to_be_replaced(store):
    asked: list[str] = []
    executor = ThreadExecutor(store, 1, 0.2, asked.append)
    with pytest.raises(QueryTimeout, match="ran longer than the limit of 0.2 s and was stopped"):
        executor.run(job(SLOW))
    assert asked == ["a query ran longer than the limit of 0.2 s"]
    # The only thread is stuck in the slow query: a new one answers the next query.
    answer = executor.run(job(COUNT_PARTNERSHIPS), timeout=5.0)
    assert int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"]) > 0
    executor.close()


def test_answers_and_errors_are_those_of_the_query_children(store):
    executor = ThreadExecutor(store, 2, 5.0, lambda reason: pytest.fail(reason))
    answer = executor.run(job(CITY_NAMES))
    assert answer.kind == "results" and answer.media_type == "application/sparql-results+json"
    assert answer.rows == len(json.loads(answer.body)["results"]["bindings"]) > 5
    failure = executor.run(job("SELECT WHERE {"))
    assert failure.kind == "syntax" and failure.message
    executor.close()


def test_a_query_after_close_is_still_answered(store):
    # A request that took the executor of a build just before a new build replaced it.
    executor = ThreadExecutor(store, 1, 5.0, lambda reason: pytest.fail(reason))
    executor.run(job(COUNT_PARTNERSHIPS))
    executor.close()
    answer = executor.run(job(COUNT_PARTNERSHIPS))
    assert int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"]) > 0


def test_only_twinkg_serves_granian_is_taken_for_a_supervisor(monkeypatch):
    from twinkg.server.execution.recycle import SUPERVISOR_ENV, supervisor

    monkeypatch.setenv(SUPERVISOR_ENV, str(os.getppid()))
    assert supervisor() == os.getppid()
    # Anything else (a stale value, another process) never receives the reload signal.
    monkeypatch.setenv(SUPERVISOR_ENV, str(os.getpid()))
    assert supervisor() is None
    monkeypatch.delenv(SUPERVISOR_ENV)
    assert supervisor() is None


def test_an_app_without_a_supervisor_runs_queries_in_child_processes(curated_settings):
    from dataclasses import replace

    from twinkg.server import create_app
    from twinkg.server.execution.processes import ProcessExecutor

    for settings, supervisor in ((curated_settings, None), (replace(curated_settings, workers=1), os.getppid()),
                                 (replace(curated_settings, query_isolation="process"), os.getppid())):
        app = create_app(settings, supervisor=supervisor)
        assert isinstance(app.extensions["twinkg"].executor, ProcessExecutor)
        assert isinstance(app.extensions["twinkg"].executor, QueryExecutor)
    app = create_app(curated_settings, supervisor=os.getppid())
    assert isinstance(app.extensions["twinkg"].executor, ThreadExecutor)
    assert isinstance(app.extensions["twinkg"].executor, QueryExecutor)


def test_query_isolation_must_be_known():
    from twinkg.config import load_settings
    from twinkg.errors import TwinkgError

    with pytest.raises(TwinkgError, match="query_isolation='threads': expected one of worker, process"):
        load_settings(query_isolation="threads")


@pytest.mark.slow
def test_keep_alive_clients_lose_no_request_through_ten_runaways(isolated):
    """A worker that granian stops closes its idle keep-alive connections, and one it kills
    drops them all: clients that sent their next request on one at that moment lost it (27
    of 4,740 keep-alive requests, 42 of 18,778 under wrk). The workers now answer with
    ``Connection: close`` before and during a reload (server/execution/recycle.py)."""
    answers: list[int] = []
    failures: list = []
    stop = threading.Event()

    def keep_alive_client() -> None:
        port = int(isolated.base.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.is_set():
            try:  # http.client reconnects by itself after an answer with Connection: close
                connection.request("GET", "/sparql?query=ASK%7B%7D")
                response = connection.getresponse()
                response.read()
                answers.append(response.status)
                if response.status != 200:
                    failures.append(response.status)
            except OSError as exc:  # RemoteDisconnected, ConnectionResetError, …
                failures.append(repr(exc))
                connection.close()

    clients = [threading.Thread(target=keep_alive_client) for _ in range(4)]
    for thread in clients:
        thread.start()
    try:
        for _ in range(10):
            before = isolated.workers()
            assert ask(isolated.base, RUNAWAY)[0] == 503
            deadline = time.monotonic() + 30
            while isolated.workers() & before and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not isolated.workers() & before
    finally:
        stop.set()
        for thread in clients:
            thread.join()
    assert len(answers) > 1000
    assert failures == [], f"{len(failures)} of {len(answers) + len(failures)} requests failed: {failures[:3]}"
