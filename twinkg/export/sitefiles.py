"""The files a static copy needs besides its pages: robots.txt, sitemap.xml and 404.html.

Each is what the app answers (through the same test client as the pages), with its
addresses moved to where the copy is published: the dataset's base IRI, and each page's
file in every language tree (so the sitemap lists the pages the copy really has). Pages are
rendered as of the release's date (server/pages/routes.py), so a copy is a function of the store.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

from twinkg.config import PAGES_AS_OF_RELEASE
from twinkg.errors import TwinkgError

from .webconfig import ERROR_PAGE

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: An address no page has: the app's own "not found" page answers it.
MISSING = "/.twinkg-missing-page"


def pages_as_of_release(app) -> None:
    """Entity pages (anniversaries, who holds an office) as of the release, not of today."""
    app.config[PAGES_AS_OF_RELEASE] = True


def write_site_files(writer, origin: str) -> None:
    """``writer``: the SiteWriter after its pages are written; ``origin``: its test client's
    origin (``http://localhost``), which absolute addresses in the app's answers start with."""
    base = writer.public_base
    robots = writer.client.get("/robots.txt").get_data(as_text=True)
    writer._write("robots.txt", robots.replace(origin + "/", base).encode("utf-8"))
    writer._write("sitemap.xml", _sitemap(writer, origin))
    writer._write(ERROR_PAGE, _not_found_page(writer))


def _sitemap(writer, origin: str) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    root = ET.fromstring(writer.client.get("/sitemap.xml").get_data())
    urlset = ET.Element(root.tag, root.attrib)
    urlset.text, q = "\n  ", f"{{{SITEMAP_NS}}}"
    for url in root.findall(q + "url"):
        loc = url.findtext(q + "loc")
        path = loc[len(origin):] if loc.startswith(origin + "/") else None
        for lang in writer.languages:
            if path is None or path not in writer.soups[lang]:
                continue  # a page the copy does not have (in this language)
            entry = ET.SubElement(urlset, q + "url")
            ET.SubElement(entry, q + "loc").text = base_url(writer.public_base, writer.target(lang, path))
            ET.SubElement(entry, q + "lastmod").text = url.findtext(q + "lastmod")
            entry.tail = "\n  "
    if len(urlset):
        urlset[-1].tail = "\n"
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def base_url(base: str, path: str) -> str:
    return base + path.lstrip("/")


def _not_found_page(writer) -> bytes:
    """The app's error page for an unknown address, for the web server's 404 (any depth:
    its links are absolute). Without the language switch, which would lead to that address."""
    response = writer.client.get(MISSING, headers={"Accept": "text/html", "Accept-Language": writer.default})
    if response.status_code != 404:
        raise TwinkgError(f"{MISSING} answered {response.status_code}, not the app's 404 page")
    soup = BeautifulSoup(response.get_data(), "html.parser")
    for switch in soup.select(".lang-switch"):
        switch.decompose()
    writer._rewrite(soup, writer.default)
    return str(soup).encode("utf-8")
