"""The ontology (ontology/twinkg.ttl) and the SHACL shapes (ontology/shapes.ttl)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from twinkg.values import ValueProblem, date_bounds

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_TTL = ROOT / "ontology" / "twinkg.ttl"
SHAPES_TTL = ROOT / "ontology" / "shapes.ttl"
CONTRACT_MD = ROOT / "ontology" / "README.md"

ONTOLOGY_IRI = URIRef("https://twinkg.example.org/ontology")
TK = Namespace("https://twinkg.example.org/ontology#")
VANN = Namespace("http://purl.org/vocab/vann/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
EX = Namespace("http://example.org/twinkg/id/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# The controlled lists of data/README.md, by scheme.
EXPECTED_NOTATIONS = {
    TK.PartnershipKinds: {"twin-town", "friendship", "cousin", "project"},
    TK.EventTypes: {
        "visit", "reception", "conference", "anniversary", "youth-exchange",
        "school-exchange", "donation", "video-conference", "gala", "artists-visit",
        "treaty-signing", "council-decision", "municipal-merger",
    },
    TK.Roles: {
        "lord-mayor", "mayor", "deputy-mayor", "honorary-deputy-mayor", "city-president", "alderman",
        "head-of-international-relations", "staff", "deputy-fire-chief", "vehicle-crew",
        "artist", "member", "chair",
    },
    TK.OrganizationTypes: {
        "city-administration", "administrative-unit", "association", "school",
        "fire-brigade", "company",
    },
}
IRI_PREFIX = {
    TK.PartnershipKinds: "kind-",
    TK.EventTypes: "event-",
    TK.Roles: "role-",
    TK.OrganizationTypes: "orgtype-",
}

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.SymmetricProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def tk_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for t in TERM_TYPES
        for s in g.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(TK))
    }


def languages(g: Graph, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


# ---------------------------------------------------------------------------
# The ontology
# ---------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        "https://twinkg.example.org/ontology/0.2.0"
    )
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.2.0")
    assert languages(ontology, ONTOLOGY_IRI, DCTERMS.title) >= {"de", "en"}
    assert languages(ontology, ONTOLOGY_IRI, DCTERMS.description) >= {"de", "en"}
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.creator) == Literal("twinkg developers")
    assert ontology.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("tk")
    assert str(ontology.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri)) == str(TK)


def test_expected_classes_are_declared(ontology: Graph) -> None:
    for name in ("City", "Country", "Partnership", "Person", "Office", "Organization",
                 "Event", "Participation", "Media", "Photo", "Source"):
        assert (TK[name], RDF.type, OWL.Class) in ontology, name
    assert (TK.Photo, RDFS.subClassOf, TK.Media) in ontology
    assert (TK.twinnedWith, RDF.type, OWL.SymmetricProperty) in ontology


def test_every_tk_term_in_the_contract_is_declared(ontology: Graph) -> None:
    text = CONTRACT_MD.read_text(encoding="utf-8")
    used = {TK[m] for m in re.findall(r"\btk:([A-Za-z][A-Za-z0-9]*)\b", text)}
    declared = set(ontology.subjects(RDF.type, None))
    missing = sorted(str(t) for t in used - declared)
    assert not missing, f"used in ontology/README.md but not declared: {missing}"


def test_every_tk_term_has_labels_comments_and_is_defined_by(ontology: Graph) -> None:
    terms = tk_terms(ontology)
    assert len(terms) >= 11 + 26  # classes + properties
    for term in terms:
        assert languages(ontology, term, RDFS.label) >= {"de", "en"}, term
        assert languages(ontology, term, RDFS.comment) >= {"de", "en"}, term
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology, term


def test_every_tk_property_has_domain_and_range(ontology: Graph) -> None:
    for term in tk_terms(ontology):
        if (term, RDF.type, OWL.Class) in ontology:
            continue
        assert ontology.value(term, RDFS.domain) is not None, term
        assert ontology.value(term, RDFS.range) is not None, term


def test_date_datatype_is_a_union_of_three_xsd_types(ontology: Graph) -> None:
    assert ontology.value(TK.startDate, RDFS.range) == TK.Date
    union = ontology.value(ontology.value(TK.Date, OWL.equivalentClass), OWL.unionOf)
    members = set(ontology.items(union))
    assert members == {XSD.date, XSD.gYearMonth, XSD.gYear}


def test_every_concept_has_labels_definitions_and_a_notation(ontology: Graph) -> None:
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for c in concepts:
        assert languages(ontology, c, SKOS.prefLabel) >= {"de", "en"}, c
        assert languages(ontology, c, SKOS.definition) >= {"de", "en"}, c
        notations = list(ontology.objects(c, SKOS.notation))
        assert len(notations) == 1, c
        assert notations[0].datatype is None and notations[0].language is None, c
        schemes = list(ontology.objects(c, SKOS.inScheme))
        assert len(schemes) == 1, c
        # a concept with a broader one (Oberbürgermeister/in ⊑ mayor) is not a top concept
        broader = list(ontology.objects(c, SKOS.broader))
        assert all((b, SKOS.inScheme, schemes[0]) in ontology for b in broader), c
        top = not broader
        assert ((c, SKOS.topConceptOf, schemes[0]) in ontology) == top, c
        assert ((schemes[0], SKOS.hasTopConcept, c) in ontology) == top, c


def test_schemes_have_labels_and_definitions(ontology: Graph) -> None:
    for scheme in EXPECTED_NOTATIONS:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
        assert languages(ontology, scheme, SKOS.prefLabel) >= {"de", "en"}, scheme
        assert languages(ontology, scheme, SKOS.definition) >= {"de", "en"}, scheme


@pytest.mark.parametrize("scheme", list(EXPECTED_NOTATIONS), ids=lambda s: s.fragment)
def test_notations_per_scheme_match_the_controlled_lists(ontology: Graph, scheme) -> None:
    concepts = set(ontology.subjects(SKOS.inScheme, scheme))
    notations = {str(ontology.value(c, SKOS.notation)) for c in concepts}
    assert notations == EXPECTED_NOTATIONS[scheme]
    for c in concepts:
        assert c == TK[IRI_PREFIX[scheme] + str(ontology.value(c, SKOS.notation))]


def test_role_concepts_are_org_roles(ontology: Graph) -> None:
    for c in ontology.subjects(SKOS.inScheme, TK.Roles):
        assert (c, RDF.type, ORG.Role) in ontology, c


def test_offices_of_mayors_and_their_deputies_are_distinct_roles(ontology: Graph) -> None:
    """Mülheim's Bürgermeister/innen are honorary deputies of the Oberbürgermeister/in, not
    the head of a city like the mayor of a partner city."""
    broader = {c: set(ontology.transitive_objects(c, SKOS.broader)) for c in ontology.subjects(SKOS.inScheme, TK.Roles)}
    assert TK["role-mayor"] in broader[TK["role-lord-mayor"]]
    assert TK["role-mayor"] in broader[TK["role-city-president"]]
    assert TK["role-deputy-mayor"] in broader[TK["role-honorary-deputy-mayor"]]
    assert TK["role-mayor"] not in broader[TK["role-honorary-deputy-mayor"]]


def test_german_labels_of_partnership_kinds(ontology: Graph) -> None:
    expected = {
        "twin-town": "Städtepartnerschaft",
        "friendship": "Freundschaft",
        "cousin": "Cousinenpartnerschaft",
        "project": "Projektpartnerschaft",
    }
    for notation, label in expected.items():
        assert (TK["kind-" + notation], SKOS.prefLabel, Literal(label, lang="de")) in ontology


# ---------------------------------------------------------------------------
# The shapes
# ---------------------------------------------------------------------------


def test_shapes_target_declared_classes(ontology: Graph, shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    assert targets
    for cls in targets:
        assert (cls, RDF.type, OWL.Class) in ontology, cls
    for name in ("City", "Country", "Partnership", "Person", "Office", "Organization",
                 "Event", "Participation", "Media", "Photo", "Source"):
        assert TK[name] in targets, name


def test_every_tk_term_in_the_shapes_is_declared(ontology: Graph, shapes: Graph) -> None:
    used = {
        t
        for triple in shapes
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(TK))
    }
    declared = set(ontology.subjects(RDF.type, None))
    assert used
    assert not used - declared, sorted(used - declared)


def test_every_shape_has_a_name_and_a_message(shapes: Graph) -> None:
    property_shapes = set(shapes.objects(None, SH.property)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    for shape in property_shapes | node_shapes:
        assert shapes.value(shape, SH.name) is not None, shape
        if shape in node_shapes and shapes.value(shape, SH.targetSubjectsOf) is not None:
            continue  # its only constraints sit in its property shapes
        assert shapes.value(shape, SH.message) is not None, shape


# ---------------------------------------------------------------------------
# Validation of a small sample
# ---------------------------------------------------------------------------

SAMPLE = """
@prefix tk:     <https://twinkg.example.org/ontology#> .
@prefix ex:     <http://example.org/twinkg/id/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf:   <http://xmlns.com/foaf/0.1/> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix geo:    <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix geosparql: <http://www.opengis.net/ont/geosparql#> .

