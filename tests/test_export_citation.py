"""CITATION.cff passes the Citation File Format's own validator (cffconvert 2.0.0, run as a
user runs it) for the curated data and for every licence twinkg knows."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest
import yaml

from tools import tool
from twinkg.export.citation import citation
from twinkg.licences import KNOWN as LICENCES

pytestmark = pytest.mark.slow  # exports, installs cffconvert


@pytest.fixture(scope="session")
def cffconvert():
    return tool("cffconvert")


def validate(cffconvert, path) -> subprocess.CompletedProcess:
    return subprocess.run([str(cffconvert), "--validate", "-i", str(path)], capture_output=True, text=True)


def test_the_exported_citation_is_valid_cff(cffconvert, exported):
    result = validate(cffconvert, exported.directory / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout.lower()


def test_keywords_are_unique_across_languages(exported):
    cff = yaml.safe_load((exported.directory / "CITATION.cff").read_text(encoding="utf-8"))
    folded = [k.casefold() for k in cff["keywords"]]
    assert len(folded) == len(set(folded))
    assert "Mülheim an der Ruhr" in cff["keywords"] and "town twinning" in cff["keywords"]


def test_the_author_is_the_publishing_city(exported):
    cff = yaml.safe_load((exported.directory / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["authors"] == [{"name": "City of Mülheim an der Ruhr", "alias": "Stadt Mülheim an der Ruhr"}]


@pytest.mark.parametrize("licence", sorted(LICENCES) + ["https://example.org/our-own-licence"])
def test_every_licence_gives_a_valid_citation(cffconvert, exported, tmp_path, licence):
    """CFF 1.2.0 takes only the SPDX ids of its own list; the others are given as license-url."""
    info = replace(exported.info, license=licence)
    path = tmp_path / "CITATION.cff"
    path.write_text(yaml.safe_dump(citation(exported.release, info), sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    result = validate(cffconvert, path)
    assert result.returncode == 0, result.stdout + result.stderr
