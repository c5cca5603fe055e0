"""The W3C SPARQL 1.1 Protocol test cases, and the protocol details of issue 15, against a real
server on loopback: each in process isolation (one worker), in worker isolation (two workers,
queries on threads) and over the remote backend (an `oxigraph serve` behind twinkg).

The cases are those of the W3C test suite's manifest (``sparql/sparql11/protocol/manifest.ttl``
in w3c/rdf-tests), sent as written there but to ``/sparql`` (the suite's ``/sparql/`` is its
own endpoint's address) and with our data. What does not apply to a read-only endpoint:

- ``update_*`` (update_dataset_default_graph, update_dataset_default_graphs,
  update_dataset_named_graphs, update_dataset_full, update_post_form, update_post_direct,
  update_base_uri) expect an update to succeed: here every update is refused with 403, which
  ``test_updates_are_403`` checks for the same requests; the base IRI that update_base_uri
  looks for is checked with a query instead (``test_relative_iris_resolve_against_the_endpoint``).
- The ``bad_update_*`` cases expect a 4xx, which a read-only endpoint gives them all (403):
  they are run as written.
- The dataset cases need the suite's graphs ``data1.rdf`` … ``data3.rdf``, which a published
  dataset does not hold; they are run with graphs of ours in their places (the same requests,
  other IRIs).
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from pathlib import Path

import pytest
from conftest import running_server

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
RESULTS_JSON = "application/sparql-results+json"
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module", params=["process", "thread", "remote"])
def server(request, curated_store):
    """The base URL of a live `twinkg serve` with each of the three query executors: process
    isolation (one worker: twinkg/query_worker.py children), worker isolation (two workers:
    server/thread_executor.py) and a remote store (server/remote_executor.py)."""
    if request.param == "remote":
        remote = request.getfixturevalue("oxigraph_server").settings()
        context = running_server(remote.store, endpoint=remote.endpoint)
    else:
        context = running_server(curated_store, workers=1 if request.param == "process" else 2)
    with context as base:
        yield base


def send(base: str, method: str, target: str, body: bytes | str | None = None,
         headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request as written (no client-side normalization): status, headers, body."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        if isinstance(body, str):
            body = body.encode()
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def q(**params) -> str:
    return "/sparql?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


# --- issue 15, protocol details ---------------------------------------------------------------

def _readme_names(form: str) -> set[str]:
    """The ``format=`` short names the README's table lists for a query form."""
    row = next(line for line in README.read_text().splitlines() if line.startswith(f"| {form}"))
    return set(re.findall(r"`([^`]+)`", row.split("|")[2]))


@pytest.mark.parametrize("query, form", [("ASK {}", "SELECT, ASK"), ("SELECT * {}", "SELECT, ASK"),
                                         ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT, DESCRIBE"),
                                         ("DESCRIBE <http://example.org/>", "CONSTRUCT, DESCRIBE")])
def test_an_unknown_format_lists_the_names_of_the_query_form(server, query, form):
    """It listed file extensions of both forms: no ``json``, ``xml`` or ``n3``."""
    status, headers, body = send(server, "GET", q(query=query, format="foo"))
    assert status == 400
    assert headers["content-type"] == "text/plain; charset=utf-8"
    text = body.decode()
    listed = re.search(r"unknown format 'foo' for \w+ queries; use one of (.*) or a media type$", text.strip())
    assert listed, text
    names = set(listed.group(1).split(", "))
    assert names == _readme_names(form)
    for name in names:  # each one listed is taken for that form
        status, headers, _ = send(server, "GET", q(query=query, format=name))
        assert status == 200, name


@pytest.mark.parametrize("charset", ["UTF-16", "utf-16le", "ISO-8859-1", "us-ascii", "no-such-charset"])
def test_a_query_body_in_another_charset_than_utf8_is_415(server, charset):
    """W3C bad_query_non_utf8 and its kin: the protocol allows UTF-8 only (§2.1.3); a UTF-16
    body was decoded and answered."""
    body = "ASK {}".encode("utf-16" if charset == "no-such-charset" else charset)
    status, headers, answer = send(server, "POST", "/sparql", body,
                                   {"Content-Type": f"{DIRECT}; charset={charset}", "Accept": RESULTS_JSON})
    assert status == 415
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.decode().strip() == (
        f"415 Unsupported Media Type: unsupported charset {charset!r}: the SPARQL 1.1 Protocol takes "
        f"a query body in UTF-8 only (send it as {DIRECT}; charset=utf-8, or without charset)")


