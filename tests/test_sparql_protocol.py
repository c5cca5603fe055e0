"""The SPARQL 1.1 Protocol at /sparql: how queries arrive, datasets, and every refusal."""

from __future__ import annotations

import http.client
import io
import urllib.parse

import pytest
from sparql_helpers import (BASE, CITY_NAMES, COUNT_ALL, COUNT_PARTNERSHIPS, TK, bindings, count_of,
                            direct)

JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


@pytest.fixture
def flask_route(app):
    """A client of Flask's /sparql route itself: server/endpoint/fastpath.py, which answers query
    requests before Flask routes them, is left out."""
    from werkzeug.test import Client

    from twinkg.server.endpoint.fastpath import SparqlFastPath

    wsgi = app.wsgi_app
    while not isinstance(wsgi, SparqlFastPath):
        wsgi = wsgi.wsgi_app
    return Client(wsgi.wsgi_app)


def test_get_post_form_and_post_direct_give_the_same_answer(client, curated_store):
    expected = [{"n": str(direct(curated_store, COUNT_PARTNERSHIPS).__next__()["n"].value)}]
    got = client.get("/sparql", query_string={"query": COUNT_PARTNERSHIPS})
    form = client.post("/sparql", data={"query": COUNT_PARTNERSHIPS})
    body = client.post("/sparql", data=COUNT_PARTNERSHIPS.encode(), content_type="application/sparql-query")
    for response in (got, form, body):
        assert response.status_code == 200
        assert response.content_type == JSON
        assert bindings(response.data) == expected


@pytest.mark.parametrize("accept", [JSON, "text/csv"])
def test_head_answers_like_get_without_a_body(client, accept):
    # a query never sent before: nothing cached answers it
    url = "/sparql?" + urllib.parse.urlencode({"query": f"# head {accept}\n" + COUNT_PARTNERSHIPS})
    head = client.head(url, headers={"Accept": accept})
    get = client.get(url, headers={"Accept": accept})
    assert head.status_code == get.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["ETag"] == get.headers["ETag"]


def test_missing_query_is_400(client):
    response = client.post("/sparql", data={"other": "x"})
    assert response.status_code == 400
    assert response.content_type == "text/plain; charset=utf-8"
    assert "missing 'query' parameter" in response.get_data(as_text=True)


@pytest.mark.parametrize("how", ["get", "form", "direct+url"])
def test_repeated_query_is_400(client, how):
    if how == "get":
        response = client.get("/sparql?" + urllib.parse.urlencode([("query", COUNT_ALL)] * 2))
    elif how == "form":
        response = client.post("/sparql", data=urllib.parse.urlencode([("query", COUNT_ALL)] * 2),
                               content_type="application/x-www-form-urlencoded")
    else:
        response = client.post("/sparql?" + urllib.parse.urlencode({"query": COUNT_ALL}),
                               data=COUNT_ALL, content_type="application/sparql-query")
    assert response.status_code == 400
    assert "query" in response.get_data(as_text=True)


def test_empty_query_is_400(client):
    response = client.get("/sparql", query_string={"query": "  "})
    assert response.status_code == 400
    assert "empty" in response.get_data(as_text=True)


def test_unsupported_body_type_is_415(client):
    response = client.post("/sparql", data=COUNT_ALL, content_type="text/plain")
    assert response.status_code == 415
    assert "application/sparql-query" in response.get_data(as_text=True)


