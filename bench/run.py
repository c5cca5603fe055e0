"""Throughput and latency of twinkg's /sparql against `oxigraph serve-read-only` on the same store.

Not a test: it prints figures. One run starts, on loopback:
  - `twinkg serve` (granian, --workers 2: users' queries run in the workers, "worker" isolation),
  - `oxigraph serve-read-only --union-default-graph` (PyPI `oxigraph`) on the same store,
  - a bare Flask route under granian with the same workers and threads (the framework floor),
then drives each with `wrk` (Debian package; 2 threads, 4 connections, keep-alive) and prints
req/s, p50 and p99 per scenario and the ratio twinkg / oxigraph; then the CPU time each
server's processes spent per request (Linux /proc), which wrk's own share and idle cores do
not blur.

Scenarios: a small SELECT (distinct texts per request: a counter in a comment, so no cache
helps either server), the same SELECT repeated (twinkg's response cache answers), a
CONSTRUCT of one entity (distinct), an aggregate over the whole store (distinct).

    python bench/run.py                       # the curated data, built into a temporary store
    python bench/run.py --store var/bench-1m  # e.g. the synthetic store from bench/synthetic.py
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from twinkg.config import ISOLATIONS, Settings

ROOT = Path(__file__).resolve().parent.parent
TK = "https://twinkg.example.org/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
TOURS = "https://twinkg.example.org/id/city/tours"

SCENARIOS = [
    # name, query, Accept, distinct texts per request
    ("small SELECT", f"PREFIX tk: <{TK}> PREFIX rdfs: <{RDFS}> SELECT ?city ?name WHERE "
                     "{ ?city a tk:City ; rdfs:label ?name FILTER(LANG(?name) = 'de') } LIMIT 10",
     "application/sparql-results+json", True),
    ("small SELECT, repeated", f"PREFIX tk: <{TK}> PREFIX rdfs: <{RDFS}> SELECT ?city ?name WHERE "
                               "{ ?city a tk:City ; rdfs:label ?name FILTER(LANG(?name) = 'de') } LIMIT 10",
     "application/sparql-results+json", False),
    ("CONSTRUCT one entity", f"CONSTRUCT {{ <{TOURS}> ?p ?o }} WHERE {{ <{TOURS}> ?p ?o }}", "text/turtle", True),
    ("aggregate", "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
     "application/sparql-results+json", True),
]

LUA = """
local tid = 0
setup = function(thread) thread:set("tid", tid); tid = tid + 1 end
local counter = 0
request = function()
  counter = counter + 1
  local path = "{path}"
  if {distinct} then path = path .. "%23{run}-" .. tid .. "-" .. counter .. "%0A" end
  return wrk.format("GET", path .. "{query}", {{["Accept"] = "{accept}"}})
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def start(args: list[str], ready_url: str, **env) -> subprocess.Popen:
    process = subprocess.Popen(args, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=ROOT)
    wait_for(ready_url, process)
    return process


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
_RUNS = itertools.count(int(time.time()))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` and its descendants so far (Linux /proc)."""
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stats[int(entry)] = f.read().rsplit(")", 1)[1].split()  # fields from the state on
            except OSError:  # gone meanwhile
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        if current in stats:
            total += int(stats[current][11]) + int(stats[current][12])  # utime, stime
        todo.extend(p for p, fields in stats.items() if int(fields[1]) == current)
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url_path: str, query: str | None, accept: str, distinct: bool, base: str, seconds: int,
        connections: int, server: subprocess.Popen | None = None) -> dict:
    # {run}: distinct texts must differ from those of earlier runs too, or a run would replay
    # the previous one's texts (and meet the answers the server cached for them)
    script = LUA.format(path=url_path, query=urllib.parse.quote(query, safe="") if query else "",
                        accept=accept, distinct="true" if distinct else "false", run=next(_RUNS))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    cpu_before = cpu_seconds(server.pid) if server else 0.0
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", f.name, base],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
        return float(number) * _UNITS[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu = (cpu_seconds(server.pid) - cpu_before) / requests * 1e6 if server and requests else None
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms(latency["50"]), "p99": ms(latency["99"]),
            "errors": int(non_2xx.group(1)) if non_2xx else 0, "cpu_us": cpu}


def print_table(names: tuple[str, str, str], rows: list[tuple[str, dict, dict]]) -> None:
    """A Markdown table of (name, measured, reference) rows with the ratio measured / reference."""
    what, measured, reference = names
    print(f"| {what} | {measured} req/s | p50 ms | p99 ms | {reference} req/s | p50 ms | p99 ms | "
          f"{measured} / {reference} |")
    print("|" + "---|" * 8)
    for name, m, r in rows:
        errors = f" ({m['errors']} + {r['errors']} non-2xx)" if m["errors"] or r["errors"] else ""
        print(f"| {name}{errors} | {m['rps']:.0f} | {m['p50']:.2f} | {m['p99']:.2f} | {r['rps']:.0f} | "
              f"{r['p50']:.2f} | {r['p99']:.2f} | {m['rps'] / r['rps']:.2f}× |")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def median(runs: list[dict]) -> dict:
    """The run with the median throughput (its latencies come with it), with the median CPU
    time per request of all runs."""
    chosen = dict(sorted(runs, key=lambda r: r["rps"])[len(runs) // 2])
    cpu = sorted(r["cpu_us"] for r in runs if r.get("cpu_us") is not None)
    chosen["cpu_us"] = cpu[len(cpu) // 2] if cpu else None
    return chosen


def print_cpu_table(rows: list[tuple[str, dict, dict]]) -> None:
    print("\n| scenario | twinkg CPU µs/request | oxigraph CPU µs/request | oxigraph / twinkg |")
    print("|" + "---|" * 4)
    for name, m, r in rows:
        print(f"| {name} | {m['cpu_us']:.0f} | {r['cpu_us']:.0f} | {r['cpu_us'] / m['cpu_us']:.2f}× |")


def check_same_answer(twinkg: str, oxigraph: str, query: str, accept: str) -> None:
    """Both servers must give a 200 for the scenario (a bench of error pages measures nothing)."""
    for url in (f"{twinkg}/sparql", f"{oxigraph}/query"):
        request = urllib.request.Request(url + "?query=" + urllib.parse.quote(query), headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200, url


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a twinkg store (default: the curated data, built now)")
    parser.add_argument("--seconds", type=int, default=8, help="per scenario and server")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="runs per server and scenario; the median is shown")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--isolation", choices=ISOLATIONS, default=Settings().query_isolation,
                        help="where twinkg runs users' queries (setting query_isolation)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a twinkg setting for the served app, e.g. --set worker_threads=1")
    parser.add_argument("--only", metavar="TEXT", help="run only the scenarios whose name contains TEXT")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    bin_dir = Path(sys.executable).parent
    tmp = Path(tempfile.mkdtemp(prefix="twinkg-bench-"))
    store = args.store
    if store is None:
        store = tmp / "store"
        subprocess.run([bin_dir / "twinkg", "load", "--store", str(store)], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = store.resolve()
    quads = __import__("json").loads((store / "meta.json").read_text()).get("quads", "?")
    processes = []
    try:
        tk_port, ox_port, floor_port = free_port(), free_port(), free_port()
        twinkg = f"http://127.0.0.1:{tk_port}"
        oxigraph = f"http://127.0.0.1:{ox_port}"
        floor = f"http://127.0.0.1:{floor_port}"
        processes.append(start([str(bin_dir / "twinkg"), "serve", "--store", str(store), "--port", str(tk_port),
                                "--workers", str(args.workers)], twinkg + "/sparql",
                               TWINKG_QUERY_ISOLATION=args.isolation,
                               **{f"TWINKG_{k.upper()}": v for k, v in (s.split("=", 1) for s in args.set)}))
        processes.append(start([str(bin_dir / "oxigraph"), "serve-read-only", "--location", str(store / "oxigraph"),
                                "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"], oxigraph + "/"))
        processes.append(start([str(bin_dir / "granian"), "--interface", "wsgi", "--workers", str(args.workers),
                                "--blocking-threads", str(Settings().worker_threads), "--host", "127.0.0.1",
                                "--port", str(floor_port), "--working-dir", str(ROOT / "bench"),
                                "--no-ws", "floor_app:app"], floor + "/"))
        print(f"store: {store} ({quads} quads); machine: {machine()}")
        print(f"wrk: 2 threads, {args.connections} connections, {args.seconds} s per run, median of "
              f"{args.rounds} alternating runs; servers: {args.workers} workers each; "
              f"twinkg query isolation: {args.isolation} {' '.join(args.set)}\n")
        rows = []
        for name, query, accept, distinct in SCENARIOS:
            if args.only and args.only not in name:
                continue
            check_same_answer(twinkg, oxigraph, query, accept)
            # warm both (caches, executor children) before measuring
            wrk("/sparql?query=", query, accept, distinct, twinkg, 1, args.connections)
            wrk("/query?query=", query, accept, distinct, oxigraph, 1, args.connections)
            runs_t, runs_o = [], []
            for _ in range(args.rounds):  # alternate, so drifts of a shared machine hit both alike
                runs_t.append(wrk("/sparql?query=", query, accept, distinct, twinkg, args.seconds, args.connections,
                                  processes[0]))
                runs_o.append(wrk("/query?query=", query, accept, distinct, oxigraph, args.seconds, args.connections,
                                  processes[1]))
            rows.append((name, median(runs_t), median(runs_o)))
        floor_result = median([wrk("/", None, "text/plain", False, floor, args.seconds, args.connections)
                               for _ in range(args.rounds)])
        oxigraph_floor = rows[0][2] if rows[0][0] == SCENARIOS[0][0] else None
        print_table(("scenario", "twinkg", "oxigraph"), rows)
        ratio = (f"{floor_result['rps'] / oxigraph_floor['rps']:.2f}× of oxigraph's small SELECT"
                 if oxigraph_floor else "–")
        print(f"| bare Flask route (floor) | {floor_result['rps']:.0f} | {floor_result['p50']:.2f} | "
              f"{floor_result['p99']:.2f} | – | – | – | {ratio} |")
        print_cpu_table(rows)
    finally:
        stop(processes)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
