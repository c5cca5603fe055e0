"""``twinkg export --site DIR``: the whole publication as static files for any web server.

Every page is rendered by the real app through Flask's test client, once per language, and
written to a file; links are rewritten to the files. The IRI-to-file scheme (also in SITE.md
of the output):

* an HTML page ``/a/b`` is ``a/b/index.html`` and is linked as ``/a/b``, its live address
  (``/`` is ``index.html``); in the other languages' trees it is ``de/a/b/index.html``
  (``/de/a/b``, which the live server answers too);
* a page with a query ``/a?k=v&k2=v2`` is ``a/k-v/k2-v2/index.html`` (characters other than
  ``A–Z a–z 0–9 . _ ~ -`` in a query become ``_`` followed by a short hash of the value),
  linked as ``/a/k-v/k2-v2`` so that a plain file server finds it; the live server and the
  generated configurations redirect that address to ``/a?k=v&k2=v2``;
* a page named with an extension (``/ontology.html``) is that file, in one language;
* any other response (data documents, dumps, the description, static assets) is the file at
  its own path: ``/data/city/tours.ttl`` is ``data/city/tours.ttl``, ``/void`` is ``void``;
* an address that answers 303 (``/id/…``, ``/ontology``) is a small page that forwards
  browsers (keeping a ``#fragment``); links in the pages point straight at the target. The
  generated ``.htaccess`` and ``nginx.conf`` restore the real 303s with content negotiation;
* what only negotiation reaches (the description in each format, each named graph's
  statements) is under ``_variants/``, which the configurations serve only through
  ``/void`` and ``/graph/…``;
* the language switch ``/lang/de?next=/a`` links to the page in the other tree (``/de/a``);
* ``/search?q=…`` runs in the browser over ``search-index.json``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urldefrag, urlsplit, urlunsplit

from bs4 import BeautifulSoup
from jinja2 import Environment, PackageLoader
from pyoxigraph import Literal, NamedNode

from twinkg.config import DEFAULT_LANGUAGE, ONTOLOGY_NS, UI_LANGUAGES
from twinkg.negotiation import DATA, VOID
from twinkg.ontology_files import ontology_version

from .files import is_export, read_manifest
from .sparqlfiles import select
from .sitefiles import pages_as_of_release, write_site_files
from .webconfig import VARIANTS, SiteFacts, write_web_config

#: Addresses a static copy cannot have; each gets a page that says where the live one is.
SKIP_PREFIXES = ("/sparql",)
#: Where the crawl starts: pages link to the rest; the ontology's RDF files are reached only
#: by content negotiation (the 303s the web-server configuration restores).
SEEDS = ("/", "/download", "/download/manifest.json", "/download/SHA256SUMS", "/ontology",
         "/ontology.html", "/ontology.ttl", "/ontology.rdf", "/ontology.jsonld", "/void", "/.well-known/void")
LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"))
LANGUAGE_SWITCH = "/lang/"
DOWNLOADS = "/download/"
SEARCH = "/search"
SEARCH_INDEX = "search-index.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]")


def _segment(text: str) -> str:
    """A query value as one safe path segment (no %-escapes, which servers would decode)."""
    safe = _UNSAFE.sub("_", text)
    if safe != text or not text:
        safe += "~" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return safe


def page_dir(url: str) -> str:
    """``/a/b?k=v`` → ``a/b/k-v`` (site-relative directory of an HTML page)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    segments += [f"{_segment(k)}-{_segment(v)}" for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return "/".join(segments)


def canonical(url: str) -> str:
    """Without fragment and without an empty ``?`` (Flask's ``request.full_path`` ends in one)."""
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def has_extension(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.query and "." in parts.path.rsplit("/", 1)[-1]


#: The test client's own origin: absolute links to it (canonical links) are internal.
TEST_ORIGIN = "http://localhost"


def internal_path(href: str) -> str | None:
    """The site path ``href`` links to, or None for another site."""
    if href.startswith(TEST_ORIGIN + "/"):
        href = href[len(TEST_ORIGIN):]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith("//"):
        return None
    return href


def is_internal(href: str) -> bool:
    return internal_path(href) is not None


@dataclass
class SiteResult:
    directory: Path
    pages: dict[str, dict[str, str]] = field(default_factory=dict)  # lang → url → file
    files: dict[str, str] = field(default_factory=dict)  # url → file
    redirects: dict[str, str] = field(default_factory=dict)  # url → target
    failures: dict[str, int] = field(default_factory=dict)  # url → status

    @property
    def page_count(self) -> int:
        return sum(map(len, self.pages.values()))


def _env(autoescape: bool = True) -> Environment:
    return Environment(loader=PackageLoader("twinkg.export", "templates"), autoescape=autoescape)


class SiteWriter:
    def __init__(self, app, out: Path, languages: tuple[str, ...], default: str, progress=lambda _: None):
        self.client = app.test_client()
        self.dataset = app.extensions["twinkg"]
        self.out = out
        self.languages = languages
        self.default = default
        self.progress = progress
        self.result = SiteResult(out)
        self.soups: dict[str, dict[str, BeautifulSoup]] = {lang: {} for lang in languages}
        #: Where the copy is published: the dataset's base IRI (its host serves the site).
        self.public_base = self.dataset.meta.get("base_iri") or self.dataset.settings.base_iri

    # -- phase 1: fetch everything the pages link to, in every language ---------------------

    def _write(self, relative: str, data: bytes) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _fetch(self, url: str, lang: str) -> list[str]:
        """Keep what ``url`` answers a browser reading ``lang``; return its internal links."""
        if url in self.result.files or url in self.result.redirects or url in self.soups[lang]:
            return []
        response = self.client.get(url, headers={"Accept": "text/html,*/*;q=0.8", "Accept-Language": lang})
        if 300 <= response.status_code < 400:
            self.result.redirects[url] = response.headers["Location"]
            return [response.headers["Location"]]
        if response.status_code != 200:
            self.result.failures[url] = response.status_code
            return []
        # The release's files are published as they are (SHA256SUMS lists their bytes), HTML too.
        if response.mimetype == "text/html" and not url.startswith(DOWNLOADS):
            soup = BeautifulSoup(response.get_data(), "html.parser")
            self.soups[lang][url] = soup
            return [internal_path(element[attribute]) for tag, attribute in LINK_ATTRIBUTES
                    for element in soup.find_all(tag) if is_internal(element.get(attribute) or "")]
        if urlsplit(url).query:  # a file has one name: such a link has no static counterpart
            self.result.failures[url] = response.status_code
            return []
        relative = urlsplit(url).path.lstrip("/")
        self._write(relative, response.get_data())
        self.result.files[url] = relative
        return []

    def entity_seeds(self) -> list[str]:
        """Every entity's identifier (``/id/…``): other datasets link to these IRIs."""
        base = self.dataset.meta.get("base_iri") or self.dataset.settings.base_iri
        rows = select(self.dataset.store, "site-entities", space=Literal(base + "id/"), ns=NamedNode(ONTOLOGY_NS))
        return ["/id/" + row["e"].value[len(base + "id/"):] for row in rows]

    def crawl(self, lang: str) -> None:
        seeds = [*SEEDS, *self.entity_seeds()]
        queue, seen = deque(seeds), set(seeds)
        while queue:
            for link in self._fetch(queue.popleft(), lang):
                link = canonical(link)
                if link.startswith(LANGUAGE_SWITCH):  # the switch itself sets a cookie; follow its target
                    link = canonical(self._switch(link)[1])
                if link not in seen and not link.startswith(SKIP_PREFIXES):
                    seen.add(link)
                    queue.append(link)

    # -- phase 2: write the pages with links to files ------------------------------------------

    @staticmethod
    def _switch(url: str) -> tuple[str, str]:
        parts = urlsplit(url)
        lang = parts.path[len(LANGUAGE_SWITCH):].strip("/")
        target = parse_qs(parts.query).get("next", ["/"])[0]
        return lang, target if is_internal(target) else "/"

    def prefix(self, lang: str) -> str:
        return "" if lang == self.default else "/" + lang

    def target(self, lang: str, url: str, hops: int = 0) -> str:
        """Where a link to ``url`` points in the ``lang`` tree of the static copy."""
        path, fragment = urldefrag(url)
        path = canonical(path)
        anchor = f"#{fragment}" if fragment else ""
        if path.startswith(LANGUAGE_SWITCH):
            other, following = self._switch(path)
            return self.target(other if other in self.languages else lang, following, hops) + anchor
        if path in self.result.redirects and hops < 5:
            return self.target(lang, self.result.redirects[path], hops + 1) + anchor
        if path.startswith(SKIP_PREFIXES):
            return "/" + urlsplit(path).path.strip("/") + anchor
        if path in self.soups[lang] and not has_extension(path):
            # the live address, without a trailing slash (servers answer it without redirect)
            return "/" + "/".join(p for p in (self.prefix(lang).strip("/"), page_dir(path)) if p) + anchor
        return url  # files and extension-named pages are shared by all languages

    def _rewrite(self, soup: BeautifulSoup, lang: str) -> None:
        for tag, attribute in LINK_ATTRIBUTES:
            for element in soup.find_all(tag):
                value = element.get(attribute)
                if value and is_internal(value):
                    element[attribute] = self.target(lang, internal_path(value))
        # Embedded JSON-LD names the page by the URL it was rendered at: the published one.
        for script in soup.find_all("script", type="application/ld+json"):
            if script.string and TEST_ORIGIN + "/" in script.string:
                script.string = script.string.replace(TEST_ORIGIN + "/", self.public_base)
        # Scripts build links from JSON in data attributes (the map's markers): rewrite those too.
        for element in soup.find_all(attrs={"data-markers": True}):
            markers = json.loads(element["data-markers"])
            for marker in markers:
                if isinstance(marker, dict) and is_internal(marker.get("href") or ""):
                    marker["href"] = self.target(lang, internal_path(marker["href"]))
            element["data-markers"] = json.dumps(markers, ensure_ascii=False)

    def _page_file(self, lang: str, url: str) -> str:
        if has_extension(url):
            return urlsplit(url).path.lstrip("/")
        directory = "/".join(p for p in (self.prefix(lang).strip("/"), page_dir(url)) if p)
        return f"{directory}/index.html" if directory else "index.html"

    def write_pages(self) -> None:
        for lang in self.languages:
            written = self.result.pages.setdefault(lang, {})
            for url, soup in self.soups[lang].items():
                if has_extension(url) and lang != self.default:
                    continue
                if url == SEARCH:
                    self._add_static_search(soup, lang)
                self._rewrite(soup, lang)
                self._write(self._page_file(lang, url), str(soup).encode("utf-8"))
                written[url] = self._page_file(lang, url)
        forward = _env().get_template("redirect.html")
        for url, target in self.result.redirects.items():
            if not url.startswith(LANGUAGE_SWITCH):
                self._write(self._page_file(self.default, url),
                            forward.render(target=self.target(self.default, target)).encode("utf-8"))

    # -- what a static copy needs besides the pages --------------------------------------------

    def _add_static_search(self, soup: BeautifulSoup, lang: str) -> None:
        """The search page searches search-index.json in the browser (no server to ask)."""
        results = soup.new_tag("section", id="static-search", attrs={"aria-live": "polite"})
        scope = soup.main or soup.body
        form = scope.find("form", attrs={"action": SEARCH})
        if form is not None:
            form.insert_after(results)
        else:
            scope.append(results)
        script = soup.new_tag("script", src="/static/static-search.js",
                              attrs={"defer": "", "data-index": "/" + SEARCH_INDEX, "data-prefix": self.prefix(lang),
                                     "data-lang": lang})
        soup.head.append(script)

    def search_index(self) -> None:
        store = self.dataset.store
        base = self.dataset.meta.get("base_iri") or self.dataset.settings.base_iri
        space = base + "id/"
        entries: dict[str, dict] = {}
        for row in select(store, "search-entries", space=Literal(space), ns=NamedNode(ONTOLOGY_NS)):
            iri = row["e"].value
            entry = entries.setdefault(iri, {"href": "/page/" + iri[len(space):],
                                             "class": row["class"].value[len(ONTOLOGY_NS):],
                                             "labels": {}, "texts": []})
            text: Literal = row["text"]
            if row["p"].value.endswith("#label") and text.language:
                entry["labels"].setdefault(text.language, text.value)
            elif row["p"].value.endswith("#label"):
                entry["labels"].setdefault("", text.value)
            if text.value not in entry["texts"]:
                entry["texts"].append(text.value)
        classes: dict[str, dict[str, str]] = {}
        for row in select(store, "class-labels", ns=NamedNode(ONTOLOGY_NS)):
            classes.setdefault(row["class"].value[len(ONTOLOGY_NS):], {})[row["label"].language or ""] = \
                row["label"].value
        document = {"classes": classes, "entries": sorted(entries.values(), key=lambda e: e["href"])}
        self._write(SEARCH_INDEX, json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def graph_names(self) -> list[str]:
        """The named graphs of the dataset (``graph/<name>``), which live dereferences."""
        graph_base = self.dataset.settings.graph_base
        return sorted(g.value[len(graph_base):] for g in self.dataset.store.named_graphs()
                      if g.value.startswith(graph_base))

    def variants(self) -> list[tuple[str, bool]]:
        """What only negotiation reaches, as live answers it: the description in each of its
        formats and each graph's statements in each data format. Returns the graphs, and
        whether a browser is sent to a page for each."""
        for fmt in VOID:
            self._variant("/void", fmt, f"void.{fmt.file_extension}")
        graphs = []
        for name in self.graph_names():
            for fmt in DATA:
                self._variant(f"/graph/{name}", fmt, f"graph/{name}.{fmt.file_extension}")
            browser = self.client.get(f"/graph/{name}", headers={"Accept": "text/html"})
            graphs.append((name, browser.status_code == 303))
        return graphs

    def _variant(self, url: str, fmt, relative: str) -> None:
        response = self.client.get(url, headers={"Accept": fmt.media_type})
        if response.status_code != 200:
            self.result.failures[f"{url} ({fmt.media_type})"] = response.status_code
            return
        self._write(f"{VARIANTS}/{relative}", response.get_data())

    def query_pages(self) -> list[str]:
        """The pages written for queries (``timeline`` for ``/timeline?year=2022``), in every
        language's tree; the search runs its query in the browser."""
        stems = {urlsplit(url).path for lang in self.languages for url in self.soups[lang]
                 if urlsplit(url).query and urlsplit(url).path not in (SEARCH, "/")}
        return sorted("/".join(p for p in (self.prefix(lang).strip("/"), stem.strip("/")) if p)
                      for stem in stems for lang in self.languages)

    def extras(self) -> None:
        endpoint = (self.dataset.meta.get("base_iri") or self.dataset.settings.base_iri) + "sparql"
        page = _env().get_template("sparql-static.html").render(endpoint=endpoint)
        for prefix in SKIP_PREFIXES:
            self._write(prefix.strip("/") + "/index.html", page.encode("utf-8"))
        for package in ("twinkg.server", "twinkg.export"):
            with as_file(files(package).joinpath("static")) as static:
                shutil.copytree(static, self.out / "static", dirs_exist_ok=True)


def write_site(app, out: Path, progress=lambda _: None) -> SiteResult:
    out.mkdir(parents=True, exist_ok=True)
    languages = (DEFAULT_LANGUAGE, *(lang for lang in UI_LANGUAGES if lang != DEFAULT_LANGUAGE))
    pages_as_of_release(app)
    writer = SiteWriter(app, out, languages, DEFAULT_LANGUAGE, progress)
    for lang in languages:
        progress(f"rendering the pages in {lang}")
        writer.crawl(lang)
    writer.write_pages()
    writer.search_index()
    writer.extras()
    write_site_files(writer, TEST_ORIGIN)  # robots.txt, sitemap.xml, 404.html
    downloads = out / "download"
    manifest = read_manifest(downloads) if is_export(downloads) else {}
    write_web_config(out, SiteFacts(base_iri=writer.public_base, release=manifest.get("release", ""),
                                    ontology_version=_ontology_version(out / "ontology.ttl"),
                                    graphs=writer.variants(), query_pages=writer.query_pages()))
    text = _env(autoescape=False).get_template("SITE.md").render(
        release=manifest.get("release", "?"), version=manifest.get("version", "?"),
        languages=languages, default=DEFAULT_LANGUAGE)
    (out / "SITE.md").write_text(text, encoding="utf-8")
    result = writer.result
    progress(f"wrote {result.page_count} pages, {len(result.files)} files, {len(result.redirects)} forwarding pages")
    return result


def _ontology_version(path: Path) -> str:
    """owl:versionInfo of the published ontology (its version IRI is ``ontology/<version>``)."""
    return ontology_version(path.read_bytes()) if path.exists() else ""
