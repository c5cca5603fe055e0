"""The query executor of "process" isolation (a ``QueryExecutor``, twinkg/execution.py):
child processes that can be killed when a query runs too long.

pyoxigraph has no timeout and a running query cannot be interrupted from Python, so each
server worker keeps a small pool of child processes (twinkg/query_worker.py), each with its
own ``Store.read_only`` handle. A query is sent to an idle child; if no answer arrives within
the time limit the child is killed (the work really stops), a replacement is started at once,
and the request gets 503. Children are started lazily in the worker that uses them, after
the server's fork, and end by themselves when their worker goes away (their pipe closes).

The time limit counts the query, not the child's start-up: a child tells when it has taken a
job (``b"started"``), and the deadline runs from then. Opening the store takes ~0.3 s on an
idle machine and more on a busy one; counted against the limit, it made small queries fail
with 503 under a short limit and on loaded machines. Waiting for a free child still counts
(the pool is full: the server is busy).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

from twinkg.errors import TwinkgError
from twinkg.execution import busy, ran_too_long
from twinkg.query_answers import Answer, Failure, Job

#: Seconds a new child may take to open the store before the server gives up on it.
START_TIMEOUT = 30.0


class _Child:
    def __init__(self, store_path: str):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "twinkg.query_worker", store_path, str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.inbox = Connection(from_child_r, writable=False)
        self.outbox = Connection(to_child_w, readable=False)
        self.ready = False

    def _wait_ready(self) -> None:
        if self.ready:
            return
        if not self.inbox.poll(START_TIMEOUT) or self.inbox.recv_bytes() != b"ready":
            raise TwinkgError("the query executor did not start", 503)
        self.ready = True

    def ask(self, job: Job, timeout: float) -> Answer | Failure | None:
        """The child's answer, or None if it did not come within ``timeout`` seconds of the
        child taking the job (its start-up and the hand-over do not count)."""
        self._wait_ready()
        self.outbox.send_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        # a ready child takes the job at once; on a machine so busy that it does not within
        # START_TIMEOUT, something else is wrong
        if not self.inbox.poll(START_TIMEOUT) or self.inbox.recv_bytes() != b"started":
            raise TwinkgError("the query executor did not take the query", 503)
        if not self.inbox.poll(timeout):
            return None
        return pickle.loads(self.inbox.recv_bytes())

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.inbox.close()
        self.outbox.close()


class ProcessExecutor:
    """At most ``processes`` queries of this worker run at once; more wait for a free child."""

    def __init__(self, store_path: str, processes: int, timeout: float):
        self.store_path = store_path
        self.processes = max(1, processes)
        self.timeout = timeout
        self._idle: list[_Child] = []
        self._count = 0
        self._closed = False
        self._lock = threading.Condition()

    def run(self, job: Job, timeout: float | None = None) -> Answer | Failure:
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        child = self._acquire(deadline, timeout)
        # Keep a spare child starting while this one works: if this query runs away, the
        # next request finds a child with its store open instead of waiting for one to start.
        self.prestart()
        try:
            answer = child.ask(job, timeout)
        except (EOFError, OSError, pickle.PickleError):
            self._discard(child)
            raise TwinkgError("the query executor failed; the query was not answered", 500) from None
        except BaseException:
            self._discard(child)
            raise
        if answer is None:
            self._discard(child)
            self.prestart()
            raise ran_too_long(timeout)
        self._release(child)
        return answer

    def prestart(self) -> None:
        """Start a child now (it opens the store in the background) if none is idle and the pool
        has room; a child costs one process with its own read-only store handle."""
        with self._lock:
            if self._closed or self._idle or self._count >= self.processes:
                return
            self._count += 1
        try:
            child = _Child(self.store_path)
        except BaseException:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise
        self._release(child)

    def _acquire(self, deadline: float, timeout: float) -> _Child:
        with self._lock:
            while not self._idle and self._count >= self.processes:
                if not self._lock.wait(max(0.0, deadline - time.monotonic())):
                    raise busy(timeout)
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return _Child(self.store_path)
        except BaseException:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise

    def _release(self, child: _Child) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(child)
                self._lock.notify()
                return
            self._count -= 1
        child.kill()  # the pool was closed while this child worked (a new build is served)

    def _discard(self, child: _Child) -> None:
        child.kill()
        with self._lock:
            self._count -= 1
            self._lock.notify()

    def close(self) -> None:
        """Stop the idle children now; busy ones are stopped when their query is done."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for child in idle:
            child.kill()
