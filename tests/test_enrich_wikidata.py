"""`twinkg enrich wikidata` against a real `oxigraph serve` holding a small synthetic
Wikidata-shaped fixture (tests/fixtures/wikidata/synthetic.ttl: invented items, not facts)."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pyoxigraph import NamedNode, Variable

from twinkg.cli import main
from twinkg.loaders.pipeline import load
from twinkg.loaders.problems import InvalidInput
from twinkg.store import open_store

from helpers import OxigraphServer, settings_for

SERVER_FIXTURES = {"wikidata_server"}  # oxigraph serve as Wikidata

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata" / "synthetic.ttl"
WD = "http://www.wikidata.org/entity/"
CITY = "https://twinkg.example.org/id/city/"


@pytest.fixture(scope="module")
def wikidata_server(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("wikidata"))
    request = urllib.request.Request(server.store_url + "?default", data=FIXTURE.read_bytes(), method="PUT",
                                     headers={"Content-Type": "text/turtle"})
    urllib.request.urlopen(request, timeout=10).close()
    yield server
    server.stop()


@pytest.fixture
def enrich_data(mini_data) -> Path:
    """The mini dataset with Alphastadt's QID curated, and a third city with a partnership."""
    cities = mini_data / "cities.yaml"
    cities.write_text(cities.read_text().replace("  country: de\n", "  country: de\n  wikidata: Q900001\n", 1)
                      + "- id: gamma\n  name: {de: Gammaburg}\n  country: de\n  source: example-page\n")
    partnerships = mini_data / "partnerships.yaml"
    partnerships.write_text(partnerships.read_text() + "- id: alpha-gamma\n  cities: [alpha, gamma]\n"
                            "  kind: twin-town\n  start: \"1990\"\n  source: example-page\n")
    return mini_data


def enrich(data: Path, server, tmp_path: Path, env=None):
    report = tmp_path / "report.md"
    result = CliRunner(env=env).invoke(main, ["enrich", "wikidata", "--data", str(data),
                                              "--wikidata-endpoint", server.query_url, "--report", str(report)])
    assert result.exit_code == 0, result.output
    return result, yaml.safe_load((data / "enrichment" / "wikidata.yaml").read_text()), report.read_text()


def by_city(document) -> dict:
    return {c["city"]: c for c in document["cities"]}


def section(report: str, title: str) -> list[str]:
    body = report.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in body.splitlines() if line.startswith("- ")]


def test_suggestions_for_each_city(enrich_data, wikidata_server, tmp_path):
    _, document, _ = enrich(enrich_data, wikidata_server, tmp_path)
    assert document["endpoint"] == wikidata_server.query_url
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["retrieved"])
    cities = by_city(document)
    tours = cities["tours"]
    assert (tours["qid"], tours["matched_by"]) == ("Q900002", "name, country and type")  # decoys left out
    assert {(s["property"], s.get("lang"), s["value"]) for s in tours["suggestions"]} == {
        ("qid", None, "Q900002"), ("P17", None, "Q900101"), ("P625", None, "Point(0.7 47.4)"),
        ("P1082", None, 12345), ("label", "en", "Tours")}  # no "it": the data has no Italian
    alpha = cities["alpha"]
    assert (alpha["qid"], alpha["matched_by"]) == ("Q900001", "curated")
    suggestions = {s["property"] + (":" + s["lang"] if s.get("lang") else ""): s for s in alpha["suggestions"]}
    assert set(suggestions) == {"P17", "P625", "P1082", "P856", "P1705:de", "label:fr"}
    assert suggestions["P1082"]["value"] == 50000 and suggestions["P1082"]["date"] == "2021-12-31"
    assert suggestions["P625"]["curated"] == "Point(6.9 51.5)"
    assert suggestions["label:fr"]["value"] == "Alfaville"
    gamma = cities["gamma"]
    assert gamma["qid"] is None and gamma["candidates"] == ["Q900006", "Q900007"]
    assert gamma["suggestions"] == []
    assert all(s["accept"] is False for c in cities.values() for s in c["suggestions"])


def test_reconciliation_report(enrich_data, wikidata_server, tmp_path):
    result, _, report = enrich(enrich_data, wikidata_server, tmp_path)
    assert report in result.output
    statement = "Wikidata statement http://www.wikidata.org/entity/statement/"
    assert section(report, "Partnerships Wikidata lists that the curated data lacks") == [
        f"Alphastadt (Q900001) – Betaville (Q900003): Wikidata since 2001 until 2015 "
        f"({statement}Q900001-twin-beta via {wikidata_server.query_url}); curated: no partnership"]
    assert section(report, "Curated partnerships Wikidata lacks") == [
        "Alphastadt (Q900001) – Gammaburg (no QID): curated since 1990 (curated partnerships.yaml "
        "'alpha-gamma', source example-page https://example.org/page); Wikidata: no P190 statement between them"]
    (disagreement,) = section(report, "Start years that disagree")
    assert disagreement.startswith(
        "Alphastadt (Q900001) – Tours (Q900002, suggested): curated 1962 (curated partnerships.yaml "
        "'alpha-tours', source example-page https://example.org/page) vs Wikidata 1963 (" + statement)
    assert section(report, "Cities without a Wikidata item") == [
        "Gammaburg ('gamma'): 2 candidates: Q900006, Q900007 by name, country and type"]


