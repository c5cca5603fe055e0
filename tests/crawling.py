"""A crawler over the site through the Flask test client (used by the crawl and XSS tests)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from bs4 import BeautifulSoup

# /lang/… only sets a cookie and redirects back to a page the crawl reaches anyway.
SKIP = ("/lang/",)


@dataclass
class Crawl:
    status: dict[str, int] = field(default_factory=dict)
    html: dict[str, BeautifulSoup] = field(default_factory=dict)
    linked_from: dict[str, str] = field(default_factory=dict)

    def pages(self, prefix: str) -> set[str]:
        return {p for p in self.status if p.startswith(prefix)}


def _links(soup: BeautifulSoup) -> list[str]:
    found = [a.get("href") for a in soup.find_all("a")]
    found += [link.get("href") for link in soup.find_all("link")]
    found += [s.get("src") for s in soup.find_all("script")]
    return [f for f in found if f]


def crawl(client, start: str = "/", lang: str = "en", limit: int = 5000) -> Crawl:
    result = Crawl()
    queue = deque([start])
    seen = {start}
    while queue and len(result.status) < limit:
        path = queue.popleft()
        response = client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
        result.status[path] = response.status_code
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        soup = BeautifulSoup(response.data, "html.parser")
        result.html[path] = soup
        for href in _links(soup):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            if href not in seen:
                seen.add(href)
                result.linked_from[href] = path
                queue.append(href)
    return result