ex:source\\/page a tk:Source ;
    rdfs:label "Städtepartnerschaften" ;
    foaf:page <https://www.example.org/staedtepartnerschaften> ;
    dct:language "de" ;
    dct:publisher ex:organization\\/stadt-muelheim ;
    dct:description "Die Seite der Stadt über ihre Partnerstädte."@de .

ex:country\\/de a tk:Country ;
    rdfs:label "Deutschland"@de , "Germany"@en ;
    tk:countryCode "DE" ;
    dct:source ex:source\\/page .

ex:country\\/fr a tk:Country ;
    rdfs:label "Frankreich"@de , "France"@en ;
    tk:countryCode "FR" ;
    dct:source ex:source\\/page .

ex:city\\/muelheim a tk:City ;
    rdfs:label "Mülheim an der Ruhr"@de ;
    skos:altLabel "Mülheim"@de ;
    tk:country ex:country\\/de ;
    geo:lat "51.43"^^xsd:decimal ;
    geo:long "6.88"^^xsd:decimal ;
    tk:coordinates "Point(6.88 51.43)"^^geosparql:wktLiteral ;
    owl:sameAs <https://sws.geonames.org/2867543/> ;
    tk:twinnedWith ex:city\\/tours ;
    dct:source ex:source\\/page .

