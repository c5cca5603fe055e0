"""`twinkg serve` answers over real HTTP on loopback (granian worker, read-only store)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from bs4 import BeautifulSoup


def get(url, accept=None, data=None, content_type=None):
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


QUERY = ("PREFIX tk: <https://twinkg.example.org/ontology#> "
         "SELECT (COUNT(?p) AS ?n) WHERE { ?p a tk:Partnership }")


def test_select_over_get(live_server):
    status, ctype, body = get(f"{live_server}/sparql?{urllib.parse.urlencode({'query': QUERY})}")
    assert status == 200
    assert ctype.startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "10"


def test_select_over_post_form(live_server):
    data = urllib.parse.urlencode({"query": QUERY}).encode()
    status, ctype, body = get(f"{live_server}/sparql", data=data,
                              content_type="application/x-www-form-urlencoded")
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "10"


def test_construct_is_turtle(live_server):
    import rdflib

    q = "CONSTRUCT { <https://twinkg.example.org/id/city/tours> ?p ?o } WHERE { <https://twinkg.example.org/id/city/tours> ?p ?o }"
    status, ctype, body = get(f"{live_server}/sparql", data=q.encode(), content_type="application/sparql-query")
    assert status == 200
    assert ctype.startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef("https://twinkg.example.org/id/city/tours"), rdflib.RDFS.label,
            rdflib.Literal("Tours", lang="fr")) in graph


def test_home_page_shows_counts(live_server):
    status, ctype, body = get(live_server + "/", accept="text/html")
    assert status == 200 and ctype.startswith("text/html")
    page = BeautifulSoup(body, "html.parser")
    text = page.get_text(" ")
    assert "Partnership" in text and "Photo" in text


def test_csv_by_accept(live_server):
    import csv
    import io

    status, ctype, body = get(f"{live_server}/sparql?{urllib.parse.urlencode({'query': QUERY})}",
                              accept="text/csv")
    assert status == 200
    assert ctype == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(body.decode()))) == [["n"], ["10"]]
