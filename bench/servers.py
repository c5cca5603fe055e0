"""Which WSGI server `twinkg serve` runs: granian against gunicorn, measured on this machine.

Not a test: it prints figures. Each server runs, in turn, with 2 worker processes:
  - the bare Flask route of bench/floor_app.py (the framework floor),
  - twinkg's own app answering a small SELECT on /sparql (distinct texts, so no cache helps;
    queries in child processes under both servers: query_isolation=process, since worker
    isolation relies on granian's reload),
driven by `wrk` (2 threads, 4 connections, keep-alive), median of alternating runs. Granian
gets twinkg's request threads per worker (setting worker_threads); gunicorn its default
sync workers. The result is recorded in bench/README.md.

    python bench/servers.py
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from run import ROOT, SCENARIOS, free_port, machine, median, print_table, start, stop, wrk

from twinkg.config import Settings

SMALL_SELECT = SCENARIOS[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    for tool in ("wrk", str(bin_dir / "gunicorn")):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk; pip install -e '.[bench]'")
    tmp = Path(tempfile.mkdtemp(prefix="twinkg-servers-"))
    store = tmp / "store"
    subprocess.run([bin_dir / "twinkg", "load", "--store", str(store)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {"TWINKG_STORE": str(store), "TWINKG_QUERY_ISOLATION": "process", "TWINKG_WORKERS": str(args.workers)}
    threads = str(Settings().worker_threads)
    apps = {  # name: (granian target and options, gunicorn target, path, query, Accept)
        "bare Flask route": (["--working-dir", str(ROOT / "bench"), "floor_app:app"],
                             ["--chdir", str(ROOT / "bench"), "floor_app:app"], "/", None, "text/plain"),
        "twinkg /sparql, small SELECT": (["--factory", "twinkg.server.wsgi:app_from_environment"],
                                         ["twinkg.server.wsgi:app_from_environment()"], "/sparql?query=",
                                         SMALL_SELECT, "application/sparql-results+json"),
    }
    processes = []
    rows = []
    try:
        for name, (granian_app, gunicorn_app, path, query, accept) in apps.items():
            g_port, u_port = free_port(), free_port()
            g_base, u_base = f"http://127.0.0.1:{g_port}", f"http://127.0.0.1:{u_port}"
            ready = path + ("ASK%7B%7D" if query else "")
            processes.append(start([str(bin_dir / "granian"), "--interface", "wsgi", "--workers", str(args.workers),
                                    "--blocking-threads", threads, "--host", "127.0.0.1", "--port", str(g_port),
                                    "--no-ws", *granian_app], g_base + ready, **env))
            processes.append(start([str(bin_dir / "gunicorn"), "--workers", str(args.workers), "--bind",
                                    f"127.0.0.1:{u_port}", "--log-level", "warning", *gunicorn_app],
                                   u_base + ready, **env))
            distinct = query is not None
            for base in (g_base, u_base):  # warm both
                wrk(path, query, accept, distinct, base, 1, 4)
            runs_g, runs_u = [], []
            for _ in range(args.rounds):
                runs_g.append(wrk(path, query, accept, distinct, g_base, args.seconds, 4))
                runs_u.append(wrk(path, query, accept, distinct, u_base, args.seconds, 4))
            rows.append((name, median(runs_g), median(runs_u)))
        print(f"machine: {machine()}; wrk: 2 threads, 4 connections, {args.seconds} s per run, median of "
              f"{args.rounds} alternating runs; {args.workers} workers each (granian: {threads} threads per worker, "
              f"gunicorn: sync)\n")
        print_table(("app", "granian", "gunicorn"), rows)
    finally:
        stop(processes)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
