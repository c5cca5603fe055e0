"""A wheel (non-editable install) carries every file the code reads and every dependency it imports:
templates, .rq, .ttl, static files; `twinkg export --site` works from a plain install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from glob import glob
from pathlib import Path

import pytest

from helpers import DATA, ROOT

pytestmark = pytest.mark.slow  # builds and installs a wheel


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


# -- the wheel, installed as a user installs it ------------------------------------------------

@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory) -> Path:
    """The wheel built from this checkout, installed with its dependencies into a fresh venv
    (no editable install; pip's cache makes the install quick). Returns the venv's bin/."""
    work = tmp_path_factory.mktemp("wheel")
    env = _clean_env()
    # Built from a copy of what the package is made of: setuptools writes build/ and
    # *.egg-info into the source tree, which must stay untouched.
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in _package_dirs():
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    # -v: pip shows the build backend's output, where setuptools prints its warnings
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(work / "dist"),
                            str(source)], check=True, cwd=work, env=env, capture_output=True, text=True)
    (work / "build.log").write_text(build.stdout + build.stderr, encoding="utf-8")
    wheel, = (work / "dist").glob("twinkg-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, cwd=work, env=env)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, cwd=work, env=env)
    return venv / "bin"


def _package_dirs() -> set[str]:
    """The top-level folders the packages are installed from (twinkg, loaders, server, …)."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return {tool["package-dir"].get(pkg, pkg.replace(".", "/")).split("/")[0] for pkg in tool["packages"]}


def _clean_env() -> dict:
    # Nothing of this checkout on the path: the installed package must stand on its own.
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not k.startswith("TWINKG_")}


def test_installed_wheel_exports_the_static_site(installed_wheel, tmp_path):
    """`pip install twinkg` then `twinkg load` and `twinkg export out --site site` (issue 13.1:
    beautifulsoup4 was only a test dependency, so --site failed with ModuleNotFoundError)."""
    shutil.copytree(DATA, tmp_path / "data")
    env = {**_clean_env(), "TWINKG_DATA_DIR": "data", "TWINKG_STORE": "var/store"}
    twinkg = str(installed_wheel / "twinkg")
    where = subprocess.run([str(installed_wheel / "python"), "-c", "import twinkg; print(twinkg.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert str(installed_wheel.parent) in where and str(ROOT) not in where
    for command in ([twinkg, "load"], [twinkg, "export", "out", "--site", "site"]):
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "download" / "SHA256SUMS").is_file()
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_the_wheel_builds_without_setuptools_warnings(installed_wheel):
    """`pip install .` printed 14 "Package would be ignored" warnings (issue 16.2): every folder
    of data files is now a declared package. distutils' note that byte-compiling is off
    (PYTHONDONTWRITEBYTECODE) is the environment's, not the project's."""
    log = (installed_wheel.parent.parent / "build.log").read_text(encoding="utf-8")
    warnings = [line.strip() for line in log.splitlines()
                if "warn" in line.lower() and "byte-compiling is disabled" not in line]
    assert warnings == [], "\n".join(warnings)
