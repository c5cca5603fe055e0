"""What the live server gives publishers and crawlers: /robots.txt, /sitemap.xml,
/favicon.ico, the licence on every page, schema.org Dataset JSON-LD, and data documents
that name their dataset and licence."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from urllib.robotparser import RobotFileParser

import pytest
import rdflib
from bs4 import BeautifulSoup
from pyoxigraph import Literal, NamedNode
from rdflib import RDF, Namespace, URIRef

from twinkg.export.sparqlfiles import select

from crawling import crawl

BASE = "https://twinkg.example.org/"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# The schema.org context maps terms to http://schema.org/; a local context, never fetched.
SDO = Namespace("http://schema.org/")
LOCAL_CONTEXT = {"@vocab": str(SDO)}
VOID = Namespace("http://rdfs.org/ns/void#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")


@pytest.fixture(scope="module")
def served(curated_settings):
    from twinkg.server import create_app

    return create_app(curated_settings, {"TESTING": True}).test_client()


@pytest.fixture(scope="module")
def meta(curated_store):
    return json.loads((curated_store.resolve() / "meta.json").read_text())


def _entity_pages(store) -> list[str]:
    rows = select(store, "site-entities", space=Literal(BASE + "id/"), ns=NamedNode(BASE + "ontology#"))
    return ["/page/" + row["e"].value[len(BASE + "id/"):] for row in rows]


def test_robots_txt_allows_pages_and_names_the_sitemap(served):
    response = served.get("/robots.txt", base_url="http://twinning.example.net")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    robots = RobotFileParser()
    robots.parse(response.get_data(as_text=True).splitlines())
    assert robots.site_maps() == ["http://twinning.example.net/sitemap.xml"]
    for path in ("/", "/page/city/tours", "/id/city/tours", "/data/city/tours.ttl", "/download/twinkg.nq.gz",
                 "/list/city", "/void", "/sparql", "/ontology"):
        assert robots.can_fetch("Googlebot", "http://twinning.example.net" + path), path


def test_sitemap_lists_every_entity_page_with_the_release_as_lastmod(served, curated_oxigraph, meta):
    response = served.get("/sitemap.xml", base_url="http://twinning.example.net")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == SITEMAP + "urlset"
    entries = {url.findtext(SITEMAP + "loc"): url.findtext(SITEMAP + "lastmod") for url in root.iter(SITEMAP + "url")}
    pages = _entity_pages(curated_oxigraph)
    assert len(pages) > 100
    for page in pages:
        assert entries.get("http://twinning.example.net" + page) == meta["loaded_at"], page
        # and in the German tree, which the live server has as the static site does
        assert entries.get("http://twinning.example.net/de" + page) == meta["loaded_at"], page
    assert {"http://twinning.example.net/", "http://twinning.example.net/de"} <= set(entries) and set(entries.values()) == {meta["loaded_at"]}
    # each listed address answers with a page
    for loc in sorted(entries)[::10]:
        assert served.get(loc, headers={"Accept": "text/html"}).status_code == 200, loc


def test_favicon_is_an_icon(served):
    response = served.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype.startswith("image/")
    assert response.data[:4] == b"\x00\x00\x01\x00"  # ICO header
    page = BeautifulSoup(served.get("/").data, "html.parser")
    assert page.find("link", rel="icon")["href"] == "/favicon.ico"


@pytest.mark.slow
@pytest.mark.parametrize("lang,curated,publisher", [
    ("en", "curated from the sources it names", "City of Mülheim an der Ruhr"),
    ("de", "kuratiert aus den genannten Quellen", "Stadt Mülheim an der Ruhr")])
def test_licence_and_attribution_on_every_page(served, lang, curated, publisher):
    result = crawl(served, lang=lang)
    # Not the ontology's documentation (a release file by pyLODE, stating the ontology's licence).
    pages = [path for path in result.html if result.status[path] == 200
             and path not in ("/ontology.html", "/download/ontology.html")]
    assert len(pages) > 100 and "/page/city/tours" in pages and "/download" in pages
    for path in pages:
        footer = result.html[path].find("footer")
        assert footer is not None, path
        licence = footer.find("a", rel="license")
        assert licence is not None and licence["href"] == LICENCE, path
        assert "CC BY 4.0" in licence.get_text()
        assert curated in footer.get_text() and footer.find("a", href="/list/source") is not None, path
        assert footer.find(class_="publisher").get_text() == publisher, path


def test_error_pages_carry_the_footer_too(served):
    response = served.get("/page/city/atlantis", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert BeautifulSoup(response.data, "html.parser").find("a", rel="license")["href"] == LICENCE


def _schema_org(html: bytes) -> rdflib.Graph:
    """The page's schema.org JSON-LD as a graph (its @context replaced by a local one)."""
    scripts = BeautifulSoup(html, "html.parser").find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    document = json.loads(scripts[0].string)
    assert document["@context"] == "https://schema.org/"
    document["@context"] = LOCAL_CONTEXT
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


