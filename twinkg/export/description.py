"""The dataset's VoID + DCAT 3 description (DCAT-AP 3.0.1), generated from the store and the
export's files.

Statistics and the temporal and spatial coverage come from SPARQL over the store
(twinkg/export/sparql/*.rq); distributions from the files just written (sizes and SHA-256
checksums); title, description, keywords, themes, version, publisher and contact point from
the data directory's DATASET.toml; the licence from the settings. Every value DCAT-AP gives a
class (a licence, a media type, a theme, ...) is typed with it here, so that the record is
complete without the vocabularies it refers to.

IRIs: ``{base}catalog`` is the catalogue; ``{base}dataset`` is the dataset across releases;
``{base}dataset/{build version}`` is this release (the version IRI); files are downloaded from
``{base}download/{file}``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple

from twinkg.config import ONTOLOGY_NS, PREFIXES, Settings
from twinkg.formats import EU_FILE_TYPES, RDFLIB_NAMES
from twinkg.licences import ADMS_LICENCE_TYPES, known_licence

from .canonical import canonical_triples, rdflib_graph
from .files import ExportFile
from .metadata import PUBLISHER_TYPES, THEMES, DatasetInfo
from .sparqlfiles import select

NS = {
    **PREFIXES,
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
IANA = "https://www.iana.org/assignments/media-types/"
#: The EU Publications Office's authority tables (DCAT-AP's controlled vocabularies).
EU = "http://publications.europa.eu/resource/authority/"
#: The EU file-type of each dump's format (dct:format), by media type.
_FILE_TYPES = {f.media_type: name for f, name in EU_FILE_TYPES.items()}
#: The languages of the texts (EU language table), by the tags DATASET.toml uses.
LANGUAGE_CODES = {"de": "DEU", "en": "ENG"}
#: The files of a release stay at their addresses until the next release replaces them.
AVAILABILITY = ("AVAILABLE", "Available")
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
ADMS_PUBLISHER_TYPES = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"

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
WKT = NamedNode(NS["geosparql"] + "wktLiteral")


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
    def catalog(self) -> NamedNode:
        return NamedNode(self.base_iri + "catalog")

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


@dataclass(frozen=True)
class Earlier:
    """An earlier release this export knows of (its description is kept in releases/)."""
    iri: str
    issued: str | None  # xsd:dateTime lexical form


def release_for(settings: Settings, meta: dict) -> Release:
    return Release(meta.get("base_iri", settings.base_iri), meta["version"], meta["loaded_at"])


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


class _Graph:
    """Triples grouped by subject (in order of first mention), so the Turtle reads as records;
    each triple once (the typing of a shared value is added wherever the value is used)."""

    def __init__(self):
        self.by_subject: dict[object, list[Triple]] = {}
        self.seen: set[Triple] = set()

    def add(self, s, p, o) -> None:
        triple = Triple(s, term(p) if isinstance(p, str) else p, o)
        if triple not in self.seen:
            self.seen.add(triple)
            self.by_subject.setdefault(s, []).append(triple)

    @property
    def triples(self) -> list[Triple]:
        return [t for ts in self.by_subject.values() for t in ts]

    def texts(self, s, p, texts: dict[str, str]) -> None:
        for lang, text in texts.items():
            self.add(s, p, Literal(text, language=lang))

    def concept(self, iri: str, label: str, scheme: str) -> NamedNode:
        """A value from a controlled vocabulary: a skos:Concept with its label and scheme."""
        node = NamedNode(iri)
        self.add(node, "rdf:type", term("skos:Concept"))
        self.add(node, "skos:prefLabel", Literal(label, language="en"))
        self.add(node, "skos:inScheme", NamedNode(scheme))
        return node

    def typed(self, iri: str, cls: str) -> NamedNode:
        node = NamedNode(iri)
        self.add(node, "rdf:type", term(cls))
        return node


# -- values DCAT-AP gives a class ---------------------------------------------------------------

def _licence(g: _Graph, info: DatasetInfo) -> NamedNode:
    node = g.typed(info.license, "dct:LicenseDocument")
    known = known_licence(info.license)
    if known:
        g.add(node, "dct:title", Literal(known.title))
        for kind in known.types:
            g.add(node, "dct:type", g.concept(ADMS_LICENCE_TYPE + kind, ADMS_LICENCE_TYPES[kind],
                                              ADMS_LICENCE_TYPE + "1.0"))
    return node


def _publisher(g: _Graph, release: Release, info: DatasetInfo) -> NamedNode | None:
    """The city as an agent: its organization's entity IRI, its names, its ADMS type."""
    if info.publisher is None:
        return None
    node = NamedNode(f"{release.base_iri}id/organization/{info.publisher.organization}")
    g.add(node, "rdf:type", term("foaf:Agent"))
    g.add(node, "rdf:type", term("foaf:Organization"))
    g.texts(node, "foaf:name", info.publisher.name)
    g.add(node, "dct:type", g.concept(ADMS_PUBLISHER_TYPES + info.publisher.type,
                                      PUBLISHER_TYPES[info.publisher.type], ADMS_PUBLISHER_TYPES + "1.0"))
    return node


