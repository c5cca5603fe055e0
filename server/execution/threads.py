"""The query executor of "worker" isolation (a ``QueryExecutor``, twinkg/execution.py):
users' queries on threads of the server worker.

The cheapest place to run a query is next to the request: no process hop, and the worker's
own read-only store handle, which pyoxigraph shares between threads (it releases the GIL
while it evaluates). A query runs on one of a few threads while its request waits at most
the time limit. A query still waiting for a free thread at the deadline is dropped (503: the
server was busy); one still running gets 503 and the workers are replaced (server/execution/recycle.py),
because nothing else stops a running pyoxigraph query. The threads are daemon threads, so
that a thread stuck in a runaway query does not hold up the worker's exit.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable

from pyoxigraph import Store

from twinkg.execution import answer, busy, ran_too_long
from twinkg.query_answers import Answer, Failure, Job
from twinkg.query_inspect import QUERY_STACK_BYTES

_QUEUED, _RUNNING, _DONE, _DROPPED = "queued", "running", "done", "dropped"


_stack_lock = threading.Lock()


def start_query_thread(target, *args) -> None:
    """A daemon thread for users' queries, with a stack deep enough for what
    query_inspect lets through (the engine recurses; an overflow would end the process)."""
    with _stack_lock:  # the stack size is a process-wide setting for new threads
        previous = threading.stack_size(QUERY_STACK_BYTES)
        try:
            threading.Thread(target=target, args=args, name="twinkg-query", daemon=True).start()
        finally:
            threading.stack_size(previous)


class _Task:
    __slots__ = ("job", "state", "answer", "done")

    def __init__(self, job: Job):
        self.job, self.state, self.answer = job, _QUEUED, None
        # held until the answer is there: a bare lock is the cheapest hand-over between threads
        self.done = threading.Lock()
        self.done.acquire()


class ThreadExecutor:
    def __init__(self, store: Store, threads: int, timeout: float, end_worker: Callable[[str], None]):
        self.store = store
        self.timeout = timeout
        self._end_worker = end_worker
        self._size = max(1, threads)
        self._serving = 0  # threads taking tasks (a thread stuck in a runaway query does not count)
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False

    def run(self, job: Job, timeout: float | None = None) -> Answer | Failure:
        timeout = self.timeout if timeout is None else timeout
        if self._serving < self._size:
            self._start_thread()
        task = _Task(job)
        if self._closed:  # a request that began on the previous build: a thread of its own
            start_query_thread(self._work, task)
        else:
            self._tasks.put(task)
        if task.done.acquire(timeout=timeout):
            return task.answer
        with self._lock:
            if task.state == _DONE:  # answered at the deadline
                return task.answer
            never_started = task.state == _QUEUED
            task.state = _DROPPED
            if not never_started:  # its thread is stuck until the worker ends: replace it
                self._serving -= 1
        if never_started:
            raise busy(timeout)
        self._start_thread()
        self._end_worker(f"a query ran longer than the limit of {timeout:g} s")
        raise ran_too_long(timeout)

    def _start_thread(self) -> None:
        with self._lock:
            if self._serving >= self._size:
                return
            self._serving += 1
        start_query_thread(self._serve)

    def _serve(self) -> None:
        while (task := self._tasks.get()) is not None and self._work(task):
            pass

    def _work(self, task: _Task) -> bool:
        """Run ``task``; False if it ran past its deadline (this thread was replaced: it ends)."""
        with self._lock:
            if task.state == _DROPPED:  # never started: its request has had its 503
                return True
            task.state = _RUNNING
        result = answer(self.store, task.job)
        with self._lock:
            if task.state == _DROPPED:
                return False
            task.answer, task.state = result, _DONE
            task.done.release()
        return True

    def close(self) -> None:
        """Queries in progress finish on the old build's store handle; the threads then end."""
        with self._lock:
            self._closed = True
            serving, self._size, self._serving = self._serving, 0, 0
        for _ in range(serving):
            self._tasks.put(None)