def test_batches_of_one_city_give_the_same_file(enrich_data, wikidata_server, tmp_path):
    _, whole, _ = enrich(enrich_data, wikidata_server, tmp_path)
    _, one_by_one, _ = enrich(enrich_data, wikidata_server, tmp_path, env={"TWINKG_WIKIDATA_BATCH": "1"})
    assert whole["cities"] == one_by_one["cities"]


def _accept(path: Path, city: str, *props: str) -> None:
    document = yaml.safe_load(path.read_text())
    for c in document["cities"]:
        if c["city"] == city:
            for s in c["suggestions"]:
                if s["property"] in props:
                    s["accept"] = True
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def test_accepted_suggestions_load_into_their_own_graph(enrich_data, wikidata_server, tmp_path):
    enrich(enrich_data, wikidata_server, tmp_path)
    path = enrich_data / "enrichment" / "wikidata.yaml"
    settings = settings_for(enrich_data, tmp_path / "store")
    load(settings)
    graph = NamedNode(settings.wikidata_graph)
    store = open_store(settings)
    assert not list(store.quads_for_pattern(None, None, None, graph))  # nothing accepted yet

    _accept(path, "tours", "qid", "P1082")
    _accept(path, "alpha", "label", "P625")
    load(settings)
    store = open_store(settings)
    tours = {(q.predicate.value, q.object.value) for q in store.quads_for_pattern(NamedNode(CITY + "tours"), None,
                                                                                   None, graph)}
    assert ("http://www.w3.org/2002/07/owl#sameAs", WD + "Q900002") in tours
    assert ("http://www.wikidata.org/prop/direct/P1082", "12345") in tours
    (source,) = store.quads_for_pattern(graph, NamedNode("http://purl.org/dc/terms/source"), None, graph)
    assert source.object == NamedNode(wikidata_server.query_url)
    alpha = NamedNode(CITY + "alpha")
    labels = {(q.object.value, q.object.language) for q in store.quads_for_pattern(
        alpha, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, graph)}
    assert labels == {("Alfaville", "fr")}
    # The curated coordinates stay as curated, in the curated graph.
    (row,) = store.query("SELECT ?city ?g ?wkt WHERE { GRAPH ?g { ?city <https://twinkg.example.org/ontology#coordinates> "
                         "?wkt } }", substitutions={Variable("city"): alpha})
    assert (row["g"].value, row["wkt"].value) == (settings.source_graph("example-page"), "Point(6.9 51.5)")


def test_rerun_keeps_decisions(enrich_data, wikidata_server, tmp_path):
    enrich(enrich_data, wikidata_server, tmp_path)
    _accept(enrich_data / "enrichment" / "wikidata.yaml", "tours", "qid")
    _, document, _ = enrich(enrich_data, wikidata_server, tmp_path)
    accepted = [(c["city"], s["property"]) for c in document["cities"] for s in c["suggestions"] if s["accept"]]
    assert accepted == [("tours", "qid")]


def test_fact_accepted_without_its_qid_is_a_located_problem(enrich_data, wikidata_server, tmp_path):
    enrich(enrich_data, wikidata_server, tmp_path)
    path = enrich_data / "enrichment" / "wikidata.yaml"
    _accept(path, "tours", "P1082")
    with pytest.raises(InvalidInput) as err:
        load(settings_for(enrich_data, tmp_path / "store"))
    (problem,) = err.value.problems
    assert problem.file == str(path) and problem.line > 0
    assert problem.message == "accepted, but the QID Q900002 of 'tours' is neither curated nor accepted"


def test_unreachable_endpoint_is_a_clear_cli_error(enrich_data, tmp_path):
    from helpers import free_port

    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = CliRunner(env={"TWINKG_WIKIDATA_BACKOFF": "0.01"}).invoke(
        main, ["enrich", "wikidata", "--data", str(enrich_data), "--wikidata-endpoint", url, "--report",
               str(tmp_path / "r.md")])
    assert result.exit_code == 1
    assert f"Error: the remote SPARQL store at {url} is unavailable" in result.output
    assert not (enrich_data / "enrichment").exists()
