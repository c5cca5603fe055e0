"""Web-server configuration for the static site: media types, 303s, content negotiation."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader
from pyoxigraph import RdfFormat

#: The formats of the data documents behind /id/… and of the ontology (Turtle is the default).
DATA_FORMATS = (RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD, RdfFormat.RDF_XML)
ONTOLOGY_FORMATS = (RdfFormat.TURTLE, RdfFormat.RDF_XML, RdfFormat.JSON_LD)
#: Media types by file extension, from the library, plus the non-RDF files of the export.
TYPES = [(f.file_extension, f.media_type) for f in (*DATA_FORMATS, RdfFormat.N_QUADS, RdfFormat.TRIG)] + [
    ("gz", "application/gzip"), ("cff", "application/yaml"), ("md", "text/markdown")]
EXTENSIONLESS = [("void", "text/turtle"), (".well-known/void", "text/turtle"),
                 ("download/SHA256SUMS", "text/plain")]


def _pattern(fmt: RdfFormat) -> str:
    """The media type as a regular expression (both servers use PCRE)."""
    return re.escape(fmt.media_type)


def _context() -> dict:
    return {
        "types": TYPES,
        "id_formats": [(f.file_extension, _pattern(f)) for f in DATA_FORMATS],
        "ontology_formats": [(f.file_extension, _pattern(f)) for f in ONTOLOGY_FORMATS],
        "ontology_default": ONTOLOGY_FORMATS[0].file_extension,
    }


def write_web_config(out: Path) -> None:
    env = Environment(loader=PackageLoader("twinkg.export", "templates"), autoescape=False,
                      keep_trailing_newline=True)
    context = _context()
    # Apache's <Files> matches a base name; nginx's location a full path.
    apache = {**context, "extensionless": sorted({(Path(name).name, t) for name, t in EXTENSIONLESS})}
    (out / ".htaccess").write_text(env.get_template("htaccess.txt").render(apache), encoding="utf-8")
    nginx = {**context, "extensionless": EXTENSIONLESS}
    (out / "nginx.conf").write_text(env.get_template("nginx.conf.txt").render(nginx), encoding="utf-8")
