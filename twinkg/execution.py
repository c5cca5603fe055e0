"""What a query executor is: the interface the server's strategies share, their timeout
error and the error wrapping every one of them applies to a job.

Three strategies run users' queries under the time limit: child processes
(server/execution/processes.py), threads of the server worker (server/execution/threads.py) and a remote
store over HTTP (server/execution/remote.py). Each runs a ``Job`` with :func:`answer`, so that
limits, formats, truncation and errors are the same whichever runs it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pyoxigraph import Store

from twinkg.errors import TwinkgError
from twinkg.query_answers import Answer, Failure, Job, run


class QueryTimeout(TwinkgError):
    status = 503


@runtime_checkable  # so that a test can check that each strategy is one
class QueryExecutor(Protocol):
    timeout: float

    def run(self, job: Job, timeout: float | None = None) -> Answer | Failure:
        """The job's answer within ``timeout`` seconds (default: the executor's), or
        QueryTimeout."""

    def close(self) -> None:
        """Take no more jobs (a new build is served); jobs in progress may finish."""


def ran_too_long(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was stopped")


def busy(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the server was busy for the whole time limit of {timeout:g} s")


def answer(store: Store, job: Job) -> Answer | Failure:
    """``job`` run on ``store``. An unexpected error is answered as a Failure (server/endpoint/answers.py
    logs it and answers 500, or 502 for a SERVICE call; a child never leaves its parent
    waiting for the time limit); twinkg's own errors (a remote store that refuses) are raised on."""
    try:
        return run(store, job)
    except TwinkgError:
        raise
    except Exception as exc:
        return Failure("io", f"{type(exc).__name__}: {exc}")
