"""Loading into a real `oxigraph serve` and Debian's Virtuoso: whole graphs, metadata last, failures change nothing."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, Variable
from rdflib import Graph
from rdflib.compare import isomorphic

from twinkg.cli import main
from twinkg.config import ONTOLOGY_IRI, load_settings
from twinkg.errors import TwinkgError
from twinkg.loaders.pipeline import load
from twinkg.loaders.problems import InvalidInput
from twinkg.loaders.remote import batches
from twinkg.store import dataset_meta, open_store, run_query

from helpers import DATA, fold_wkt, free_port, misspell_a_place, settings_for

MINI_SOURCE = "example-page"
GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def graph_of(store, iri: str) -> Graph:
    triples = store.query(GRAPH_TRIPLES, substitutions={Variable("g"): NamedNode(iri)})
    return Graph().parse(data=fold_wkt(triples.serialize(format=RdfFormat.N_TRIPLES).decode()), format="nt")


def graphs(store) -> set[str]:
    return {g.value for g in store.named_graphs()}


@pytest.fixture
def embedded_mini(mini_data, tmp_path):
    settings = settings_for(mini_data, tmp_path / "store")
    load(settings)
    return open_store(settings)


@pytest.mark.parametrize("graph_store, batch", [(False, 5000), (True, 5000), (False, 7), (True, 7)],
                         ids=["update", "graph-store", "update-small-batches", "graph-store-small-batches"])
def test_remote_load_holds_what_the_embedded_store_holds(scratch_remote, mini_data, embedded_mini,
                                                         graph_store, batch):
    settings = scratch_remote.settings(mini_data, graph_store=graph_store, remote_batch=batch)
    _, info, _ = load(settings)
    remote = open_store(settings)
    assert graphs(remote) == graphs(embedded_mini) | {settings.meta_graph}
    for g in graphs(embedded_mini):
        # The ontology graph has OWL lists (blank nodes): isomorphism shows batches kept them whole.
        assert isomorphic(graph_of(remote, g), graph_of(embedded_mini, g)), g
    meta = dataset_meta(settings)
    assert meta["version"] == info.version
    assert meta["quads"] == len(embedded_mini)
    assert meta["entities"]["City"] == 2


def test_reload_replaces_graphs_and_drops_the_ones_gone(scratch_remote, mini_data):
    load(scratch_remote.settings(DATA))
    before = graphs(open_store(scratch_remote.settings()))
    settings = scratch_remote.settings(mini_data)
    load(settings)
    after = graphs(open_store(settings))
    assert len(before) > len(after)
    assert after == {settings.source_graph(MINI_SOURCE), ONTOLOGY_IRI, settings.meta_graph}


def test_failed_upload_leaves_the_previous_data(scratch_remote, mini_data):
    settings = scratch_remote.settings(mini_data)
    load(settings)
    version, held = dataset_meta(settings)["version"], graphs(open_store(settings))
    (mini_data / "cities.yaml").write_text((mini_data / "cities.yaml").read_text().replace("Tours", "Turonum"))
    broken = replace(scratch_remote.settings(mini_data, remote_retries=0),
                     graph_store=f"http://127.0.0.1:{free_port()}/store")  # nobody listens there
    with pytest.raises(TwinkgError) as err:
        load(broken)
    assert err.value.status == 503 and "unavailable" in err.value.message
    assert dataset_meta(settings)["version"] == version
    assert graphs(open_store(settings)) == held  # no scratch graphs left behind either
    assert not bool(run_query(open_store(settings), 'ASK { ?c ?p ?name FILTER(STR(?name) = "Turonum") }'))
    assert bool(run_query(open_store(settings), 'ASK { ?c ?p ?name FILTER(STR(?name) = "Tours") }'))


def test_invalid_data_sends_nothing(scratch_remote, mini_data):
    misspell_a_place(mini_data)
    with pytest.raises(InvalidInput):
        load(scratch_remote.settings(mini_data))
    assert graphs(open_store(scratch_remote.settings(mini_data))) == set()


def test_load_without_update_endpoint_is_a_clear_error(scratch_remote, mini_data):
    result = CliRunner().invoke(main, ["load", "--data", str(mini_data), "--endpoint", scratch_remote.query_url])
    assert result.exit_code == 1
    assert "needs --update-endpoint" in result.output


def test_cli_load_then_query_remote(scratch_remote, mini_data):
    remote = ["--endpoint", scratch_remote.query_url, "--update-endpoint", scratch_remote.update_url]
    result = CliRunner(env=scratch_remote.env()).invoke(main, ["load", "--data", str(mini_data), *remote])
    assert result.exit_code == 0, result.output
    assert f"loaded {scratch_remote.query_url} (version " in result.output
    result = CliRunner(env=scratch_remote.env()).invoke(main, ["query", "anniversaries", "-p", "year=2022",
                                                               "--format", "csv", "--endpoint", scratch_remote.query_url])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split(",")[2] == "Alphastadt – Tours"


def test_batches_keep_blank_node_groups_together():
    from pyoxigraph import BlankNode, Literal, Triple

    a, b = BlankNode(), BlankNode()
    p = NamedNode("http://ex.org/p")
    triples = [Triple(NamedNode(f"http://ex.org/{i}"), p, Literal(str(i))) for i in range(5)]
    triples += [Triple(NamedNode("http://ex.org/list"), p, a), Triple(a, p, b), Triple(b, p, Literal("end"))]
    out = batches(triples, 2)
    assert sorted(map(str, (t for batch in out for t in batch))) == sorted(map(str, triples))
    (with_blanks,) = [batch for batch in out if any(t.object == a for t in batch)]
    assert len([t for t in with_blanks if a in (t.subject, t.object) or b in (t.subject, t.object)]) == 3


@pytest.mark.server
def test_server_side_union_without_the_server_option_is_named_as_misconfigured(tmp_path, mini_data):
    from helpers import OxigraphServer

    server = OxigraphServer(tmp_path / "plain", union=False)
    try:
        settings = server.settings(mini_data, remote_union="server")
        load(settings)
        with pytest.raises(TwinkgError) as err:
            dataset_meta(settings)
        assert err.value.status == 503
        assert "does not query the union of its named graphs by default" in err.value.message
    finally:
        server.stop()


@pytest.mark.server
def test_server_side_union_works_too(tmp_path, mini_data, embedded_mini):
    from helpers import OxigraphServer

    server = OxigraphServer(tmp_path / "union", union=True)
    try:
        settings = server.settings(mini_data, remote_union="server")
        load(settings)
        assert dataset_meta(settings)["entities"]["City"] == 2
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        (remote,) = open_store(settings).query(count, use_default_graph_as_union=True)
        (local,) = embedded_mini.query(count, use_default_graph_as_union=True)
        # the server's union also holds the metadata graph (3 statements)
        assert int(remote["n"].value) == int(local["n"].value) + 3
    finally:
        server.stop()


def test_a_server_writes_the_site_index_of_each_remote_version(scratch_remote, mini_data, tmp_path):
    """Pages over a remote store: the index the embedded build has is made locally, per version."""
    from bs4 import BeautifulSoup

    from twinkg.server import create_app

    settings = scratch_remote.settings(mini_data, store=tmp_path / "var" / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()
    response = client.get("/search?q=Tours", headers={"Accept": "text/html"})
    assert response.status_code == 200
    version = dataset_meta(settings)["version"]
    assert (tmp_path / "var" / "store.remote" / version).is_dir()
    links = {a["href"] for a in BeautifulSoup(response.data, "html.parser").find_all("a", href=True)}
    assert "/page/city/tours" in links


def test_cli_export_from_a_remote_store(scratch_remote, mini_data, tmp_path, embedded_mini):
    import gzip
    import json

    from rdflib import Dataset

    settings = scratch_remote.settings(mini_data)
    load(settings)
    out = tmp_path / "export"
    result = CliRunner(env=scratch_remote.env()).invoke(main, ["export", str(out), "--data", str(mini_data),
                                       "--endpoint", scratch_remote.query_url])
    assert result.exit_code == 0, result.output
    assert f"(release {dataset_meta(settings)['version']}) to {out}: " in result.output
    names = {f["name"] for f in json.loads((out / "manifest.json").read_text())["files"]}
    assert "twinkg.nq.gz" in names
    dumped = Dataset().parse(data=gzip.decompress((out / "twinkg.nq.gz").read_bytes()).decode(), format="nquads")
    assert len(dumped) == len(embedded_mini)  # the data graphs, not the metadata graph


def test_a_remote_load_exports_each_version_with_a_changelog_against_the_one_before(
        scratch_remote, mini_data, tmp_path):
    """As for a new embedded build (export_build), `twinkg load --endpoint` writes the export of
    each remote version; the release a server publishes lists the changes since the one before."""
    from twinkg.server import create_app

    settings = scratch_remote.settings(mini_data, store=tmp_path / "var" / "store")
    load(settings)
    first = dataset_meta(settings)["version"]
    client = create_app(settings, {"TESTING": True}).test_client()
    assert client.get("/download/manifest.json").get_json()["release"] == first
    cities = mini_data / "cities.yaml"
    cities.write_text(cities.read_text().replace("Alpha City", "Alpha Town"))
    load(settings)
    second = dataset_meta(settings)["version"]
    assert second != first
    client = create_app(settings, {"TESTING": True}).test_client()
    diff = client.get("/download/diff.json")
    assert diff.status_code == 200, diff.data
    assert (diff.get_json()["previous"], diff.get_json()["current"]) == (first, second)
    assert diff.get_json()["entities"]["https://twinkg.example.org/ontology#City"] == {
        "changed": ["https://twinkg.example.org/id/city/alpha"]}
    changelog = client.get("/download/CHANGELOG.md").get_data(as_text=True)
    assert changelog.index(f"## {second} ") < changelog.index(f"## {first} ")


def test_a_web_request_never_runs_an_export(scratch_oxigraph, mini_data, tmp_path):
    """A server in front of a remote store only reads the export the load wrote: one whose
    local files lack it (another --store, e.g. on another machine) answers /download with a
    clear 503 and writes no export; its pages still work (it writes their index itself)."""
    from twinkg.server import create_app

    load(scratch_oxigraph.settings(mini_data, store=tmp_path / "loaded" / "store"))
    elsewhere = scratch_oxigraph.settings(mini_data, store=tmp_path / "elsewhere" / "store")
    client = create_app(elsewhere, {"TESTING": True}).test_client()
    response = client.get("/download/manifest.json")
    assert response.status_code == 503
    assert "has no export" in response.get_data(as_text=True)
    assert client.get("/void").status_code == 503
    assert client.get("/search?q=Tours", headers={"Accept": "text/html"}).status_code == 200
    version = dataset_meta(elsewhere)["version"]
    assert not (tmp_path / "elsewhere" / "store.remote" / version / "export").exists()
    assert (tmp_path / "loaded" / "store.remote" / version / "export" / "manifest.json").exists()


def test_two_loads_of_the_same_content_get_two_versions(scratch_remote, mini_data):
    """A version names one load: ETags and scratch graphs must not be shared by two loads,
    even of the same content within one second."""
    settings = scratch_remote.settings(mini_data)
    first = load(settings)[1].version
    second = load(settings)[1].version
    assert first != second and first.split("-")[-1] == second.split("-")[-1]
    assert dataset_meta(settings)["version"] == second


def test_union_graph_mode_without_a_union_graph_is_named(scratch_oxigraph, mini_data, embedded_mini):
    """remote_union = union-graph reads the union the loader wrote: a store loaded without it
    is reported at start (as the server-side union is), never served as empty pages."""
    load(scratch_oxigraph.settings(mini_data))
    with pytest.raises(TwinkgError) as err:
        dataset_meta(scratch_oxigraph.settings(mini_data, remote_union="union-graph"))
    assert err.value.status == 503 and "holds no union graph" in err.value.message
    settings = scratch_oxigraph.settings(mini_data, remote_union="union-graph")
    load(settings)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    (remote,) = open_store(settings).query(count, use_default_graph_as_union=True)
    (local,) = embedded_mini.query(count, use_default_graph_as_union=True)
    assert int(remote["n"].value) == int(local["n"].value)  # no metadata, no scratch graphs
    assert graphs(open_store(settings)) == graphs(embedded_mini) | {settings.meta_graph}


class _SlowSwapProxy:
    """Loopback HTTP proxy to a real store that holds back the update request that moves
    graphs (the swap) for ``delay`` seconds before passing it on: a server whose swap of the
    whole dataset takes longer than one upload, as `oxigraph serve` did with 100 k statements."""

    def __init__(self, upstream: str, delay: float):
        upstream_base, delay_s = upstream, delay

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                self._forward(None)

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if b"MOVE" in body:
                    time.sleep(delay_s)
                self._forward(body)

            def _forward(self, body):
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                request = urllib.request.Request(upstream_base + self.path, data=body, headers=headers,
                                                 method=self.command)
                try:
                    with urllib.request.urlopen(request, timeout=60) as answer:
                        status, answer_headers, payload = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as exc:
                    status, answer_headers, payload = exc.code, exc.headers, exc.read()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", answer_headers.get("Content-Type", "text/plain"))
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_swap_slower_than_one_upload_is_waited_for(scratch_oxigraph, tmp_path):
    """The swap moves the whole dataset in one request: it gets REMOTE_TIMEOUT per REMOTE_BATCH
    statements, not the one upload's REMOTE_TIMEOUT (with 10 s, a load of 100 k statements
    into `oxigraph serve` failed with "no answer within the timeout")."""
    with _SlowSwapProxy(scratch_oxigraph.base, delay=2.0) as proxy:
        settings = load_settings(data_dir=DATA, endpoint=proxy.base + "/query", update_endpoint=proxy.base + "/update",
                                 store=tmp_path / "local" / "store", remote_timeout=1.0, remote_batch=500,
                                 remote_backoff=0.01, export_on_load=False)
        _, info, _ = load(settings)
    served = dataset_meta(scratch_oxigraph.settings())
    assert served["version"] == info.version
    count = run_query(open_store(scratch_oxigraph.settings()), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(next(iter(count))["n"].value) == served["quads"]
