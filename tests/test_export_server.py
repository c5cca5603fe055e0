"""Serving the publication: /void, /download, /ontology (real store built by `load`, which exports)."""

from __future__ import annotations

import hashlib
import json
import urllib.request

import pytest
import rdflib
from bs4 import BeautifulSoup
from rdflib.compare import isomorphic

from twinkg.backends.localfiles import remote_files_dir
from twinkg.store import dataset_meta


@pytest.fixture(scope="session")
def export_dir(backend_settings, curated_store):
    """Where the publication of the served version is: written by `twinkg load` into the
    embedded build, or into the local files of a remote version (twinkg/backends/localfiles.py)."""
    if backend_settings.remote:
        directory = remote_files_dir(backend_settings, dataset_meta(backend_settings)["version"]) / "export"
    else:
        directory = curated_store.resolve() / "export"
    assert (directory / "manifest.json").exists()
    return directory


@pytest.fixture(scope="session")
def manifest(export_dir):
    return json.loads((export_dir / "manifest.json").read_text())


@pytest.mark.parametrize("accept,media_type,rdflib_format", [
    (None, "text/turtle; charset=utf-8", "turtle"),
    ("*/*", "text/turtle; charset=utf-8", "turtle"),
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml;q=0.9, text/html;q=0.1", "application/rdf+xml; charset=utf-8", "xml"),
])
@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
def test_void_by_content_negotiation(client, export_dir, path, accept, media_type, rdflib_format):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type
    assert response.headers["Vary"] == "Accept"
    served = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    assert isomorphic(served, rdflib.Graph().parse(export_dir / "void.ttl"))


def test_void_format_parameter_and_errors(client):
    assert client.get("/void?format=jsonld").headers["Content-Type"] == "application/ld+json"
    bad = client.get("/void?format=png")
    assert bad.status_code == 400 and "offered: ttl, nt, jsonld, rdf" in bad.get_data(as_text=True)
    unacceptable = client.get("/void", headers={"Accept": "image/png"})
    assert unacceptable.status_code == 406 and "text/turtle" in unacceptable.get_data(as_text=True)


def test_void_is_conditional_per_format(client):
    turtle = client.get("/void", headers={"Accept": "text/turtle"})
    etag = turtle.headers["ETag"]
    assert client.get("/void", headers={"Accept": "text/turtle", "If-None-Match": etag}).status_code == 304
    ntriples = client.get("/void", headers={"Accept": "application/n-triples", "If-None-Match": etag})
    assert ntriples.status_code == 200 and ntriples.headers["ETag"] != etag


@pytest.mark.parametrize("ext", ["ttl", "nt", "jsonld", "rdf"])
def test_void_answers_the_same_bytes_under_the_same_etag(client, ext):
    # serialized once per build: a parse per request gave the blank nodes new labels each time
    first, repeat = client.get(f"/void?format={ext}"), client.get(f"/void?format={ext}")
    assert first.status_code == repeat.status_code == 200
    assert first.headers["ETag"] == repeat.headers["ETag"]
    assert first.data == repeat.data


@pytest.mark.slow
def test_void_follows_a_new_load(mini_data, tmp_path, monkeypatch):
    """Each build's own description in every format: a load gives a new one, with a new ETag."""
    from twinkg.config import load_settings
    from twinkg.loaders.pipeline import load
    from twinkg.server import create_app
    from twinkg.server import dataset as dataset_module
    from twinkg.store import store_meta

    monkeypatch.setattr(dataset_module, "RECHECK_SECONDS", 0.0)  # look at the link on every request
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()
    identifier = rdflib.URIRef("http://purl.org/dc/terms/identifier")
    etags = []
    for n in range(2):
        if n:  # the next load, while serving
            cities = mini_data / "cities.yaml"
            cities.write_text(cities.read_text(encoding="utf-8").replace("Alpha City", "Alpha Town"), encoding="utf-8")
            load(settings)
        version = store_meta(settings.store)["version"]
        release = rdflib.URIRef(f"{settings.base_iri}dataset/{version}")
        for ext, rdflib_format in (("nt", "nt"), ("jsonld", "json-ld")):
            response = client.get(f"/void?format={ext}")
            assert response.status_code == 200
            served = rdflib.Graph().parse(data=response.data, format=rdflib_format)
            assert (release, identifier, rdflib.Literal(version)) in served
            etags.append(response.headers["ETag"])
    assert len(set(etags)) == 4