def _contact(g: _Graph, release: Release, info: DatasetInfo) -> NamedNode | None:
    if info.contact is None:
        return None
    node = NamedNode(release.catalog.value + "#contact")
    # vcard:Kind is the class DCAT-AP names; vcard:Organization says which kind
    g.add(node, "rdf:type", term("vcard:Kind"))
    g.add(node, "rdf:type", term("vcard:Organization"))
    g.add(node, "vcard:fn", Literal(info.contact.name))
    g.add(node, "vcard:hasURL", NamedNode(info.contact.url))
    if info.contact.email:
        g.add(node, "vcard:hasEmail", NamedNode("mailto:" + info.contact.email))
    return node


def _themes(g: _Graph, info: DatasetInfo) -> list[NamedNode]:
    scheme = EU + "data-theme"
    g.add(NamedNode(scheme), "rdf:type", term("skos:ConceptScheme"))
    g.add(NamedNode(scheme), "dct:title", Literal("Data theme", language="en"))
    return [g.concept(f"{scheme}/{code}", THEMES[code], scheme) for code in info.themes]


def _languages(g: _Graph, info: DatasetInfo) -> list[NamedNode]:
    return [g.typed(f"{EU}language/{LANGUAGE_CODES[lang]}", "dct:LinguisticSystem")
            for lang in info.title if lang in LANGUAGE_CODES]


def _standard(g: _Graph, iri: str) -> NamedNode:
    return g.typed(iri, "dct:Standard")


def _media_type(g: _Graph, media_type: str) -> NamedNode:
    return g.typed(IANA + media_type, "dct:MediaType")


# -- coverage, computed from the data -----------------------------------------------------------

_DATE = re.compile(r"(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?")


def _days(value: Literal) -> tuple[date, date] | None:
    """The first and last day a date of any precision can mean ("1962" → 1962-01-01..12-31)."""
    m = _DATE.match(value.value)
    if not m or m.group(1).startswith("-"):
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), 1), date(year, int(month), last)
        return (date(year, int(month), int(day)),) * 2
    except ValueError:
        return None


def temporal_coverage(store: Store, release: Release) -> tuple[Literal, Literal] | None:
    """The earliest and the latest date of the data, each as stated (its precision kept): the
    start is the date whose first possible day is earliest, the end the one whose last
    possible day is latest; where two tie, the coarser, which covers the other."""
    dated = [(d, days) for row in select(store, "temporal-coverage", space=Literal(release.uri_space))
             if (days := _days(d := row["date"])) is not None]
    if not dated:
        return None
    start = min(dated, key=lambda x: (x[1][0], -(x[1][1] - x[1][0]).days, x[0].value))[0]
    end = max(dated, key=lambda x: (x[1][1], (x[1][1] - x[1][0]).days, x[0].value))[0]
    return start, end


def spatial_coverage(store: Store) -> tuple[str, str] | None:
    """(bounding box, its centre) of the cities' coordinates as WKT (longitude first, CRS84).
    The box is the plain minimum and maximum: it does not wrap around the 180th meridian."""
    rows = select(store, "spatial-coverage")
    if not rows or int(rows[0]["cities"].value) == 0:
        return None
    south, north, west, east = (Decimal(rows[0][k].value) for k in ("south", "north", "west", "east"))
    box = f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    return box, f"POINT({(west + east) / 2} {(south + north) / 2})"


@dataclass(frozen=True)
class Coverage:
    spatial: NamedNode | None
    temporal: NamedNode | None


