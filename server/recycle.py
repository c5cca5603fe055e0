"""Replacing the server's workers after a query ran past the time limit ("worker" isolation).

pyoxigraph cannot interrupt a running query. In worker isolation users' queries run on
threads of the server worker itself (server/thread_executor.py), the cheapest place for
them; when one runs past the limit its request is answered with 503 at once, and the worker
asks granian's main process for a graceful reload (SIGHUP), the mechanism uWSGI calls
harakiri: granian starts a fresh worker before it stops each old one, an old worker answers
the requests it has and ends, and one that does not end in time (this one, with its thread
stuck in the store) is killed. That is what really stops the work; connections go to the
other workers meanwhile. A reload, not an exit of this worker, because granian takes a
worker that exits twice within a few seconds for a crash loop and stops the whole server.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

#: Seconds after which this worker ends by itself if the reload never came (a last resort:
#: the main process is gone or did not act).
LAST_RESORT_SECONDS = 120.0
#: Set by `twinkg serve` to granian's main process ID: only that process is sent the signal.
SUPERVISOR_ENV = "TWINKG_SUPERVISOR_PID"


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
        os.kill(self.supervisor_pid, signal.SIGHUP)  # granian: gracefully respawn the workers
        threading.Thread(target=self._last_resort, name="twinkg-recycle", daemon=True).start()

    def _last_resort(self) -> None:
        time.sleep(self.last_resort)
        os._exit(3)
