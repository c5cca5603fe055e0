"""The query reader (twinkg/query_inspect.py): what a request pays to have its query read once.

Each query is read as /sparql reads it (``ScannedQuery``: form, volatility, SERVICE and
dataset clauses with the limits), and as the remote store reads a canned query to bind
values (its WHERE group and groups: the first time; later ones find it read, as
``scanned_once`` keeps it). The reference is pyoxigraph parsing the same text on an
empty store (the least a query costs the engine), measured in the same run; prints the
median time of each and the ratio.

    .venv/bin/python bench/lexer.py
"""

from __future__ import annotations

import argparse
import statistics
import time

from pyoxigraph import Store

from twinkg.canned import canned_queries
from twinkg.query_inspect import ScannedQuery

SMALL = "SELECT ?s ?o WHERE { ?s <http://ex.org/p> ?o } LIMIT 10"
WITH_FROM = ("PREFIX ex: <http://ex.org/> SELECT ?x FROM <http://ex.org/g> WHERE { ?x ex:p ?o ; ex:q ?r "
             "FILTER(?o < 3) OPTIONAL { ?x ex:label ?l } } LIMIT 10")
VOLATILE = "CONSTRUCT { ?s <http://ex.org/at> ?t ; <http://ex.org/by> [] } WHERE { ?s ?p ?o BIND(NOW() AS ?t) }"
LARGE = ("SELECT * FROM <http://ex.org/g> WHERE { VALUES ?x { "
         + " ".join(f"<http://ex.org/{i}>" for i in range(20000)) + " } ?x ?p ?o }")


def _request(text: str) -> None:
    scanned = ScannedQuery(text)
    scanned.form, scanned.volatile, scanned.shape  # noqa: B018 - what /sparql asks


def _binding(text: str) -> None:
    scanned = ScannedQuery(text)
    scanned.where_group_start, scanned.group_spans, scanned.variables  # noqa: B018 - what with_values asks


def _median(fn, text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    store = Store()
    parse = store.query  # an empty store: the parse and the plan, no data to read
    cases = [("small SELECT", SMALL, _request), ("SELECT with FROM", WITH_FROM, _request),
             ("volatile CONSTRUCT", VOLATILE, _request), ("20,000 VALUES rows", LARGE, _request)]
    cases += [(f"canned {name} (binding)", q.text, _binding)
              for name, q in sorted(canned_queries("https://bench.example.org/").items())[:3]]
    print(f"{'query':34} {'read µs':>10} {'parse µs':>10} {'read/parse':>10}")
    for name, text, fn in cases:
        repeat = max(5, args.repeat // 50) if len(text) > 10000 else args.repeat
        read = _median(fn, text, repeat)
        parsed = _median(parse, text, repeat)
        print(f"{name:34} {read * 1e6:10.1f} {parsed * 1e6:10.1f} {read / parsed:10.2f}")


if __name__ == "__main__":
    main()
