"""Curation at scale: `twinkg validate` and `twinkg load` of generated curated YAML, next to
Oxigraph's own bulk load of the same quads, measured in the same run.

For each size, bench/curated_yaml.py writes a data directory; then each command runs in its
own process (as a curator runs it), measured by wall time, CPU time and peak RSS (from
``os.wait4``: that process alone). The reference is ``pyoxigraph.Store.bulk_load`` of an
N-Quads dump of the store `load` built (the same quads), in its own process too. `load` runs
without the export (``TWINKG_EXPORT_ON_LOAD=false``: the publication is measured by
bench/export.py). "load w/o SHACL" is the same load with the SHACL stage left out (patched
in the benchmark's process only), to tell the pipeline's own cost from the SHACL engine's.

    python bench/curation.py                  # 10 k and 100 k statements
    python bench/curation.py --million        # and 1 M
    python bench/curation.py --sizes 166000   # other sizes
    python bench/curation.py --remote         # REMOTE_BATCH upload to `oxigraph serve`, 100 k
    python bench/curation.py --reference /tmp/old/.venv/bin   # also an older checkout's twinkg

"validate, edited" is `twinkg validate` again after one record was edited (an event's title),
with the validation cache the first `validate` wrote: the curator's run after an edit.
With ``--reference``, the same commands of another installation (a venv's bin directory,
e.g. of a checkout before a change) run on the same data in the same run, in a row of
their own: before and after under the same machine state.

Ratios are bulk_load time / load time: the issue's goal is ≥ 0.25 at 100 k and 1 M.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from curated_yaml import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TWINKG = BIN / "twinkg"
OXIGRAPH = BIN / "oxigraph"

#: `twinkg load` with the SHACL stage left out: the benchmark's own process, not an option.
WITHOUT_SHACL = """
import sys
import twinkg.loaders.validation as validation
from twinkg.cli import main
validation.shacl_problems = lambda *args, **kwargs: []
sys.argv[0] = "twinkg"
main()
"""
BULK_LOAD = """
import sys
from pyoxigraph import RdfFormat, Store
store = Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=RdfFormat.N_QUADS)
store.flush()
store.optimize()
print(len(store))
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    out: str


def measure(command: list, env: dict | None = None) -> Run:
    """Run ``command`` to the end; its wall and CPU time and peak RSS (its own, by wait4)."""
    with tempfile.TemporaryFile("w+") as output:  # not a pipe: wait4 must reap the process itself
        started = time.perf_counter()
        process = subprocess.Popen([str(c) for c in command], stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})}, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # this process's own resource usage
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        out = output.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{out}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out)


def _statements(output: str) -> int:
    """From `validate`'s "0 problems; N statements" or `load`'s "N data statements"."""
    return int(re.search(r"(\d+) (?:data )?statements", output).group(1))


def edit_one_record(data: Path) -> str:
    """An event's German title edited, as a curator does; returns the file's text before."""
    events = data / "events.yaml"
    text = events.read_text(encoding="utf-8")
    at = text.index('title:\n    de: "') + len('title:\n    de: "')
    events.write_text(text[:at] + "Neu: " + text[at:], encoding="utf-8")
    return text


def run_commands(twinkg: Path, label: str, data: Path, work: Path) -> dict:
    """validate (empty cache), validate after an edit (that cache), load (empty cache)."""
    n, env = data.name, {"TWINKG_EXPORT_ON_LOAD": "false"}
    # store paths of their own: each validation cache (beside the store) starts empty
    validate_env = {**env, "TWINKG_STORE": str(work / f"{label}-validate-{n}" / "store")}
    validate = measure([twinkg, "validate", "--data", data], validate_env)
    before = edit_one_record(data)
    edited = measure([twinkg, "validate", "--data", data], validate_env)
    (data / "events.yaml").write_text(before, encoding="utf-8")
    load = measure([twinkg, "load", "--data", data, "--store", work / f"{label}-load-{n}" / "store"], env)
    return {"validate": validate, "edited": edited, "load": load, "store": work / f"{label}-load-{n}" / "store"}


