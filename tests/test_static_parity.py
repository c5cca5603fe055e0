"""One negotiation, three servers: the live server, nginx and Apache httpd with the generated
configurations answer every dataset IRI alike — same status, same target, same graph — for
the Accept headers that real clients send (tests/accept_headers.py), and the page addresses,
headers and error pages alike."""

from __future__ import annotations

import gzip
import http.client
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import rdflib
from bs4 import BeautifulSoup
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib.compare import isomorphic

from accept_headers import ALL, REPRODUCERS
from helpers import running_server
from sparql_helpers import BASE
from static_site import APACHE, NGINX, apache_server, nginx_server

pytestmark = pytest.mark.server  # live twinkg, nginx and Apache httpd

RAPPER = "/usr/bin/rapper"
#: Where the dataset's IRIs are minted: the published files (as test_minted_iris reads them).
PUBLISHED = [("download/twinkg.nq.gz", RdfFormat.N_QUADS), ("download/void.ttl", RdfFormat.TURTLE),
             ("download/ontology.ttl", RdfFormat.TURTLE), ("download/shapes.ttl", RdfFormat.TURTLE)]
UNKNOWN = ["/id/city/nope", "/id/nokind/tours", "/graph/no-such-source", "/ontology/0.0.1",
           "/dataset/19990101T000000Z-x", "/dataset/19990101T000000Z-x/linkset/a"]
RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}


@pytest.fixture(scope="module")
def servers(site, curated_store, tmp_path_factory):
    """live, nginx and apache, each a base URL, serving the same release."""
    for binary in (NGINX, APACHE):
        if not Path(binary).exists():
            pytest.fail(f"{binary} is missing: run `make system-packages`")
    with running_server(curated_store) as live, nginx_server(site, tmp_path_factory.mktemp("nginx")) as nginx, \
            apache_server(site) as apache:
        yield {"live": live, "nginx": nginx, "apache": apache}


def dataset_paths(site: Path) -> list[str]:
    """Every IRI the published files mint under BASE (fragments dropped), and unknown ones."""
    iris = set()
    for name, fmt in PUBLISHED:
        data = (site / name).read_bytes()
        for quad in parse(gzip.decompress(data) if name.endswith(".gz") else data, format=fmt):
            for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                if isinstance(term, NamedNode) and term.value.startswith(BASE):
                    iris.add("/" + term.value[len(BASE):].split("#", 1)[0])
    # /sparql (void:sparqlEndpoint) is the live endpoint; a static copy has none (SITE.md)
    return sorted(iris - {"/sparql"} | {"/void", "/.well-known/void", "/dataset", *UNKNOWN})


class Client:
    """GETs over one keep-alive connection, without following redirects."""

    def __init__(self, base: str):
        self.base = base
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def get(self, path: str, accept: str | None):
        headers = {"Accept": accept} if accept is not None else {}
        for attempt in (1, 2):  # a server may close an idle keep-alive connection
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.headers, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def answer(base: str, status: int, headers, body: bytes, path: str):
    """What must be equal: status, resolved Location (path and query), for a 200 its media
    type and for RDF its graph, and whether a 200 or 303 varies by Accept."""
    location = headers.get("Location")
    target = None
    if location:
        resolved = urlsplit(urljoin(base + path, location))
        target = resolved.path + (f"?{resolved.query}" if resolved.query else "")
    media = (headers.get("Content-Type") or "").split(";")[0].strip() if status == 200 else None
    # caches must know a negotiated answer depends on Accept (error answers aside)
    vary = {token.strip().lower() for token in (headers.get("Vary") or "").split(",")}
    varies = "accept" in vary if status in (200, 303) else None  # (not Accept-Language)
    content = body if media in RDF_PARSERS else None
    return status, target, media, varies, content


def same_graph(media: str, a: bytes, b: bytes) -> bool:
    if a == b:
        return True
    return isomorphic(rdflib.Graph().parse(data=a, format=RDF_PARSERS[media]),
                      rdflib.Graph().parse(data=b, format=RDF_PARSERS[media]))


def sweep(base: str, requests: list[tuple[str, str | None]]) -> list:
    client = Client(base)
    return [answer(base, *client.get(path, accept), path) for path, accept in requests]


def test_every_dataset_iri_answers_alike_on_live_nginx_and_apache(site, servers):
    paths = dataset_paths(site)
    assert sum(p.startswith("/id/") for p in paths) > 100 and sum(p.startswith("/graph/") for p in paths) > 5
    assert any("/distribution/" in p for p in paths) and any("/linkset/" in p for p in paths)
    requests = [(path, accept) for path in paths for accept in ALL.values()]
    with ThreadPoolExecutor(3) as pool:
        results = dict(zip(servers, pool.map(lambda base: sweep(base, requests), servers.values())))
    differences = []
    for i, (path, accept) in enumerate(requests):
        live = results["live"][i]
        for name in ("nginx", "apache"):
            static = results[name][i]
            if static[:4] != live[:4] or (live[4] is not None and not same_graph(live[2], live[4], static[4])):
                differences.append((name, path, accept, live[:4], static[:4]))
    summary = sorted({(name, re.sub(r"/[^/]+$", "/…", path), live, static) for name, path, _, live, static in differences})
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(map(str, summary[:30]))
    # the sweep saw every kind of answer
    assert {r[0] for r in results["live"]} >= {200, 303, 404, 406}


