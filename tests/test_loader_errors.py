"""Bad curated input: one case per kind of error, with the exact message a curator reads."""

from __future__ import annotations

import pytest

from twinkg.loaders.pipeline import load
from twinkg.loaders.validation import validate_data
from twinkg.loaders.problems import InvalidInput

from helpers import settings_for


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
     "data/events.yaml:5: events[1].place: unknown city 'tuors' (did you mean 'tours'?)"),
    ("unknown key", "cities.yaml", "country: de", "country: de\n  contry: de",
     "data/cities.yaml:4: cities[1].contry: unknown field (did you mean 'country'?); allowed: "
     "id, name, alt_names, country, part_of, merged_into, wikidata, geo, note, source"),
    ("missing required field", "media.yaml", '  credit: "© Example | Alphastadt"\n', "",
     "data/media.yaml:1: media[1].credit: required field is missing"),
    ("wrong type", "partnerships.yaml", "cities: [alpha, tours]", "cities: alpha",
     "data/partnerships.yaml:2: partnerships[1].cities: expected a list of ids, got a string"),
    ("impossible date", "events.yaml", '"2022-09-02"', '"2022-02-30"',
     "data/events.yaml:4: events[1].date: impossible date '2022-02-30': day is out of range for month"),
    ("impossible month", "partnerships.yaml", 'start: "1962"', 'start: "1962-13"',
     "data/partnerships.yaml:4: partnerships[1].start: impossible date '1962-13': there is no month 13"),
    ("duplicate id", "countries.yaml", "- id: fr", "- id: de",
     "data/countries.yaml:4: countries[2].id: duplicate country id 'de' (first at data/countries.yaml:1)"),
    ("unknown concept", "partnerships.yaml", "kind: twin-town", "kind: twinn-town",
     "data/partnerships.yaml:3: partnerships[1].kind: unknown partnership-kind 'twinn-town' "
     "(did you mean 'twin-town'?); allowed: cousin, friendship, project, twin-town"),
    ("missing German name", "cities.yaml", "name: {de: Tours, fr: Tours}", "name: {fr: Tours}",
     "data/cities.yaml:7: cities[2].name: needs a German name (de)"),
    ("bad slug", "people.yaml", "id: erika-muster", "id: Erika_Muster",
     "data/people.yaml:1: people[1].id: 'Erika_Muster' is not a slug (lower-case ASCII letters and digits joined by '-')"),
    ("end before start", "partnerships.yaml", 'start: "1962"', 'start: "1962"\n  end: "1950"',
     "data/partnerships.yaml:5: partnerships[1].end: ends (1950) before it starts (1962)"),
    ("yaml syntax", "cities.yaml", "country: de", "country: [de",
     "data/cities.yaml:4: YAML syntax error: expected ',' or ']', but got ':' "
     "(hint: a [list] is not closed with ']', or an item with ':' or ',' needs quotes)"),
    ("duplicate key", "cities.yaml", "country: de", "country: de\n  country: fr",
     "data/cities.yaml:4: cities[1].country: duplicate key (first at data/cities.yaml:3; "
     "a key is given once per record)"),
    ("event with date and start", "events.yaml", '  date: "2022-09-02"\n', '  date: "2022-09-02"\n  start: "2022-09-01"\n',
     "data/events.yaml:1: events[1]: gives both date and start; use date for one day, month or year, "
     "start and end for a span"),
    ("participant without agent", "events.yaml", "- person: erika-muster\n      role: mayor",
     "- role: mayor",
     "data/events.yaml:8: events[1].participants[1]: needs exactly one of person, organization, city, group, got 0"),
    ("inferred names a field not given", "events.yaml", "  place: tours\n", "  place: tours\n  inferred: {venue: {de: erschlossen}}\n",
     "data/events.yaml:6: events[1].inferred.venue: names no field of this record that is given"),
    ("inferred without a reason", "events.yaml", "  place: tours\n", "  place: tours\n  inferred: {place: weil}\n",
     "data/events.yaml:6: events[1].inferred.place: expected a mapping from language tag to text, like {de: …}, got a string"),
    ("not a list", "sources.yaml", None, "# sources\nid: example-page\ntitle: A page\n",
     "data/sources.yaml:2: expected a list of source records at the top level, got a mapping"),
    ("unknown file", None, None, None, "data/event.yaml: unknown file (did you mean 'events.yaml'?); "
     "expected: cities.yaml, countries.yaml, events.yaml, media.yaml, organizations.yaml, "
     "partnerships.yaml, people.yaml, sources.yaml"),
    # IRIs that look like http(s) IRIs but that RDF (pyoxigraph's NamedNode) refuses
    ("IRI with a bad %-escape", "sources.yaml", "url: https://example.org/page", 'url: "https://example.org/%zz"',
     "data/sources.yaml:4: sources[1].url: expected an absolute http(s) IRI, got 'https://example.org/%zz' "
     "(Invalid IRI percent encoding '%zz')"),
    ("IRI with an unclosed IPv6 host", "sources.yaml", "url: https://example.org/page", 'url: "http://[::1"',
     "data/sources.yaml:4: sources[1].url: expected an absolute http(s) IRI, got 'http://[::1' (Invalid IPv6 URL)"),
    ("IRI with a port that is no number", "sources.yaml", "url: https://example.org/page",
     'url: "https://example.org:abc/"',
     "data/sources.yaml:4: sources[1].url: expected an absolute http(s) IRI, got 'https://example.org:abc/' "
     "(Invalid character 'a')"),
    ("IRI with a tab", "sources.yaml", "url: https://example.org/page", 'url: "https://example.org/a\\tb"',
     "data/sources.yaml:4: sources[1].url: expected an absolute http(s) IRI, got 'https://example.org/a\\tb'"),
    # a file that is there but holds nothing: a mistake, unlike the explicit []
    ("empty file", "media.yaml", None, "",
     "data/media.yaml: file is empty; write [] into it if there are no photo records"),
    ("file of comments only", "media.yaml", None, "# the photos\n",
     "data/media.yaml: file is empty; write [] into it if there are no photo records"),
    ("id of a person that is an organization's", "people.yaml", "  source: example-page",
     "  source: example-page\n- id: alpha-admin\n  name: Alpha Admin\n  source: example-page",
     "data/people.yaml:8: people[2].id: id 'alpha-admin' is taken by the organization at "
     "data/organizations.yaml:1; person, organization, city ids must differ, as photos refer to them by id alone"),
    ("end before start at the coarser precision", "partnerships.yaml", 'start: "1962"',
     'start: "1962-05-03"\n  end: "1961-12"',
     "data/partnerships.yaml:5: partnerships[1].end: ends (1961-12) before it starts (1962-05-03)"),
    ("language tag pyoxigraph refuses", "cities.yaml", "name: {de: Tours, fr: Tours}",
     "name: {de: Tours, fr: Tours}\n  note: {de-12: x}",
     "data/cities.yaml:8: cities[2].note.de-12: 'de-12' is not a language tag"),
    ("control character", "cities.yaml", "country: fr", "country: fr\n# a\x07b",
     "data/cities.yaml:9: YAML syntax error: unacceptable character #x0007: special characters are not allowed"),
    ("NUL character", "cities.yaml", "country: fr", "country: fr\n# a\x00b",
     "data/cities.yaml:9: YAML syntax error: unacceptable character #x0000: special characters are not allowed"),
    ("list as a key", "cities.yaml", "country: fr", "country: fr\n  ? [a, b]\n  : x",
     "data/cities.yaml:9: YAML syntax error: a key must be a single value"),
    ("!!pairs", "partnerships.yaml", "cities: [alpha, tours]", "cities: !!pairs [alpha: 1, tours: 2]",
     "data/partnerships.yaml:2: YAML syntax error: !!pairs is not used in curated data: write a list or a mapping"),
    ("!!omap as the document", "countries.yaml", None, "!!omap\n- de: 1\n",
     "data/countries.yaml:1: YAML syntax error: !!omap is not used in curated data: write a list or a mapping"),
    ("latitude .nan", "cities.yaml", "lat: 51.5", "lat: .nan",
     "data/cities.yaml:4: cities[1].geo.lat: expected a number, got nan"),
    ("id with a trailing newline", "people.yaml", "id: erika-muster", 'id: "erika-muster\\n"',
     "data/people.yaml:1: people[1].id: 'erika-muster\\n' is not a slug "
     "(lower-case ASCII letters and digits joined by '-')"),
    ("date in Arabic-Indic digits", "partnerships.yaml", 'start: "1962"', 'start: "١٩٦٢"',
     "data/partnerships.yaml:4: partnerships[1].start: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '١٩٦٢'"),
    ("date in full-width digits", "partnerships.yaml", 'start: "1962"', 'start: "１９６２"',
     "data/partnerships.yaml:4: partnerships[1].start: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '１９６２'"),
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
    assert "data/events.yaml:5: events[1].place: unknown city 'tuors' (did you mean 'tours'?)" in found
    assert "data/media.yaml:7: media[1].position: expected a whole number, got 'first'" in found