def test_body_over_the_limit_is_413_and_below_is_answered(client, app):
    limit = app.extensions["twinkg"].settings.max_body_bytes
    padding = "# " + "x" * 78 + "\n"
    below = padding * ((limit - 2000) // len(padding)) + COUNT_PARTNERSHIPS
    assert len(below.encode()) < limit
    ok = client.post("/sparql", data=below.encode(), content_type="application/sparql-query")
    assert ok.status_code == 200 and count_of(ok.data) > 0
    over = padding * (limit // len(padding) + 10) + COUNT_PARTNERSHIPS
    response = client.post("/sparql", data=over.encode(), content_type="application/sparql-query")
    assert response.status_code == 413
    assert f"limit of {limit} bytes" in response.get_data(as_text=True)
    form = client.post("/sparql", data={"query": over})
    assert form.status_code == 413


def test_syntax_error_is_400_with_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert text.startswith("400 Bad Request: SPARQL syntax error: error at 1:")


INSERT = f"INSERT DATA {{ <{BASE}id/city/nowhere> a <{TK}City> }}"
DELETE = "DELETE WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("send, status", [
    (lambda c, u: c.get("/sparql", query_string={"update": u}), 403),
    (lambda c, u: c.post("/sparql", data={"update": u}), 403),
    (lambda c, u: c.post("/sparql", data=u, content_type="application/sparql-update"), 403),
    # an update is no legal query: 400 (protocol §2.1.4), still saying why
    (lambda c, u: c.get("/sparql", query_string={"query": u}), 400),
    (lambda c, u: c.post("/sparql", data={"query": u}), 400),
    (lambda c, u: c.post("/sparql", data=u, content_type="application/sparql-query"), 400),
], ids=["get-update", "form-update", "direct-update", "get-query", "form-query", "direct-query"])
@pytest.mark.parametrize("update", [INSERT, DELETE], ids=["insert", "delete"])
def test_updates_are_refused_and_change_nothing(client, curated_store, send, status, update):
    before = count_of(client.get("/sparql", query_string={"query": COUNT_ALL}).data)
    response = send(client, update)
    assert response.status_code == status
    assert "read-only" in response.get_data(as_text=True)
    after = next(direct(curated_store, COUNT_ALL))["n"].value
    assert int(after) == before > 0


def test_non_ascii_plus_and_charset(client):
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?c ?sum WHERE { ?c rdfs:label \"Mülheim an der Ruhr\"@de BIND(1+1 AS ?sum) }")
    expected = [{"c": BASE + "id/city/muelheim", "sum": "2"}]
    # GET with '+' percent-encoded (a bare '+' in a query string means a space)
    url = "/sparql?query=" + urllib.parse.quote(query, safe="")
    assert bindings(client.get(url).data) == expected
    # form POST: urlencode writes spaces as '+'
    form = client.post("/sparql", data=urllib.parse.urlencode({"query": query}),
                       content_type="application/x-www-form-urlencoded; charset=UTF-8")
    assert bindings(form.data) == expected
    # direct POST in UTF-8, declared or not; another charset is no longer decoded: 415
    # (the protocol allows UTF-8 only; tests/test_w3c_protocol.py)
    for charset in ("", "; charset=UTF-8", "; charset=utf8"):
        utf8 = client.post("/sparql", data=query.encode(), content_type="application/sparql-query" + charset)
        assert utf8.status_code == 200 and bindings(utf8.data) == expected
    latin = client.post("/sparql", data=query.encode("latin-1"),
                        content_type="application/sparql-query; charset=ISO-8859-1")
    assert latin.status_code == 415 and "UTF-8 only" in latin.get_data(as_text=True)
    bad = client.post("/sparql", data=b"SELECT * WHERE { ?s ?p \"\xff\" }", content_type="application/sparql-query")
    assert bad.status_code == 400 and "not valid utf-8" in bad.get_data(as_text=True)


@pytest.mark.parametrize("escape,problem", [
    ("%FF", "the percent-escape %FF in parameter 'query' is not part of a UTF-8 character"),
    ("%E9", "the percent-escape %E9 in parameter 'query' is not part of a UTF-8 character"),  # é in Latin-1
    ("%ZZ", "malformed percent-escape '%ZZ'"),
    ("%", "malformed percent-escape '%b%'"),
])
@pytest.mark.parametrize("how", ["get", "form", "get-flask", "form-flask"])
def test_percent_escapes_that_are_not_utf8_or_malformed_are_400(client, flask_route, escape, problem, how):
    """Such escapes were kept as the text %FF and the changed query ran; now nothing runs."""
    raw = f"query=SELECT%20(%22a{escape}b%22%20AS%20%3Fx)%20%7B%7D"
    sender = flask_route if how.endswith("flask") else client
    if how.startswith("get"):
        response, where = sender.get("/sparql?" + raw), "the URL's query string"
    else:
        response, where = sender.post("/sparql", data=raw, content_type=FORM), "the form body"
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith(f"400 Bad Request: {where} ") and problem in text


def test_valid_percent_escapes_read_as_before(client, flask_route):
    """UTF-8 escapes, %25 and a U+FFFD the client sent (which takes the strict path) are read as written."""
    raw = "query=SELECT%20(%22caf%C3%A9%2025%25%20%EF%BF%BD%22%20AS%20%3Fx)%20%7B%7D"
    for response in (client.get("/sparql?" + raw), flask_route.get("/sparql?" + raw),
                     client.post("/sparql", data=raw, content_type="application/x-www-form-urlencoded")):
        assert response.status_code == 200
        assert bindings(response.data) == [{"x": "café 25% \ufffd"}]


