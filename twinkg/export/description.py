"""The dataset's VoID + DCAT 3 description, generated from the store and the export's files.

Statistics come from SPARQL over the store (twinkg/export/sparql/*.rq); distributions from
the files just written (sizes and SHA-256 checksums); title, description, publisher,
keywords and version from the data directory's DATASET.toml; the licence from the settings.

IRIs: ``{base}dataset`` is the dataset across releases; ``{base}dataset/{build version}`` is
this release (the version IRI); files are downloaded from ``{base}download/{file}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, serialize

from twinkg.config import ONTOLOGY_NS, PREFIXES, Settings

from .canonical import canonical_triples, rdflib_graph
from .files import ExportFile
from .metadata import DatasetInfo
from .queries import select

NS = {
    **PREFIXES,
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
}
IANA = "https://www.iana.org/assignments/media-types/"

#: External datasets we link to: (slug, dataset IRI, title, URI space of its entities).
LINK_TARGETS = (
    ("wikidata", "https://www.wikidata.org/", "Wikidata", "http://www.wikidata.org/entity/"),
    ("geonames", "https://www.geonames.org/", "GeoNames", "https://sws.geonames.org/"),
)


def term(curie: str) -> NamedNode:
    prefix, _, local = curie.partition(":")
    return NamedNode(NS[prefix] + local)


A = term("rdf:type")
XSD = lambda local: NamedNode(NS["xsd"] + local)  # noqa: E731


def integer(n: int, datatype: str = "integer") -> Literal:
    return Literal(str(n), datatype=XSD(datatype))


@dataclass(frozen=True)
class Release:
    """Which release is being described."""
    base_iri: str
    build_version: str
    loaded_at: str  # ISO 8601 UTC, from meta.json

    @property
    def dataset(self) -> NamedNode:
        return NamedNode(self.base_iri + "dataset")

    @property
    def version_iri(self) -> NamedNode:
        return NamedNode(f"{self.base_iri}dataset/{self.build_version}")

    def download_url(self, name: str) -> NamedNode:
        return NamedNode(f"{self.base_iri}download/{name}")

    @property
    def sparql(self) -> NamedNode:
        return NamedNode(self.base_iri + "sparql")

    @property
    def uri_space(self) -> str:
        return self.base_iri + "id/"

    @property
    def issued(self) -> Literal:
        stamp = datetime.strptime(self.loaded_at, "%Y-%m-%dT%H:%M:%SZ")
        return Literal(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD("dateTime"))


def release_for(settings: Settings, meta: dict) -> Release:
    return Release(meta.get("base_iri", settings.base_iri), meta["version"], meta["loaded_at"])


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


class _Graph:
    """Triples grouped by subject (in order of first mention), so the Turtle reads as records."""

    def __init__(self):
        self.by_subject: dict[object, list[Triple]] = {}

    def add(self, s, p, o) -> None:
        self.by_subject.setdefault(s, []).append(Triple(s, term(p) if isinstance(p, str) else p, o))

    @property
    def triples(self) -> list[Triple]:
        return [t for ts in self.by_subject.values() for t in ts]

    def texts(self, s, p, texts: dict[str, str]) -> None:
        for lang, text in texts.items():
            self.add(s, p, Literal(text, language=lang))


def _about(g: _Graph, node, info: DatasetInfo) -> None:
    g.add(node, "rdf:type", term("dcat:Dataset"))
    g.texts(node, "dct:title", info.title)
    g.texts(node, "dct:description", info.description)
    g.add(node, "dct:license", NamedNode(info.license))
    publisher = BlankNode()
    g.add(node, "dct:publisher", publisher)
    g.add(publisher, "rdf:type", term("foaf:Agent"))
    g.add(publisher, "foaf:name", Literal(info.publisher))
    for lang, words in info.keywords.items():
        for word in words:
            g.add(node, "dcat:keyword", Literal(word, language=lang))


def _distribution(g: _Graph, release: Release, dataset, f: ExportFile, info: DatasetInfo) -> None:
    node = NamedNode(f"{release.version_iri.value}/distribution/{f.name}")
    url = release.download_url(f.name)
    g.add(dataset, "dcat:distribution", node)
    g.add(node, "rdf:type", term("dcat:Distribution"))
    g.add(node, "dct:title", Literal(f.title, language="en"))
    g.add(node, "dcat:downloadURL", url)
    g.add(node, "dcat:accessURL", url)
    g.add(node, "dcat:mediaType", NamedNode(IANA + f.media_type))
    if f.compression:
        g.add(node, "dcat:compressFormat", NamedNode(IANA + "application/" + f.compression))
    g.add(node, "dcat:byteSize", integer(f.byte_size, "nonNegativeInteger"))
    g.add(node, "dct:license", NamedNode(info.license))
    checksum = BlankNode()
    g.add(node, "spdx:checksum", checksum)
    g.add(checksum, "rdf:type", term("spdx:Checksum"))
    g.add(checksum, "spdx:algorithm", term("spdx:checksumAlgorithm_sha256"))
    g.add(checksum, "spdx:checksumValue", Literal(f.sha256, datatype=XSD("hexBinary")))
    g.add(dataset, "void:dataDump", url)


def _statistics(g: _Graph, store: Store, release: Release, dataset) -> None:
    space = Literal(release.uri_space)
    g.add(dataset, "rdf:type", term("void:Dataset"))
    g.add(dataset, "void:uriSpace", space)
    g.add(dataset, "void:sparqlEndpoint", release.sparql)
    g.add(dataset, "void:triples", integer(int(select(store, "triples")[0]["n"].value)))
    rows = select(store, "entities", space=space)
    g.add(dataset, "void:entities", integer(int(rows[0]["n"].value) if rows else 0))
    vocabularies = set()
    for row in select(store, "class-partitions"):
        part = BlankNode()
        g.add(dataset, "void:classPartition", part)
        g.add(part, "void:class", row["class"])
        g.add(part, "void:entities", integer(int(row["entities"].value)))
        vocabularies.add(_namespace(row["class"].value))
    for row in select(store, "property-partitions"):
        part = BlankNode()
        g.add(dataset, "void:propertyPartition", part)
        g.add(part, "void:property", row["property"])
        g.add(part, "void:triples", integer(int(row["triples"].value)))
        vocabularies.add(_namespace(row["property"].value))
    for ns in sorted(vocabularies):
        g.add(dataset, "void:vocabulary", NamedNode(ns))
    for row in select(store, "examples", space=space, ns=NamedNode(ONTOLOGY_NS)):
        g.add(dataset, "void:exampleResource", NamedNode(row["example"].value))
    for row in select(store, "spatial"):
        g.add(dataset, "dct:spatial", row["city"])


def _linksets(g: _Graph, store: Store, release: Release, dataset) -> None:
    for slug, target_iri, title, uri_space in LINK_TARGETS:
        target = NamedNode(target_iri)
        rows = select(store, "linkset", target=Literal(uri_space))
        if not rows:
            continue
        g.add(target, "rdf:type", term("void:Dataset"))
        g.add(target, "dct:title", Literal(title))
        g.add(target, "void:uriSpace", Literal(uri_space))
        for row in rows:
            predicate = row["predicate"]
            local = predicate.value[len(_namespace(predicate.value)):]
            linkset = NamedNode(f"{release.version_iri.value}/linkset/{slug}-{local}")
            g.add(dataset, "void:subset", linkset)
            g.add(linkset, "rdf:type", term("void:Linkset"))
            g.add(linkset, "void:subjectsTarget", dataset)
            g.add(linkset, "void:objectsTarget", target)
            g.add(linkset, "void:linkPredicate", predicate)
            g.add(linkset, "void:triples", integer(int(row["triples"].value)))


def _service(g: _Graph, release: Release, dataset) -> None:
    service = release.sparql
    g.add(service, "rdf:type", term("dcat:DataService"))
    g.add(service, "dct:title", Literal("twinkg SPARQL 1.1 endpoint", language="en"))
    g.add(service, "dcat:endpointURL", service)
    # A SPARQL 1.1 endpoint describes itself (Service Description) at its own URL.
    g.add(service, "dcat:endpointDescription", service)
    g.add(service, "dct:conformsTo", NamedNode("https://www.w3.org/TR/sparql11-protocol/"))
    g.add(service, "dcat:servesDataset", dataset)
    g.add(dataset, "dcat:accessService", service)


def describe_dataset(store: Store, release: Release, info: DatasetInfo, files: list[ExportFile],
                     previous_version: str | None = None) -> list[Triple]:
    """The description as triples (written to void.ttl, served at /void)."""
    g = _Graph()
    dataset, version = release.dataset, release.version_iri
    _about(g, dataset, info)
    g.add(dataset, "dcat:hasCurrentVersion", version)
    g.add(dataset, "dcat:hasVersion", version)
    _about(g, version, info)
    g.add(version, "dcat:isVersionOf", dataset)
    g.add(version, "dcat:version", Literal(info.version))
    g.add(version, "dct:identifier", Literal(release.build_version))
    g.add(version, "dct:issued", release.issued)
    g.add(version, "dct:modified", release.issued)
    g.add(version, "dct:conformsTo", NamedNode(ONTOLOGY_NS.rstrip("#")))
    if previous_version:
        g.add(version, "dcat:previousVersion", NamedNode(previous_version))
    for f in files:
        if f.role == "dump":
            _distribution(g, release, version, f, info)
    _statistics(g, store, release, version)
    _linksets(g, store, release, version)
    _service(g, release, version)
    return g.triples


def write_turtle(triples: list[Triple], path) -> None:
    """Turtle with nested blank nodes (rdflib), readable by people: the description is small.

    Blank nodes get canonical labels (rdflib orders nested ones by label): the same
    description always gives the same bytes."""
    graph = rdflib_graph(canonical_triples(triples), NS)
    graph.serialize(path, format="turtle", encoding="utf-8")