@pytest.mark.parametrize("server", ["nginx", "apache"])
@pytest.mark.parametrize("accept, target", [
    (REPRODUCERS["turtle-refused"], "/page/city/tours"),
    (REPRODUCERS["rdfxml-preferred"], "/data/city/tours.rdf"),
    (REPRODUCERS["n3"], None),
    (REPRODUCERS["json"], None),
])
def test_q_values_are_honoured(servers, server, accept, target):
    """The issue's reproducers: static answered .ttl, .ttl, HTML, HTML."""
    status, headers, _ = Client(servers[server]).get("/id/city/tours", accept)
    if target is None:
        assert status == 406
    else:
        assert status == 303 and urlsplit(headers["Location"]).path == target
    assert "Accept" in headers.get("Vary", "")


def rapper_count(url: str) -> int:
    run = subprocess.run([RAPPER, "-g", "-c", url], capture_output=True, text=True, timeout=60)
    found = re.search(r"returned (\d+) triples", run.stderr)
    assert run.returncode == 0 and found, run.stderr
    return int(found.group(1))


def test_rapper_gets_the_ontology_not_its_page(servers):
    """`rapper -g -c HOST/ontology` parsed ontology.html (2 triples) on the static site."""
    if not Path(RAPPER).exists():
        pytest.fail("rapper is missing: run `make system-packages`")
    live = rapper_count(servers["live"] + "/ontology")
    assert live > 500
    assert rapper_count(servers["nginx"] + "/ontology") == live
    assert rapper_count(servers["apache"] + "/ontology") == live


@pytest.mark.parametrize("server", ["live", "nginx", "apache"])
def test_unknown_identifier_is_404_without_a_redirect(servers, server):
    status, headers, _ = Client(servers[server]).get("/id/city/nope", "text/turtle")
    assert status == 404 and "Location" not in headers


@pytest.mark.parametrize("server", ["live", "nginx", "apache"])
def test_minted_iris_dereference(site, servers, server):
    release = next(p for p in dataset_paths(site) if re.fullmatch(r"/dataset/[^/]+", p) and "1999" not in p)
    client = Client(servers[server])
    for path, accept, status, target in [
        (release, "text/turtle", 303, "/void"),
        (release + "/distribution/twinkg.nq.gz", "text/turtle", 303, "/void"),
        (release + "/linkset/wikidata-sameAs", "text/html", 303, "/download"),
        ("/ontology/0.2.0", "text/turtle", 303, "/ontology"),
        ("/graph/waz-beykoz-2008", "text/html", 303, "/page/source/waz-beykoz-2008"),
        ("/graph/waz-beykoz-2008", "application/n-triples", 200, None),
        ("/void", "application/ld+json", 200, None),
        ("/shapes", "application/rdf+xml", 303, "/download/shapes.rdf"),
        ("/void?format=nt", "text/html", 200, None),
        ("/void?format=html", "text/turtle", 400, None),
    ]:
        got, headers, _ = client.get(path, accept)
        assert (got, urlsplit(headers.get("Location") or "").path or None) == (status, target), (path, accept)


@pytest.mark.parametrize("server", ["live", "nginx", "apache"])
def test_page_addresses_are_the_live_ones(servers, server):
    client = Client(servers[server])
    status, headers, _ = client.get("/page/city/tours", "text/html")
    assert status == 200
    status, headers, _ = client.get("/page/city/tours/", "text/html")
    assert status == 301 and urlsplit(headers["Location"]).path == "/page/city/tours"
    status, headers, body = client.get("/de/page/city/tours", "text/html")
    assert status == 200 and BeautifulSoup(body, "html.parser").html["lang"] == "de"
    status, headers, _ = client.get("/timeline/year-2022", "text/html")
    assert status == 301 and headers["Location"].endswith("/timeline?year=2022")
    assert client.get("/timeline?year=1900", "text/html")[0] == 404


def main_text(body: bytes) -> str:
    soup = BeautifulSoup(body, "html.parser")
    return " ".join((soup.main or soup.body).get_text(" ").split())


@pytest.mark.parametrize("server", ["nginx", "apache"])
def test_query_pages_show_what_live_shows(servers, server):
    """/timeline?year=2022 showed the unfiltered timeline on the static site."""
    live = Client(servers["live"]).get("/timeline?year=2022", "text/html")
    static = Client(servers[server]).get("/timeline?year=2022", "text/html")
    unfiltered = Client(servers["live"]).get("/timeline?year=2025", "text/html")
    assert static[0] == live[0] == 200
    assert main_text(static[2]) == main_text(live[2]) != main_text(unfiltered[2])


@pytest.mark.parametrize("server", ["live", "nginx", "apache"])
def test_cors_and_describes_headers(servers, server):
    client = Client(servers[server])
    for path, accept in [("/id/city/tours", "text/turtle"), ("/data/city/tours.ttl", None), ("/void", None),
                         ("/download/twinkg.nq.gz", None), ("/ontology", "text/turtle")]:
        _, headers, _ = client.get(path, accept)
        assert headers.get("Access-Control-Allow-Origin") == "*", path
    _, headers, _ = client.get("/data/city/tours.ttl", None)
    assert headers["Link"] == f'<{BASE}id/city/tours>; rel="describes"'


@pytest.mark.parametrize("server", ["nginx", "apache"])
def test_configuration_files_are_not_served(servers, server):
    client = Client(servers[server])
    for path in ("/.htaccess", "/nginx.conf", "/nginx-http.conf", "/SITE.md", "/_variants/void.ttl",
                 "/page/city/tours/index.html"):
        status, headers, body = client.get(path, "text/html")
        assert status == 404, path
    # the error page is the app's
    assert BeautifulSoup(body, "html.parser").find("a", class_="brand") is not None
