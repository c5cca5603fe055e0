"""Releases as a publisher ships them: byte-identical exports, checksums that hold, and the
files crawlers and people look for in the static site (robots.txt, sitemap.xml, favicon,
404 page, LICENSE and README, the licence on every page)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode

from twinkg.cli import main
from twinkg.export.sparqlfiles import select

from helpers import ROOT
from static_site import plain_server

SLOW_FIXTURES = {"first", "second"}  # an export and a site, twice

BASE = "https://twinkg.example.org/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SHA256SUM = shutil.which("sha256sum") or "/usr/bin/sha256sum"


def _export_args(settings, out: Path, site: Path) -> list[str]:
    return ["export", str(out), "--site", str(site), "--store", str(settings.store), "--data", str(settings.data_dir)]


@pytest.fixture(scope="module")
def first(curated_settings, tmp_path_factory) -> tuple[Path, Path]:
    """An export and a site of the curated store, made in this process."""
    work = tmp_path_factory.mktemp("first")
    result = CliRunner().invoke(main, _export_args(curated_settings, work / "out", work / "site"))
    assert result.exit_code == 0, result.output
    return work / "out", work / "site"


@pytest.fixture(scope="module")
def second(curated_settings, tmp_path_factory) -> tuple[Path, Path]:
    """The same, in another process with another hash seed, into other directories."""
    work = tmp_path_factory.mktemp("second") / "elsewhere"
    seed = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "1717"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "twinkg.cli", *_export_args(curated_settings, work / "o", work / "s")],
                          env=env, cwd=work.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return work / "o", work / "s"


def _files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("which", [0, 1], ids=["export", "site"])
def test_the_same_store_exports_to_the_same_bytes(first, second, which):
    """Issue 13.8: ontology/shapes .rdf/.jsonld, ontology.html and void.ttl differed by order."""
    a, b = _files(first[which]), _files(second[which])
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert len(a) > (15 if which == 0 else 400)


def test_every_checksum_file_holds(first):
    """Issue 13.7: `sha256sum -c` in every folder that has a SHA256SUMS, of the export and the
    site (the site re-serialised ontology.html after it was hashed)."""
    out, site = first
    folders = [p.parent for root in (out, site) for p in sorted(root.rglob("SHA256SUMS"))]
    assert out in folders and site / "download" in folders
    failed = {}
    for folder in folders:
        done = subprocess.run([SHA256SUM, "--strict", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
        if done.returncode != 0:
            failed[str(folder)] = [line for line in done.stdout.splitlines() if not line.endswith(": OK")]
    assert failed == {}
    for folder in folders:
        listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
        assert {"LICENSE", "README", "ontology.html"} <= listed


def test_site_downloads_are_the_export_files(first, curated_store):
    """Every file under download/ is the bytes the release's export has."""
    site_downloads = first[1] / "download"
    export = curated_store.resolve() / "export"
    for path in export.iterdir():
        assert (site_downloads / path.name).read_bytes() == path.read_bytes(), path.name


def test_license_and_readme_beside_the_dumps(first):
    out = first[0]
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    roles = {f["name"]: (f["role"], f["media_type"]) for f in manifest["files"]}
    assert roles["LICENSE"] == ("license", "text/plain") and roles["README"] == ("readme", "text/plain")
    licence = (out / "LICENSE").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in licence
    assert "https://creativecommons.org/licenses/by/4.0/" in licence and "Attribution:" in licence
    readme = (out / "README").read_text(encoding="utf-8")
    for expected in ("sha256sum -c SHA256SUMS", "CITATION.cff", "twinkg.nq.gz", "LICENSE", manifest["version_iri"]):
        assert expected in readme


def test_the_licence_is_a_setting(curated_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("TWINKG_DATASET_LICENSE", "https://www.govdata.de/dl-de/by-2-0")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "out"), "--store", str(curated_settings.store),
                                       "--data", str(curated_settings.data_dir)])
    assert result.exit_code == 0, result.output
    licence = (tmp_path / "out" / "LICENSE").read_text(encoding="utf-8")
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in licence
    assert "https://www.govdata.de/dl-de/by-2-0" in licence


# -- robots.txt, sitemap.xml, favicon, 404 in the static site ----------------------------------

def _entity_pages(store) -> list[str]:
    rows = select(store, "site-entities", space=Literal(BASE + "id/"), ns=NamedNode(BASE + "ontology#"))
    return ["/page/" + row["e"].value[len(BASE + "id/"):] for row in rows]


def test_static_robots_txt_points_to_the_sitemap(first):
    robots = RobotFileParser()
    robots.parse((first[1] / "robots.txt").read_text().splitlines())
    assert robots.site_maps() == [BASE + "sitemap.xml"]
    for path in ("/", "/page/city/tours/", "/download/twinkg.nq.gz", "/data/city/tours.ttl", "/sitemap.xml"):
        assert robots.can_fetch("*", BASE.rstrip("/") + path), path


@pytest.mark.server
def test_static_sitemap_lists_every_entity_page_with_lastmod(first, curated_oxigraph, curated_store):
    import json

    site = first[1]
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = {url.findtext(SITEMAP + "loc"): url.findtext(SITEMAP + "lastmod") for url in root.iter(SITEMAP + "url")}
    issued = json.loads((curated_store.resolve() / "meta.json").read_text())["loaded_at"]
    assert set(entries.values()) == {issued}
    assert all(loc.startswith(BASE) for loc in entries)
    paths = {urlsplit(loc).path for loc in entries}
    for page in _entity_pages(curated_oxigraph):
        for prefix in ("", "/de"):
            assert any(p.rstrip("/") == prefix + page for p in paths), prefix + page
    # every listed address is a page of the copy, on a plain file server
    with plain_server(site) as served:
        for path in sorted(paths)[::7]:
            with urllib.request.urlopen(served + path) as response:
                assert response.status == 200 and response.headers.get_content_type() == "text/html", path


@pytest.mark.server
def test_static_favicon_and_404_page(first):
    site = first[1]
    assert (site / "favicon.ico").read_bytes() == (ROOT / "server/static/favicon.ico").read_bytes()
    page = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text().startswith("404")
    assert page.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"
    # served at any depth: every link is absolute, and none leads to a missing file
    links = [a["href"] for a in page.find_all(["a", "link"]) if a.get("href", "").startswith("/")]
    assert links and all(not href.startswith("/lang/") for href in links)
    with plain_server(site) as served:
        with urllib.request.urlopen(served + "/favicon.ico") as response:
            assert response.headers.get_content_type().startswith("image/")
        for href in links:
            with urllib.request.urlopen(served + href) as response:
                assert response.status == 200, href


def _is_forwarding(soup: BeautifulSoup) -> bool:
    return soup.find("meta", attrs={"http-equiv": "refresh"}) is not None


def test_licence_and_attribution_on_every_page_of_the_site(first):
    site = first[1]
    # Not the app's pages: the ontology's documentation (pyLODE states the ontology's own
    # licence), the files of the release, the page that points to the live SPARQL endpoint.
    others = {"ontology.html", "sparql/index.html"}
    checked = 0
    for path in sorted(site.rglob("*.html")):
        name = str(path.relative_to(site))
        if name in others or name.startswith("download/"):
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if _is_forwarding(soup):
            continue
        footer = soup.find("footer")
        licence = footer.find("a", rel="license") if footer else None
        assert licence is not None and licence["href"] == "https://creativecommons.org/licenses/by/4.0/", name
        assert footer.find("a", href=lambda h: h and h.rstrip("/") in ("/list/source", "/de/list/source")), name
        checked += 1
    assert checked > 250
