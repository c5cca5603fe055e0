"""The subcommands of ``twinkg``, one module each, imported only when run (twinkg/cli.py):
each pulls in what its job needs (pyshacl, Flask, the export), which ``twinkg --help`` and
the other commands do not wait for."""
