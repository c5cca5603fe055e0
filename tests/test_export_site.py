"""The static site: every page as a file, no broken internal link, 303s restored by nginx."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from static_site import APACHE, NGINX, apache_server, crawl, head, nginx_server, plain_server

SERVER_FIXTURES = {"configured"}  # nginx, Apache httpd


def test_site_has_the_publication(site):
    for name in ("index.html", "download/index.html", "download/twinkg.nq.gz", "download/SHA256SUMS",
                 "void", ".well-known/void", "ontology.html", "ontology/index.html", "sparql/index.html",
                 ".htaccess", "nginx.conf", "nginx-http.conf", "404.html", "SITE.md", "static/vendor/leaflet/leaflet.js"):
        assert (site / name).is_file(), name


@pytest.mark.server
def test_no_broken_internal_link_on_a_plain_file_server(site):
    with plain_server(site) as base:
        status, linked_from = crawl(base)
    broken = {url: (code, linked_from.get(url)) for url, code in status.items() if code != 200}
    assert broken == {}
    assert status["/download/twinkg.ttl.gz"] == 200 and len(status) > 20


def test_every_entity_iri_has_a_forwarding_page(site, curated_oxigraph):
    from twinkg.export.sparqlfiles import select
    from pyoxigraph import Literal, NamedNode

    rows = select(curated_oxigraph, "site-entities", space=Literal("https://twinkg.example.org/id/"),
                  ns=NamedNode("https://twinkg.example.org/ontology#"))
    assert len(rows) > 100
    for row in rows:
        path = row["e"].value[len("https://twinkg.example.org/"):]
        assert (site / path / "index.html").is_file(), path
        kind_slug = path[len("id/"):]
        assert (site / "page" / kind_slug / "index.html").is_file()
        assert (site / "de" / "page" / kind_slug / "index.html").is_file()


def test_language_trees(site):
    from bs4 import BeautifulSoup

    en = BeautifulSoup((site / "page/city/tours/index.html").read_text(), "html.parser")
    de = BeautifulSoup((site / "de/page/city/tours/index.html").read_text(), "html.parser")
    assert en.html["lang"] == "en" and de.html["lang"] == "de"
    # the switch leads to the same page in the other tree
    assert en.find("a", hreflang="de")["href"] == "/de/page/city/tours"
    assert de.find("a", hreflang="en")["href"] == "/page/city/tours"
    # the map's markers (JSON for the script) link within the tree too
    import json

    de_map = BeautifulSoup((site / "de/map/index.html").read_text(), "html.parser")
    hrefs = {m["href"] for m in json.loads(de_map.find(attrs={"data-markers": True})["data-markers"])}
    assert "/de/page/city/tours" in hrefs and all(h.startswith("/de/page/city/") for h in hrefs)


@pytest.mark.server
def test_no_broken_internal_link_in_the_german_tree(site):
    with plain_server(site) as base:
        status, linked_from = crawl(base, "/de/")
    assert {url: (c, linked_from.get(url)) for url, c in status.items() if c != 200} == {}
    assert "/de/page/city/tours" in status


@pytest.mark.server
@pytest.mark.browser
def test_forwarding_page_keeps_the_fragment_on_a_plain_server(site, browser):
    """Without the server configuration, /ontology#City still lands at the term (browser)."""
    with plain_server(site) as base:
        page = browser.new_page()
        page.goto(base + "/ontology#City")
        page.wait_for_url(base + "/ontology.html#City")
        assert page.locator("[id='City']").is_visible()
        page.goto(base + "/search/?q=tours")
        page.wait_for_selector("#static-search a")
        links = page.eval_on_selector_all("#static-search a", "els => els.map(e => e.getAttribute('href'))")
        assert "/page/city/tours" in links
        page.goto(base + "/de/search/?q=m%C3%BClheim")
        page.wait_for_selector("#static-search a")
        links = page.eval_on_selector_all("#static-search a", "els => els.map(e => e.getAttribute('href'))")
        assert "/de/page/city/muelheim" in links
        page.close()


@pytest.fixture(scope="module", params=["nginx", "apache"])
def configured(request, site, tmp_path_factory):
    """The site behind each web server with its generated configuration."""
    if request.param == "nginx":
        if not Path(NGINX).exists():
            pytest.fail("nginx is missing: run `make system-packages`")
        with nginx_server(site, tmp_path_factory.mktemp("nginx")) as base:
            yield base
    else:
        if not Path(APACHE).exists():
            pytest.fail("Apache httpd is missing: run `make system-packages`")
        with apache_server(site) as base:
            yield base


@pytest.mark.parametrize("path,accept,target", [
    ("/id/city/tours", "text/turtle", "/data/city/tours.ttl"),
    ("/id/city/tours", "application/rdf+xml", "/data/city/tours.rdf"),
    ("/id/city/tours", "text/html,*/*;q=0.8", "/page/city/tours"),
    ("/ontology", "text/html,*/*;q=0.8", "/ontology.html"),
    ("/ontology", "application/ld+json", "/ontology.jsonld"),
    ("/ontology", "*/*", "/ontology.ttl"),
])
def test_web_server_config_restores_303s(configured, path, accept, target):
    code, headers, _ = head(configured + path, accept)
    assert code == 303
    assert urlsplit(headers["Location"]).path == target
    assert "Accept" in headers.get("Vary", "")
    code, headers, _ = head(configured + target, accept, follow=True)
    assert code == 200


@pytest.mark.parametrize("path,media_type", [
    ("/void", "text/turtle"), ("/download/twinkg.trig.gz", "application/gzip"),
    ("/download/SHA256SUMS", "text/plain"), ("/data/city/tours.nt", "application/n-triples"),
    ("/download/CITATION.cff", "application/yaml"),
])
def test_web_server_config_gives_media_types(configured, path, media_type):
    code, headers, _ = head(configured + path)
    assert code == 200 and headers["Content-Type"].split(";")[0] == media_type


def test_no_broken_internal_link_behind_the_web_server(configured):
    status, linked_from = crawl(configured)
    assert {url: (c, linked_from.get(url)) for url, c in status.items() if c != 200} == {}
    assert len(status) > 200
