"""Incremental SHACL validation (loaders/shacl_cache.py) reports exactly what a full run does.

Two sequences of edits, each step checked both ways: statements changed directly (so that
the shapes, not the YAML checks, find the cross-record problems), and the curated YAML
edited as a curator would, through ``validate_data``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from twinkg.config import ONTOLOGY_NS, PREFIXES, load_settings
from twinkg.loaders.validation import validate_data
from twinkg.loaders.problems import InvalidInput
from twinkg.loaders.shacl import ontology_data, to_problems
from twinkg.loaders.shacl_cache import FILE_NAME, incremental_findings
from twinkg.loaders.shacl_engines import ENGINE, ENGINES

DATA = Path(__file__).resolve().parent.parent / "data"
TYPE = NamedNode(PREFIXES["rdf"] + "type")


def tk(name: str) -> NamedNode:
    return NamedNode(ONTOLOGY_NS + name)


@pytest.fixture(scope="module")
def curated():
    settings = load_settings(data_dir=DATA)
    built = validate_data(settings).built
    return [q.triple for q in built.quads], built.origins, settings


def _edits(triples: list[Triple], settings):
    """(name, statements) after each edit, cumulatively, back to the start at the end."""
    city = NamedNode(settings.entity_iri("city", "tours"))
    renamed = NamedNode(settings.entity_iri("city", "tours-renamed"))
    person = NamedNode(settings.entity_iri("person", "marc-buchholz"))
    partnership = next(t.subject for t in triples if t.predicate == tk("startDate")
                       and "/partnership/" in t.subject.value)
    date = next(t for t in triples if t.subject == partnership and t.predicate == tk("startDate"))
    photos = {t.subject for t in triples if t.predicate == TYPE and t.object == tk("Photo")}
    event = NamedNode(settings.entity_iri("event", "new-visit"))

    yield "unchanged", triples
    yield "city loses its type", [t for t in triples if not (t.subject == city and t.predicate == TYPE)]
    yield "type back", triples
    yield "city renamed, references not", [Triple(renamed, t.predicate, t.object) if t.subject == city else t
                                           for t in triples]
    yield "name back", triples
    with_participants = next(t.subject for t in triples if t.predicate == tk("participation"))
    yield "event loses its type", [t for t in triples if not (t.subject == with_participants and t.predicate == TYPE)]
    yield "event type back", triples
    yield "person removed, offices stay", [t for t in triples if t.subject != person]
    yield "person back", triples
    broken = [t for t in triples if t != date] + [Triple(partnership, date.predicate, Literal("1962-13"))]
    yield "date broken", broken
    yield "date fixed", triples
    yield "photos deleted (a file)", [t for t in triples if t.subject not in photos]
    yield "event added, without a name, at the city", triples + [
        Triple(event, TYPE, tk("Event")), Triple(event, tk("place"), city),
        Triple(event, tk("eventType"), next(t.object for t in triples if t.predicate == tk("eventType")))]
    yield "event removed", triples


def test_incremental_equals_full_over_edits_of_statements(curated, tmp_path):
    triples, origins, settings = curated
    engine, calls = ENGINES[ENGINE], []

    def recorded(data, focus):
        calls.append(focus)
        return engine(data, focus)

    for name, state in _edits(triples, settings):
        full = sorted(engine(state + ontology_data(), None))
        incremental = sorted(incremental_findings(state, ontology_data(), tmp_path, ENGINE, recorded))
        assert incremental == full, name
        assert sorted(map(str, to_problems(incremental, origins))) == sorted(map(str, to_problems(full, origins)))
        if name == "city loses its type":  # found at the records that refer to it
            assert {f.focus for f in full} - {settings.entity_iri("city", "tours")}
    assert calls[0] is None  # the first run had no cache: everything
    # the later ones validated only the nodes around the change (and unchanged ones nothing)
    assert sum(1 for focus in calls[1:] if focus is not None) >= 8


def test_broken_cache_is_a_full_run(curated, tmp_path):
    triples, _, _ = curated
    (tmp_path / FILE_NAME).write_bytes(b'{"key": 1, "findings": [[1]]}\n<not n-triples')
    assert incremental_findings(triples, ontology_data(), tmp_path, ENGINE, ENGINES[ENGINE]) == []
    (tmp_path / FILE_NAME).write_bytes(b"\xff\xfe")
    assert incremental_findings(triples, ontology_data(), tmp_path, ENGINE, ENGINES[ENGINE]) == []


def test_unwritable_cache_place_still_validates(curated, tmp_path):
    triples, _, _ = curated
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    broken = triples + [Triple(NamedNode("https://twinkg.example.org/id/city/x"), TYPE, tk("City"))]
    for _ in range(2):
        found = incremental_findings(broken, ontology_data(), blocked / "cache", ENGINE, ENGINES[ENGINE])
        assert found and all(f.focus == "https://twinkg.example.org/id/city/x" for f in found)


def _problems(settings) -> list[str]:
    try:
        validate_data(settings)
        return []
    except InvalidInput as exc:
        return [str(p) for p in exc.problems]


def _edit(data: Path, file: str, old: str, new: str) -> None:
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"curated data changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_incremental_equals_full_over_curators_edits(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    kept = load_settings(data_dir=data, store=tmp_path / "kept" / "store")
    cities, events, media = ((data / f).read_text(encoding="utf-8")
                             for f in ("cities.yaml", "events.yaml", "media.yaml"))
    steps = [
        ("unchanged", lambda: None),
        ("city added", lambda: (data / "cities.yaml").write_text(
            cities + "\n- id: neustadt\n  name: {de: Neustadt}\n  country: de\n  source: seed-aktionen\n",
            encoding="utf-8")),
        ("event at the new city", lambda: _edit(data, "events.yaml", 'date: "2022-09-02"',
                                                'date: "2022-09-02"\n  place: neustadt')),
        ("referenced city renamed", lambda: _edit(data, "cities.yaml", "- id: neustadt", "- id: neustadt-2")),
        ("referenced city removed", lambda: (data / "cities.yaml").write_text(cities, encoding="utf-8")),
        ("events back", lambda: (data / "events.yaml").write_text(events, encoding="utf-8")),
        ("date broken", lambda: _edit(data, "events.yaml", '"2024-09-20"', '"2024-09-31"')),
        ("date fixed", lambda: (data / "events.yaml").write_text(events, encoding="utf-8")),
        ("file deleted", lambda: (data / "media.yaml").unlink()),
        ("file back", lambda: (data / "media.yaml").write_text(media, encoding="utf-8")),
    ]
    seen = set()
    for i, (name, step) in enumerate(steps):
        step()
        fresh = load_settings(data_dir=data, store=tmp_path / f"fresh-{i}" / "store")  # no cache: a full run
        incremental = _problems(kept)
        assert incremental == _problems(fresh), name
        seen.add(bool(incremental))
    assert seen == {True, False}
    assert (tmp_path / "kept" / "validation-cache" / FILE_NAME).exists()
