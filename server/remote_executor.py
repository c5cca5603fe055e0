"""The query executor for a remote store: same ``run(job)`` as ``server/executor.py``.

With an embedded store, users' queries run in child processes that can be killed at the
time limit. With a remote store the server does the work, so no child is needed: the query
goes over HTTP with the time limit as its timeout (no retries: the limit is the user's), and
the answer is cut and serialized by the same code as the children's (``query_worker.run``),
so limits, formats and truncation flags are the same on both backends.
"""

from __future__ import annotations

from twinkg.backends.remote import remote_store
from twinkg.config import Settings
from twinkg.errors import TwinkgError
from twinkg.query_worker import Answer, Failure, Job, run


class RemoteExecutor:
    def __init__(self, settings: Settings, union_graphs: list[str]):
        self.settings = settings
        self.union_graphs = union_graphs  # from the served version's metadata
        self.store = remote_store(settings, union_graphs)  # what it reads once is kept per version

    def run(self, job: Job, timeout: float | None = None) -> Answer | Failure:
        timeout = self.settings.query_timeout if timeout is None else timeout
        store = self.store.using(timeout=timeout, retries=0)
        try:
            return run(store, job)
        except TwinkgError:
            raise
        except Exception as exc:  # as the children answer an unexpected error: not a 500 page
            return Failure("io", f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        pass