def test_shacl_violation_points_at_the_yaml_record(mini_data, tmp_path, monkeypatch):
    """A rule only the shapes know (here: a photo's credit must be one line of text) is traced back."""
    _second_credit(monkeypatch)
    found = problems_of(mini_data, tmp_path)
    assert len(found) == 1
    assert found[0].startswith("data/media.yaml:1: media[1] (tk:credit): SHACL: ")


def _second_credit(monkeypatch) -> None:
    """The built statements get a second credit of the photo: a problem only SHACL finds."""
    import twinkg.loaders.validation as validation
    from pyoxigraph import Literal, NamedNode, Quad

    real = validation.build_quads

    def with_second_credit(settings, curated, concepts):
        built = real(settings, curated, concepts)
        photo = NamedNode(settings.entity_iri("photo", "photo-1"))
        graph = NamedNode(settings.source_graph("example-page"))
        built.quads.append(Quad(photo, NamedNode("https://twinkg.example.org/ontology#credit"),
                                Literal("a second credit"), graph))
        return built

    monkeypatch.setattr(validation, "build_quads", with_second_credit)


def test_a_load_that_only_shacl_refuses_leaves_the_previous_store(mini_data, tmp_path, monkeypatch):
    """A problem only SHACL finds stops `load` as it stops `validate`, reported the same way,
    with no build swapped in or left behind (also if SHACL ever runs beside the build)."""
    settings = settings_for(mini_data, tmp_path / "store")
    load(settings)
    builds = tmp_path / "store.d"
    before = (settings.store.resolve(), sorted(p.name for p in builds.iterdir()))
    _second_credit(monkeypatch)
    found = problems_of(mini_data, tmp_path / "validate")
    assert len(found) == 1 and "SHACL" in found[0]
    with pytest.raises(InvalidInput) as info:
        load(settings)
    assert [str(p).replace(str(mini_data), "data") for p in info.value.problems] == found
    assert (settings.store.resolve(), sorted(p.name for p in builds.iterdir())) == before  # no .building-* left


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