def bench_size(n: int, work: Path, seed: int, shacl: bool = True, reference: Path | None = None) -> list[dict]:
    data = work / f"data-{n}"
    generate(data, n, seed)
    env = {"TWINKG_EXPORT_ON_LOAD": "false"}
    runs = {"now": run_commands(TWINKG, "now", data, work) if shacl else {}}
    if reference and shacl:
        runs["reference"] = run_commands(reference / "twinkg", "reference", data, work)
    bare = measure([sys.executable, "-c", WITHOUT_SHACL, "load", "--data", data, "--store", work / f"bare-{n}"], env)
    # the reference: Oxigraph's bulk load of the quads `load` wrote (dumped untimed)
    from pyoxigraph import RdfFormat, Store

    dump = work / f"dump-{n}.nq"
    source = Store.read_only(str((runs["now"]["store"] if shacl else work / f"bare-{n}").resolve() / "oxigraph"))
    source.dump(output=str(dump), format=RdfFormat.N_QUADS)
    quads = len(source)
    del source
    bulk = measure([sys.executable, "-c", BULK_LOAD, work / f"bulk-{n}", dump])
    assert int(bulk.out.split()[0]) == quads, (bulk.out, quads)
    for path in (data, dump, work / f"bulk-{n}"):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return [{"statements": _statements(bare.out), "quads": quads, "which": which, **commands,
             "bare": bare, "bulk": bulk} for which, commands in runs.items()]


def _cell(run: Run | None) -> str:
    return f"{run.wall:.1f} ({run.cpu:.1f}) | {run.rss_mb:.0f}" if run else "– | –"


def report(rows: list[dict]) -> None:
    print("\n| statements | code | validate s (CPU) | RSS MB | validate, edited s (CPU) | RSS MB | load s (CPU) "
          "| RSS MB | load w/o SHACL s (CPU) | RSS MB | bulk_load s (CPU) | RSS MB | bulk_load / load | w/o SHACL |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ld, b, bulk = r.get("load"), r["bare"], r["bulk"]
        ratio = f"{bulk.wall / ld.wall:.2f}×" if ld else "–"
        print(f"| {r['statements']:,} | {r['which']} | {_cell(r.get('validate'))} | {_cell(r.get('edited'))} "
              f"| {_cell(ld)} | {_cell(b)} | {_cell(bulk)} | {ratio} | {bulk.wall / b.wall:.2f}× |")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_remote(n: int, work: Path, seed: int, batch: int | None) -> None:
    """`twinkg load --endpoint` into a fresh `oxigraph serve`: the upload's rate."""
    data = work / "data-remote"
    generate(data, n, seed)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([OXIGRAPH, "serve", "--location", work / "remote", "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        # the default REMOTE_TIMEOUT: the swap's grows with the statements (loaders/remote.py)
        env = {"TWINKG_EXPORT_ON_LOAD": "false", **({"TWINKG_REMOTE_BATCH": str(batch)} if batch else {})}
        for label, extra in (("SPARQL Update", []), ("Graph Store Protocol", ["--graph-store", base + "/store"])):
            bare = measure([sys.executable, "-c", WITHOUT_SHACL, "load", "--data", data, "--store", work / "local",
                            "--endpoint", base + "/query", "--update-endpoint", base + "/update", *extra], env)
            statements = _statements(bare.out)
            print(f"remote load ({label}, REMOTE_BATCH {batch or 'default'}), {statements:,} statements, "
                  f"w/o SHACL: {bare.wall:.1f} s, {statements / bare.wall:,.0f} statements/s, "
                  f"client CPU {bare.cpu:.1f} s, client RSS {bare.rss_mb:.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also 1,000,000 statements")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shacl-up-to", type=int, default=200_000, metavar="N",
                        help="above N statements, only the load without the SHACL stage (default 200000)")
    parser.add_argument("--remote", action="store_true", help="only the remote upload, at 100 k statements")
    parser.add_argument("--batch", type=int, help="REMOTE_BATCH for --remote")
    parser.add_argument("--reference", type=Path, metavar="BIN",
                        help="also run validate and load of the twinkg in BIN (another venv's bin directory)")
    parser.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="twinkg-curation-", dir=args.work))
    try:
        if args.remote:
            bench_remote(100_000, work, args.seed, args.batch)
            return
        rows = []
        for n in args.sizes + ([1_000_000] if args.million else []):
            rows += bench_size(n, work, args.seed, shacl=n <= args.shacl_up_to, reference=args.reference)
            print(f"{n:,} done", file=sys.stderr, flush=True)
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
        report(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
