"""A remote store that is down, slow, busy or answers garbage: 503s with readable messages.

"Down" is a closed loopback port; the misbehaving servers are real HTTP servers on loopback
that answer the way a broken SPARQL service does (no real store misbehaves on demand).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from twinkg.backends.protocol import Remote
from twinkg.backends.remote import RemoteStore
from twinkg.cli import main
from twinkg.config import load_settings
from twinkg.errors import TwinkgError
from twinkg.server import create_app
from twinkg.store import open_store

from helpers import free_port

EMPTY_RESULTS = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"ok"}}]}}'


class Script:
    """What a stub server answers, request after request: (status, headers, body, delay)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = 0


@pytest.fixture
def stub():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            script.requests += 1
            script.agent = self.headers.get("User-Agent")
            script.authorization = self.headers.get("Authorization")
            status, headers, body, delay = script.answers[min(script.requests, len(script.answers)) - 1]
            time.sleep(delay)  # the server being slow, not the test waiting for readiness
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads, server.block_on_close = True, False  # a slow answer must not hold teardown
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    yield script
    server.shutdown()
    server.server_close()


def remote(url, **kw) -> tuple[RemoteStore, list[float]]:
    waits: list[float] = []
    return RemoteStore(Remote(url, timeout=kw.pop("timeout", 5), backoff=0.25, sleep=waits.append, **kw)), waits


def test_down_is_503_after_retries_with_backoff():
    url = f"http://127.0.0.1:{free_port()}/query"
    store, waits = remote(url, retries=2)
    with pytest.raises(TwinkgError) as err:
        store.query("SELECT * WHERE { ?s ?p ?o }")
    assert err.value.status == 503
    assert err.value.message == (f"the remote SPARQL store at {url} is unavailable "
                                 "(query: connection refused; tried 3 times)")
    assert waits == [0.25, 0.5]


def test_garbage_answer_is_503(stub):
    stub.answers = [(200, {"Content-Type": "application/sparql-results+json"}, b"<html>oops</html>", 0)]
    store, _ = remote(stub.url, retries=0)
    with pytest.raises(TwinkgError) as err:
        store.query("SELECT * WHERE { ?s ?p ?o }")
    assert err.value.status == 503 and "answered with results that cannot be read" in err.value.message


def test_construct_answered_with_html_is_503(stub):
    stub.answers = [(200, {"Content-Type": "text/html"}, b"<html>oops</html>", 0)]
    store, _ = remote(stub.url, retries=0)
    with pytest.raises(TwinkgError) as err:
        store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert err.value.status == 503 and "text/html, not RDF" in err.value.message


def test_busy_server_is_retried_after_its_retry_after(stub):
    busy = (429, {"Retry-After": "3"}, b"slow down", 0)
    stub.answers = [busy, busy, (200, {"Content-Type": "application/sparql-results+json"}, EMPTY_RESULTS, 0)]
    store, waits = remote(stub.url, retries=3)
    (row,) = list(store.query("SELECT ?x WHERE { }"))
    assert row["x"].value == "ok"
    assert waits == [3.0, 3.0] and stub.requests == 3


def test_slow_server_times_out_as_503(stub):
    stub.answers = [(200, {"Content-Type": "application/sparql-results+json"}, EMPTY_RESULTS, 1.6)]
    store, _ = remote(stub.url, retries=0, timeout=1)
    with pytest.raises(TwinkgError) as err:
        store.query("SELECT ?x WHERE { }")
    assert err.value.status == 503 and "no answer within the timeout" in err.value.message


def test_refused_credentials_are_named(stub):
    stub.answers = [(401, {}, b"who are you", 0)]
    store, _ = remote(stub.url, retries=2)
    with pytest.raises(TwinkgError) as err:
        store.query("SELECT ?x WHERE { }")
    assert err.value.status == 503 and "refused access (HTTP 401)" in err.value.message
    assert stub.requests == 1  # not retried: waiting does not fix a password


def test_cli_with_remote_down_exits_with_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner(env={"TWINKG_REMOTE_RETRIES": "0"}).invoke(main, ["query", "partner-cities", "--endpoint", url])
    assert result.exit_code == 1
    assert f"Error: the remote SPARQL store at {url} is unavailable" in result.output
    assert "Traceback" not in result.output


def test_pages_answer_503_when_the_remote_is_down():
    settings = load_settings(endpoint=f"http://127.0.0.1:{free_port()}/query", remote_retries=0)
    client = create_app(settings, {"TESTING": True}).test_client()
    response = client.get("/", headers={"Accept": "text/plain"})
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "is unavailable (query: connection refused" in response.get_data(as_text=True)


