"""The ontology and the SHACL shapes, published in Turtle, RDF/XML and JSON-LD."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from twinkg.config import PREFIXES, SHAPES_NS
from twinkg.formats import VOCABULARY_FORMATS
from twinkg.ontology_files import ontology_bytes, shapes_bytes, turtle_store

from .canonical import by_subject, canonical_triples
from .files import ExportFile, describe
from .jsonld import write_jsonld

SHAPES_PREFIXES = {**PREFIXES, "tksh": SHAPES_NS, "sh": "http://www.w3.org/ns/shacl#"}

#: (file stem, role, title, Turtle source, prefixes)
VOCABULARIES = (
    ("ontology", "ontology", "twinkg ontology", ontology_bytes, PREFIXES),
    ("shapes", "shapes", "twinkg SHACL shapes", shapes_bytes, SHAPES_PREFIXES),
)


def write_vocabularies(out: Path, context: dict, progress=lambda _: None) -> list[ExportFile]:
    entries = []
    for stem, role, title, source, prefixes in VOCABULARIES:
        progress(f"writing {stem}.ttl, .rdf, .jsonld")
        text = source()
        # Sorted, with canonical blank-node labels: the same vocabulary gives the same bytes.
        triples = canonical_triples(q.triple for q in turtle_store(text))
        # The Turtle is the curated file itself: its comments and layout are documentation.
        (out / f"{stem}.ttl").write_bytes(text)
        with (out / f"{stem}.rdf").open("wb") as f:
            serialize(triples, f, RdfFormat.RDF_XML, prefixes=prefixes)
        with (out / f"{stem}.jsonld").open("wb") as f:
            write_jsonld(f, {**prefixes, **context}, by_subject(triples))
        entries += [describe(out / f"{stem}.{fmt.file_extension}", role, f"{title} ({fmt.name})", fmt.media_type)
                    for fmt in VOCABULARY_FORMATS]
    return entries