@pytest.mark.parametrize("content_type", [DIRECT, f"{DIRECT}; charset=utf-8", f"{DIRECT};charset=UTF-8",
                                          f'{DIRECT}; charset="UTF-8"', f"{DIRECT}; charset=utf8"])
def test_a_query_body_in_utf8_is_answered_with_or_without_charset(server, content_type):
    query = 'ASK { FILTER("Mülheim" = "M\\u00FClheim") }'
    status, _, answer = send(server, "POST", "/sparql", query.encode(),
                             {"Content-Type": content_type, "Accept": RESULTS_JSON})
    assert status == 200
    assert json.loads(answer) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("params, named", [
    ({"default-graph-uri": "http://example.org/g"}, "default-graph-uri"),
    ({"named-graph-uri": "http://example.org/g"}, "named-graph-uri"),
    ({"default-graph-uri": "http://example.org/g", "named-graph-uri": "http://example.org/h", "format": "json"},
     "default-graph-uri and named-graph-uri"),
])
@pytest.mark.parametrize("accept", [RESULTS_JSON, "text/turtle", "text/html", None])
def test_dataset_parameters_without_a_query_are_400_missing_query(server, method, params, named, accept):
    """They were answered as the service description (or 406 for a results Accept)."""
    status, headers, body = send(server, method, q(**params), headers={"Accept": accept} if accept else {})
    assert status == 400
    if method == "GET":
        text = body.decode()
        if accept == "text/html":
            assert "missing &#39;query&#39; parameter" in text or "missing 'query' parameter" in text
        else:
            assert headers["content-type"] == "text/plain; charset=utf-8"
            assert text.strip() == f"400 Bad Request: missing 'query' parameter ({named} given without a query)"


