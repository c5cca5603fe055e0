"""The server's own SPARQL, kept as .rq files in server/sparql/."""

from functools import cache
from importlib.resources import files


@cache
def server_query(name: str) -> str:
    return files("twinkg.server").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")
