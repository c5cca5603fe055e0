"""The query executor for a remote store (a ``QueryExecutor``, twinkg/execution.py).

With an embedded store, users' queries run in child processes that can be killed at the
time limit. With a remote store the server does the work, so no child is needed: the query
goes over HTTP with the time limit as its timeout (no retries: the limit is the user's), and
the answer is cut and serialized by the same code as the children's (``execution.answer``),
so limits, formats and truncation flags are the same on both backends.
"""

from __future__ import annotations

from twinkg.backends.remote import remote_store
from twinkg.config import Settings
from twinkg.execution import answer
from twinkg.query_answers import Answer, Failure, Job


class RemoteExecutor:
    def __init__(self, settings: Settings, union_graphs: list[str]):
        self.settings = settings
        self.timeout = settings.query_timeout
        self.union_graphs = union_graphs  # from the served version's metadata
        self.store = remote_store(settings, union_graphs)  # what it reads once is kept per version

    def run(self, job: Job, timeout: float | None = None) -> Answer | Failure:
        timeout = self.timeout if timeout is None else timeout
        return answer(self.store.using(timeout=timeout, retries=0), job)

    def close(self) -> None:
        pass
