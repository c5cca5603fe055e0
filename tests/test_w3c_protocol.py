"""The W3C SPARQL 1.1 Protocol test cases, and the protocol details of issue 15, against a real
server on loopback: each in process isolation (one worker), in worker isolation (two workers,
queries on threads) and over the remote backend (an `oxigraph serve` behind twinkg).

The cases are those of the W3C test suite's manifest (``sparql/sparql11/protocol/manifest.ttl``
in w3c/rdf-tests), sent as written there but to ``/sparql`` (the suite's ``/sparql/`` is its
own endpoint's address) and with our data. What does not apply to a read-only endpoint:

- ``update_*`` (update_dataset_default_graph, update_dataset_default_graphs,
  update_dataset_named_graphs, update_dataset_full, update_post_form, update_post_direct,
  update_base_uri) expect an update to succeed: a read-only endpoint refuses each with 403
  and changes nothing (``test_w3c_update_cases_are_refused_by_a_read_only_endpoint``); the
  base IRI that update_base_uri looks for is tested with queries instead
  (``test_relative_iris_resolve_against_the_endpoint``).
- The ``bad_update_*`` cases expect a 4xx: 403 for the update operation, 415 for a body that
  is no request at all (text/plain, no Content-Type); they are run as written.
- The dataset cases need the suite's graphs ``data1.rdf`` … ``data3.rdf``, which a published
  dataset does not hold: they run with three graphs of ours in their places (the ``graphs``
  fixture), the same requests with other IRIs. ``data0.rdf``, named but never read, stays.
- ``query_multiple_dataset`` percent-encodes the ``&`` between its two ``named-graph-uri``
  parameters, making them one (an erratum): it is sent as two, as the test means.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from pathlib import Path

import pytest
from helpers import running_server

SERVER_FIXTURES = {"server"}  # twinkg serve in each isolation, and over oxigraph serve

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
RESULTS_JSON = "application/sparql-results+json"
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module", params=["process", "thread", "remote"])
def server(request, curated_store):
    """The base URL of a live `twinkg serve` with each of the three query executors: process
    isolation (one worker: twinkg/query_worker.py children), worker isolation (two workers:
    server/execution/threads.py) and a remote store (server/execution/remote.py)."""
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


# --- the W3C test cases --------------------------------------------------------------------

@pytest.fixture(scope="module")
def graphs(curated_oxigraph) -> dict[str, str]:
    """Three of our graphs in the places of the suite's data1.rdf … data3.rdf: ``s1`` is typed
    ``type`` in ``g1`` only, ``s2`` in ``g2`` only, ``s3`` in ``g3`` only (the suite's
    ``<dataN.rdf> a ?type``). The remote store holds the same graphs (loaded from the same data)."""
    query = """SELECT ?type ?g1 ?s1 ?g2 ?s2 ?g3 ?s3 WHERE {
      GRAPH ?g1 { ?s1 a ?type } GRAPH ?g2 { ?s2 a ?type } GRAPH ?g3 { ?s3 a ?type }
      FILTER(STR(?g1) < STR(?g2) && STR(?g2) < STR(?g3))
      FILTER NOT EXISTS { GRAPH ?g2 { ?s1 a ?type } } FILTER NOT EXISTS { GRAPH ?g3 { ?s1 a ?type } }
      FILTER NOT EXISTS { GRAPH ?g1 { ?s2 a ?type } } FILTER NOT EXISTS { GRAPH ?g3 { ?s2 a ?type } }
      FILTER NOT EXISTS { GRAPH ?g1 { ?s3 a ?type } } FILTER NOT EXISTS { GRAPH ?g2 { ?s3 a ?type } }
    } ORDER BY ?type ?g1 ?s1 ?g2 ?s2 ?g3 ?s3 LIMIT 1"""
    row = next(iter(curated_oxigraph.query(query)))
    return {name: row[name].value for name in ("type", "g1", "s1", "g2", "s2", "g3", "s3")}


def _url(**params) -> str:
    """/sparql with parameters, repeated ones as lists, percent-encoded as the suite writes them."""
    pairs = [(k.replace("_", "-"), v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])]
    return "/sparql?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)


DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"  # a graph the store does not hold
BOOLEAN = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR = BOOLEAN + ("text/csv; charset=utf-8", "text/tab-separated-values; charset=utf-8")
RDF = ("text/turtle; charset=utf-8", "application/n-triples", "application/rdf+xml", "application/ld+json")
READ_ONLY = "403 Forbidden: this endpoint is read-only: SPARQL Update is not accepted"

#: name → (method, target, body, Content-Type, expected status, expected answer). Targets and
#: bodies are functions of the ``graphs`` fixture; the answer is True (the boolean true), a
#: tuple of acceptable media types, or the start of the refusal's text.
W3C_CASES = {
    "query_post_form": ("POST", lambda d: _url(default_graph_uri=DATA0), lambda d: "query=ASK%20%7B%7D",
                        FORM, 200, True),
    "query_dataset_default_graphs_get": (
        "GET", lambda d: _url(query=f"ASK {{ <{d['s1']}> a ?type . <{d['s2']}> a ?type . }}",
                              default_graph_uri=[d["g1"], d["g2"]]), None, None, 200, True),
    "query_dataset_default_graphs_post": (
        "POST", lambda d: _url(default_graph_uri=[d["g1"], d["g2"]]),
        lambda d: f"ASK {{ <{d['s1']}> a ?type . <{d['s2']}> a ?type . }}", DIRECT, 200, True),
    "query_dataset_named_graphs_post": (
        "POST", lambda d: _url(named_graph_uri=[d["g1"], d["g2"]]),
        lambda d: f"ASK {{ GRAPH ?g1 {{ <{d['s1']}> a ?type }} GRAPH ?g2 {{ <{d['s2']}> a ?type }} }}",
        DIRECT, 200, True),
    "query_dataset_named_graphs_get": (
        "GET", lambda d: _url(query=f"ASK {{ GRAPH ?g1 {{ <{d['s1']}> a ?type }} GRAPH ?g2 {{ <{d['s2']}> a ?type }} }}",
                              named_graph_uri=[d["g1"], d["g2"]]), None, None, 200, True),
    "query_dataset_full": (
        "POST", lambda d: _url(default_graph_uri=d["g3"], named_graph_uri=[d["g1"], d["g2"]]),
        lambda d: (f"ASK {{\n  <{d['s3']}> a ?type\n  GRAPH ?g1 {{ <{d['s1']}> a ?type }}\n"
                   f"  GRAPH ?g2 {{ <{d['s2']}> a ?type }}\n}}"), DIRECT, 200, True),
    # The manifest percent-encodes the '&' between its two named-graph-uri parameters, which
    # makes them one parameter (an erratum): sent as the test means it, as two.
    "query_multiple_dataset": (
        "POST", lambda d: _url(named_graph_uri=[d["g1"], d["g2"]]),
        lambda d: (f"ASK FROM <{d['g3']}> {{ GRAPH ?g1 {{ <{d['s1']}> a ?type }} "
                   f"GRAPH ?g2 {{ <{d['s2']}> a ?type }} }}"), DIRECT, 200, True),
    "query_get": ("GET", lambda d: _url(query="ASK {}", default_graph_uri=DATA0), None, None, 200, True),
    "query_content_type_select": ("POST", lambda d: _url(default_graph_uri=DATA0),
                                  lambda d: "SELECT (1 AS ?value) {}", DIRECT, 200, TABULAR),
    "query_content_type_ask": ("POST", lambda d: _url(default_graph_uri=DATA0), lambda d: "ASK {}",
                               DIRECT, 200, BOOLEAN),
    "query_content_type_describe": ("POST", lambda d: _url(default_graph_uri=DATA0),
                                    lambda d: "DESCRIBE <http://example.org/>", DIRECT, 200, RDF),
    "query_content_type_construct": ("POST", lambda d: _url(default_graph_uri=DATA0),
                                     lambda d: "CONSTRUCT { <s> <p> 1 } WHERE {}", DIRECT, 200, RDF),
    "query_post_direct": ("POST", lambda d: "/sparql", lambda d: "ASK {}", DIRECT, 200, True),
    "bad_query_method": ("PUT", lambda d: _url(query="ASK {}", default_graph_uri=DATA0), lambda d: "",
                         FORM, 405, "405 Method Not Allowed"),
    "bad_multiple_queries": ("GET", lambda d: "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None,
                             None, 400, "400 Bad Request: 'query' given 2 times; send exactly one query"),
    "bad_query_wrong_media_type": ("POST", lambda d: "/sparql", lambda d: "ASK {}", "text/plain", 415,
                                   "415 Unsupported Media Type: unsupported request body type text/plain"),
    "bad_query_missing_form_type": ("POST", lambda d: "/sparql", lambda d: "query=ASK%20%7B%7D", None, 415,
                                    "415 Unsupported Media Type: unsupported request body type (none)"),
    "bad_query_missing_direct_type": ("POST", lambda d: "/sparql", lambda d: "ASK {}", None, 415,
                                      "415 Unsupported Media Type: unsupported request body type (none)"),
    "bad_query_non_utf8": ("POST", lambda d: "/sparql", lambda d: "ASK {}".encode("utf-16"),
                           DIRECT + "; charset=UTF-16", 415,
                           "415 Unsupported Media Type: unsupported charset 'UTF-16'"),
    "bad_query_syntax": ("GET", lambda d: "/sparql?query=ASK%20%7B", None, None, 400,
                         "400 Bad Request: SPARQL syntax error: error at 1:"),
    # A read-only endpoint refuses every update operation with 403 (a 4xx, as these expect).
    "bad_update_get": ("GET", lambda d: "/sparql?update=CLEAR%20ALL", None, None, 403, READ_ONLY),
    "bad_multiple_updates": ("POST", lambda d: "/sparql", lambda d: "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
                             FORM, 403, READ_ONLY),
    "bad_update_wrong_media_type": ("POST", lambda d: "/sparql", lambda d: "CLEAR NAMED", "text/plain", 415,
                                    "415 Unsupported Media Type: unsupported request body type text/plain"),
    "bad_update_missing_form_type": ("POST", lambda d: "/sparql", lambda d: "update=CLEAR%20NAMED", None, 415,
                                     "415 Unsupported Media Type: unsupported request body type (none)"),
    "bad_update_non_utf8": ("POST", lambda d: "/sparql", lambda d: "CLEAR NAMED".encode("utf-16"),
                            UPDATE + "; charset=UTF-16", 403, READ_ONLY),
    "bad_update_syntax": ("POST", lambda d: "/sparql", lambda d: "update=CLEAR%20XYZ", FORM, 403, READ_ONLY),
    "bad_update_dataset_conflict": (
        "POST", lambda d: "/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        lambda d: ("PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
                   "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
                   "WHERE {\n    ?person foaf:givenName 'Bill'\n}"), UPDATE, 403, READ_ONLY),
}

#: The suite's update cases expect the update to succeed: not applicable to a read-only
#: endpoint. Their first request is sent all the same, and must be refused (403) and change
#: nothing; update_base_uri's point, the base IRI, is tested with queries
#: (test_relative_iris_resolve_against_the_endpoint).
W3C_UPDATES = {
    "update_dataset_default_graph": ("/sparql?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf",
                                     "CLEAR ALL", UPDATE),
    "update_dataset_default_graphs": ("/sparql?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                                      "&using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
                                      "CLEAR ALL", UPDATE),
    "update_dataset_named_graphs": ("/sparql?using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf",
                                    "DROP ALL", UPDATE),
    "update_dataset_full": ("/sparql?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                            "&using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
                            "DROP ALL", UPDATE),
    "update_post_form": ("/sparql", "update=CLEAR+ALL", FORM),
    "update_post_direct": ("/sparql", "CLEAR ALL", UPDATE),
    "update_base_uri": ("/sparql", "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
                        "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }",
                        UPDATE),
}


@pytest.mark.parametrize("name", list(W3C_CASES))
def test_w3c_protocol_case(server, graphs, name):
    method, target, body, content_type, status, expected = W3C_CASES[name]
    got, headers, answer = send(server, method, target(graphs), body and body(graphs),
                                {"Content-Type": content_type} if content_type else {})
    assert got == status, answer
    assert 200 <= got < 300 if status < 400 else 400 <= got < 500  # what the suite checks
    if expected is True:
        assert headers["content-type"] in BOOLEAN
        assert json.loads(answer) == {"head": {}, "boolean": True}
    elif isinstance(expected, tuple):
        assert headers["content-type"] in expected
    else:
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert answer.decode().startswith(expected), answer


def test_the_dataset_cases_depend_on_the_dataset(server, graphs):
    """The graphs stand in for the suite's only if each holds its part: with one of two
    default graphs, or the other graph as the named one, the same ASK is false."""
    ask = f"ASK {{ <{graphs['s1']}> a ?type . <{graphs['s2']}> a ?type . }}"
    named = f"ASK {{ GRAPH ?g1 {{ <{graphs['s1']}> a ?type }} GRAPH ?g2 {{ <{graphs['s2']}> a ?type }} }}"
    for target in (_url(query=ask, default_graph_uri=graphs["g1"]), _url(query=ask, default_graph_uri=graphs["g2"]),
                   _url(query=named, named_graph_uri=[graphs["g1"], graphs["g3"]])):
        status, _, answer = send(server, "GET", target)
        assert status == 200 and json.loads(answer)["boolean"] is False


@pytest.mark.parametrize("name", list(W3C_UPDATES))
def test_w3c_update_cases_are_refused_by_a_read_only_endpoint(server, name):
    target, body, content_type = W3C_UPDATES[name]
    before = _count(server)
    got, _, answer = send(server, "POST", target, body, {"Content-Type": content_type})
    assert got == 403
    assert answer.decode().strip() == READ_ONLY
    assert _count(server) == before > 0


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
