"""SHACL engines on twinkg's shapes, and incremental validation, measured in the same run.

For the curated data and generated curated YAML (bench/curated_yaml.py) at 42 k and 100 k
statements: the statements are built once (as `validate` builds them), then each engine
validates them with the ontology. pySHACL is the reference (ratios = pySHACL's time / the
engine's, wall and CPU: on a shared machine the CPU time is the steadier figure). Engines:
oxigraph-sparql (the loader's: the shapes compiled to SPARQL, loaders/shacl_sparql.py),
pyshacl-turbo, pySHACL (with their findings), pyrudof (its native engine; number of
violations only). Each engine's peak RSS is measured in a process of its own (the
statements are built there first: "RSS MB" is the process's peak, "+MB" the engine's part
of it, over the peak before the engine ran).

Then the incremental figure: `validate` of the 100 k data after one edit in one file
(end to end in one process: read all YAML, build, SHACL of what the edit concerns), against
a full `validate` of the same data without a cache.

    python bench/shacl_engines.py                       # curated, 42 k, 100 k
    python bench/shacl_engines.py --sizes 10000 --no-pyshacl
    python bench/shacl_engines.py --sizes 42000 100000 1000000 --pyshacl-up-to 42000
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyrudof
from pyoxigraph import RdfFormat, serialize

from twinkg.config import load_settings
from twinkg.loaders.check import read_curated
from twinkg.loaders.ontology import concepts
from twinkg.ontology_files import shapes_bytes
from twinkg.loaders.validation import validate_data
from twinkg.loaders.rdf import build_quads
from twinkg.loaders.shacl import ontology_data
from twinkg.loaders.shacl_engines import pyshacl_findings, turbo_findings
from twinkg.loaders.shacl_sparql import sparql_findings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from curated_yaml import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def statements(data: Path):
    settings = load_settings(data_dir=data)
    known = concepts()
    curated = read_curated(data, {k: set(v) for k, v in known.items()})
    return [q.triple for q in build_quads(settings, curated, known).quads] + ontology_data()


def rudof_count(document: bytes) -> int:
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(shapes_bytes().decode(), base="https://twinkg.example.org/ontology")
    rudof.read_data(document.decode(), format=pyrudof.RDFFormat.NTriples)
    return len(list(rudof.validate_shacl().violations))


def timed(run, document) -> tuple[float, float, object]:
    started, cpu = time.perf_counter(), time.process_time()
    result = run(document)
    return time.perf_counter() - started, time.process_time() - cpu, result


RUNS = {"oxigraph-sparql": lambda d: len(sparql_findings(d)), "pyshacl-turbo": lambda d: len(turbo_findings(d)),
        "pyrudof": rudof_count, "pyshacl": lambda d: len(pyshacl_findings(d))}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one(name: str, data: Path, out) -> None:
    """In a child process: build the statements, then run one engine on them."""
    document = serialize(statements(data), format=RdfFormat.N_TRIPLES)  # as the loader hands it over
    before = _peak_mb()
    seconds, cpu, found = timed(RUNS[name], document)
    out.send((document.count(b"\n"), seconds, cpu, found, _peak_mb(), _peak_mb() - before))
    out.close()


def engines(label: str, data: Path, with_pyshacl: bool, with_rudof: bool = True) -> None:
    names = [n for n in RUNS if (with_pyshacl or n != "pyshacl") and (with_rudof or n != "pyrudof")]
    figures = {}
    for name in names:
        receive, send = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(target=_one, args=(name, data, send))
        child.start()
        figures[name] = receive.recv()
        child.join()
    wall, cpu_time = figures["pyshacl"][1:3] if "pyshacl" in figures else (None, None)
    for name, (n, seconds, cpu, found, peak, extra) in figures.items():
        ratio = f"{wall / seconds:.1f}× {cpu_time / cpu:.1f}×" if wall else "–"
        print(f"{label:>9} {n:>8} {name:<16} {seconds:8.2f} s {cpu:8.2f} s {peak:7.0f} {extra:6.0f} {ratio:>14} {found:>6}",
              flush=True)


def _validate(settings) -> str:
    """Wall and CPU seconds (CPU: this process's, all threads; the machine may be shared)."""
    started, cpu = time.perf_counter(), time.process_time()
    validate_data(settings)
    return f"{time.perf_counter() - started:.2f} s ({time.process_time() - cpu:.2f} s CPU)"


def incremental(n: int, work: Path) -> None:
    data = work / f"data-{n}"
    generate(data, n, seed=0)
    full = _validate(load_settings(data_dir=data, store=work / "cold" / "store"))  # no cache
    settings = load_settings(data_dir=data, store=work / "warm" / "store")
    _validate(settings)  # writes the cache
    unchanged = _validate(settings)
    events = data / "events.yaml"
    text = events.read_text(encoding="utf-8")
    # one record edited, as a curator does: an event's German title, then its date
    at = text.index('title:\n    de: "') + len('title:\n    de: "')
    events.write_text(text[:at] + "Neu: " + text[at:], encoding="utf-8")
    edited = _validate(settings)
    date = text.index('date: "') + len('date: "')
    events.write_text(text[:date] + "1999" + text[date + 4:], encoding="utf-8")
    redated = _validate(settings)
    events.write_text(text, encoding="utf-8")
    back = _validate(settings)
    print(f"validate_data at {n} statements: full {full}; unchanged {unchanged}; one record edited "
          f"{edited}, another {redated}, both undone {back}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[42_000, 100_000])
    parser.add_argument("--no-pyshacl", action="store_true", help="leave the reference out (slow at 100 k)")
    parser.add_argument("--pyshacl-up-to", type=int, default=100_000, help="statements (pySHACL takes minutes at 1 M)")
    parser.add_argument("--rudof-up-to", type=int, default=100_000, help="statements (pyrudof holds ~11 kB each)")
    parser.add_argument("--incremental", type=int, default=100_000, help="statements (0: skip)")
    args = parser.parse_args()
    print(f"{'data':>9} {'triples':>8} {'engine':<16} {'wall':>10} {'CPU':>10} {'RSS MB':>7} {'+MB':>6} "
          f"{'pySHACL/this':>14} {'found':>6}")
    engines("curated", ROOT / "data", True)
    work = Path(tempfile.mkdtemp(prefix="twinkg-shacl-bench-"))
    try:
        for n in args.sizes:
            generate(work / f"data-{n}", n, seed=0)
            engines(f"{n // 1000} k", work / f"data-{n}", not args.no_pyshacl and n <= args.pyshacl_up_to,
                    n <= args.rudof_up_to)
        if args.incremental:
            incremental(args.incremental, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
