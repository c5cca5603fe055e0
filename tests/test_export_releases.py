"""Releases that stay: after the next load, an earlier release's IRI (in dcat:previousVersion,
in its CITATION.cff) still answers with its description, which points to the current release."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import rdflib
import yaml
from rdflib import Namespace, URIRef

from twinkg.config import load_settings
from twinkg.loaders.pipeline import load
from twinkg.server import create_app

pytestmark = pytest.mark.slow  # loads and exports release after release

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
BASE = "https://twinkg.example.org/"


def local(iri: str) -> str:
    return "/" + iri[len(BASE):]


def loaded(settings, cities, name: str) -> tuple[str, dict]:
    """Load again after renaming the first city in English; (release, its CITATION.cff)."""
    cities.write_text(re.sub(r"en: [^}]*\}", f"en: {name}}}", cities.read_text(), count=1))
    load(settings)
    export = settings.store.resolve() / "export"
    return json.loads((export / "manifest.json").read_text())["release"], \
        yaml.safe_load((export / "CITATION.cff").read_text(encoding="utf-8"))


@pytest.fixture
def three_loads(mini_data, tmp_path):
    """Three releases of the mini data, each load exporting against the one before."""
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    cities = mini_data / "cities.yaml"
    releases = [loaded(settings, cities, name) for name in ("Alpha One", "Alpha Two", "Alpha Three")]
    return settings, releases


@pytest.fixture
def client(three_loads):
    settings, _ = three_loads
    return create_app(settings, {"TESTING": True}).test_client()


def described(client, release: str, accept: str = "text/turtle") -> rdflib.Graph:
    response = client.get(f"/dataset/{release}", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/download/releases/{release}.ttl"
    document = client.get(response.headers["Location"])
    assert document.status_code == 200
    assert document.headers["Content-Type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=document.data, format="turtle")


def test_an_earlier_release_iri_answers_with_its_description(three_loads, client):
    _, [(first, _), (second, _), (third, _)] = three_loads
    current = URIRef(f"{BASE}dataset/{third}")
    for old in (first, second):
        graph = described(client, old)
        iri = URIRef(f"{BASE}dataset/{old}")
        assert (iri, DCAT.isVersionOf, URIRef(BASE + "dataset")) in graph
        assert str(graph.value(iri, DCT.identifier)) == old
        assert set(graph.objects(iri, DCT.isReplacedBy)) == {current}
        assert set(graph.objects(URIRef(BASE + "dataset"), DCAT.hasCurrentVersion)) == {current}
    # the second release's own description still says what came before it
    assert described(client, second).value(URIRef(f"{BASE}dataset/{second}"), DCAT.previousVersion) == \
        URIRef(f"{BASE}dataset/{first}")


def test_the_current_description_lists_the_earlier_releases(three_loads, client):
    _, [(first, _), (second, _), (third, _)] = three_loads
    void = rdflib.Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    current = URIRef(f"{BASE}dataset/{third}")
    earlier = {URIRef(f"{BASE}dataset/{r}") for r in (first, second)}
    assert void.value(current, DCAT.previousVersion) == URIRef(f"{BASE}dataset/{second}")
    assert set(void.objects(current, DCT.replaces)) == earlier
    assert set(void.objects(URIRef(BASE + "dataset"), DCAT.hasVersion)) == earlier | {current}
    assert client.get(f"/dataset/{third}", headers={"Accept": "text/turtle"}).headers["Location"] == "/void"


def test_the_identifiers_of_an_earlier_citation_still_resolve(three_loads, client):
    _, [(first, cff), _, (third, _)] = three_loads
    (identifier,) = cff["identifiers"]
    response = client.get(local(identifier["value"]), headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    assert (URIRef(identifier["value"]), DCT.isReplacedBy, URIRef(f"{BASE}dataset/{third}")) in graph
    assert client.get(local(cff["url"]), headers={"Accept": "text/turtle"}, follow_redirects=True).status_code == 200


def test_a_browser_is_sent_to_the_downloads_and_unknown_releases_are_404(three_loads, client):
    _, [(first, _), _, _] = three_loads
    response = client.get(f"/dataset/{first}", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["Location"] == "/download"
    assert client.get(f"/dataset/{first}/distribution/twinkg.nt.gz",
                      headers={"Accept": "text/turtle"}).headers["Location"] == f"/download/releases/{first}.ttl"
    for unknown in ("19990101T000000Z-x", "..", "x%2F..%2Fvoid"):
        assert client.get(f"/dataset/{unknown}", headers={"Accept": "text/turtle"}).status_code == 404


def test_kept_descriptions_are_listed_with_their_checksums(three_loads):
    settings, [(first, _), (second, _), _] = three_loads
    export = settings.store.resolve() / "export"
    manifest = json.loads((export / "manifest.json").read_text())
    kept = {f["name"]: f for f in manifest["files"] if f["role"] == "release"}
    assert set(kept) == {f"releases/{first}.ttl", f"releases/{second}.ttl"}
    sums = dict(line.split("  ")[::-1] for line in (export / "SHA256SUMS").read_text().splitlines())
    for name, entry in kept.items():
        digest = hashlib.sha256((export / name).read_bytes()).hexdigest()
        assert entry["sha256"] == sums[name] == digest


def test_an_export_against_its_own_build_keeps_no_copy_of_itself(mini_data, tmp_path):
    from twinkg.export.run import export_store
    from twinkg.store import open_read_only, store_meta

    settings = load_settings(data_dir=mini_data, store=tmp_path / "store", export_on_load=False)
    load(settings)
    store, meta = open_read_only(settings.store), store_meta(settings.store)
    first = export_store(store, meta, settings, tmp_path / "a")
    again = export_store(store, meta, settings, tmp_path / "b", first.directory)
    assert not [f for f in again.files if f.role == "release"]
    assert not (again.directory / "releases").exists()
    # re-exporting into the same directory leaves no stale release file behind
    third = export_store(store, meta, settings, tmp_path / "a", again.directory)
    assert not (third.directory / "releases").exists()


def test_the_static_site_has_the_earlier_descriptions_under_download_releases(three_loads, tmp_path):
    """The layout a web server configuration serves /dataset/<release> from."""
    from click.testing import CliRunner

    from twinkg.cli import main

    settings, [(first, _), (second, _), _] = three_loads
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["export", "--site", str(site), "--store", str(settings.store),
                                       "--data", str(settings.data_dir)])
    assert result.exit_code == 0, result.output
    export = settings.store.resolve() / "export"
    for release in (first, second):
        name = f"releases/{release}.ttl"
        assert (site / "download" / name).read_bytes() == (export / name).read_bytes()
