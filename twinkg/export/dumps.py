"""The dumps: the dataset with its named graphs, and the merged graph, in every RDF syntax.

Everything is streamed from the store into gzip files: pyoxigraph's ``Store.dump`` for the
quad formats, ``pyoxigraph.serialize`` over a lazy triple iterator for the merged graph,
and our own node-by-node writer for JSON-LD with the published context.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from pyoxigraph import RdfFormat, Store, Triple, serialize

from twinkg.config import PREFIXES
from twinkg.formats import DATASET_FORMATS, DOCUMENT_FORMATS, prefixes_for

from .files import ExportFile, describe, gzip_writer
from .jsonld import write_jsonld
from .sparqlfiles import read_query

BASENAME = "twinkg"


def merged_subjects(store: Store) -> Iterator[tuple[object, list[Triple]]]:
    """Each subject with its triples over all graphs, a triple stated in two graphs once."""
    for row in store.query(read_query("subjects"), use_default_graph_as_union=True):
        subject = row["s"]
        yield subject, list(dict.fromkeys(q.triple for q in store.quads_for_pattern(subject, None, None)))


def merged_triples(store: Store) -> Iterator[Triple]:
    for _, triples in merged_subjects(store):
        yield from triples


@dataclass(frozen=True)
class Dump:
    format: RdfFormat
    #: the dataset with its named graphs (quad formats) or the merged graph
    quads: bool
    write: Callable[[Store, object, dict], None]

    @property
    def file_name(self) -> str:
        return f"{BASENAME}.{self.format.file_extension}.gz"

    @property
    def title(self) -> str:
        scope = "dataset with named graphs" if self.quads else "merged graph"
        return f"{self.format.name} ({scope}, gzip)"


def _dataset(fmt: RdfFormat):
    prefixes = prefixes_for(fmt, PREFIXES)
    return lambda store, out, context: store.dump(out, fmt, prefixes=prefixes)


def _merged(fmt: RdfFormat):
    if fmt == RdfFormat.JSON_LD:  # with the published context, node by node
        return lambda store, out, context: write_jsonld(out, context, merged_subjects(store))
    prefixes = prefixes_for(fmt, PREFIXES)
    return lambda store, out, context: serialize(merged_triples(store), out, fmt, prefixes=prefixes)


#: The quad formats first, then the merged graph's (the listing's order).
DUMPS = (*(Dump(fmt, True, _dataset(fmt)) for fmt in DATASET_FORMATS),
         *(Dump(fmt, False, _merged(fmt)) for fmt in DOCUMENT_FORMATS))


def write_dumps(store: Store, out: Path, context: dict, progress=lambda _: None) -> list[ExportFile]:
    entries = []
    for dump in DUMPS:
        path = out / dump.file_name
        progress(f"writing {path.name}")
        with gzip_writer(path) as stream:
            dump.write(store, stream, context)
        entries.append(describe(path, "dump", dump.title, dump.format.media_type))
    return entries
