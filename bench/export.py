"""Export scaling: time and peak memory of writing all dumps for growing synthetic stores.

The dumps stream (store → gzip file), so peak memory should stay nearly flat while the
store grows; time should grow about linearly. Each size runs in a fresh process so that its
peak RSS is its own. Prints figures and ratios against the smallest size of the same run.

    .venv/bin/python bench/export.py [--sizes 20000,80000,320000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(subjects: int, path: Path) -> None:
    from pyoxigraph import Literal, NamedNode, Quad, Store

    from twinkg.config import ONTOLOGY_NS

    tk = lambda local: NamedNode(ONTOLOGY_NS + local)  # noqa: E731
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    gyear = NamedNode("http://www.w3.org/2001/XMLSchema#gYear")

    def quads():
        for i in range(subjects):
            s = NamedNode(f"https://twinkg.example.org/id/event/e{i}")
            g = NamedNode(f"https://twinkg.example.org/graph/source-{i % 4}")
            yield Quad(s, rdf_type, tk("Event"), g)
            yield Quad(s, label, Literal(f"Ereignis {i}", language="de"), g)
            yield Quad(s, label, Literal(f"event {i}", language="en"), g)
            yield Quad(s, tk("place"), NamedNode(f"https://twinkg.example.org/id/city/c{i % 97}"), g)
            yield Quad(s, tk("startDate"), Literal(str(1950 + i % 70), datatype=gyear), g)

    store = Store(str(path))
    store.bulk_extend(quads())
    store.flush()


def export(path: Path, out: Path) -> dict:
    """In a process of its own: its peak RSS is what writing the dumps needed."""
    from pyoxigraph import Store

    from twinkg.export.dumps import write_dumps
    from twinkg.export.jsonld import build_context
    from twinkg.ontology_files import ontology_store

    store = Store.read_only(str(path))
    context = build_context(ontology_store())
    out.mkdir()
    started = time.perf_counter()
    files = write_dumps(store, out, context)
    seconds = time.perf_counter() - started
    return {"quads": len(store), "seconds": seconds, "bytes": sum(f.byte_size for f in files),
            "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def run(*args: str) -> str:
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,80000,320000", help="subjects per run (5 quads each)")
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--export", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        return build(int(args.build[0]), Path(args.build[1]))
    if args.export:
        return print(json.dumps(export(Path(args.export[0]), Path(args.export[1]))))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            store = Path(tmp) / f"store-{size}"
            run("--build", str(size), str(store))
            rows.append(json.loads(run("--export", str(store), str(Path(tmp) / f"out-{size}"))))
    first = rows[0]
    print(f"{'quads':>9} {'s':>7} {'quads/s':>9} {'gz bytes':>10} {'peak RSS MiB':>13}"
          f" {'x quads':>8} {'x time':>7} {'x peak RSS':>10}")
    for r in rows:
        print(f"{r['quads']:>9} {r['seconds']:>7.2f} {r['quads'] / r['seconds']:>9.0f} {r['bytes']:>10}"
              f" {r['rss_peak_kib'] / 1024:>13.1f} {r['quads'] / first['quads']:>8.1f}"
              f" {r['seconds'] / first['seconds']:>7.1f} {r['rss_peak_kib'] / first['rss_peak_kib']:>10.2f}")


if __name__ == "__main__":
    main()
