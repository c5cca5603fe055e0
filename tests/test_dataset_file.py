"""data/DATASET.toml: the publisher, contact point and themes are checked like the YAML,
every problem as file:line: field: message."""

from __future__ import annotations

import pytest

from twinkg.config import load_settings
from twinkg.errors import TwinkgError
from twinkg.loaders.validation import validate_data
from twinkg.loaders.problems import InvalidInput

GOOD = '''version = "0.1.0"
themes = ["INTR"]

[title]
de = "Titel"
en = "Title"

[description]
de = "Beschreibung"
en = "Description"

[keywords]
de = ["Wort"]
en = ["word"]

[publisher]
organization = "alpha-admin"
type = "LocalAuthority"
name.de = "Stadtverwaltung Alphastadt"
name.en = "Alpha City administration"

[contact]
name = "Alphastadt"
url = "https://alpha.example/partnerships"
'''


def problems(data, tmp_path) -> list[str]:
    try:
        validate_data(load_settings(data_dir=data, store=tmp_path / "store"))
    except InvalidInput as exc:
        return [str(p).replace(str(data), "data") for p in exc.problems]
    return []


def test_a_complete_file_is_accepted(mini_data, tmp_path):
    (mini_data / "DATASET.toml").write_text(GOOD, encoding="utf-8")
    assert problems(mini_data, tmp_path) == []


@pytest.mark.parametrize("old, new, expected", [
    ('type = "LocalAuthority"', 'type = "City"',
     "data/DATASET.toml:18: publisher.type: 'City' is not an ADMS publisher type; one of "),
    ('organization = "alpha-admin"', 'organization = "beta-admin"',
     "data/DATASET.toml:17: publisher.organization: unknown organization 'beta-admin' (an id in organizations.yaml)"),
    ('name.en = "Alpha City administration"\n', '',
     "data/DATASET.toml:19: publisher.name: needs a text for each of de, en"),
    ('url = "https://alpha.example/partnerships"', 'url = "alpha.example"',
     "data/DATASET.toml:24: contact.url: 'alpha.example' is not an absolute http(s) URL"),
    ('name = "Alphastadt"\n', 'name = "Alphastadt"\nphone = "0"\n',
     "data/DATASET.toml:24: contact.phone: unknown key; allowed: email, name, url"),
    ('themes = ["INTR"]', 'themes = ["TOWN"]',
     "data/DATASET.toml:2: themes: 'TOWN' is not an EU data-theme code; one of "),
    ('[contact]', '[contacts]', "data/DATASET.toml:22: contacts: unknown key; allowed: "),
])
def test_each_problem_names_its_line(mini_data, tmp_path, old, new, expected):
    assert old in GOOD
    (mini_data / "DATASET.toml").write_text(GOOD.replace(old, new), encoding="utf-8")
    found = problems(mini_data, tmp_path)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_the_export_checks_the_publisher_against_the_store(mini_data, tmp_path):
    """DATASET.toml is read again at export time: a publisher the loaded data lacks stops it."""
    from twinkg.export.run import export_store
    from twinkg.loaders.pipeline import load
    from twinkg.store import open_read_only, store_meta

    (mini_data / "DATASET.toml").write_text(GOOD, encoding="utf-8")
    settings = load_settings(data_dir=mini_data, store=tmp_path / "store", export_on_load=False)
    load(settings)
    (mini_data / "DATASET.toml").write_text(GOOD.replace("alpha-admin", "beta-admin"), encoding="utf-8")
    with pytest.raises(TwinkgError, match=r"DATASET.toml: publisher.organization: unknown organization "
                                          r"'beta-admin' .* \(at line 17, column 1\)"):
        export_store(open_read_only(settings.store), store_meta(settings.store), settings, tmp_path / "out")


def test_a_dataset_file_names_its_publisher(mini_data, tmp_path):
    """DCAT-AP: the catalogue and the dataset have a publisher; only without any DATASET.toml
    (a fixture) is none stated."""
    text = GOOD[:GOOD.index("[publisher]")]
    (mini_data / "DATASET.toml").write_text(text, encoding="utf-8")
    assert problems(mini_data, tmp_path) == [
        "data/DATASET.toml: publisher: missing: a [publisher] table with organization, type and name"]
