"""SPARQL texts of the loaders, kept as .rq files beside this module."""

from functools import cache
from importlib.resources import files


@cache
def read_query(name: str) -> str:
    return files("twinkg.loaders").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")
