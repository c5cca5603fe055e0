"""The dataset description against the official DCAT-AP 3.0.1 shapes (tests/shapes/dcat-ap-3.0.1,
CC BY 4.0, see its NOTICE.md), and what it says about catalogue, publisher, contact and coverage."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import rdflib
import yaml
from pyoxigraph import Literal as OxLiteral, NamedNode, Quad, Store
from pyshacl import validate
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from twinkg.export.description import Release, spatial_coverage, temporal_coverage

SHAPES = Path(__file__).resolve().parent / "shapes" / "dcat-ap-3.0.1"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain one: pytest probes rdflib's closed XSD
BASE = "https://twinkg.example.org/"
TK = "https://twinkg.example.org/ontology#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"

#: What stays a warning of shapes_recommended.ttl, as (focus node class, property): nothing.
#: Every recommended property has a value: publisher, contact point, themes, spatial and
#: temporal coverage, distributions of the dataset and of the release (format, availability,
#: description, licence), catalogue language, licence, issued/modified, homepage and theme
#: taxonomy, a licence type for the licences twinkg knows. A licence IRI that
#: twinkg/licences.py does not know would add (dct:LicenseDocument, dct:type).
EXPECTED_WARNINGS: set[tuple[str, str]] = set()


def results(data: rdflib.Graph, shapes: str) -> list[tuple[str, str, str, str]]:
    """(severity, focus node, path, message) of each result of one official shapes file."""
    graph = rdflib.Graph().parse(SHAPES / shapes, format="turtle")
    _, report, _ = validate(data, shacl_graph=graph, inference="none", allow_warnings=True)
    found = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        found.append((str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], str(report.value(r, SH.focusNode)),
                      str(report.value(r, SH.resultPath)), str(report.value(r, SH.resultMessage))))
    return found


@pytest.fixture(scope="session")
def description(exported) -> rdflib.Graph:
    return rdflib.Graph().parse(exported.directory / "void.ttl", format="turtle")


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl", "deprecateduris.ttl"])
def test_no_violation_of_the_mandatory_range_and_deprecation_shapes(description, shapes):
    assert results(description, shapes) == []


def test_exactly_the_expected_recommended_warnings(description):
    warnings = {(str(description.value(URIRef(focus), RDF.type)), path)
                for severity, focus, path, _ in results(description, "shapes_recommended.ttl")
                if severity == "Warning"}
    assert warnings == EXPECTED_WARNINGS


def test_a_licence_twinkg_does_not_know_leaves_one_warning(curated_store, curated_oxigraph, tmp_path):
    """Its licence type (ADMS) is not known: the one recommended property left out."""
    from dataclasses import replace

    from twinkg.config import load_settings
    from twinkg.export.run import export_store
    from twinkg.store import store_meta

    settings = replace(load_settings(store=curated_store), dataset_license="https://example.org/our-licence")
    out = export_store(curated_oxigraph, store_meta(curated_store), settings, tmp_path / "out").directory
    graph = rdflib.Graph().parse(out / "void.ttl", format="turtle")
    for shapes in ("shapes.ttl", "range.ttl"):
        assert results(graph, shapes) == []
    warnings = {(focus, path) for severity, focus, path, _ in results(graph, "shapes_recommended.ttl")}
    assert warnings == {("https://example.org/our-licence", str(DCTERMS.type))}


def test_the_range_shapes_see_an_untyped_value(description):
    """Offline, the range shapes work on the classes the description states: without them,
    each licence is a violation again (as before DCAT-AP 3 was looked at)."""
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    broken = rdflib.Graph() + description
    broken.remove((licence, RDF.type, DCTERMS.LicenseDocument))
    found = Counter(path for severity, _, path, _ in results(broken, "range.ttl") if severity == "Violation")
    distributions = set(broken.subjects(RDF.type, DCAT.Distribution))
    assert set(found) == {str(DCTERMS.license)} and found[str(DCTERMS.license)] == len(distributions) + 1  # + catalogue


def test_a_catalogue_lists_the_dataset_and_the_service(description, exported):
    catalog = URIRef(BASE + "catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in description
    assert set(description.objects(catalog, DCAT.dataset)) == {URIRef(BASE + "dataset")}
    assert set(description.objects(catalog, DCAT.service)) == {URIRef(BASE + "sparql")}
    assert description.value(catalog, FOAF.homepage) == URIRef(BASE)
    assert str(description.value(catalog, DCTERMS.modified)) == str(
        description.value(URIRef(exported.release.version_iri.value), DCTERMS.issued))


def test_the_publisher_is_the_city_with_an_iri(description):
    city = URIRef(BASE + "id/organization/stadt-muelheim")
    for record in (BASE + "catalog", BASE + "dataset", BASE + "sparql"):
        assert description.value(URIRef(record), DCTERMS.publisher) == city
    assert (city, RDF.type, FOAF.Agent) in description
    assert {n.language: str(n) for n in description.objects(city, FOAF.name)} == {
        "de": "Stadt Mülheim an der Ruhr", "en": "City of Mülheim an der Ruhr"}
    kind = description.value(city, DCTERMS.type)
    assert kind == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
    assert (kind, RDF.type, SKOS.Concept) in description
    assert not [o for o in description.objects(None, DCTERMS.publisher) if isinstance(o, rdflib.BNode)]


def test_the_contact_point_is_the_city_s_page_from_the_sources(description):
    contact = description.value(URIRef(BASE + "dataset"), DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in description
    url = "https://cms.muelheim-ruhr.de/index.php/leben-in-muelheim/stadtportrait/staedtepartnerschaften-und-patenschaften"
    assert description.value(contact, VCARD.hasURL) == URIRef(url)
    sources = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "sources.yaml").read_text())
    assert url in {s["url"] for s in sources}, "the contact's address is a source's"
    assert description.value(contact, VCARD.hasEmail) is None  # the sources give none


def test_themes_formats_and_availability_are_eu_vocabulary_concepts(description, exported):
    release = URIRef(exported.release.version_iri.value)
    themes = set(description.objects(release, DCAT.theme))
    assert themes == {URIRef(f"http://publications.europa.eu/resource/authority/data-theme/{c}")
                      for c in ("INTR", "REGI", "GOVE")}
    formats = set()
    for dist in description.objects(release, DCAT.distribution):
        formats.add(str(description.value(dist, DCTERMS["format"])).rsplit("/", 1)[-1])
        assert description.value(dist, DCATAP.availability) == URIRef(
            "http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE")
    assert formats == {"RDF_N_QUADS", "RDF_TRIG", "RDF_TURTLE", "RDF_N_TRIPLES", "JSON_LD", "RDF_XML"}


def test_temporal_coverage_spans_the_data_s_dates(description, exported, merged_dates):
    period = description.value(URIRef(exported.release.version_iri.value), DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in description
    start, end = description.value(period, DCAT.startDate), description.value(period, DCAT.endDate)
    assert (str(start), start.datatype) == ("1953", XSD.gYear)  # Darlington, since 1953
    assert str(end) == max(merged_dates)[:len(str(end))]


@pytest.fixture(scope="session")
def merged_dates(exported) -> list[str]:
    from export_helpers import read_gz

    graph = rdflib.Graph().parse(data=read_gz(exported.directory / "twinkg.nt.gz"), format="nt")
    kinds = {XSD.gYear, XSD.gYearMonth, XSD.date}
    return [str(o) for s, _, o in graph if isinstance(o, Literal) and o.datatype in kinds and str(s).startswith(BASE + "id/")]


def dated_store(*dates: tuple[str, str]) -> Store:
    store = Store()
    for i, (value, datatype) in enumerate(dates):
        store.add(Quad(NamedNode(f"{BASE}id/event/e{i}"), NamedNode(TK + "startDate"),
                       OxLiteral(value, datatype=NamedNode(str(XSD) + datatype))))
    return store


@pytest.mark.parametrize("dates, expected", [
    ((("1962-05-03", "date"), ("1962", "gYear"), ("2024-04", "gYearMonth"), ("2024-04-12", "date")),
     ("1962", "2024-04")),  # the coarser of a tie covers the finer
    ((("1962-01-01", "date"), ("1962-05", "gYearMonth"), ("2024", "gYear"), ("2024-12-31", "date")),
     ("1962-01-01", "2024")),
    ((("2024-02", "gYearMonth"), ("2024-02-29", "date")), ("2024-02", "2024-02")),
])
def test_temporal_coverage_compares_dates_of_mixed_precision(dates, expected):
    release = Release(BASE, "20260101T000000Z-x", "2026-01-01T00:00:00Z")
    start, end = temporal_coverage(dated_store(*dates), release)
    assert (start.value, end.value) == expected


def test_spatial_coverage_is_the_bounding_box_of_the_cities(description, exported, curated_oxigraph):
    place = description.value(URIRef(exported.release.version_iri.value), DCTERMS.spatial)
    assert (place, RDF.type, DCTERMS.Location) in description
    box = str(description.value(place, DCAT.bbox))
    assert box == spatial_coverage(curated_oxigraph)[0]
    corners = [tuple(map(float, p.split())) for p in box.removeprefix("POLYGON((").removesuffix("))").split(", ")]
    west, south = min(c[0] for c in corners), min(c[1] for c in corners)
    east, north = max(c[0] for c in corners), max(c[1] for c in corners)
    cities = curated_oxigraph.query(f"SELECT ?lat ?long WHERE {{ ?c <{GEO}lat> ?lat ; <{GEO}long> ?long }}",
                                    use_default_graph_as_union=True)
    points = [(float(r["long"].value), float(r["lat"].value)) for r in cities]
    assert len(points) >= 10
    assert all(west <= x <= east and south <= y <= north for x, y in points)
    assert {west, east} <= {x for x, _ in points} and {south, north} <= {y for _, y in points}