def test_a_missing_file_is_named(mini_data, tmp_path):
    """A deleted file would drop all its records from the served store: it is an error."""
    (mini_data / "media.yaml").unlink()
    assert problems_of(mini_data, tmp_path) == [
        "data/media.yaml: file is missing; write [] into it if there are no photo records"]


def test_an_empty_list_is_a_kind_without_records(mini_data, tmp_path):
    (mini_data / "media.yaml").write_text("[]\n", encoding="utf-8")
    assert "Photo" not in validate_data(settings_for(mini_data, tmp_path / "store")).counts


def test_a_directory_without_curated_files_does_not_replace_the_store(mini_data, tmp_path):
    settings = settings_for(mini_data, tmp_path / "store")
    load(settings)
    served = settings.store.resolve()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidInput) as info:
        load(settings_for(empty, tmp_path / "store"))
    assert [str(p) for p in info.value.problems] == [
        f"{empty}: holds none of the curated files (cities.yaml, countries.yaml, events.yaml, media.yaml, "
        "organizations.yaml, partnerships.yaml, people.yaml, sources.yaml); is it the data directory?"]
    assert settings.store.resolve() == served


@pytest.mark.parametrize("start, end", [("1962-05-03", "1962"), ("1962-05-03", "1962-05"), ("1962-05", "1962-05-03"),
                                        ("1962", "1962-01-01")])