def _coverage(g: _Graph, store: Store, release: Release) -> Coverage:
    spatial = temporal = None
    box = spatial_coverage(store)
    if box:
        spatial = NamedNode(release.version_iri.value + "#spatial")
        g.add(spatial, "rdf:type", term("dct:Location"))
        g.add(spatial, "dcat:bbox", Literal(box[0], datatype=WKT))
        g.add(spatial, "dcat:centroid", Literal(box[1], datatype=WKT))
    period = temporal_coverage(store, release)
    if period:
        temporal = NamedNode(release.version_iri.value + "#temporal")
        g.add(temporal, "rdf:type", term("dct:PeriodOfTime"))
        g.add(temporal, "dcat:startDate", period[0])
        g.add(temporal, "dcat:endDate", period[1])
    return Coverage(spatial, temporal)


# -- the records --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Shared:
    """The values every record of the description refers to."""
    landing_page: NamedNode
    licence: NamedNode
    publisher: NamedNode | None
    contact: NamedNode | None
    themes: list[NamedNode]
    languages: list[NamedNode]
    coverage: Coverage


def _keywords(g: _Graph, node, info: DatasetInfo) -> None:
    for lang, words in info.keywords.items():
        for word in words:
            g.add(node, "dcat:keyword", Literal(word, language=lang))


def _about(g: _Graph, node, info: DatasetInfo, shared: _Shared) -> None:
    g.add(node, "rdf:type", term("dcat:Dataset"))
    g.texts(node, "dct:title", info.title)
    g.texts(node, "dct:description", info.description)
    g.add(node, "dct:license", shared.licence)
    g.add(node, "dcat:landingPage", shared.landing_page)
    if shared.publisher:
        g.add(node, "dct:publisher", shared.publisher)
    if shared.contact:
        g.add(node, "dcat:contactPoint", shared.contact)
    _keywords(g, node, info)
    for theme in shared.themes:
        g.add(node, "dcat:theme", theme)
    for language in shared.languages:
        g.add(node, "dct:language", language)
    if shared.coverage.spatial:
        g.add(node, "dct:spatial", shared.coverage.spatial)
    if shared.coverage.temporal:
        g.add(node, "dct:temporal", shared.coverage.temporal)


def _catalog(g: _Graph, release: Release, info: DatasetInfo, shared: _Shared, first_issued: Literal) -> None:
    node = release.catalog
    g.add(node, "rdf:type", term("dcat:Catalog"))
    g.texts(node, "dct:title", {lang: f"{prefix}: {info.title[lang]}"
                                for lang, prefix in (("de", "Katalog"), ("en", "Catalogue")) if lang in info.title})
    g.texts(node, "dct:description", info.description)
    if shared.publisher:
        g.add(node, "dct:publisher", shared.publisher)
    g.add(node, "foaf:homepage", NamedNode(release.base_iri))
    g.add(NamedNode(release.base_iri), "rdf:type", term("foaf:Document"))
    g.add(node, "dct:license", shared.licence)
    for language in shared.languages:
        g.add(node, "dct:language", language)
    g.add(node, "dct:issued", first_issued)
    g.add(node, "dct:modified", release.issued)
    if shared.coverage.spatial:
        g.add(node, "dct:spatial", shared.coverage.spatial)
    g.add(node, "dcat:themeTaxonomy", NamedNode(EU + "data-theme"))
    g.add(node, "dcat:dataset", release.dataset)
    g.add(node, "dcat:service", release.sparql)


def _distribution(g: _Graph, release: Release, datasets, f: ExportFile, shared: _Shared) -> None:
    node = NamedNode(f"{release.version_iri.value}/distribution/{f.name}")
    url = release.download_url(f.name)
    for dataset in datasets:
        g.add(dataset, "dcat:distribution", node)
    g.add(node, "rdf:type", term("dcat:Distribution"))
    g.add(node, "dct:title", Literal(f.title, language="en"))
    g.add(node, "dct:description", Literal(f"{f.title} of release {release.build_version}", language="en"))
    g.add(node, "dcat:downloadURL", url)
    g.add(node, "dcat:accessURL", url)
    g.add(node, "dcat:mediaType", _media_type(g, f.media_type))
    if f.media_type in _FILE_TYPES:
        g.add(node, "dct:format", g.typed(f"{EU}file-type/{_FILE_TYPES[f.media_type]}", "dct:MediaTypeOrExtent"))
    if f.compression:
        g.add(node, "dcat:compressFormat", _media_type(g, "application/" + f.compression))
    g.add(node, "dcat:byteSize", integer(f.byte_size, "nonNegativeInteger"))
    g.add(node, "dct:license", shared.licence)
    g.add(node, "dcatap:availability", g.concept(f"{EU}planned-availability/{AVAILABILITY[0]}", AVAILABILITY[1],
                                                 EU + "planned-availability"))
    checksum = BlankNode()
    g.add(node, "spdx:checksum", checksum)
    g.add(checksum, "rdf:type", term("spdx:Checksum"))
    g.add(checksum, "spdx:algorithm", term("spdx:checksumAlgorithm_sha256"))
    g.add(checksum, "spdx:checksumValue", Literal(f.sha256, datatype=XSD("hexBinary")))
    g.add(datasets[-1], "void:dataDump", url)


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


