"""Slow and idle clients cannot starve the server (README, "Serving"): real sockets against
``twinkg serve`` on loopback, and against the documented nginx setup for slow bodies."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import socket
import urllib.request
from pathlib import Path

import pytest
from helpers import free_port, running_server, serving

pytestmark = pytest.mark.server  # twinkg serve, nginx

ROOT = Path(__file__).resolve().parent.parent
IDLE, SLOW = 2000, 50
SLOW_BODY = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
             b"Content-Length: 100\r\n\r\nASK")


@pytest.fixture(autouse=True)
def enough_descriptors():
    """The sockets below, and the servers started from here, need more than the usual 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 3 * (IDLE + SLOW) + 1000
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"the hard limit of open files ({hard}) is below {wanted}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@contextlib.contextmanager
def connections(port: int, count: int, first: bytes = b""):
    sockets = []
    try:
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            if first:
                s.sendall(first)
            sockets.append(s)
        yield sockets
    finally:
        for s in sockets:
            s.close()


def answered(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status == 200 and bool(response.read())


def still_open(sockets: list[socket.socket]) -> int:
    """How many of ``sockets`` the server has not closed (nothing to read, no end of stream)."""
    count = 0
    for s in sockets:
        s.setblocking(False)
        try:
            s.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            count += 1
        except ConnectionResetError:
            pass
    return count


def port_of(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def test_idle_connections_and_slow_headers_do_not_starve_the_server(curated_store):
    """2,000 idle connections made normal requests wait in the backlog (granian's default
    lets each worker serve backlog / workers = 512 connections at once) until the header
    timeout closed enough of them: here the requests are answered while all are held."""
    with running_server(curated_store, workers=2, header_timeout=30) as base:
        port = port_of(base)
        with connections(port, SLOW, b"GET / HTTP/1.1\r\nHost: x\r\n") as slow, connections(port, IDLE) as idle:
            for _ in range(5):
                assert answered(f"{base}/sparql?query=ASK%7B%7D")
            assert still_open(slow + idle) == SLOW + IDLE


def test_slow_headers_hold_a_connection_only_until_the_header_timeout(curated_store):
    with running_server(curated_store, workers=2, header_timeout=1) as base:
        with connections(port_of(base), 1, b"GET / HTTP/1.1\r\nHost: x\r\n") as (slow,):
            slow.settimeout(10)  # a bound on waiting for the close (socket.timeout: never closed)
            closed = slow.recv(4096)
            assert closed == b"" or closed.startswith(b"HTTP/1.1 408")


def test_slow_bodies_do_not_starve_the_documented_nginx_setup(curated_store, tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        pytest.skip("nginx is not installed")
    with running_server(curated_store, workers=2) as base:
        front = free_port()
        site = (ROOT / "deploy" / "nginx-twinkg.conf").read_text()
        site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{port_of(base)};")
        site = re.sub(r"listen 80;", f"listen 127.0.0.1:{front};", site)
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nworker_processes 1;\n"
            f"worker_rlimit_nofile {4 * (IDLE + SLOW) + 1000};\n"
            f"events {{ worker_connections {2 * (IDLE + SLOW) + 500}; }}\n"
            f"http {{\n access_log off;\n"
            + "".join(f" {kind}_temp_path {tmp_path}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f" include {tmp_path}/site.conf;\n}}\n")
        command = [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"]
        with serving(command, f"http://127.0.0.1:{front}") as proxied:
            with connections(front, SLOW, SLOW_BODY) as slow, connections(front, IDLE) as idle:
                for _ in range(5):
                    assert answered(f"{proxied}/sparql?query=ASK%7B%7D")
                # answered while every slow body was still trickling in (nginx ends those after 5 s)
                assert still_open(slow + idle) == SLOW + IDLE
