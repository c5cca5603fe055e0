"""Replacing the server's workers after a query ran past the time limit ("worker" isolation).

pyoxigraph cannot interrupt a running query. In worker isolation users' queries run on
threads of the server worker itself (server/execution/threads.py), the cheapest place for
them; when one runs past the limit its request is answered with 503 at once, and the worker
asks granian's main process for a graceful reload (SIGHUP), the mechanism uWSGI calls
harakiri: granian starts a fresh worker before it stops each old one, an old worker answers
the requests it has and ends, and one that does not end in time (this one, with its thread
stuck in the store) is killed. That is what really stops the work; connections go to the
other workers meanwhile. A reload, not an exit of this worker, because granian takes a
worker that exits twice within a few seconds for a crash loop and stops the whole server.

No request is lost to a reload: an old worker that granian stops closes its idle keep-alive
connections, and one that is killed drops all of its connections; a client that sends its
next request on such a connection at that moment gets no answer (27 of 4,740 keep-alive
requests were lost so, none with ``Connection: close``). So before the reload every old worker
answers with ``Connection: close`` (``close_while_draining``): the time of the request is
kept in memory shared by all workers (mapped before granian forks them), the clients close
their connections at a request boundary within ``DRAIN_DELAY`` and open new ones, and the
reload comes after that. Old workers keep closing connections until they are gone (the
window covers two kill timeouts); the workers that replace them keep theirs open.
"""

from __future__ import annotations

import mmap
import os
import signal
import struct
import sys
import threading
import time

#: Seconds after which this worker ends by itself if the reload never came (a last resort:
#: the main process is gone or did not act).
LAST_RESORT_SECONDS = 120.0
#: Set by `twinkg serve` to granian's main process ID: only that process is sent the signal.
SUPERVISOR_ENV = "TWINKG_SUPERVISOR_PID"
#: Seconds between telling the workers to close their connections and the reload: clients
#: that keep sending on a keep-alive connection get a response with ``Connection: close``.
DRAIN_DELAY = 0.5

#: When a reload was last asked for (time.time()), shared by granian's main process and all
#: the workers it forks, respawned ones too: an anonymous shared mapping made at import, which
#: `twinkg serve` does before granian forks (server/wsgi.py, preload).
_REQUESTED = mmap.mmap(-1, 8)
_STAMP = struct.Struct("d")


def draining(window: float, born: float = 0.0) -> bool:
    """Whether a reload was asked for less than ``window`` seconds ago, after ``born`` (when
    this worker started: workers that replace the old ones keep their connections)."""
    requested = _STAMP.unpack_from(_REQUESTED)[0]
    return requested > born and time.time() - requested < window


def drain_window(query_timeout: float) -> float:
    """How long the workers close connections after a reload is asked for: the delay, then two
    old workers replaced in turn, each killed at most the query limit plus 2 s after its stop
    (`twinkg serve`), and a second of margin."""
    return DRAIN_DELAY + 2 * (query_timeout + 3) + 1


def close_while_draining(app, window: float):
    """``app`` (WSGI), answering with ``Connection: close`` while this worker (one started
    before the reload was asked for) waits to be replaced. Called in each worker after the fork."""
    born = time.time()

    def wsgi(environ, start_response):
        if not draining(window, born):
            return app(environ, start_response)

        def start(status, headers, exc_info=None):
            headers = [h for h in headers if h[0].lower() != "connection"] + [("Connection", "close")]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
        return app(environ, start)
    return wsgi


def supervisor() -> int | None:
    """granian's main process, when this process is one of its workers (else None)."""
    pid = os.environ.get(SUPERVISOR_ENV, "")
    return int(pid) if pid.isdigit() and int(pid) == os.getppid() else None


class Recycler:
    def __init__(self, supervisor_pid: int, last_resort: float = LAST_RESORT_SECONDS):
        self.supervisor_pid = supervisor_pid
        self.last_resort = last_resort
        self._lock = threading.Lock()
        self._asked = False

    def end_worker(self, reason: str) -> None:
        """Have this worker replaced (once, however many of its requests ask)."""
        with self._lock:
            if self._asked:
                return
            self._asked = True
        print(f"twinkg: worker {os.getpid()} is replaced ({reason})", file=sys.stderr, flush=True)
        _STAMP.pack_into(_REQUESTED, 0, time.time())  # every worker: Connection: close from now
        threading.Thread(target=self._reload, name="twinkg-recycle", daemon=True).start()

    def _reload(self) -> None:
        time.sleep(DRAIN_DELAY)
        os.kill(self.supervisor_pid, signal.SIGHUP)  # granian: gracefully respawn the workers
        time.sleep(self.last_resort)
        os._exit(3)
