"""The backends' own SPARQL, kept in ``twinkg/backends/sparql/*.rq``."""

from functools import cache
from importlib.resources import files


@cache
def backend_query(name: str) -> str:
    return (files("twinkg.backends") / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
