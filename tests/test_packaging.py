"""A wheel (non-editable install) carries every file the code reads: templates, .rq, .ttl, static files."""

from __future__ import annotations

import tomllib
from glob import glob
from pathlib import Path

from conftest import ROOT


def test_every_data_file_of_a_package_is_in_package_data():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    dirs = {pkg: ROOT / tool["package-dir"].get(pkg, pkg.replace(".", "/")) for pkg in tool["packages"]}
    subpackage_dirs = set(dirs.values())
    missing = []
    for pkg, folder in dirs.items():
        shipped = {Path(p) for pattern in tool["package-data"].get(pkg, [])
                   for p in glob(str(folder / pattern), recursive=True)}
        for path in folder.rglob("*"):
            if (path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts
                    or path.name == "README.md"
                    or any(d != folder and d in path.parents for d in subpackage_dirs)):
                continue
            if path not in shipped:
                missing.append(str(path.relative_to(ROOT)))
    assert missing == [], f"not in [tool.setuptools.package-data]: {missing}"
