"""The dumps: each parses (with rdflib, not the library that wrote it) to exactly the store."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import NamedNode
from rdflib.compare import isomorphic

from twinkg.cli import main
from twinkg.export.files import CHECKSUMS, MANIFEST

from export_helpers import graph_of, read_gz

MERGED = [("twinkg.ttl.gz", "turtle"), ("twinkg.nt.gz", "nt"),
          ("twinkg.jsonld.gz", "json-ld"), ("twinkg.rdf.gz", "xml")]
QUADS = [("twinkg.nq.gz", "nquads"), ("twinkg.trig.gz", "trig")]


@pytest.fixture(scope="session")
def store_graph(curated_oxigraph):
    return graph_of(q.triple for q in curated_oxigraph)


@pytest.mark.parametrize("name,fmt", MERGED)
def test_merged_dump_is_isomorphic_to_the_store(exported, store_graph, name, fmt):
    parsed = rdflib.Graph().parse(data=read_gz(exported.directory / name), format=fmt)
    assert len(parsed) == len(store_graph) > 1000
    assert isomorphic(parsed, store_graph)


@pytest.mark.parametrize("name,fmt", QUADS)
def test_quad_dump_is_isomorphic_per_named_graph(exported, curated_oxigraph, name, fmt):
    parsed = rdflib.Dataset().parse(data=read_gz(exported.directory / name), format=fmt)
    store_graphs = {g.value for g in curated_oxigraph.named_graphs()}
    dumped = {str(g.identifier) for g in parsed.graphs() if len(g)}
    assert dumped == store_graphs
    for iri in store_graphs:
        expected = graph_of(q.triple for q in curated_oxigraph.quads_for_pattern(None, None, None, NamedNode(iri)))
        assert isomorphic(parsed.graph(rdflib.URIRef(iri)), expected), iri


def test_turtle_dump_uses_our_prefixes(exported):
    head = read_gz(exported.directory / "twinkg.ttl.gz").decode()[:2000]
    assert "@prefix tk: <https://twinkg.example.org/ontology#> ." in head


def test_jsonld_dump_uses_the_published_context(exported):
    document = json.loads(read_gz(exported.directory / "twinkg.jsonld.gz"))
    published = json.loads((exported.directory / "context.jsonld").read_text())
    assert document["@context"] == published["@context"]
    assert published["@context"]["partner"] == {"@id": "tk:partner", "@type": "@id"}
    tours = next(n for n in document["@graph"] if n["@id"] == "https://twinkg.example.org/id/city/tours")
    assert tours["@type"] == ["City"]
    assert "country" in tours and "tk:country" not in tours


def test_checksum_file_matches_every_file(exported):
    lines = (exported.directory / CHECKSUMS).read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(listed) == {f.name for f in exported.files}
    for name, digest in listed.items():
        assert hashlib.sha256((exported.directory / name).read_bytes()).hexdigest() == digest
    # and the tool people use to check it agrees
    run = subprocess.run(["sha256sum", "--check", "--strict", CHECKSUMS], cwd=exported.directory,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_manifest_gives_sizes_and_media_types(exported):
    manifest = json.loads((exported.directory / MANIFEST).read_text())
    by_name = {f["name"]: f for f in manifest["files"]}
    for name, _ in MERGED + QUADS:
        entry = by_name[name]
        assert entry["byte_size"] == (exported.directory / name).stat().st_size
        assert entry["compression"] == "gzip" and entry["role"] == "dump"
    assert by_name["twinkg.nq.gz"]["media_type"] == "application/n-quads"
    assert by_name["twinkg.ttl.gz"]["media_type"] == "text/turtle"


def test_dumps_are_reproducible(exported, curated_oxigraph, curated_store, curated_settings, tmp_path):
    """Same store, same bytes: gzip headers carry no time, so checksums identify content."""
    from twinkg.export.run import export_store
    from twinkg.store import store_meta

    again = export_store(curated_oxigraph, store_meta(curated_store), curated_settings, tmp_path / "again")
    first = {f.name: f.sha256 for f in exported.files if f.role == "dump"}
    assert first == {f.name: f.sha256 for f in again.files if f.role == "dump"}


@pytest.mark.parametrize("stem", ["ontology", "shapes"])
@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_ontology_and_shapes_in_three_syntaxes(exported, stem, ext, fmt):
    from twinkg.ontology_files import ontology_bytes, shapes_bytes

    source = {"ontology": ontology_bytes, "shapes": shapes_bytes}[stem]()
    expected = rdflib.Graph().parse(data=source, format="turtle",
                                    publicID="https://twinkg.example.org/ontology")
    parsed = rdflib.Graph().parse(exported.directory / f"{stem}.{ext}", format=fmt)
    assert isomorphic(parsed, expected)


def test_cli_export_reports_progress_and_files(curated_settings, tmp_path):
    result = CliRunner().invoke(main, ["export", str(tmp_path / "out"), "--store", str(curated_settings.store)])
    assert result.exit_code == 0, result.output
    assert "… writing twinkg.nq.gz" in result.stderr
    assert "exported version" in result.stdout
    assert (tmp_path / "out" / "twinkg.trig.gz").stat().st_size > 1000


def test_cli_export_without_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["export", str(tmp_path / "out"), "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no store at" in result.output and "twinkg load" in result.output
