"""SPARQL kept as ``.rq`` files in a package's ``sparql/`` folder, read once per process.

The server, the export, the backends and the loaders each keep their own queries beside
their code; this is the one reader for all of them (each binds its package with ``partial``).
"""

from functools import cache
from importlib.resources import files


@cache
def packaged_query(package: str, name: str) -> str:
    """The text of ``<package>/sparql/<name>.rq``."""
    return files(package).joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")