@pytest.mark.parametrize("content_type", [FORM, FORM + "; charset=ISO-8859-1"])
def test_a_form_body_that_is_not_utf8_is_400_naming_it(client, content_type):
    response = client.post("/sparql", data='query=SELECT ("Straße" AS ?x) {}'.encode("latin-1"),
                           content_type=content_type)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.get_data(as_text=True).rstrip() == \
        "400 Bad Request: the form body is not valid UTF-8: invalid continuation byte at byte 19"


def test_an_update_form_with_a_byte_that_is_not_utf8_is_still_403(client, curated_store):
    before = next(direct(curated_store, COUNT_ALL))["n"].value
    for body in (b"update=CLEAR ALL&x=\xff", b"update=CLEAR%20ALL&x=%FF"):
        response = client.post("/sparql", data=body, content_type=FORM)
        assert response.status_code == 403
        assert "read-only" in response.get_data(as_text=True)
    assert next(direct(curated_store, COUNT_ALL))["n"].value == before


def test_a_byte_order_mark_before_the_query_is_ignored(client):
    for body, charset in ((b"\xef\xbb\xbfASK {}", ""), (b"\xef\xbb\xbfASK {}", "; charset=utf-8")):
        response = client.post("/sparql", data=body, content_type=DIRECT + charset)
        assert response.status_code == 200, response.data
        assert response.json == {"head": {}, "boolean": True}


# --- streamed (chunked) bodies -------------------------------------------------------------

def _padded_body(size: int, form: bool) -> bytes:
    """A body of ``size`` bytes: a query (as a form, or the query itself) that ends in LIMIT 1
    after a comment padding it; a body cut short loses the LIMIT."""
    head, tail = "SELECT ?s WHERE { ?s ?p ?o } #", "\nLIMIT 1"
    if form:
        head, tail = "query=" + urllib.parse.quote(head, safe=""), urllib.parse.quote(tail, safe="")
    return (head + "x" * (size - len(head) - len(tail)) + tail).encode()


def _chunked(sender, body: bytes, content_type: str):
    """A POST without Content-Length, as a WSGI server hands a chunked body over (it ends the
    stream: ``wsgi.input_terminated``)."""
    return sender.post("/sparql", input_stream=io.BytesIO(body), content_type=content_type,
                       headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})


@pytest.mark.parametrize("how", ["direct", "form"])
@pytest.mark.parametrize("path", ["fast", "flask"])
def test_a_chunked_body_over_the_limit_is_413(client, flask_route, app, how, path):
    limit = app.extensions["twinkg"].settings.max_body_bytes
    sender = flask_route if path == "flask" else client
    for size, status in ((limit + 1, 413), (limit, 200)):
        body = _padded_body(size, how == "form")
        assert len(body) == size
        response = _chunked(sender, body, FORM if how == "form" else DIRECT)
        assert response.status_code == status, response.data
        if status == 413:
            assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
            assert response.get_data(as_text=True).rstrip() == \
                f"413 Request Entity Too Large: the request body is over the limit of {limit} bytes"
        else:  # read whole: the LIMIT after the padding counts
            assert response.headers["X-Twinkg-Rows"] == "1"


def _post_chunked(base: str, body: bytes, content_type: str):
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        try:
            # an iterable body and no Content-Length: http.client sends Transfer-Encoding: chunked
            connection.request("POST", "/sparql", body=(body[i:i + 65536] for i in range(0, len(body), 65536)),
                               headers={"Content-Type": content_type, "Accept": JSON})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered (413) before it read the whole body: its answer is waiting
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("how", ["direct", "form"])
def test_a_chunked_body_over_the_limit_is_413_from_the_real_server(live_server, how):
    """granian hands chunked bodies over as a stream that it ends: werkzeug cut them at the
    limit without a word, and the cut query ran."""
    limit = 1_000_000  # the default max_body_bytes of the live server
    for size, status in ((limit + 100, 413), (3 * limit, 413), (limit, 200)):
        body = _padded_body(size, how == "form")
        got, headers, data = _post_chunked(live_server, body, FORM if how == "form" else DIRECT)
        if status == 413:
            assert got == 413, data
            assert headers["Content-Type"] == "text/plain; charset=utf-8"
            assert f"over the limit of {limit} bytes" in data.decode()
        else:
            assert got == 200 and headers["X-Twinkg-Rows"] == "1"


