"""Talking to a remote SPARQL store: the protocol client, the pyoxigraph-like store over it,
updates, the local mirror for work that reads everything. Which store is served (embedded
or remote) is chosen in ``twinkg/store.py``."""
