"""The ontology documentation: every class, property, datatype and concept has its anchor."""

from __future__ import annotations

import pytest
import rdflib
from bs4 import BeautifulSoup
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from twinkg.config import ONTOLOGY_NS
from twinkg.ontology_files import ontology_bytes

ONTOLOGY = rdflib.Graph().parse(data=ontology_bytes(), format="turtle")


def terms_of(kind) -> set[str]:
    return {str(s)[len(ONTOLOGY_NS):] for s in ONTOLOGY.subjects(RDF.type, kind)
            if str(s).startswith(ONTOLOGY_NS)}


def entry_text(soup, local: str) -> str:
    return soup.find(id=local).get_text(" ", strip=True)


def test_export_used_pylode(exported):
    assert exported.ontology_doc == "pylode"


@pytest.mark.parametrize("generator", ["pylode", "template"])
def test_documentation_lists_every_term(exported, tmp_path, generator):
    from twinkg.export.ontodoc import write_ontology_doc
    path = tmp_path / "ontology.html"
    assert write_ontology_doc(ontology_bytes(), path, use_pylode=generator == "pylode") == generator
    soup = BeautifulSoup(path.read_text(), "html.parser")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype, SKOS.ConceptScheme, SKOS.Concept)
    for kind in kinds:
        expected = terms_of(kind)
        assert expected, kind
        for local in expected:
            assert soup.find(id=local) is not None, f"{kind} {local}"
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "an id twice: a term IRI would land in the wrong place"
    assert soup.html["lang"] == "en"
    assert soup.title.get_text() == "twinkg – town twinning ontology"
    # an entry shows the term's English label
    assert "city" in entry_text(soup, "City").lower()
    assert "Twin town" in entry_text(soup, "kind-twin-town") or "twin town" in entry_text(soup, "kind-twin-town")