ex:city\\/tours a tk:City ;
    rdfs:label "Tours"@de , "Tours"@fr ;
    tk:country ex:country\\/fr ;
    tk:twinnedWith ex:city\\/muelheim ;
    dct:source ex:source\\/page .

ex:organization\\/stadt-muelheim a tk:Organization ;
    rdfs:label "Stadt Mülheim an der Ruhr"@de ;
    tk:organizationType tk:orgtype-city-administration ;
    tk:basedIn ex:city\\/muelheim ;
    foaf:page <https://www.example.org/> ;
    dct:source ex:source\\/page .

ex:person\\/jane-doe a tk:Person ;
    foaf:name "Jane Doe" ;
    rdfs:label "Jane Doe" ;
    foaf:title "Dr." ;
    org:hasMembership <http://example.org/twinkg/id/person/jane-doe#office-1> ;
    dct:source ex:source\\/page .

<http://example.org/twinkg/id/person/jane-doe#office-1> a tk:Office ;
    org:member ex:person\\/jane-doe ;
    org:organization ex:organization\\/stadt-muelheim ;
    org:role tk:role-mayor ;
    rdfs:label "Bürgermeisterin"@de ;
    tk:startDate "2020"^^xsd:gYear ;
    tk:startEarliest "2020-01-01"^^xsd:date ; tk:startLatest "2020-12-31"^^xsd:date ;
    tk:startPrecision "year" .

ex:partnership\\/muelheim-tours a tk:Partnership ;
    rdfs:label "Mülheim an der Ruhr – Tours"@de ;
    tk:partner ex:city\\/muelheim , ex:city\\/tours ;
    tk:partnershipKind tk:kind-twin-town ;
    tk:startDate "1962"^^xsd:gYear ;
    tk:startEarliest "1962-01-01"^^xsd:date ; tk:startLatest "1962-12-31"^^xsd:date ;
    tk:startPrecision "year" ;
    dct:source ex:source\\/page .

ex:event\\/visit-2022 a tk:Event ;
    rdfs:label "Besuch aus Tours"@de , "Visit from Tours"@en ;
    tk:eventType tk:event-visit ;
    tk:startDate "2022-09-02"^^xsd:date ;
    tk:startEarliest "2022-09-02"^^xsd:date ; tk:startLatest "2022-09-02"^^xsd:date ;
    tk:startPrecision "day" ;
    tk:endDate "2022-09-04"^^xsd:date ;
    tk:endEarliest "2022-09-04"^^xsd:date ; tk:endLatest "2022-09-04"^^xsd:date ;
    tk:endPrecision "day" ;
    tk:place ex:city\\/muelheim ;
    tk:venue "Rathaus"@de ;
    tk:partnership ex:partnership\\/muelheim-tours ;
    tk:organizer ex:organization\\/stadt-muelheim ;
    tk:participant ex:person\\/jane-doe , ex:city\\/tours ;
    tk:participation <http://example.org/twinkg/id/event/visit-2022#participant-1> ;
    dct:source ex:source\\/page .

