"""List pages: the indexed order in the site index vs sorting by label in SPARQL.

Same synthetic data as bench/search.py. Prints the median time for page 1 and for a page
deep in the list, both ways, and the ratio, measured in the same run.

    .venv/bin/python bench/lists.py --entities 250000
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store, Variable
from search import BASE, median_ms, quads

from twinkg.config import ONTOLOGY_NS
from twinkg.loaders.site_index import write_search_index

# The reference: what a list page costs when SPARQL sorts a class by its label.
SPARQL_PAGE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?lang ?class ?e (MIN(?l) AS ?key) WHERE {
  ?e a ?class ; rdfs:label ?l FILTER(LANG(?l) = ?lang)
} GROUP BY ?lang ?class ?e ORDER BY ?key LIMIT 25 OFFSET %d"""
INDEX_PAGE = "SELECT iri, labels FROM entities WHERE class = ? ORDER BY key_de, iri LIMIT 25 OFFSET ?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = quads(args.entities, random.Random(1))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "oxigraph"))
        store.bulk_extend(data)
        index = Path(tmp) / "search.sqlite"
        write_search_index(index, data, BASE)
        db = sqlite3.connect(index)
        bind = {Variable("lang"): Literal("de"), Variable("class"): NamedNode(ONTOLOGY_NS + "Person")}
        print(f"quads: {len(data)}  entities: {args.entities}")
        for offset in (0, 1000):
            sparql = median_ms(lambda: list(store.query(SPARQL_PAGE % offset, substitutions=bind,
                                                        use_default_graph_as_union=True)), args.repeat)
            indexed = median_ms(lambda: db.execute(INDEX_PAGE, ("Person", offset)).fetchall(), args.repeat)
            print(f"page at offset {offset:5d}: SPARQL sort {sparql:9.1f} ms   site index {indexed:7.2f} ms"
                  f"   ratio {sparql / indexed:,.0f}×")


if __name__ == "__main__":
    main()
