"""The validation cache keeps a digest per subject (not the statements): edits it must
still see — a link removed at the referring record, found at the record it pointed to;
the same statements in another order — give exactly the full run's findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from twinkg.config import ONTOLOGY_NS, load_settings
from twinkg.loaders.validation import validate_data
from twinkg.loaders.shacl import ontology_data
from twinkg.loaders import shacl_chunks
from twinkg.loaders.shacl_cache import FILE_NAME, incremental_findings, inverse_terms
from twinkg.loaders.shacl_engines import ENGINE, ENGINES

DATA = Path(__file__).resolve().parent.parent / "data"
PARTICIPATION = NamedNode(ONTOLOGY_NS + "participation")


@pytest.fixture(scope="module")
def triples():
    return [q.triple for q in validate_data(load_settings(data_dir=DATA)).built.quads]


def _both(state, tmp_path):
    full = sorted(ENGINES[ENGINE](state + ontology_data(), None))
    document = serialize(state, format=RdfFormat.N_TRIPLES)  # as the loader passes it
    return full, sorted(incremental_findings(document, ontology_data(), tmp_path, ENGINE, ENGINES[ENGINE]))


def test_link_removed_is_found_at_the_record_it_pointed_to(triples, tmp_path):
    """The participation's shape reads tk:participation from the object's side: dropping the
    event's statement leaves the participation's own statements unchanged."""
    link = next(t for t in triples if t.predicate == PARTICIPATION)
    assert _both(triples, tmp_path) == ([], [])
    full, incremental = _both([t for t in triples if t != link], tmp_path)
    assert incremental == full
    assert link.object.value in {f.focus for f in full}
    assert _both(triples, tmp_path) == ([], [])


def test_same_statements_in_another_order(triples, tmp_path):
    broken = [t for t in triples if t.predicate != PARTICIPATION]
    first = _both(broken, tmp_path)
    assert first[0] and first[0] == first[1]
    assert _both(broken[::-1], tmp_path) == first


def test_cache_holds_digests_not_statements(triples, tmp_path):
    _both(triples, tmp_path)
    assert b'"Tours"' in serialize(triples, format=RdfFormat.N_TRIPLES)
    cache = (tmp_path / FILE_NAME).read_bytes()
    assert b"Tours" not in cache  # a literal of the data: the statements are not copied
    assert len(cache) < len(serialize(triples, format=RdfFormat.N_TRIPLES)) / 2


@pytest.mark.parametrize("edit", ["valid", "links dropped", "types dropped", "values renamed"])
def test_groups_find_what_one_run_finds(triples, monkeypatch, edit):
    """A full run in groups of nodes (shacl_chunks.py, for large data) finds exactly what one
    engine run over everything finds, on the curated data and on broken copies."""
    if edit == "links dropped":
        triples = [t for i, t in enumerate(triples) if not (t.predicate == PARTICIPATION and i % 2)]
    elif edit == "types dropped":
        triples = [t for i, t in enumerate(triples) if not (t.predicate.value.endswith("#type") and i % 3 == 0)]
    elif edit == "values renamed":  # references to nodes that have no statements
        triples = [Triple(t.subject, t.predicate, NamedNode(t.object.value + "-x"))
                   if isinstance(t.object, NamedNode) and i % 7 == 0 else t for i, t in enumerate(triples)]
    monkeypatch.setattr(shacl_chunks, "LINES", 150)
    monkeypatch.setattr(shacl_chunks, "WHOLE", 300)
    calls = []

    def engine(data, focus):
        calls.append(focus)
        return ENGINES[ENGINE](data, focus)

    document = serialize(triples, format=RdfFormat.N_TRIPLES)
    ontology = serialize(ontology_data(), format=RdfFormat.N_TRIPLES)
    grouped = shacl_chunks.full_findings(engine, document, ontology, inverse_terms())
    assert len(calls) > 5 and None not in calls
    assert sorted(grouped) == sorted(ENGINES[ENGINE](triples + ontology_data(), None))
    assert bool(grouped) == (edit != "valid")