<http://example.org/twinkg/id/event/visit-2022#participant-1> a tk:Participation ;
    tk:agent ex:person\\/jane-doe ;
    tk:role tk:role-mayor ;
    rdfs:label "Bürgermeisterin"@de .

ex:photo\\/visit-1 a tk:Photo ;
    tk:caption "Empfang im Rathaus"@de , "Reception at the town hall"@en ;
    tk:credit "© Jane Doe | Stadt Mülheim an der Ruhr" ;
    dct:creator ex:person\\/jane-doe ;
    dct:rightsHolder ex:organization\\/stadt-muelheim ;
    tk:depicts ex:person\\/jane-doe , ex:city\\/tours ;
    tk:documents ex:event\\/visit-2022 ;
    tk:position 1 ;
    dct:source ex:source\\/page .
"""

SOURCE = EX["source/page"]
CITY = EX["city/muelheim"]
PERSON = EX["person/jane-doe"]
ORGANIZATION = EX["organization/stadt-muelheim"]
PARTNERSHIP = EX["partnership/muelheim-tours"]
EVENT = EX["event/visit-2022"]
PHOTO = EX["photo/visit-1"]
COUNTRY = EX["country/de"]
OFFICE = URIRef(str(PERSON) + "#office-1")
PARTICIPATION = URIRef(str(EVENT) + "#participant-1")


@pytest.fixture()
def sample() -> Graph:
    return Graph().parse(data=SAMPLE, format="turtle")


def run_shacl(data: Graph, ontology: Graph, shapes: Graph):
    """Validate data + ontology; return (conforms, {(focus, path, message), ...})."""
    data_graph = Graph()
    for triple in data:
        data_graph.add(triple)
    for triple in ontology:
        data_graph.add(triple)
    conforms, report, _ = validate(
        data_graph, shacl_graph=shapes, inference="none", allow_warnings=False
    )
    results = set()
    # Only the top-level results: those nested under sh:detail (from sh:node) are
    # explanations of a top-level one.
    for r in report.objects(None, SH.result):
        path = report.value(r, SH.resultPath)
        results.add(
            (
                report.value(r, SH.focusNode),
                path if isinstance(path, URIRef) else None,
                str(report.value(r, SH.resultMessage)),
            )
        )
    return conforms, results


def set_date(g: Graph, node, stem: str, value: Literal) -> None:
    """Set tk:{stem}Date and its bounds as the loader writes them (an impossible date's
    lexical form stands in for both bounds)."""
    try:
        earliest, latest, precision = date_bounds(str(value))
    except ValueProblem:
        earliest = latest = str(value)
        precision = "day"
    g.set((node, TK[stem + "Date"], value))
    g.set((node, TK[stem + "Earliest"], Literal(earliest, datatype=XSD.date)))
    g.set((node, TK[stem + "Latest"], Literal(latest, datatype=XSD.date)))
    g.set((node, TK[stem + "Precision"], Literal(precision)))


def failures(results) -> set[tuple]:
    return {(focus, path) for focus, path, _ in results}


def test_sample_conforms(sample: Graph, ontology: Graph, shapes: Graph) -> None:
    conforms, results = run_shacl(sample, ontology, shapes)
    assert conforms, results


def test_ontology_alone_conforms(ontology: Graph, shapes: Graph) -> None:
    conforms, results = run_shacl(Graph(), ontology, shapes)
    assert conforms, results


def assert_fails_exactly(results, focus, path) -> None:
    assert failures(results) == {(focus, path)}, results
    for _, _, message in results:
        assert message and message != "None"


def test_photo_without_credit(sample, ontology, shapes) -> None:
    sample.remove((PHOTO, TK.credit, None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PHOTO, TK.credit)
    assert any("credit" in m for _, _, m in results)


def test_photo_without_german_caption(sample, ontology, shapes) -> None:
    sample.remove((PHOTO, TK.caption, Literal("Empfang im Rathaus", lang="de")))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PHOTO, TK.caption)


def test_partnership_with_one_partner(sample, ontology, shapes) -> None:
    sample.remove((PARTNERSHIP, TK.partner, EX["city/tours"]))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PARTNERSHIP, TK.partner)


def test_partnership_with_an_event_type_as_kind(sample, ontology, shapes) -> None:
    sample.set((PARTNERSHIP, TK.partnershipKind, TK["event-visit"]))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PARTNERSHIP, TK.partnershipKind)


def test_event_date_typed_string(sample, ontology, shapes) -> None:
    set_date(sample, EVENT, "start", Literal("2022-09-02", datatype=XSD.string))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert (EVENT, TK.startDate) in failures(results)
    assert failures(results) <= {(EVENT, TK.startDate), (EVENT, TK.endDate)}


def test_event_impossible_date(sample, ontology, shapes) -> None:
    set_date(sample, EVENT, "start", Literal("2024-02-30", datatype=XSD.date))
    for stem in ("Date", "Earliest", "Latest", "Precision"):
        sample.remove((EVENT, TK["end" + stem], None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    # the date, and the bounds that cannot be a day either
    assert (EVENT, TK.startDate) in failures(results)
    assert failures(results) <= {(EVENT, TK.startDate), (EVENT, TK.startEarliest), (EVENT, TK.startLatest)}


def test_event_without_date_conforms(sample, ontology, shapes) -> None:
    """Sources do not always date an event; it is kept without a guessed date."""
    for stem in ("Date", "Earliest", "Latest", "Precision"):
        sample.remove((EVENT, TK["start" + stem], None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert conforms, results


def test_event_with_two_dates(sample, ontology, shapes) -> None:
    sample.add((EVENT, TK.startDate, Literal("2022", datatype=XSD.gYear)))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, EVENT, TK.startDate)


def test_end_before_start(sample, ontology, shapes) -> None:
    set_date(sample, EVENT, "end", Literal("2022-08", datatype=XSD.gYearMonth))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, EVENT, TK.endDate)
    assert any("before the start date" in m for _, _, m in results)


def test_end_with_coarser_precision_is_not_before_start(sample, ontology, shapes) -> None:
    set_date(sample, EVENT, "end", Literal("2022", datatype=XSD.gYear))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert conforms, results


def test_city_without_german_label(sample, ontology, shapes) -> None:
    sample.remove((CITY, RDFS.label, Literal("Mülheim an der Ruhr", lang="de")))
    sample.add((CITY, RDFS.label, Literal("Mülheim an der Ruhr", lang="en")))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, CITY, RDFS.label)
    assert any("German" in m for _, _, m in results)


def test_partnership_without_german_label(sample, ontology, shapes) -> None:
    sample.remove((PARTNERSHIP, RDFS.label, None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PARTNERSHIP, RDFS.label)


def test_city_with_untagged_label(sample, ontology, shapes) -> None:
    sample.add((CITY, RDFS.label, Literal("Muelheim")))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, CITY, RDFS.label)


def test_city_without_country(sample, ontology, shapes) -> None:
    sample.remove((CITY, TK.country, None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, CITY, TK.country)


@pytest.mark.parametrize(
    "entity",
    [CITY, COUNTRY, PARTNERSHIP, PERSON, ORGANIZATION, EVENT, PHOTO],
    ids=lambda e: str(e).rsplit("/", 2)[-2],
)
def test_entity_without_source(sample, ontology, shapes, entity) -> None:
    sample.remove((entity, DCTERMS.source, None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, entity, DCTERMS.source)


def test_source_that_is_not_a_source(sample, ontology, shapes) -> None:
    sample.set((PERSON, DCTERMS.source, EX["source/unknown"]))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PERSON, DCTERMS.source)


def test_source_without_url(sample, ontology, shapes) -> None:
    sample.remove((SOURCE, FOAF.page, None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, SOURCE, FOAF.page)


def test_person_with_tagged_name(sample, ontology, shapes) -> None:
    sample.set((PERSON, FOAF.name, Literal("Jane Doe", lang="de")))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PERSON, FOAF.name)


def test_office_with_an_organization_type_as_role(sample, ontology, shapes) -> None:
    sample.set((OFFICE, ORG.role, TK["orgtype-school"]))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, OFFICE, ORG.role)


def test_office_without_organization(sample, ontology, shapes) -> None:
    sample.remove((OFFICE, ORG.organization, None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, OFFICE, ORG.organization)


def test_participation_with_a_photo_as_agent(sample, ontology, shapes) -> None:
    sample.set((PARTICIPATION, TK.agent, PHOTO))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, PARTICIPATION, TK.agent)


def test_organization_without_type(sample, ontology, shapes) -> None:
    sample.remove((ORGANIZATION, TK.organizationType, None))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert_fails_exactly(results, ORGANIZATION, TK.organizationType)


def test_blank_node_entity_is_rejected(sample, ontology, shapes) -> None:
    node = BNode()
    for p, o in list(sample.predicate_objects(COUNTRY)):
        sample.add((node, p, o))
    conforms, results = run_shacl(sample, ontology, shapes)
    assert not conforms
    assert failures(results) == {(node, None)}
