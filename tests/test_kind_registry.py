"""A kind declared once (twinkg/kinds.py) is checked, loaded, listed, shown, searched and
published: a throwaway kind (School) of a fixture dataset, with its own ontology and shapes
additions and no edit anywhere else, through a real load and the Flask test client."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import rdflib
from bs4 import BeautifulSoup
from helpers import MINI, settings_for

from twinkg.config import UI_LANGUAGES
from twinkg.kinds import CURATED, DATE, IRI, NAME, NOTE, REF, REQUIRED_SOURCE, SLUG, Kind, f
from twinkg.ontology_files import ontology_bytes
from twinkg.loaders import shacl_chunks
from twinkg.loaders.pipeline import load
from twinkg.loaders.validation import validate_data
from twinkg.loaders.shacl_cache import FILE_NAME, cache_dir
from twinkg.loaders.problems import InvalidInput
from twinkg.loaders.rdf import DATE_PARTS
from twinkg.server import create_app

SCHOOL_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "school"
TK = rdflib.Namespace("https://twinkg.example.org/ontology#")
SCHOOL = "https://twinkg.example.org/id/school/alpha-gymnasium"

#: Everything the site knows of schools: the declaration, nothing else (the generic entity
#: template shows its page; no view, no context query).
SCHOOL_KIND = Kind("school", "schools.yaml", "School", {
    "id": f(SLUG, True), "name": NAME, "city": f(REF, True, kinds=("city",), prop="tk:locatedIn"),
    "url": f(IRI, prop="foaf:page"), "note": NOTE, "source": REQUIRED_SOURCE,
}, labels={"de": ("Schule", "Schulen"), "en": ("School", "Schools")}, schema_type="School")



def with_school(kind: Kind = SCHOOL_KIND):
    return CURATED.with_kinds(kind, ontology=(SCHOOL_FIXTURE / "ontology.ttl").read_bytes(),
                              shapes=(SCHOOL_FIXTURE / "shapes.ttl").read_bytes())


KINDS = with_school()


def school_data(target: Path) -> Path:
    shutil.copytree(MINI, target)
    shutil.copy(SCHOOL_FIXTURE / "schools.yaml", target / "schools.yaml")
    return target


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("school")
    settings = settings_for(school_data(root / "data"), root / "store", kinds=KINDS)
    load(settings)
    return create_app(settings, {"TESTING": True}).test_client()


def html(client, path: str, lang: str = "en") -> BeautifulSoup:
    response = client.get(path, headers={"Accept-Language": lang, "Accept": "text/html"})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.data, "html.parser")


def test_its_list_page_lists_it_under_its_own_label(client):
    soup = html(client, "/list/school")
    assert soup.h1.get_text(strip=True) == "Schools"
    assert [a["href"] for a in soup.select("ol.listing a")] == ["/page/school/alpha-gymnasium"]
    assert html(client, "/list/school", "de").h1.get_text(strip=True) == "Schulen"
    home = html(client, "/")
    assert "/list/school" in {a["href"] for a in home.find(id="counts").find_all("a")}


def test_its_page_shows_its_statements_with_the_generic_template(client):
    soup = html(client, "/page/school/alpha-gymnasium")
    assert soup.h1.get_text(strip=True) == "Alpha City Grammar School"
    assert soup.select_one(".class-label a").get_text(strip=True) == "School"
    statements = soup.select_one("table.statements").get_text(" ", strip=True)
    assert "located in" in statements and "Alpha City" in statements  # the ontology addition's label
    assert "/page/city/alpha" in {a["href"] for a in soup.select("table.statements a")}
    # the city's page links back to it
    city = html(client, "/page/city/alpha")
    assert "/page/school/alpha-gymnasium" in {a["href"] for a in city.find_all("a", href=True)}


def test_its_page_carries_schema_org_json_ld_of_its_declared_type(client):
    soup = html(client, "/page/school/alpha-gymnasium")
    doc = json.loads(soup.find("script", type="application/ld+json").string)
    assert doc["@type"] == "School" and doc["@id"] == SCHOOL
    assert {"@value": "Gymnasium Alphastadt", "@language": "de"} in doc["name"]


def test_search_finds_it_in_a_group_of_its_kind(client):
    soup = html(client, "/search?q=gymnasium")
    group = soup.find(id="h-group-school")
    assert group is not None and group.get_text(" ", strip=True).startswith("Schools")
    assert [a["href"] for a in group.find_parent("section").find_all("a")] == ["/page/school/alpha-gymnasium"]


@pytest.mark.parametrize("ext, fmt", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_its_data_document_states_what_it_declares(client, ext, fmt):
    response = client.get(f"/data/school/alpha-gymnasium.{ext}")
    assert response.status_code == 200
    g = rdflib.Graph().parse(data=response.data, format=fmt)
    school = rdflib.URIRef(SCHOOL)
    assert (school, rdflib.RDF.type, TK.School) in g
    assert (school, TK.locatedIn, rdflib.URIRef("https://twinkg.example.org/id/city/alpha")) in g
    assert (school, rdflib.FOAF.page, rdflib.URIRef("https://example.org/gymnasium")) in g
    assert rdflib.Literal("Alpha City Grammar School", lang="en") in set(g.objects(school, rdflib.RDFS.label))
    assert client.get("/id/school/alpha-gymnasium", headers={"Accept": "text/turtle"}).status_code == 303


def test_its_records_are_checked_against_its_declaration(tmp_path):
    data = school_data(tmp_path / "data")
    text = (data / "schools.yaml").read_text(encoding="utf-8")
    (data / "schools.yaml").write_text(text.replace("city: alpha", "city: alfa"), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load(settings_for(data, tmp_path / "store", kinds=KINDS))
    assert [str(p) for p in caught.value.problems] == [
        f"{data}/schools.yaml:5: schools[1].city: unknown city 'alfa' (did you mean 'alpha'?)"]
    assert not (tmp_path / "store").exists()


def test_its_shapes_judge_its_statements(tmp_path):
    """The shapes addition is validated with the packaged shapes: a declaration that lets the
    city out is caught by the shape that requires one."""
    lenient = with_school(replace(SCHOOL_KIND, fields={**SCHOOL_KIND.fields, "city": f(REF, kinds=("city",))}))
    data = school_data(tmp_path / "data")
    with pytest.raises(InvalidInput) as caught:
        load(settings_for(data, tmp_path / "store", kinds=lenient))
    assert [str(p) for p in caught.value.problems] == [
        f"{data}/schools.yaml:3: schools[1] (tk:locatedIn): SHACL: A school needs exactly one city "
        "(tk:locatedIn), a tk:City."]


def test_without_its_declaration_its_file_is_refused(tmp_path):
    data = school_data(tmp_path / "data")
    with pytest.raises(InvalidInput) as caught:
        load(settings_for(data, tmp_path / "store"))
    assert any(p.file.endswith("schools.yaml") and "unknown file" in p.message for p in caught.value.problems)


def test_every_curated_kind_names_terms_the_ontology_declares_and_labels_in_each_ui_language():
    """A declaration that names a class or property the ontology lacks (a typo) would load
    statements nobody can look up: each tk: term a kind names is declared."""
    ontology = rdflib.Graph().parse(data=ontology_bytes(), format="turtle")
    declared = set(ontology.subjects(rdflib.RDF.type, None))
    named = set()
    for kind in CURATED:
        named.add(TK[kind.cls])
        assert set(kind.labels) == set(UI_LANGUAGES), kind.name
        for spec in kind.fields.values():
            suffixes = DATE_PARTS if spec.type == DATE else ("",)
            named |= {TK[p[3:] + s] for p in spec.prop if p.startswith("tk:") for s in suffixes}
    assert named - declared == set()


#: A registry's shape that reads a predicate from the object's side (sh:inversePath): the
#: packaged shapes read tk:locatedIn from neither side.
ONE_SCHOOL_PER_CITY = b"""
@prefix tksh: <https://twinkg.example.org/shapes#> .
@prefix tk:   <https://twinkg.example.org/ontology#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .

