"""Search: the FTS5 index written at load time vs a SPARQL FILTER CONTAINS over all labels.

Synthetic data (no download): N entities, each with a type and labels in two languages plus
an other name; a few carry "Wiśniewski". Prints the median time of each way to find them and
the ratio, measured in the same run.

    .venv/bin/python bench/search.py --entities 250000
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from twinkg.config import ONTOLOGY_NS, PREFIXES
from twinkg.loaders.site_index import write_search_index

BASE = "https://bench.example.org/"
WORDS = ("stadt", "rat", "besuch", "partner", "schule", "verein", "feuerwehr", "jugend", "kunst",
         "konferenz", "brücke", "markt", "ruhr", "loire", "oder", "donau", "weg", "platz")
CONTAINS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e WHERE { ?e rdfs:label|skos:altLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "wiśniewski")) }"""


def quads(n: int, rng: random.Random) -> list[Quad]:
    g = NamedNode(BASE + "graph/bench")
    label, alt = NamedNode(PREFIXES["rdfs"] + "label"), NamedNode(PREFIXES["skos"] + "altLabel")
    rdf_type, person = NamedNode(PREFIXES["rdf"] + "type"), NamedNode(ONTOLOGY_NS + "Person")
    out = []
    for i in range(n):
        e = NamedNode(f"{BASE}id/person/p{i}")
        name = " ".join(rng.choice(WORDS) for _ in range(3)) + f" {i}"
        if i % 50_000 == 7:
            name += " Wiśniewski"
        out += [Quad(e, rdf_type, person, g), Quad(e, label, Literal(name, language="de"), g),
                Quad(e, label, Literal(name.upper(), language="en"), g),
                Quad(e, alt, Literal(name[::-1], language="de"), g)]
    return out


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = quads(args.entities, random.Random(1))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "oxigraph"))
        store.bulk_extend(data)
        index = Path(tmp) / "search.sqlite"
        t = time.perf_counter()
        write_search_index(index, data, BASE)
        build_s = time.perf_counter() - t

        import sqlite3
        db = sqlite3.connect(index)

        def fts():
            return db.execute("SELECT DISTINCT iri FROM names WHERE names MATCH ?", ('"wisniewski"*',)).fetchall()

        def sparql():
            return list(store.query(CONTAINS, use_default_graph_as_union=True))

        assert len(fts()) == len(sparql()) > 0
        fts_ms, sparql_ms = median_ms(fts, args.repeat), median_ms(sparql, args.repeat)
        print(f"quads: {len(data)}  entities: {args.entities}  index build: {build_s:.2f} s")
        print(f"FILTER CONTAINS (SPARQL): {sparql_ms:9.2f} ms")
        print(f"FTS5 index:               {fts_ms:9.2f} ms")
        print(f"ratio: the index is {sparql_ms / fts_ms:,.0f}× faster (and also finds 'wisniewski' without the accent)")


if __name__ == "__main__":
    main()
