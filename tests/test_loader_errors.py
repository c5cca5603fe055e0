"""Bad curated input: one case per kind of error, with the exact message a curator reads."""

from __future__ import annotations

import pytest

from twinkg.loaders.pipeline import load, validate_data
from twinkg.loaders.problems import InvalidInput

from conftest import settings_for


def edit(data, file, old, new):
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(data, tmp_path) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        validate_data(settings_for(data, tmp_path / "store"))
    return [str(p).replace(str(data), "data") for p in info.value.problems]


def test_fixture_is_valid(mini_data, tmp_path):
    result = validate_data(settings_for(mini_data, tmp_path / "store"))
    assert result.counts == {"Source": 1, "Country": 2, "City": 2, "Organization": 1, "Person": 1,
                             "Partnership": 1, "Event": 1, "Photo": 1}


CASES = [
    ("dangling reference with suggestion", "events.yaml", "place: tours", "place: tuors",
     "data/events.yaml:5: events[0].place: unknown city 'tuors' (did you mean 'tours'?)"),
    ("unknown key", "cities.yaml", "country: de", "country: de\n  contry: de",
     "data/cities.yaml:4: cities[0].contry: unknown field (did you mean 'country'?); allowed: "
     "id, name, alt_names, country, part_of, wikidata, geo, note, source"),
    ("missing required field", "media.yaml", '  credit: "© Example | Alphastadt"\n', "",
     "data/media.yaml:1: media[0].credit: required field is missing"),
    ("wrong type", "partnerships.yaml", "cities: [alpha, tours]", "cities: alpha",
     "data/partnerships.yaml:2: partnerships[0].cities: expected a list of ids, got a string"),
    ("impossible date", "events.yaml", '"2022-09-02"', '"2022-02-30"',
     "data/events.yaml:4: events[0].date: impossible date '2022-02-30': day is out of range for month"),
    ("impossible month", "partnerships.yaml", 'start: "1962"', 'start: "1962-13"',
     "data/partnerships.yaml:4: partnerships[0].start: impossible date '1962-13': there is no month 13"),
    ("duplicate id", "countries.yaml", "- id: fr", "- id: de",
     "data/countries.yaml:4: countries[1].id: duplicate country id 'de' (first at data/countries.yaml:1)"),
    ("unknown concept", "partnerships.yaml", "kind: twin-town", "kind: twinn-town",
     "data/partnerships.yaml:3: partnerships[0].kind: unknown partnership-kind 'twinn-town' "
     "(did you mean 'twin-town'?); allowed: cousin, friendship, project, twin-town"),
    ("missing German name", "cities.yaml", "name: {de: Tours, fr: Tours}", "name: {fr: Tours}",
     "data/cities.yaml:7: cities[1].name: needs a German name (de)"),
    ("bad slug", "people.yaml", "id: erika-muster", "id: Erika_Muster",
     "data/people.yaml:1: people[0].id: 'Erika_Muster' is not a slug (lower-case ASCII letters and digits joined by '-')"),
    ("end before start", "partnerships.yaml", 'start: "1962"', 'start: "1962"\n  end: "1950"',
     "data/partnerships.yaml:5: partnerships[0].end: ends (1950) before it starts (1962)"),
    ("yaml syntax", "cities.yaml", "country: de", "country: [de",
     "data/cities.yaml:4: YAML syntax error: expected ',' or ']', but got ':'"),
    ("duplicate key", "cities.yaml", "country: de", "country: de\n  country: fr",
     "data/cities.yaml:4: country: duplicate key"),
    ("event with date and start", "events.yaml", '  date: "2022-09-02"\n', '  date: "2022-09-02"\n  start: "2022-09-01"\n',
     "data/events.yaml:1: events[0]: gives both date and start; use date for one day, month or year, "
     "start and end for a span"),
    ("participant without agent", "events.yaml", "- person: erika-muster\n      role: mayor",
     "- role: mayor",
     "data/events.yaml:8: events[0].participants[0]: needs exactly one of person, organization, city, got 0"),
    ("not a list", "sources.yaml", None, "# sources\nid: example-page\ntitle: A page\n",
     "data/sources.yaml:2: expected a list of source records at the top level, got a mapping"),
    ("unknown file", None, None, None, "data/event.yaml: unknown file (did you mean 'events.yaml'?); "
     "expected: cities.yaml, countries.yaml, events.yaml, media.yaml, organizations.yaml, "
     "partnerships.yaml, people.yaml, sources.yaml"),
]


@pytest.mark.parametrize("name, file, old, new, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_with_file_line_and_field(mini_data, tmp_path, name, file, old, new, expected):
    if file is None:
        (mini_data / "event.yaml").write_text("[]\n", encoding="utf-8")
    elif old is None:
        (mini_data / file).write_text(new, encoding="utf-8")
    else:
        edit(mini_data, file, old, new)
    assert expected in problems_of(mini_data, tmp_path)


def test_all_problems_are_reported_at_once(mini_data, tmp_path):
    edit(mini_data, "events.yaml", "place: tours", "place: tuors")
    edit(mini_data, "media.yaml", "position: 1", "position: first")
    found = problems_of(mini_data, tmp_path)
    assert "data/events.yaml:5: events[0].place: unknown city 'tuors' (did you mean 'tours'?)" in found
    assert "data/media.yaml:7: media[0].position: expected a whole number, got 'first'" in found


def test_shacl_violation_points_at_the_yaml_record(mini_data, tmp_path, monkeypatch):
    """A rule only the shapes know (here: a photo's credit must be one line of text) is traced back."""
    import twinkg.loaders.pipeline as pipeline
    from pyoxigraph import Literal, NamedNode, Quad

    real = pipeline.build_quads

    def with_second_credit(settings, curated, concepts):
        built = real(settings, curated, concepts)
        photo = NamedNode(settings.entity_iri("photo", "photo-1"))
        graph = NamedNode(settings.source_graph("example-page"))
        built.quads.append(Quad(photo, NamedNode("https://twinkg.example.org/ontology#credit"),
                                Literal("a second credit"), graph))
        return built

    monkeypatch.setattr(pipeline, "build_quads", with_second_credit)
    found = problems_of(mini_data, tmp_path)
    assert len(found) == 1
    assert found[0].startswith("data/media.yaml:1: media[0] (tk:credit): SHACL: ")


def test_failed_load_leaves_the_previous_store(mini_data, tmp_path):
    settings = settings_for(mini_data, tmp_path / "store")
    load(settings)
    before = (settings.store.resolve(), sorted(p.name for p in (tmp_path / "store.d").iterdir()))
    edit(mini_data, "events.yaml", "place: tours", "place: tuors")
    with pytest.raises(InvalidInput):
        load(settings)
    after = (settings.store.resolve(), sorted(p.name for p in (tmp_path / "store.d").iterdir()))
    assert after == before


def test_broken_dataset_file_is_reported_by_validate(mini_data, tmp_path):
    (mini_data / "DATASET.toml").write_text('version = "0.1.0"\npublisher = \n', encoding="utf-8")
    found = problems_of(mini_data, tmp_path)
    assert len(found) == 1
    assert found[0].startswith("data/DATASET.toml:2: Invalid value")


def test_a_broken_enrichment_file_is_not_overwritten(tmp_path):
    """Re-running the enrichment on a file with a YAML error stops instead of dropping decisions."""
    from twinkg.loaders.enrichment import _decisions

    path = tmp_path / "wikidata.yaml"
    path.write_text("cities:\n  - city: tours\n    suggestions: [\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        _decisions(path)
    assert "YAML syntax error" in str(info.value)
