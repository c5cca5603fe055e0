"""Timeline: the type and place of a year's events, one query per event vs one for all.

Synthetic data (bench/synthetic.py ``generate``: GeoNames cities, partnerships and events in
the loader's shape, no download) in a temporary store. For the year with the most events:

  - before: what the timeline did until now, the former event-summary.rq (a ``VALUES ?p``
    block) bound to one event at a time;
  - per event: today's event-summary.rq, still one query per event (the round trips alone);
  - now: today's event-summary.rq with one VALUES row per event, one query (server/pages/listings.py).

Each on the embedded store and on the same store behind `oxigraph serve-read-only` (PyPI
`oxigraph`, loopback; the remote backend binds ?e with a VALUES block, twinkg/backends/inject.py).
Prints the median time of each way and the ratios to "now", measured in the same run.

    .venv/bin/python bench/timeline.py --triples 300000
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from pyoxigraph import NamedNode, Store, Variable
from search import median_ms
from synthetic import generate, tk

from twinkg.backends.remote import remote_store
from twinkg.config import load_settings
from twinkg.server.iris import IriMap
from twinkg.server.pages.listings import _event_summaries
from twinkg.server.sparqlfiles import server_query
from twinkg.server.presentation.terms import Labeler
from twinkg.store import run_query

BASE = "https://twinkg.example.org/"
# The reference: event-summary.rq as it was. With ?e in a VALUES block too (one for the whole
# page, or the remote backend's binding), Oxigraph scans every event's type and place.
FORMER_SUMMARY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX tk: <https://twinkg.example.org/ontology#>
SELECT ?e ?p ?o ?label WHERE {
  VALUES ?p { tk:eventType tk:place }
  ?e ?p ?o .
  OPTIONAL { ?o rdfs:label|skos:prefLabel ?label }
}"""


def per_event(ds, labeler: Labeler, iris: list[str], text: str) -> dict:
    """The timeline's former _event_summary, once per event."""
    out = {}
    for iri in iris:
        found = {}
        for row in run_query(ds.store, text, {Variable("e"): NamedNode(iri)}):
            if row["label"] is not None:
                labeler.add_label(row["o"].value, row["label"])
            found[row["p"].value.rsplit("#", 1)[-1]] = row["o"]
        out[iri] = {"type": labeler.term(found["eventType"]) if "eventType" in found else None,
                    "place": labeler.term(found["place"]) if "place" in found else None}
    return out


def busiest_year(quads) -> tuple[str, list[str]]:
    start = tk("startDate")
    years = {}
    for q in quads:
        if q.predicate == start and "/id/event/" in q.subject.value:
            years.setdefault(q.object.value[:4], []).append(q.subject.value)
    year, _ = Counter({y: len(v) for y, v in years.items()}).most_common(1)[0]
    return year, sorted(years[year])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_read_only(location: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    process = subprocess.Popen([str(Path(sys.executable).with_name("oxigraph")), "serve-read-only",
                                "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:  # poll until it answers
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
            return process, url
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                sys.exit("oxigraph serve-read-only did not start")
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--remote", action=argparse.BooleanOptionalAction, default=True,
                        help="also through oxigraph serve-read-only (the 'before' takes minutes at 1M)")
    args = parser.parse_args()
    quads = generate(BASE, args.triples)
    year, iris = busiest_year(quads)
    with tempfile.TemporaryDirectory() as tmp:
        location = Path(tmp) / "oxigraph"
        store = Store(str(location))
        store.bulk_extend(quads)
        store.flush()
        store.optimize()  # as a load leaves it (loaders/storebuild.py)
        del store
        embedded = Store.read_only(str(location))
        process, url = serve_read_only(location)
        try:
            settings = load_settings(store=Path(tmp) / "unused", endpoint=url, remote_union="server")
            print(f"quads: {len(quads)}  busiest year: {year} with {len(iris)} events")
            for name, store in (("embedded", embedded), ("remote", remote_store(settings, []))):
                if name == "remote" and not args.remote:
                    continue
                ds = SimpleNamespace(store=store)
                labeler = lambda: Labeler(IriMap(BASE), "de")  # noqa: E731 (a fresh one per run)
                ways = {"before": lambda: per_event(ds, labeler(), iris, FORMER_SUMMARY),
                        "per event": lambda: per_event(ds, labeler(), iris, server_query("event-summary")),
                        "now": lambda: _event_summaries(ds, labeler(), iris)}
                assert len({repr(way()) for way in ways.values()}) == 1  # the same summaries
                ms = {way: median_ms(fn, args.repeat) for way, fn in ways.items()}
                print(f"{name:9}" + "".join(f"  {way} {t:9.1f} ms" for way, t in ms.items())
                      + f"   before/now {ms['before'] / ms['now']:6.1f}×   per event/now {ms['per event'] / ms['now']:5.1f}×")
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
