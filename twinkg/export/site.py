"""``twinkg export --site DIR``: the whole publication as static files for any web server.

Every page is rendered by the real app through Flask's test client and written to a file;
the IRI-to-file scheme (also in SITE.md of the output):

* an HTML page ``/a/b`` is ``a/b/index.html`` (``/`` is ``index.html``): every static server
  answers ``/a/b`` by redirecting to ``/a/b/`` and serving its ``index.html``;
* a page with a query ``/a?k=v&k2=v2`` is ``a/k-v/k2-v2/index.html``, and links to it are
  rewritten to ``/a/k-v/k2-v2/``;
* any other response (data documents, dumps, the description, static assets) is the file at
  its own path: ``/data/city/tours.ttl`` is ``data/city/tours.ttl``, ``/void`` is ``void``;
* an address that answers 303 (``/id/…``, ``/ontology``) becomes a small HTML page that
  forwards browsers (keeping a ``#fragment``); the generated ``.htaccess`` and ``nginx.conf``
  restore the real 303s with content negotiation for servers that read them.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from urllib.parse import parse_qsl, quote, urldefrag, urlsplit

from bs4 import BeautifulSoup
from jinja2 import Environment, PackageLoader

from .files import MANIFEST

#: Addresses the static copy cannot have: the endpoint gets a page that says where it is.
SKIP_PREFIXES = ("/sparql",)
#: Where the crawl starts: pages link to the rest; the ontology's RDF files are reached only
#: by content negotiation (the 303s the web-server configuration restores).
SEEDS = ("/", "/download", "/download/manifest.json", "/download/SHA256SUMS", "/ontology",
         "/ontology.html", "/ontology.ttl", "/ontology.rdf", "/ontology.jsonld", "/void", "/.well-known/void")
LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"))
_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]")


def _segment(text: str) -> str:
    """A query value as one path segment: safe characters kept, others %-escaped (and the
    escapes themselves escaped, so that the file name is what a server decodes the URL to)."""
    return _UNSAFE.sub(lambda m: quote(m.group(0), safe=""), text) or "-"


def page_dir(url: str) -> str:
    """``/a/b?k=v`` → ``a/b/k-v`` (site-relative directory of an HTML page)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    segments += [f"{_segment(k)}-{_segment(v)}" for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return "/".join(segments)


def _has_extension(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.query and "." in parts.path.rsplit("/", 1)[-1]


def html_file(url: str) -> str:
    """Where a page is written: a path with a file extension (``/ontology.html``) as that
    file, any other as ``index.html`` of its directory."""
    if _has_extension(url):
        return urlsplit(url).path.lstrip("/")
    directory = page_dir(url)
    return f"{directory}/index.html" if directory else "index.html"


def static_link(url: str) -> str:
    """The link to ``url`` in the static copy: query pages become directories."""
    path, fragment = urldefrag(url)
    if "?" not in path:
        return url
    directory = page_dir(path)
    link = "/" + quote(directory, safe="/%") + "/" if directory else "/"
    return link + (f"#{fragment}" if fragment else "")


def data_file(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def is_internal(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and href.startswith("/") and not href.startswith("//")


@dataclass
class SiteResult:
    directory: Path
    pages: dict[str, str] = field(default_factory=dict)  # url → file
    files: dict[str, str] = field(default_factory=dict)  # url → file
    redirects: dict[str, str] = field(default_factory=dict)  # url → target
    failures: dict[str, int] = field(default_factory=dict)  # url → status


def _env() -> Environment:
    return Environment(loader=PackageLoader("twinkg.export", "templates"), autoescape=True)


class SiteWriter:
    def __init__(self, app, out: Path, lang: str = "en", progress=lambda _: None):
        self.client = app.test_client()
        self.settings = app.extensions["twinkg"].settings
        self.out = out
        self.lang = lang
        self.progress = progress
        self.result = SiteResult(out)

    def _write(self, relative: str, data: bytes) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _links(self, soup: BeautifulSoup) -> list[str]:
        found = []
        for tag, attribute in LINK_ATTRIBUTES:
            for element in soup.find_all(tag):
                value = element.get(attribute)
                if value and is_internal(value):
                    found.append(value)
                    element[attribute] = static_link(value)
        return found

    def _html(self, url: str, body: bytes) -> list[str]:
        soup = BeautifulSoup(body, "html.parser")
        links = self._links(soup)
        self._write(html_file(url), str(soup).encode("utf-8"))
        self.result.pages[url] = html_file(url)
        return links

    def _redirect(self, url: str, target: str) -> list[str]:
        page = _env().get_template("redirect.html").render(target=static_link(target))
        self._write(html_file(url), page.encode("utf-8"))
        self.result.redirects[url] = target
        return [target]

    def fetch(self, url: str) -> list[str]:
        """Write what ``url`` answers a browser; return the internal links to follow."""
        if url.startswith(SKIP_PREFIXES):
            return []
        response = self.client.get(url, headers={"Accept": "text/html,*/*;q=0.8", "Accept-Language": self.lang})
        if 300 <= response.status_code < 400:
            return self._redirect(url, response.headers["Location"])
        if response.status_code != 200:
            self.result.failures[url] = response.status_code
            return []
        if response.mimetype == "text/html":
            return self._html(url, response.get_data())
        if urlsplit(url).query:  # a file has one name: such a link has no static counterpart
            self.result.failures[url] = response.status_code
            return []
        self._write(data_file(url), response.get_data())
        self.result.files[url] = data_file(url)
        return []

    def crawl(self, seeds=SEEDS) -> None:
        queue, seen = deque(seeds), set(seeds)
        while queue:
            url = queue.popleft()
            for link in self.fetch(url):
                link = urldefrag(link)[0]
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        self.progress(f"rendered {len(self.result.pages)} pages, {len(self.result.files)} files, "
                      f"{len(self.result.redirects)} redirects")

    def extras(self) -> None:
        env = _env()
        endpoint = self.settings.base_iri + "sparql"
        self._write("sparql/index.html", env.get_template("sparql-static.html").render(endpoint=endpoint).encode())
        with as_file(files("twinkg.server").joinpath("static")) as static:
            shutil.copytree(static, self.out / "static", dirs_exist_ok=True)


def write_site(app, out: Path, lang: str = "en", progress=lambda _: None) -> SiteResult:
    from .webconfig import write_web_config

    out.mkdir(parents=True, exist_ok=True)
    writer = SiteWriter(app, out, lang, progress)
    writer.crawl()
    writer.extras()
    write_web_config(out)
    manifest = json.loads((out / "download" / MANIFEST).read_text(encoding="utf-8")) \
        if (out / "download" / MANIFEST).exists() else {}
    text = Environment(loader=PackageLoader("twinkg.export", "templates")).get_template("SITE.md").render(
        release=manifest.get("release", "?"), version=manifest.get("version", "?"))
    (out / "SITE.md").write_text(text, encoding="utf-8")
    return writer.result