tksh:OneSchoolShape a sh:NodeShape ;
    sh:targetClass tk:City ;
    sh:property [
        sh:path [ sh:inversePath tk:locatedIn ] ;
        sh:maxCount 1 ;
        sh:message "A city of this fixture has at most one school." ] .
"""

SECOND_SCHOOL = """- id: beta-gymnasium
  name: {de: Zweites Gymnasium Alphastadt, en: Second Alpha City Grammar School}
  city: alpha
  source: example-page
"""


@pytest.mark.parametrize("grouped", [False, True])
def test_its_inverse_path_shapes_see_edits_incrementally_and_in_groups(tmp_path, monkeypatch, grouped):
    """An edit only a registry shape's inverse path can see (a second school in a city: the
    city's own statements are unchanged) is reported by the cached run as by a full one,
    and by the full run in groups of nodes (shacl_chunks.py) as by one engine run."""
    kinds = CURATED.with_kinds(SCHOOL_KIND, ontology=(SCHOOL_FIXTURE / "ontology.ttl").read_bytes(),
                               shapes=(SCHOOL_FIXTURE / "shapes.ttl").read_bytes() + ONE_SCHOOL_PER_CITY)
    data = school_data(tmp_path / "data")
    settings = settings_for(data, tmp_path / "store", kinds=kinds)
    validate_data(settings)  # valid: one school in alpha; this run writes the cache
    assert (cache_dir(settings) / FILE_NAME).exists()
    if grouped:
        monkeypatch.setattr(shacl_chunks, "LINES", 20)
        monkeypatch.setattr(shacl_chunks, "WHOLE", 40)
    with (data / "schools.yaml").open("a", encoding="utf-8") as f:
        f.write(SECOND_SCHOOL)
    expected = [f"{data}/cities.yaml:{_line_of(data / 'cities.yaml', 'id: alpha')}: cities[1]: "
                "SHACL: A city of this fixture has at most one school."]
    reports = []
    for run in ("incremental", "full"):
        if run == "full":
            shutil.rmtree(cache_dir(settings))
        with pytest.raises(InvalidInput) as caught:
            validate_data(settings)
        reports.append([str(p) for p in caught.value.problems])
    assert reports[0] == reports[1]
    assert reports[1] == expected


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)
