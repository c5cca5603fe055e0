"""Pages and loads on Debian's Virtuoso beside the embedded store, and the reload's atomicity.

Not a test: it prints figures (recorded in bench/README.md). It starts Virtuoso as the tests
do (tests/conftest.py: generated virtuoso.ini on loopback ports, a loading user made with
isql-vt) and loads the curated data.

- loads: `twinkg load` into the embedded store, into Virtuoso by SPARQL Update (digest on
  /sparql-auth) and by Graph Store Protocol; median of ``--rounds``.
- pages: every page of the sitemap (English) through the app, embedded and Virtuoso in each
  union mode (``server``: no dataset at all, the plain query's speed, though Virtuoso's
  system graphs join the union), median and 90th percentile per page; ratios against the
  embedded store.
- atomicity: a reader asks COUNT(*) of the union as fast as it can while ``--reloads``
  reloads of the same data run; every answer other than the store's count is a wrong read.

    python bench/virtuoso.py
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import DATA, VirtuosoServer  # noqa: E402  (the tests' launcher: one virtuoso.ini)

from twinkg.config import load_settings  # noqa: E402
from twinkg.loaders.pipeline import load  # noqa: E402
from twinkg.server import create_app  # noqa: E402
from twinkg.store import open_store  # noqa: E402

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def page_times(settings) -> list[float]:
    client = create_app(settings, {"TESTING": True}).test_client()
    client.get("/")  # the per-version work (site index) is not a page's cost
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    paths = sorted({re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>([^<]+)</loc>", xml)
                    if "/de/" not in u and "/page/" in u})
    times = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path, headers={"Accept": "text/html"})
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return times


def atomicity(settings, reloads: int) -> tuple[int, int, int]:
    """(reads, wrong reads, expected count) while ``reloads`` reloads run."""
    store = open_store(settings)
    (row,) = store.query(COUNT, use_default_graph_as_union=True)
    expected = int(row["n"].value)
    reads, wrong, done = [0], [0], threading.Event()

    def reader():
        while not done.is_set():
            fresh = open_store(settings)  # reads the served version's metadata as a server does
            (r,) = fresh.query(COUNT, use_default_graph_as_union=True)
            reads[0] += 1
            wrong[0] += int(r["n"].value) != expected

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(reloads):
            load(settings)
    finally:
        done.set()
        thread.join()
    return reads[0], wrong[0], expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reloads", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = VirtuosoServer(Path(tmp) / "virtuoso")
        try:
            embedded = load_settings(data_dir=DATA, store=Path(tmp) / "embedded" / "store")
            loads = {
                "embedded": lambda: load(embedded),
                "Virtuoso, SPARQL Update": lambda: load(server.settings()),
                "Virtuoso, Graph Store": lambda: load(server.settings(graph_store=True)),
            }
            print("load of the curated data (median of %d), s" % args.rounds)
            reference = None
            for name, run in loads.items():
                seconds = statistics.median(timed(run) for _ in range(args.rounds))
                reference = reference or seconds
                print(f"  {name:28} {seconds:6.2f}  {seconds / reference:5.1f}x")

            print("entity pages through the app, s per page: median, p90 (alternating rounds, median of %d)"
                  % args.rounds)
            rows = [("embedded", embedded)] + [(f"Virtuoso, remote_union={u}", server.settings(remote_union=u))
                                                for u in ("union-graph", "graphs", "server")]
            load(server.settings())  # union-graph load: holds both the graphs and the union
            figures: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _ in rows}
            for _ in range(args.rounds):  # alternating: the machine's load and the server's caches even out
                for name, settings in rows:
                    times = sorted(page_times(settings))
                    figures[name].append((statistics.median(times), times[int(len(times) * 0.9)], len(times)))
            reference = None
            for name, runs in figures.items():
                median = statistics.median(m for m, _, _ in runs)
                p90 = statistics.median(p for _, p, _ in runs)
                reference = reference or median
                print(f"  {name:36} {runs[0][2]} pages {median:6.3f} {p90:6.3f}  {median / reference:5.1f}x")

            reads, wrong, expected = atomicity(server.settings(), args.reloads)
            print(f"atomicity: {wrong} of {reads} reads of COUNT(*) (expected {expected}) were wrong "
                  f"during {args.reloads} reloads")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
