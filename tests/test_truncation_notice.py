"""A cut answer says so in its body where the format can carry it (issue 15, point 10): SPARQL
JSON ``head.link`` and SPARQL XML ``<link href>`` name the notice at /sparql/truncated. CSV, TSV
and the RDF formats have no such place and stay as they were (the header tells). The marked
bodies are read by the parsers researchers use: rdflib's result parsers and SPARQLWrapper
against the real server (pandas is not installed here)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
import rdflib
from bs4 import BeautifulSoup
from rdflib.query import Result
from SPARQLWrapper import JSON, XML, SPARQLWrapper
from sparql_helpers import CITY_NAMES, TOURS_GRAPH

from twinkg.server import create_app
from twinkg.server.endpoint.answers import TRUNCATED_NOTICE

RESULTS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def limited(curated_settings):
    return create_app(replace(curated_settings, max_rows=5), {"TESTING": True}).test_client()


def _get(client, query, fmt):
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200
    return response


def test_json_results_link_to_the_notice(limited, client):
    body = json.loads(_get(limited, CITY_NAMES, "json").data)
    assert body["head"] == {"vars": ["city", "name"], "link": [TRUNCATED_NOTICE]}
    assert len(body["results"]["bindings"]) == 5
    whole = json.loads(_get(client, CITY_NAMES, "json").data)
    assert "link" not in whole["head"]  # only a cut answer links to the notice


def test_xml_results_link_to_the_notice(limited, client):
    head = ET.fromstring(_get(limited, CITY_NAMES, "xml").data).find(f"{RESULTS}head")
    assert [e.tag for e in head] == [f"{RESULTS}variable"] * 2 + [f"{RESULTS}link"]
    assert head.find(f"{RESULTS}link").get("href") == TRUNCATED_NOTICE
    whole = ET.fromstring(_get(client, CITY_NAMES, "xml").data)
    assert whole.find(f"{RESULTS}head/{RESULTS}link") is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_rdflib_parses_the_marked_results(limited, fmt):
    result = Result.parse(io.BytesIO(_get(limited, CITY_NAMES, fmt).data), format=fmt)
    assert [str(v) for v in result.vars] == ["city", "name"] and len(list(result)) == 5


def test_csv_tsv_and_ntriples_stay_as_their_parsers_expect(limited):
    """No place for a link that the parsers would not read as data: the bodies are unchanged."""
    rows = list(csv.DictReader(io.StringIO(_get(limited, CITY_NAMES, "csv").get_data(as_text=True))))
    assert len(rows) == 5 and TRUNCATED_NOTICE not in str(rows)
    tsv = _get(limited, CITY_NAMES, "tsv").get_data(as_text=True).splitlines()
    assert len(tsv) == 6 and TRUNCATED_NOTICE not in "".join(tsv)
    nt = _get(limited, TOURS_GRAPH, "nt")
    assert nt.headers["X-Twinkg-Truncated"] == "true"
    assert len(rdflib.Graph().parse(data=nt.data, format="nt")) == 5


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_reads_the_marked_results_from_the_real_server(limited_server, return_format):
    sparql = SPARQLWrapper(limited_server + "/sparql")
    sparql.setQuery(CITY_NAMES)
    sparql.setReturnFormat(return_format)
    response = sparql.query()
    assert response.info()["x-twinkg-truncated"] == "true"
    converted = response.convert()
    if return_format == JSON:
        assert converted["head"]["link"] == [TRUNCATED_NOTICE]
        assert len(converted["results"]["bindings"]) == 5
    else:  # a DOM document
        assert [e.getAttribute("href") for e in converted.getElementsByTagName("link")] == [TRUNCATED_NOTICE]
        assert len(converted.getElementsByTagName("result")) == 5


@pytest.mark.parametrize("lang, words", [("en", "cut after 5"), ("de", "nach 5 gekürzt")])
def test_the_notice_explains_the_limit(limited, lang, words):
    response = limited.get(TRUNCATED_NOTICE, headers={"Accept-Language": lang})
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = BeautifulSoup(response.data, "html.parser").find(id="truncated").get_text()
    assert words in text and "X-Twinkg-Truncated: true" in text
