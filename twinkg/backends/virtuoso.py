"""Virtuoso's union of twinkg's graphs: the server's own union minus the graphs that are not twinkg's.

Measured on Debian's Virtuoso 7.2.5 with the curated data (README, "What each server
needs"): sent as a protocol dataset (eight ``default-graph-uri`` + ``named-graph-uri``) or as
eight ``FROM``/``FROM NAMED`` in the text, the union made entity pages 6-10 times slower
than the same queries without a dataset (some are refused: "the length of generated SQL text
has exceeded 10000 lines"); without a dataset Virtuoso's own system graphs join the union
(``COUNT(*)`` 5,198 instead of 2,698 on a minimal install, 7,635 on Debian's default one).
Virtuoso's ``input:default-graph-exclude`` / ``input:named-graph-exclude`` pragmas keep the
plain query's speed and leave out exactly the graphs named: every graph the server holds
that is not one of the served version's (and, from the default graph, the metadata graph).
pyoxigraph parses the query without them (they are Virtuoso syntax) and they are put in
front of the text sent, so no user text is involved: the IRIs are the server's own graph
names, serialized by pyoxigraph.
"""

from __future__ import annotations

from pyoxigraph import NamedNode


def exclusion_pragmas(default_excluded: list[str], named_excluded: list[str]) -> str:
    """The ``DEFINE`` lines that leave ``default_excluded`` / ``named_excluded`` out of a query."""
    lines = []
    for pragma, graphs in (("input:default-graph-exclude", default_excluded),
                           ("input:named-graph-exclude", named_excluded)):
        if graphs:
            lines.append(f"DEFINE {pragma} " + ", ".join(str(NamedNode(g)) for g in sorted(graphs)))
    return "".join(line + "\n" for line in lines)
