"""Web-server configuration for the static site: the live server's answers, from files.

nginx (``nginx-http.conf`` in ``http {}``, ``nginx.conf`` in the site's ``server {}``) and
Apache httpd (``.htaccess``: mod_rewrite, mod_headers, mod_mime) answer every dataset IRI as
the live server does: the same status and target, the live negotiation compiled into ordered
regexes (twinkg/export/accept_rules.py), unknown identifiers 404, the minted IRIs (ontology
version, shapes, graphs, dataset and release IRIs, the description in four formats), the
live addresses of pages (no trailing slash; a trailing slash redirects to the address
without; ``?k=v`` queries), CORS and ``Link: rel="describes"`` where live sends them, and
no configuration file served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader

from twinkg.formats import GRAPH_FORMATS
from twinkg.negotiation import DATA, DATASET, ENTITY, ONTOLOGY, SHAPES, VOID

from .accept_rules import (EMPTY, EMPTY_FIELD, NAMED_BAD_Q, NOT_ACCEPTABLE, composite_fields, composite_rules,
                           first_params, media_key, media_patterns, steps, tier_tests)

#: Media types by file extension, from the library, plus the non-RDF files of the export.
TYPES = [(f.file_extension, f.media_type) for f in GRAPH_FORMATS] + [
    ("gz", "application/gzip"), ("cff", "application/yaml"), ("md", "text/markdown")]
EXTENSIONLESS = [("void", VOID[0].media_type), (".well-known/void", VOID[0].media_type),
                 ("download/SHA256SUMS", "text/plain")]
#: Where the representations live that only negotiation reaches (the other formats of /void,
#: the statements of each /graph/…): not addresses of their own, so both servers refuse them
#: to direct requests (404), as live has no such address.
VARIANTS = "_variants"
#: Files of the site that are not content (live has no such address): 404 on both servers.
HIDDEN = (".htaccess", "nginx.conf", "nginx-http.conf", "SITE.md")
ERROR_PAGE = "404.html"
#: The negotiated resources: (name, offered) — names of the nginx map variables and Apache
#: environment variables.
NEGOTIATIONS = (("entity", ENTITY), ("ontology", ONTOLOGY), ("shapes", SHAPES), ("void", VOID),
                ("dataset", DATASET))
#: Prefixes of the paths live answers with CORS headers (server/cors.py and its blueprints).
CORS_PATHS = ("id/", "data/", "void", ".well-known/void", "download", "ontology", "graph/", "shapes",
              "dataset", "catalog", "queries", "sparql")
#: A query value the static files can name (site.py page_dir: other values are hashed).
SAFE = "A-Za-z0-9._~-"


@dataclass
class SiteFacts:
    """What the configuration needs to know about the exported site."""
    base_iri: str
    release: str
    ontology_version: str
    #: (graph name, whether a browser is sent to its source's page)
    graphs: list[tuple[str, bool]] = field(default_factory=list)
    #: page paths that take a query (``/timeline``, ``/de/timeline``), without the leading ``/``
    query_pages: list[str] = field(default_factory=list)


def _patterns() -> tuple[str, ...]:
    return media_patterns(*(offered for _, offered in NEGOTIATIONS))


def _negotiations() -> list[dict]:
    return [{"name": name, "default": offered[0].file_extension, "steps": steps(offered),
             "composite": composite_rules(offered, _patterns())} for name, offered in NEGOTIATIONS]


def _media() -> list[tuple[str, str]]:
    """(key, regex of its first range, parameters in group 1) for the ranges the steps read."""
    return [(media_key(m), first_params(m)) for m in _patterns()]


def _context(facts: SiteFacts) -> dict:
    return {
        "types": TYPES,
        "negotiations": _negotiations(),
        "media": _media(),
        "tier_tests": tier_tests(),
        "named_bad_q": NAMED_BAD_Q,
        "composite_fields": composite_fields(_patterns()),
        "empty_field": EMPTY_FIELD,
        "empty": EMPTY,
        "not_acceptable": NOT_ACCEPTABLE,
        "facts": facts,
        "variants": VARIANTS,
        "hidden": HIDDEN,
        "error_page": ERROR_PAGE,
        "data_extensions": [f.file_extension for f in DATA],
        "void_extensions": [f.file_extension for f in VOID],
        "cors_paths": CORS_PATHS,
        "safe": SAFE,
        "offered": {name: ", ".join(o.media_type for o in offered) for name, offered in NEGOTIATIONS},
    }


def write_web_config(out: Path, facts: SiteFacts) -> None:
    env = Environment(loader=PackageLoader("twinkg.export", "templates"), autoescape=False,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    context = _context(facts)
    # Apache's <Files> matches a base name; nginx's location a full path.
    apache = {**context, "extensionless": sorted({(Path(name).name, t) for name, t in EXTENSIONLESS})}
    (out / ".htaccess").write_text(env.get_template("htaccess.txt").render(apache), encoding="utf-8")
    nginx = {**context, "extensionless": EXTENSIONLESS}
    (out / "nginx-http.conf").write_text(env.get_template("nginx-http.conf.txt").render(nginx), encoding="utf-8")
    (out / "nginx.conf").write_text(env.get_template("nginx.conf.txt").render(nginx), encoding="utf-8")