@pytest.mark.parametrize("target, accept, content_type", [
    ("/sparql", "text/turtle", "text/turtle; charset=utf-8"),
    ("/sparql?format=ttl", None, "text/turtle; charset=utf-8"),
    ("/sparql", "text/html", "text/html; charset=utf-8"),
])
def test_without_a_query_or_dataset_the_editor_and_description_stay(server, target, accept, content_type):
    status, headers, _ = send(server, "GET", target, headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"] == content_type


INSERT = "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
ESCAPED_INSERT = "\\u0049NSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
UPDATE_AS_QUERY = ("400 Bad Request: this is a SPARQL Update, not a query: the 'query' parameter takes a query "
                   "(this endpoint is read-only: SPARQL Update is not accepted)")


def _count(base: str) -> int:
    status, _, body = send(base, "GET", q(query=COUNT), headers={"Accept": RESULTS_JSON})
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("update", [INSERT, ESCAPED_INSERT, "PREFIX ex: <http://example.org/>\nCLEAR ALL",
                                    "DELETE WHERE { ?s ?p ?o }"])
@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_an_update_sent_as_query_is_400_saying_the_endpoint_is_read_only(server, update, how):
    """It was 403 (and 400 "expected CONSTRUCT" for \\u0049NSERT, where the README said 403):
    an update is no legal query, so the protocol's answer is 400 (§2.1.4)."""
    before = _count(server)
    if how == "get":
        status, headers, body = send(server, "GET", q(query=update))
    elif how == "form":
        status, headers, body = send(server, "POST", "/sparql", urllib.parse.urlencode({"query": update}),
                                     {"Content-Type": FORM})
    else:
        status, headers, body = send(server, "POST", "/sparql", update, {"Content-Type": DIRECT})
    assert status == 400
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body.decode().strip() == UPDATE_AS_QUERY
    assert _count(server) == before > 0


@pytest.mark.parametrize("target, body, content_type", [
    (q(update=INSERT), None, None),  # W3C bad_update_get
    ("/sparql", urllib.parse.urlencode({"update": INSERT}), FORM),  # W3C update_post_form
    ("/sparql", INSERT, UPDATE),  # W3C update_post_direct
    ("/sparql", ESCAPED_INSERT, UPDATE),
    ("/sparql", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),  # W3C bad_multiple_updates
    ("/sparql", "CLEAR NAMED".encode("utf-16"), UPDATE + "; charset=UTF-16"),  # W3C bad_update_non_utf8
    ("/sparql", "update=CLEAR%20XYZ", FORM),  # W3C bad_update_syntax
    ("/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",  # W3C bad_update_dataset_conflict
     "WITH <http://example/addresses> DELETE { ?p <http://xmlns.com/foaf/0.1/givenName> 'Bill' } "
     "WHERE { ?p <http://xmlns.com/foaf/0.1/givenName> 'Bill' }", UPDATE),
])
def test_the_update_operation_stays_403(server, target, body, content_type):
    before = _count(server)
    status, headers, answer = send(server, "GET" if body is None else "POST", target, body,
                                   {"Content-Type": content_type} if content_type else {})
    assert status == 403
    assert answer.decode().strip() == "403 Forbidden: this endpoint is read-only: SPARQL Update is not accepted"
    assert _count(server) == before > 0


def _ntriples(base: str, target: str, body=None, headers=None) -> str:
    status, got, answer = send(base, "GET" if body is None else "POST", target, body,
                               {"Accept": "application/n-triples", **(headers or {})})
    assert status == 200, answer
    assert got["content-type"] == "application/n-triples"
    return answer.decode()


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_relative_iris_resolve_against_the_endpoint(server, how):
    """W3C query_content_type_construct: ``CONSTRUCT { <s> <p> 1 } WHERE {}`` was a 400
    ("IRI parsing failed"). Relative IRIs resolve against the endpoint's address, as the
    client sent the query there (and as the service description names it)."""
    query = "CONSTRUCT { <s> <p> 1 } WHERE {}"
    if how == "get":
        text = _ntriples(server, q(query=query))
    elif how == "form":
        text = _ntriples(server, "/sparql", urllib.parse.urlencode({"query": query}), {"Content-Type": FORM})
    else:
        text = _ntriples(server, "/sparql", query, {"Content-Type": DIRECT})
    assert text == f'<{server}/s> <{server}/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'


def test_the_base_is_the_endpoint_the_service_description_names(server):
    status, _, description = send(server, "GET", "/sparql", headers={"Accept": "application/n-triples"})
    assert status == 200
    assert f"<{server}/sparql> <http://www.w3.org/ns/sparql-service-description#endpoint> <{server}/sparql> ." \
        in description.decode()
    status, _, answer = send(server, "GET", q(query="SELECT (<> AS ?here) (<test> AS ?o) {}"),
                             headers={"Accept": RESULTS_JSON})
    row = json.loads(answer)["results"]["bindings"][0]
    assert (row["here"]["value"], row["o"]["value"]) == (f"{server}/sparql", f"{server}/test")


def test_a_base_in_the_query_wins_and_resolves_against_the_endpoint(server):
    text = _ntriples(server, q(query="BASE <http://example.org/a/> CONSTRUCT { <s> <p> <o> } WHERE {}"))
    assert text == "<http://example.org/a/s> <http://example.org/a/p> <http://example.org/a/o> .\n"
    text = _ntriples(server, q(query="BASE <other/> CONSTRUCT { <s> <p> <o> } WHERE {}"))
    assert text == f"<{server}/other/s> <{server}/other/p> <{server}/other/o> .\n"


def test_each_host_gets_its_own_base_and_the_cache_keeps_them_apart(server):
    """The same GET by another name of the host: an answer kept for one (response cache, ETag)
    must not be given for the other."""
    port = urllib.parse.urlsplit(server).port
    target = q(query="CONSTRUCT { <s> <p> <o> } WHERE {}")
    for _ in range(2):  # the second round is answered from the cache
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            text = _ntriples(server, target, headers={"Host": host})
            assert text == f"<http://{host}/s> <http://{host}/p> <http://{host}/o> .\n"


@pytest.mark.parametrize("host", ["a b", "x<y>", ""])
def test_a_host_header_that_names_no_host_is_400(server, host):
    """werkzeug reads such a Host as empty: relative IRIs resolved against http:///sparql."""
    url = urllib.parse.urlsplit(server)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.putrequest("GET", q(query="CONSTRUCT { <s> <p> <o> } WHERE {}"), skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        status, body = response.status, response.read().decode()
    finally:
        connection.close()
    assert status == 400
    assert body.strip() == ("400 Bad Request: the request's Host header is missing or not a host name, so the "
                            "endpoint has no address to resolve relative IRIs against")
