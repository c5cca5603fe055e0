"""The query executor child: runs one query at a time on its own read-only store handle.

pyoxigraph cannot interrupt a running query, so the server runs users' queries here, in a
process it can kill when the time limit is up (server/execution/processes.py is the other side). This
module imports only pyoxigraph (and small twinkg modules), so that a replacement child is ready
in a fraction of a second. What a query's answer is, and how it is cut, is
twinkg/query_answers.py's; this module only carries jobs and answers over the pipes.
"""

from __future__ import annotations

import pickle
import sys
import threading
from multiprocessing.connection import Connection

from pyoxigraph import Store

from twinkg.execution import answer
from twinkg.query_inspect import QUERY_STACK_BYTES


def main(argv: list[str]) -> None:
    """``python -m twinkg.query_worker STORE_PATH READ_FD WRITE_FD``: serve jobs until EOF, on a
    thread with a stack as deep as the server's query threads have (query_inspect)."""
    threading.stack_size(QUERY_STACK_BYTES)
    thread = threading.Thread(target=_serve, args=(argv,), name="twinkg-query")
    thread.start()
    thread.join()


def _serve(argv: list[str]) -> None:
    path, read_fd, write_fd = argv[0], int(argv[1]), int(argv[2])
    inbox, outbox = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    store = Store.read_only(path)
    try:
        outbox.send_bytes(b"ready")
        while True:
            try:
                job = pickle.loads(inbox.recv_bytes())
            except EOFError:  # the server worker is gone
                return
            outbox.send_bytes(b"started")  # the time limit runs from here (server/execution/processes.py)
            # answer() turns a bug into a Failure: it must not leave the parent waiting for the time limit
            outbox.send_bytes(pickle.dumps(answer(store, job), protocol=pickle.HIGHEST_PROTOCOL))
    except (BrokenPipeError, ConnectionResetError):
        # The server worker ended while this child started or worked (e.g. a spare child
        # still opening the store when the process exits): nobody is left to answer.
        return


if __name__ == "__main__":
    main(sys.argv[1:])