# --- errors the query causes ---------------------------------------------------------------

def test_an_unsupported_function_is_400_with_the_engine_message(client):
    fn = "http://jena.apache.org/ARQ/function#strjoin"
    response = client.get("/sparql", query_string={"query": f'SELECT (<{fn}>(",", "a") AS ?x) {{}}'})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.get_data(as_text=True).rstrip() == (
        f"400 Bad Request: the query calls a function this endpoint does not support: "
        f"The custom function <{fn}> is not supported")


def test_an_answer_the_format_cannot_carry_is_406_naming_formats_that_can(client):
    query = ("CONSTRUCT { <http://ex.org/s> <http://ex.org/p> "
             "<<( <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> )>> } WHERE {}")
    response = client.get("/sparql", query_string={"query": query, "format": "jsonld"})
    assert response.status_code == 406
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith("406 Not Acceptable: this answer cannot be written as application/ld+json "
                           "(JSON-LD does not support RDF 1.2 yet); formats that can carry it: text/turtle, "
                           "application/n-triples")
    assert "application/ld+json" not in text.split("carry it:")[1]
    turtle = client.get("/sparql", query_string={"query": query, "format": "ttl"})
    assert turtle.status_code == 200 and b"<<(" in turtle.data


SOURCE_GRAPH = BASE + "graph/waz-tours-60"
COUNT_IN_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_IN_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_from_an_unknown_graph_sees_nothing(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) FROM <http://example.org/unknown> WHERE { ?s ?p ?o }"})
    assert response.status_code == 200 and count_of(response.data) == 0


def test_from_and_from_named_select_the_dataset(client, curated_store):
    in_graph = int(next(direct(curated_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SOURCE_GRAPH}> {{ ?s ?p ?o }} }}"))["n"].value)
    assert in_graph > 0
    q = f"SELECT (COUNT(*) AS ?n) FROM <{SOURCE_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert count_of(client.get("/sparql", query_string={"query": q}).data) == in_graph
    q = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{SOURCE_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count_of(client.get("/sparql", query_string={"query": q}).data) == in_graph
    # FROM NAMED alone: the default graph is empty
    q = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{SOURCE_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert count_of(client.get("/sparql", query_string={"query": q}).data) == 0


def test_default_and_named_graph_uri_parameters(client, curated_store):
    in_graph = int(next(direct(curated_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SOURCE_GRAPH}> {{ ?s ?p ?o }} }}"))["n"].value)
    got = client.get("/sparql", query_string={"query": COUNT_IN_DEFAULT, "default-graph-uri": SOURCE_GRAPH})
    assert count_of(got.data) == in_graph
    got = client.post("/sparql?" + urllib.parse.urlencode({"named-graph-uri": SOURCE_GRAPH}),
                      data=COUNT_IN_NAMED, content_type="application/sparql-query")
    assert count_of(got.data) == in_graph
    got = client.post("/sparql", data={"query": COUNT_IN_DEFAULT, "default-graph-uri": "http://example.org/unknown"})
    assert count_of(got.data) == 0
    # the protocol's dataset wins over the query's FROM
    q = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/unknown> WHERE { ?s ?p ?o }"
    got = client.get("/sparql", query_string={"query": q, "default-graph-uri": SOURCE_GRAPH})
    assert count_of(got.data) == in_graph


def test_a_bad_graph_iri_is_400_naming_the_parameter(client):
    response = client.get("/sparql", query_string={"query": COUNT_ALL, "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "parameter 'default-graph-uri'" in response.get_data(as_text=True)


def test_without_from_the_default_graph_is_the_union(client, curated_store):
    union = int(next(direct(curated_store, COUNT_ALL))["n"].value)
    assert count_of(client.get("/sparql", query_string={"query": COUNT_ALL}).data) == union
    names = bindings(client.get("/sparql", query_string={"query": CITY_NAMES}).data)
    assert {"city": BASE + "id/city/tours", "name": "Tours"} in names


def test_a_word_from_in_a_string_or_comment_keeps_the_union(client, curated_store):
    union = int(next(direct(curated_store, COUNT_ALL))["n"].value)
    q = "# counts everything FROM all graphs\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o BIND(\"FROM <x>\" AS ?note) }"
    assert count_of(client.get("/sparql", query_string={"query": q}).data) == union