@pytest.mark.parametrize("path", ["/", "/download"])
def test_schema_org_dataset_on_home_and_download_pages(served, meta, path):
    g = _schema_org(served.get(path, headers={"Accept-Language": "en"}, base_url="http://twinning.example.net").data)
    dataset = URIRef(BASE + "dataset")
    assert (dataset, RDF.type, SDO.Dataset) in g
    value = lambda p: {str(o) for o in g.objects(dataset, p)}  # noqa: E731
    assert value(SDO.name) == {"Town twinning of Mülheim an der Ruhr"}
    assert len(next(iter(value(SDO.description)))) > 50  # what Google asks of a description
    assert value(SDO.url) == {"http://twinning.example.net/"}
    assert value(SDO.license) == {LICENCE}
    assert value(SDO.version) == {"0.2.0"} and value(SDO.dateModified) == {meta["loaded_at"]}
    assert "town twinning" in value(SDO.keywords)
    for role in (SDO.creator, SDO.publisher):
        agent, = g.objects(dataset, role)
        assert str(agent) == BASE + "id/organization/stadt-muelheim"
        assert {str(n) for n in g.objects(agent, SDO.name)} == {"City of Mülheim an der Ruhr"}
    downloads = list(g.objects(dataset, SDO.distribution))
    assert len(downloads) == 6
    formats = set()
    for download in downloads:
        assert (download, RDF.type, SDO.DataDownload) in g
        url, = g.objects(download, SDO.contentUrl)
        assert str(url).startswith("http://twinning.example.net/download/twinkg.")
        formats |= {str(f) for f in g.objects(download, SDO.encodingFormat)}
    assert {"text/turtle", "application/n-quads", "application/ld+json", "application/rdf+xml"} <= formats
    # each download is there
    for download in downloads:
        url, = g.objects(download, SDO.contentUrl)
        assert served.head(str(url)).status_code == 200


def test_schema_org_dataset_in_german(served):
    g = _schema_org(served.get("/", headers={"Accept-Language": "de"}).data)
    assert {str(o) for o in g.objects(URIRef(BASE + "dataset"), SDO.name)} == \
        {"Städtepartnerschaften der Stadt Mülheim an der Ruhr"}


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")])
def test_data_document_names_its_dataset_and_licence(served, ext, fmt):
    g = rdflib.Graph().parse(data=served.get(f"/data/city/tours.{ext}").data, format=fmt)
    document = URIRef(BASE + f"data/city/tours.{ext}")  # its own address: it dereferences
    assert served.get(f"/data/city/tours.{ext}").status_code == 200
    assert (document, RDF.type, FOAF.Document) in g
    assert (document, FOAF.primaryTopic, URIRef(BASE + "id/city/tours")) in g
    assert (document, VOID.inDataset, URIRef(BASE + "dataset")) in g
    assert (document, DCT.license, URIRef(LICENCE)) in g


def test_dumps_stay_the_stores_quads(curated_store):
    """Only the per-entity documents get the document statements, not the dumps."""
    with gzip.open(curated_store.resolve() / "export" / "twinkg.nq.gz") as f:
        dump = f.read().decode("utf-8")
    assert str(VOID.inDataset) not in dump and f"<{BASE}data/city/tours>" not in dump


def test_download_page_lists_license_and_readme(served):
    page = BeautifulSoup(served.get("/download").data, "html.parser")
    hrefs = {a["href"] for a in page.find_all("a")}
    assert {"/download/LICENSE", "/download/README"} <= hrefs
    response = served.get("/download/LICENSE")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert LICENCE in response.get_data(as_text=True)


def test_schema_org_names_the_data_catalog_of_the_dcat_description(curated_settings, tmp_path):
    """includedInDataCatalog when void.ttl has a dcat:Catalog listing the dataset (read from a
    copy of the store build whose description is given one)."""
    import shutil
    from dataclasses import replace

    from twinkg.server import create_app

    copy = tmp_path / "curated"
    shutil.copytree(curated_settings.store.parent, copy, symlinks=True)
    description = copy / "store" / "export" / "void.ttl"
    with description.open("a", encoding="utf-8") as f:
        f.write(f'\n<{BASE}catalog> a <http://www.w3.org/ns/dcat#Catalog> ;\n'
                f'  <http://purl.org/dc/terms/title> "Open data of the city"@en, "Offene Daten der Stadt"@de ;\n'
                f'  <http://www.w3.org/ns/dcat#dataset> <{BASE}dataset> .\n')
    client = create_app(replace(curated_settings, store=copy / "store"), {"TESTING": True}).test_client()
    g = _schema_org(client.get("/", headers={"Accept-Language": "de"}).data)
    catalog, = g.objects(URIRef(BASE + "dataset"), SDO.includedInDataCatalog)
    assert catalog == URIRef(BASE + "catalog") and (catalog, RDF.type, SDO.DataCatalog) in g
    assert {str(n) for n in g.objects(catalog, SDO.name)} == {"Offene Daten der Stadt"}