def test_dates_of_different_precision_that_overlap_make_a_span(mini_data, tmp_path, start, end):
    """As the SHACL shape has it: compared at the coarser precision ("2000" may end a span
    that starts "2000-05-03": the source gives only the year it ended)."""
    edit(mini_data, "partnerships.yaml", 'start: "1962"', f'start: "{start}"\n  end: "{end}"')
    validate_data(settings_for(mini_data, tmp_path / "store"))


def test_a_yaml_file_that_is_not_utf8_names_its_line(mini_data, tmp_path):
    text = (mini_data / "cities.yaml").read_bytes()
    (mini_data / "cities.yaml").write_bytes(text + b"# caf\xe9\n")
    assert problems_of(mini_data, tmp_path) == [
        f"data/cities.yaml:10: not UTF-8 text (invalid continuation byte at byte {len(text) + 5})"]


def test_a_dataset_file_that_is_not_utf8_is_reported_by_validate(mini_data, tmp_path):
    (mini_data / "DATASET.toml").write_bytes(b'version = "0.1.0"\n# caf\xe9\n')
    assert problems_of(mini_data, tmp_path) == [
        "data/DATASET.toml:2: not UTF-8 text (invalid continuation byte at byte 23)"]


def enrichment(data, cities: str) -> None:
    folder = data / "enrichment"
    folder.mkdir()
    (folder / "wikidata.yaml").write_text('endpoint: https://query.wikidata.org/sparql\n'
                                          'retrieved: "2026-01-31T12:00:00Z"\ncities:\n' + cities, encoding="utf-8")


@pytest.mark.parametrize("qid", ["", "  qid: null\n"])
def test_enrichment_of_a_city_without_any_qid_is_refused(mini_data, tmp_path, qid):
    """No curated QID and no qid in the file (None == None) is no match: facts about an unknown item."""
    enrichment(mini_data, "- city: tours\n" + qid + "  suggestions:\n"
                          "  - {property: P1082, value: 136000, date: '2021-01-01', accept: true}\n")
    line = 6 + bool(qid)
    assert problems_of(mini_data, tmp_path) == [
        f"data/enrichment/wikidata.yaml:{line}: cities[1].suggestions[1]: accepted, but 'tours' has no QID: "
        "curate it (wikidata: in cities.yaml) or accept its qid suggestion"]


@pytest.mark.parametrize("city, expected", [
    ("- city: tours\n  qid: Q288\n  suggestions: {p: 1}\n",
     "data/enrichment/wikidata.yaml:6: cities[1].suggestions: expected a list of suggestions"),
    ("- city: tours\n  qid: Q288\n  suggestions: abc\n",
     "data/enrichment/wikidata.yaml:6: cities[1].suggestions: expected a list of suggestions"),
    ("- city: [tours]\n", "data/enrichment/wikidata.yaml:4: cities[1].city: unknown city ['tours']"),
    ("- city: tours\n  qid: Q288\n  suggestions:\n  - {property: [P1082], value: 1, accept: true}\n",
     "data/enrichment/wikidata.yaml:7: cities[1].suggestions[1].property: "
     "expected one of P1082, P17, P1705, P625, P856, label, qid"),
    ("- city: tours\n  qid: Q288\n  suggestions:\n  - {property: qid, value: Q288, accept: true}\n"
     "  - {property: P1082, value: .inf, accept: true}\n",
     "data/enrichment/wikidata.yaml:8: cities[1].suggestions[2].value: "
     "not loadable: cannot convert float infinity to integer"),
])
def test_malformed_enrichment_file_is_reported_by_line(mini_data, tmp_path, city, expected):
    enrichment(mini_data, city)
    assert problems_of(mini_data, tmp_path) == [expected]
