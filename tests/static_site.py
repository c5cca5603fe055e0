"""Serving a static site directory for tests: Python's plain file server and nginx."""

from __future__ import annotations

import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from helpers import free_port, serving

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"
LINKS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"))


@contextmanager
def plain_server(site: Path):
    """``python -m http.server``: a file server that knows nothing of twinkg."""
    port = free_port()
    with serving([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                  "--directory", str(site)], f"http://127.0.0.1:{port}") as base:
        yield base


@contextmanager
def nginx_server(site: Path, work: Path):
    """nginx with the generated nginx-http.conf in its http block and nginx.conf in its server block."""
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx-test.conf"
    maps = site / "nginx-http.conf"
    http_part = f"include {maps};" if maps.exists() else ""  # (absent in exports before it existed)
    conf.write_text(f"""
daemon off; master_process off; pid {work}/nginx.pid; error_log stderr;
events {{}}
http {{
  include /etc/nginx/mime.types; access_log off;
  client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};
  uwsgi_temp_path {work}; scgi_temp_path {work};
  {http_part}
  server {{ listen 127.0.0.1:{port}; root {site}; include {site}/nginx.conf; }}
}}
""")
    with serving([NGINX, "-p", str(work), "-c", str(conf)], f"http://127.0.0.1:{port}") as base:
        yield base


@contextmanager
def apache_server(site: Path):
    """Apache httpd reading the generated .htaccess (AllowOverride All). Its children run as
    nobody, so they serve a world-readable copy of the site (pytest's tmp dirs are private)."""
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="twinkg-apache-"))
    try:
        root = work / "site"
        shutil.copytree(site, root)
        for path in [work, *work.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
                             for name in ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers"))
        conf = work / "httpd.conf"
        conf.write_text(f"""
ServerRoot {work}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
{modules}
User nobody
Group nogroup
TypesConfig /etc/mime.types
DocumentRoot {root}
DirectoryIndex index.html
<Directory {root}>
  AllowOverride All
  Require all granted
</Directory>
""")
        with serving([APACHE, "-X", "-f", str(conf)], f"http://127.0.0.1:{port}") as base:
            yield base
    finally:
        shutil.rmtree(work, ignore_errors=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def head(url: str, accept: str | None = None, follow: bool = False):
    """(status, headers) of a GET, without following redirects unless asked."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def crawl(base: str, start: str = "/") -> tuple[dict[str, int], dict[str, str]]:
    """Every internal link of every HTML page, followed over HTTP: status by URL, and where
    each URL was first linked from."""
    status, linked_from = {}, {}
    queue, seen = deque([start]), {start}
    while queue:
        path = queue.popleft()
        code, headers, body = head(base + path, "text/html,*/*;q=0.8", follow=True)
        status[path] = code
        if code != 200 or not headers.get("Content-Type", "").startswith("text/html"):
            continue
        soup = BeautifulSoup(body, "html.parser")
        for tag, attribute in LINKS:
            for element in soup.find_all(tag):
                href = element.get(attribute)
                if not href:
                    continue
                target = urldefrag(urljoin(path, href))[0]
                parts = urlsplit(target)
                if parts.scheme or parts.netloc or not target.startswith("/"):
                    continue
                if target not in seen:
                    seen.add(target)
                    linked_from[target] = path
                    queue.append(target)
    return status, linked_from
