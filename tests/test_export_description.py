"""The VoID + DCAT description: valid against our shapes, and its numbers are the data's."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rdflib
from pyshacl import validate
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID

from export_helpers import read_gz

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT lacks the DCAT 3 version terms
SHAPES = Path(__file__).resolve().parent.parent / "twinkg" / "export" / "description-shapes.ttl"
QUERIES = Path(__file__).resolve().parent / "sparql"
BASE = "https://twinkg.example.org/"


def rq(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text()


@pytest.fixture(scope="session")
def description(exported) -> rdflib.Graph:
    return rdflib.Graph().parse(exported.directory / "void.ttl", format="turtle")


@pytest.fixture(scope="session")
def release(description) -> URIRef:
    (node,) = set(description.subjects(DCAT.isVersionOf, None))
    return node


@pytest.fixture(scope="session")
def merged(exported) -> rdflib.Graph:
    """The data as a consumer gets it, parsed by rdflib: the independent side of each count."""
    return rdflib.Graph().parse(data=read_gz(exported.directory / "twinkg.nt.gz"), format="nt")


def count(graph, name, **bindings) -> int:
    return int(next(iter(graph.query(rq(name), initBindings=bindings)))[0])


def test_description_conforms_to_the_shapes(description):
    conforms, _, text = validate(description, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert conforms, text


def test_shapes_catch_a_missing_english_title(description, release):
    broken = rdflib.Graph() + description
    for title in list(broken.objects(release, DCTERMS.title)):
        if title.language == "en":
            broken.remove((release, DCTERMS.title, title))
    conforms, _, text = validate(broken, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert not conforms and "needs an English dct:title" in text


def test_void_totals_equal_independent_counts(description, release, merged):
    assert description.value(release, VOID.triples).toPython() == count(merged, "count-triples")
    assert description.value(release, VOID.entities).toPython() == \
        count(merged, "count-entities", space=Literal(BASE + "id/"))
    assert str(description.value(release, VOID.uriSpace)) == BASE + "id/"


def test_class_and_property_partitions_equal_independent_counts(description, release, merged):
    classes = {description.value(p, VOID["class"]): description.value(p, VOID.entities).toPython()
               for p in description.objects(release, VOID.classPartition)}
    assert classes == {row[0]: int(row[1]) for row in merged.query(rq("count-classes"))}
    assert classes[URIRef(BASE + "ontology#City")] >= 11
    properties = {description.value(p, VOID.property): description.value(p, VOID.triples).toPython()
                  for p in description.objects(release, VOID.propertyPartition)}
    assert properties == {row[0]: int(row[1]) for row in merged.query(rq("count-properties"))}


@pytest.mark.parametrize("target,space", [("https://www.wikidata.org/", "http://www.wikidata.org/entity/"),
                                          ("https://www.geonames.org/", "https://sws.geonames.org/")])
def test_linksets_count_the_links(description, release, merged, target, space):
    (linkset,) = [s for s in description.objects(release, VOID.subset)
                  if description.value(s, VOID.objectsTarget) == URIRef(target)]
    assert description.value(linkset, RDF.type) == VOID.Linkset
    assert description.value(linkset, VOID.linkPredicate) == OWL.sameAs
    expected = count(merged, "count-links", predicate=OWL.sameAs, space=Literal(space))
    assert description.value(linkset, VOID.triples).toPython() == expected > 0


def test_each_dump_is_a_distribution_with_size_and_checksum(exported, description, release):
    dumps = {f.name: f for f in exported.files if f.role == "dump"}
    seen = set()
    for dist in description.objects(release, DCAT.distribution):
        url = str(description.value(dist, DCAT.downloadURL))
        name = url.rsplit("/", 1)[-1]
        assert url == f"{BASE}download/{name}"
        path = exported.directory / name
        assert description.value(dist, DCAT.byteSize).toPython() == path.stat().st_size
        checksum = description.value(dist, SPDX.checksum)
        assert str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(path.read_bytes()).hexdigest()
        assert str(description.value(dist, DCAT.mediaType)) == \
            "https://www.iana.org/assignments/media-types/" + dumps[name].media_type
        assert (release, VOID.dataDump, URIRef(url)) in description
        seen.add(name)
    assert seen == set(dumps)


def test_sparql_endpoint_is_a_data_service(description, release):
    service = URIRef(BASE + "sparql")
    assert (service, RDF.type, DCAT.DataService) in description
    assert (service, DCAT.endpointURL, service) in description
    assert (service, DCAT.servesDataset, release) in description
    assert (release, VOID.sparqlEndpoint, service) in description


def test_dataset_metadata_from_data_and_settings(description, release):
    titles = {t.language: str(t) for t in description.objects(release, DCTERMS.title)}
    assert titles["de"] == "Städtepartnerschaften der Stadt Mülheim an der Ruhr"
    assert titles["en"] == "Town twinning of Mülheim an der Ruhr"
    assert description.value(release, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(description.value(release, DCAT.version)) == "0.2.0"
    place = description.value(release, DCTERMS.spatial)  # the cities' bounding box (test_export_dcat_ap.py)
    assert (place, RDF.type, DCTERMS.Location) in description
    assert description.value(URIRef(BASE + "dataset"), DCAT.hasCurrentVersion) == release


def test_licence_is_a_setting(curated_store, curated_oxigraph, tmp_path):
    from dataclasses import replace

    from twinkg.config import load_settings
    from twinkg.export.run import export_store
    from twinkg.store import store_meta

    settings = replace(load_settings(store=curated_store), dataset_license="https://creativecommons.org/publicdomain/zero/1.0/")
    result = export_store(curated_oxigraph, store_meta(curated_store), settings, tmp_path / "out")
    graph = rdflib.Graph().parse(result.directory / "void.ttl")
    assert graph.value(URIRef(result.release.version_iri.value),
                       DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    assert "license: CC0-1.0" in (result.directory / "CITATION.cff").read_text()
