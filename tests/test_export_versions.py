"""Versions: the diff and changelog against a previous export, the citation, the version IRI."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
import rdflib
import yaml
from click.testing import CliRunner
from rdflib import Namespace, URIRef

from twinkg.cli import main
from twinkg.config import load_settings
from twinkg.errors import TwinkgError
from twinkg.export.diff import diff_exports
from twinkg.export.run import export_store
from twinkg.loaders.pipeline import load
from twinkg.store import open_read_only, store_meta

pytestmark = pytest.mark.slow  # loads and exports again and again

DCAT = Namespace("http://www.w3.org/ns/dcat#")
TK = "https://twinkg.example.org/ontology#"
ALPHA = "<https://twinkg.example.org/id/city/alpha>"


def export_of(settings, out, previous=None):
    return export_store(open_read_only(settings.store), store_meta(settings.store), settings, out, previous)


@pytest.fixture
def mini_export(mini_data, tmp_path):
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store", export_on_load=False)
    load(settings)
    return settings, export_of(settings, tmp_path / "v1")


def test_diff_against_itself_is_empty(mini_export, tmp_path):
    settings, first = mini_export
    again = export_of(settings, tmp_path / "v1-again", previous=first.directory)
    assert again.diff.empty and again.diff.entities == {}
    summary = json.loads((again.directory / "diff.json").read_text())
    assert summary["triples"] == {"added": 0, "removed": 0}
    log = (again.directory / "CHANGELOG.md").read_text()
    assert "0 triples added, 0 removed" in log
    assert log.count("## ") == 2, "the previous release's entry is kept below the new one"


def test_diff_against_an_edited_copy_shows_exactly_the_edit(mini_export, tmp_path):
    _, first = mini_export
    edited = tmp_path / "edited"
    shutil.copytree(first.directory, edited)
    dump = edited / "twinkg.nt.gz"
    lines = gzip.decompress(dump.read_bytes()).decode().splitlines()
    removed = next(line for line in lines if line.startswith(ALPHA) and '"Alpha City"@en' in line)
    added = f'{ALPHA} <http://www.w3.org/2000/01/rdf-schema#label> "Alpha Town"@en .'
    dump.write_bytes(gzip.compress(("\n".join([line for line in lines if line != removed] + [added]) + "\n").encode()))

    diff = diff_exports(first.directory, edited)
    assert diff.removed == [removed]
    assert diff.added == [added]
    assert diff.entities == {TK + "City": {"changed": ["https://twinkg.example.org/id/city/alpha"]}}


def test_changelog_of_a_data_edit_lists_entities_by_class(mini_export, mini_data, tmp_path):
    settings, first = mini_export
    cities = mini_data / "cities.yaml"
    cities.write_text(cities.read_text() + "- id: beta\n  name: {de: Betadorf}\n  country: de\n"
                      "  source: example-page\n")
    load(settings)
    second = export_of(settings, tmp_path / "v2", previous=first.directory)
    beta = "https://twinkg.example.org/id/city/beta"
    assert second.diff.entities == {TK + "City": {"added": [beta]}}
    assert second.diff.removed == []
    assert second.diff.added and all(line.startswith(f"<{beta}>") for line in second.diff.added)
    log = (second.directory / "CHANGELOG.md").read_text()
    assert f"| `{TK}City` | 1 | 0 | 0 |" in log
    description = rdflib.Graph().parse(second.directory / "void.ttl")
    assert description.value(URIRef(second.release.version_iri.value), DCAT.previousVersion) == \
        URIRef(first.release.version_iri.value)


def test_citation_names_the_release_and_its_version_iri(exported):
    cff = yaml.safe_load((exported.directory / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["title"] == "Town twinning of Mülheim an der Ruhr"
    assert cff["version"] == f"0.2.0+{exported.release.build_version}"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["authors"] == [{"name": "City of Mülheim an der Ruhr", "alias": "Stadt Mülheim an der Ruhr"}]
    assert str(cff["date-released"]) == exported.release.loaded_at[:10]
    (identifier,) = cff["identifiers"]
    description = rdflib.Graph().parse(exported.directory / "void.ttl")
    assert (URIRef(identifier["value"]), DCAT.isVersionOf, URIRef("https://twinkg.example.org/dataset")) \
        in description



def test_cli_export_with_previous_reports_the_changes(mini_export, tmp_path):
    settings, first = mini_export
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(tmp_path / "v2"), "--store", str(settings.store),
                                  "--data", str(settings.data_dir), "--previous", str(first.directory)])
    assert result.exit_code == 0, result.output
    assert f"since {first.directory}: 0 triples added, 0 removed" in result.stdout
    not_an_export = tmp_path / "empty"
    not_an_export.mkdir()
    result = runner.invoke(main, ["export", str(tmp_path / "v3"), "--store", str(settings.store),
                                  "--previous", str(not_an_export)])
    assert result.exit_code == 1
    assert "not a twinkg export (no manifest.json)" in result.output


def test_each_load_exports_with_a_changelog_against_the_served_build(mini_data, tmp_path):
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    first = settings.store.resolve()
    cities = mini_data / "cities.yaml"
    cities.write_text(cities.read_text().replace("Alpha City", "Alpha Town"))
    load(settings)
    second = settings.store.resolve()
    assert second != first
    summary = json.loads((second / "export" / "diff.json").read_text())
    assert summary["previous"] == first.name and summary["current"] == second.name
    assert summary["entities"][TK + "City"] == {"changed": ["https://twinkg.example.org/id/city/alpha"]}
    assert f'{ALPHA} <http://www.w3.org/2000/01/rdf-schema#label> "Alpha Town"@en .' in summary["added"]


def test_a_broken_dataset_file_stops_the_load_and_keeps_the_served_store(mini_data, tmp_path):
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    served = settings.store.resolve()
    (mini_data / "DATASET.toml").write_text('version = "1.0"\n[title]\nde = "nur deutsch"\n')
    result = CliRunner().invoke(main, ["load", "--data", str(mini_data), "--store", str(settings.store)])
    assert result.exit_code == 1
    assert "DATASET.toml:2: title: needs a text for each of de, en" in result.output
    assert settings.store.resolve() == served
    assert [p.name for p in (tmp_path / "store.d").iterdir()] == [served.name]


def test_a_failed_export_keeps_the_previous_one(mini_data, tmp_path):
    """A broken DATASET.toml stops the export before anything in the directory is touched."""
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store", export_on_load=False)
    load(settings)
    out = tmp_path / "out"
    export_of(settings, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (mini_data / "DATASET.toml").write_text('version = "0.1.0\n', encoding="utf-8")
    with pytest.raises(TwinkgError, match="DATASET.toml"):
        export_of(settings, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.partial")]