def test_dataset_and_version_iris_see_the_description(client, manifest):
    for path in ("/dataset", f"/dataset/{manifest['release']}"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/void"
    assert client.get("/dataset/19990101T000000Z-000000000000").status_code == 404
    browser = client.get("/dataset", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["Location"] == "/download"
    assert browser.headers["Vary"] == "Accept"


def test_download_page_lists_every_file(client, manifest):
    response = client.get("/download", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    soup = BeautifulSoup(response.data, "html.parser")
    rows = {}
    for tr in soup.select("table.downloads tbody tr"):
        cells = tr.find_all("td")
        rows[cells[0].get_text(strip=True)] = cells
    assert set(rows) == {f["name"] for f in manifest["files"]}
    for f in manifest["files"]:
        cells = rows[f["name"]]
        assert cells[0].a["href"] == f"/download/{f['name']}"
        assert cells[1].get_text(strip=True) == f["title"]
        assert int(cells[3]["data-bytes"]) == f["byte_size"]
        assert cells[4].get_text(strip=True) == f["sha256"]
        assert cells[5].get_text(strip=True) == manifest["version"]
    assert soup.find(id="release").get_text() == manifest["release"]
    assert soup.find("header").find("a", href="/download")


def test_download_serves_the_file_with_checksum_etag_and_ranges(client, export_dir, manifest):
    entry = next(f for f in manifest["files"] if f["name"] == "twinkg.nq.gz")
    response = client.get("/download/twinkg.nq.gz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/gzip"
    assert int(response.headers["Content-Length"]) == entry["byte_size"]
    assert response.headers["ETag"] == f'"{entry["sha256"]}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert hashlib.sha256(response.data).hexdigest() == entry["sha256"]
    part = client.get("/download/twinkg.nq.gz", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{entry['byte_size']}"
    assert part.data == (export_dir / "twinkg.nq.gz").read_bytes()[100:200]
    again = client.get("/download/twinkg.nq.gz", headers={"If-None-Match": f'"{entry["sha256"]}"'})
    assert again.status_code == 304


@pytest.mark.parametrize("name,media_type", [
    ("void.ttl", "text/turtle; charset=utf-8"), ("context.jsonld", "application/ld+json"),
    ("ontology.rdf", "application/rdf+xml; charset=utf-8"), ("SHA256SUMS", "text/plain; charset=utf-8"),
])
def test_download_media_types(client, name, media_type):
    response = client.get(f"/download/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type


@pytest.mark.parametrize("name", ["meta.json", "..%2Fmeta.json", "nothing.ttl"])
def test_download_of_unlisted_files_is_not_found(client, name):
    response = client.get(f"/download/{name}", headers={"Accept": "text/plain"})
    assert response.status_code == 404


@pytest.mark.parametrize("accept,target", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/ontology.html"),
    ("text/turtle", "/ontology.ttl"),
    ("application/rdf+xml", "/ontology.rdf"),
    ("application/ld+json", "/ontology.jsonld"),
    ("*/*", "/ontology.ttl"),
    (None, "/ontology.ttl"),
    ("text/html;q=0.1, application/*;q=0.5", "/ontology.rdf"),
])
def test_ontology_namespace_redirects_by_accept(client, accept, target):
    response = client.get("/ontology", headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["Location"] == target
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize("ext,media_type,fmt", [("ttl", "text/turtle; charset=utf-8", "turtle"),
                                                ("rdf", "application/rdf+xml; charset=utf-8", "xml"),
                                                ("jsonld", "application/ld+json", "json-ld")])
def test_ontology_representations_are_the_ontology(client, ext, media_type, fmt):
    from twinkg.ontology_files import ontology_bytes

    response = client.get(f"/ontology.{ext}")
    assert response.status_code == 200 and response.headers["Content-Type"] == media_type
    expected = rdflib.Graph().parse(data=ontology_bytes(), format="turtle")
    assert isomorphic(rdflib.Graph().parse(data=response.data, format=fmt), expected)


def test_ontology_html_has_an_anchor_for_every_term(client):
    from twinkg.config import ONTOLOGY_NS

    response = client.get("/ontology.html")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/html; charset=utf-8"
    soup = BeautifulSoup(response.data, "html.parser")
    ontology = rdflib.Graph().parse(data=client.get("/ontology.ttl").data, format="turtle")
    terms = {str(s) for s in ontology.subjects(rdflib.RDF.type, None)
             if isinstance(s, rdflib.URIRef) and str(s).startswith(ONTOLOGY_NS)}
    assert len(terms) > 60
    for iri in terms:
        assert soup.find(id=iri[len(ONTOLOGY_NS):]), iri


def test_a_build_without_export_says_so(mini_data, tmp_path):
    from twinkg.config import load_settings
    from twinkg.loaders.pipeline import load
    from twinkg.server import create_app

    settings = load_settings(data_dir=mini_data, store=tmp_path / "store", export_on_load=False)
    load(settings)
    assert not (settings.store.resolve() / "export").exists()
    client = create_app(settings, {"TESTING": True}).test_client()
    response = client.get("/download", headers={"Accept": "text/plain"})
    assert response.status_code == 503
    assert "this store build has no export" in response.get_data(as_text=True)


def test_live_server_serves_ranges_and_lengths(live_server, manifest):
    """The production server (granian) keeps what send_file promises."""
    entry = next(f for f in manifest["files"] if f["name"] == "twinkg.ttl.gz")
    with urllib.request.urlopen(live_server + "/download/twinkg.ttl.gz") as response:
        body = response.read()
        assert response.status == 200
        assert int(response.headers["Content-Length"]) == entry["byte_size"] == len(body)
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    request = urllib.request.Request(live_server + "/download/twinkg.ttl.gz", headers={"Range": "bytes=-10"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 206
        assert response.read() == body[-10:]


@pytest.mark.slow
def test_downloads_follow_a_new_load_without_restart(mini_data, tmp_path):
    """The server picks up a new build (server/dataset.py); its downloads are the new export."""
    import os
    import time

    from twinkg.config import load_settings
    from twinkg.loaders.pipeline import load
    from twinkg.server import create_app

    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()
    first = client.get("/download/manifest.json").get_json()["release"]
    cities = mini_data / "cities.yaml"
    cities.write_text(cities.read_text().replace("Alpha City", "Alpha Town"))
    load(settings)
    second = os.path.basename(os.path.realpath(settings.store))
    assert second != first
    deadline = time.monotonic() + 5
    while client.get("/download/manifest.json").get_json()["release"] != second:
        assert time.monotonic() < deadline, "the server kept the old build's downloads"
        time.sleep(0.1)
    assert client.get("/download/diff.json").get_json()["previous"] == first
