"""The layers import one way: core ← export ← loaders ← server ← CLI (pyproject.toml,
[tool.importlinter]), with no import inside a function to hide a cycle."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from helpers import ROOT

PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def source_folders() -> dict[str, Path]:
    """Package name → its folder, as setuptools installs them (loaders/ is twinkg.loaders)."""
    table = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    return {package: ROOT / folder for package, folder in table.items()}


def installed_tree(into: Path) -> Path:
    """The package's Python files laid out as installed, for tools that walk folders (grimp
    does not follow the editable install's package-dir mapping)."""
    for package, folder in sorted(source_folders().items()):
        target = into.joinpath(*package.split("."))
        for path in folder.rglob("*.py"):
            if ".venv" in path.parts:
                continue
            dest = target / path.relative_to(folder)
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
    return into


def test_the_layers_import_one_way(tmp_path):
    tree = installed_tree(tmp_path / "tree")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    # run from the tree: lint-imports puts its working directory first on the path
    result = subprocess.run([str(LINT_IMPORTS), "--config", str(PYPROJECT), "--no-cache", "--no-logo"],
                            cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def function_level_imports(source: str, label: str, package: str = "twinkg") -> list[str]:
    """``label:line: import`` for each import of a ``package`` module (absolute or relative)
    inside a function or class body of ``source``."""
    found: list[str] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if nested and isinstance(child, ast.ImportFrom) and (child.level or child.module.split(".")[0] == package):
                found.append(f"{label}:{child.lineno}: from {'.' * child.level}{child.module or ''}")
            elif nested and isinstance(child, ast.Import) and any(a.name.split(".")[0] == package for a in child.names):
                found.append(f"{label}:{child.lineno}: import {', '.join(a.name for a in child.names)}")
            scope = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
            visit(child, nested or isinstance(child, scope))

    visit(ast.parse(source, label), False)
    return found


def test_no_twinkg_module_is_imported_inside_a_function():
    """Such an import hides a cycle from the layers check: import at the top, and move what
    two layers share down into the lower one. (A third-party library that only one command
    needs may still be imported where it is used.)"""
    found = [hit for folder in source_folders().values() for path in sorted(folder.rglob("*.py"))
             if ".venv" not in path.parts
             for hit in function_level_imports(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert found == []


def test_the_check_sees_imports_in_functions_and_methods_only():
    source = ("from twinkg.config import Settings\n"
              "if __name__ == '__main__':\n    import twinkg.cli\n"
              "def f():\n    from twinkg.values import check_iri\n    from . import x\n    import json\n"
              "class C:\n    def m(self):\n        import twinkg.store, os\n")
    assert function_level_imports(source, "late.py") == [
        "late.py:5: from twinkg.values", "late.py:6: from .", "late.py:10: import twinkg.store, os"]