def _service(g: _Graph, release: Release, info: DatasetInfo, shared: _Shared) -> None:
    service = release.sparql
    g.add(service, "rdf:type", term("dcat:DataService"))
    g.add(service, "dct:title", Literal("twinkg SPARQL 1.1 endpoint", language="en"))
    g.add(service, "dcat:endpointURL", service)
    # A SPARQL 1.1 endpoint describes itself (Service Description) at its own URL.
    g.add(service, "dcat:endpointDescription", service)
    g.add(service, "dct:conformsTo", _standard(g, SPARQL_PROTOCOL))
    for dataset in (release.dataset, release.version_iri):
        g.add(service, "dcat:servesDataset", dataset)
        g.add(dataset, "dcat:accessService", service)
    if shared.publisher:
        g.add(service, "dct:publisher", shared.publisher)
    if shared.contact:
        g.add(service, "dcat:contactPoint", shared.contact)
    for theme in shared.themes:
        g.add(service, "dcat:theme", theme)
    _keywords(g, service, info)


def describe_dataset(store: Store, release: Release, info: DatasetInfo, files: list[ExportFile],
                     previous_version: str | None = None, earlier: tuple[Earlier, ...] = ()) -> list[Triple]:
    """The description as triples (written to void.ttl, served at /void): the catalogue, the
    dataset, this release with its files and statistics, the SPARQL service. ``earlier``
    are the releases before this one whose descriptions the export keeps (this one replaces
    them)."""
    g = _Graph()
    dataset, version = release.dataset, release.version_iri
    # the downloads page: every file of the release, how to cite it, where to query it
    landing_page = g.typed(release.base_iri + "download", "foaf:Document")
    shared = _Shared(landing_page, _licence(g, info), _publisher(g, release, info), _contact(g, release, info),
                     _themes(g, info), _languages(g, info), _coverage(g, store, release))
    issued = [e.issued for e in earlier if e.issued] + [release.issued.value]
    _catalog(g, release, info, shared, Literal(min(issued), datatype=XSD("dateTime")))
    _about(g, dataset, info, shared)
    g.add(dataset, "dcat:hasCurrentVersion", version)
    g.add(dataset, "dcat:hasVersion", version)
    for old in earlier:
        g.add(dataset, "dcat:hasVersion", NamedNode(old.iri))
    _about(g, version, info, shared)
    g.add(version, "dcat:isVersionOf", dataset)
    g.add(version, "dcat:version", Literal(info.version))
    g.add(version, "dct:identifier", Literal(release.build_version))
    g.add(version, "dct:issued", release.issued)
    g.add(version, "dct:modified", release.issued)
    g.add(version, "dct:conformsTo", _standard(g, ONTOLOGY_NS.rstrip("#")))
    if previous_version:
        g.add(version, "dcat:previousVersion", NamedNode(previous_version))
    for old in earlier:
        g.add(version, "dct:replaces", NamedNode(old.iri))
    for f in files:
        if f.role == "dump":
            _distribution(g, release, (dataset, version), f, shared)
    _statistics(g, store, release, version)
    _linksets(g, store, release, version)
    _service(g, release, info, shared)
    return g.triples


def write_turtle(triples: list[Triple], path) -> None:
    """Turtle with nested blank nodes (rdflib), readable by people: the description is small.

    Blank nodes get canonical labels (rdflib orders nested ones by label): the same
    description always gives the same bytes."""
    graph = rdflib_graph(canonical_triples(triples), NS)
    graph.serialize(path, format=RDFLIB_NAMES[RdfFormat.TURTLE], encoding="utf-8")