def test_open_store_dispatches_on_the_endpoint_setting(tmp_path):
    embedded = load_settings(store=tmp_path / "nowhere")
    with pytest.raises(TwinkgError, match="run `twinkg load` first"):
        open_store(embedded)
    assert isinstance(open_store(replace(embedded, endpoint="http://127.0.0.1:1/query")), RemoteStore)


def test_enrichment_identifies_itself_and_backs_off_on_429(stub):
    """The public Wikidata service asks for a descriptive User-Agent and backoff on 429."""
    from twinkg.loaders.wikidata import wikidata_remote

    stub.answers = [(429, {}, b"too many", 0), (200, {"Content-Type": "application/sparql-results+json"},
                                                EMPTY_RESULTS, 0)]
    waits: list[float] = []
    client = replace(wikidata_remote(load_settings(), stub.url), sleep=waits.append)
    body, _ = client.query("SELECT ?x WHERE { }", graph_result=False)
    assert b'"ok"' in body
    assert waits == [1.0] and stub.requests == 2
    assert stub.agent.startswith("twinkg/") and "twinkg enrich wikidata" in stub.agent


def test_credentials_are_sent_as_basic_auth(stub):
    stub.answers = [(200, {"Content-Type": "application/sparql-results+json"}, EMPTY_RESULTS, 0)]
    store, _ = remote(stub.url, user="loader", password="s3cret")
    list(store.query("SELECT ?x WHERE { }"))
    assert stub.authorization == "Basic bG9hZGVyOnMzY3JldA=="


def test_results_in_xml_despite_asking_for_json_are_read(stub):
    xml = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
           b'<variable name="x"/></head><results><result><binding name="x"><literal>ok</literal></binding>'
           b'</result></results></sparql>')
    stub.answers = [(200, {"Content-Type": "application/sparql-results+xml"}, xml, 0)]
    store, _ = remote(stub.url)
    assert [row["x"].value for row in store.query("SELECT ?x WHERE { }")] == ["ok"]


@pytest.mark.server
def test_serve_with_the_remote_down_exits_before_serving():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner(env={"TWINKG_REMOTE_RETRIES": "0"}).invoke(main, ["serve", "--endpoint", url,
                                                                         "--port", str(free_port())])
    assert result.exit_code == 1
    assert f"Error: the remote SPARQL store at {url} is unavailable" in result.output


def test_blank_nodes_in_any_servers_syntax_are_read(stub):
    """Virtuoso writes blank nodes as nodeID://b10003, which SPARQL results parsers refuse."""
    json_body = (b'{"head":{"vars":["x","y"]},"results":{"bindings":[{"x":{"type":"bnode","value":"nodeID://b10003"},'
                 b'"y":{"type":"bnode","value":"nodeID://b10003"}},{"x":{"type":"bnode","value":"nodeID://b10004"}}]}}')
    xml_body = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                b'<variable name="x"/></head><results><result><binding name="x"><bnode>nodeID://b10003</bnode>'
                b'</binding></result></results></sparql>')
    stub.answers = [(200, {"Content-Type": "application/sparql-results+json"}, json_body, 0),
                    (200, {"Content-Type": "application/sparql-results+xml"}, xml_body, 0)]
    store, _ = remote(stub.url)
    rows = list(store.query("SELECT ?x ?y WHERE { }"))
    assert rows[0]["x"] == rows[0]["y"] != rows[1]["x"]  # the same node twice, another once
    assert [row["x"].value for row in store.query("SELECT ?x WHERE { }")] == ["nodeID_b10003"]


@pytest.mark.parametrize("scheme", ["Digest", "Basic"])
def test_graph_store_uploads_answer_the_servers_challenge(scheme):
    """Virtuoso's authenticated Graph Store endpoint takes digest only; others Basic: the
    upload answers whichever the 401 asks for (urllib's handlers, no Basic-only header)."""
    seen: list[str | None] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self):  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            auth = self.headers.get("Authorization")
            seen.append(auth)
            if auth and auth.startswith(scheme):
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(401)
            challenge = ('Digest realm="SPARQL", nonce="abc123", qop="auth", algorithm="MD5"' if scheme == "Digest"
                         else 'Basic realm="SPARQL"')
            self.send_header("WWW-Authenticate", challenge)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql-graph-crud-auth"
        Remote("http://unused/sparql", graph_store=url, user="loader", password="s3cret", retries=0,
               auth="digest" if scheme == "Digest" else "basic").put_graph(
            "https://twinkg.example.org/graph/x", b"<http://a> <http://b> <http://c> .\n", replace=True)
    finally:
        server.shutdown()
        server.server_close()
    assert seen[-1].startswith(scheme) and "s3cret" not in seen[-1]  # digest never sends the password
    if scheme == "Basic":
        assert seen == ["Basic bG9hZGVyOnMzY3JldA=="]  # sent at once: no extra round trip
