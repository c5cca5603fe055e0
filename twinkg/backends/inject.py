"""Bound values for a remote query: ``VALUES`` blocks at the start of the query's groups.

pyoxigraph binds values with ``substitutions``; the SPARQL 1.1 Protocol has nothing like it.
So the remote backend turns ``{Variable("city"): NamedNode(iri)}`` into
``VALUES ( ?city ) { ( <iri> ) }`` placed right after the ``{`` that opens each group of
the query's WHERE clause (see :func:`with_values`). The terms are serialized by pyoxigraph
(``str(term)`` escapes IRIs and literals), so a user's text is never pasted into the query.

Why the start of each group: a VALUES block joins with the group it stands in, and BIND and
FILTER inside the group see the variable only if it is bound before them; a trailing
``VALUES`` after the WHERE clause would be joined last, too late for them, and so would one
block in the outer group for a subquery with a LIMIT or a UNION branch.

Finding the groups is the query reader's (twinkg/query_inspect.py: ``ScannedQuery``, the one
lexer of SPARQL text): it skips what may contain braces or the word WHERE without meaning
it (IRIs, strings, comments, variables and prefixed names with their escapes) as Oxigraph
does.
"""

from __future__ import annotations

from twinkg.query_inspect import ScannedQuery, scanned_once


def with_values(query: str | ScannedQuery, substitutions: dict) -> str:
    """The query's text with the substitutions bound by a VALUES block in every group that
    uses them (``query``: its text, or its scan).

    pyoxigraph's substitutions replace the variable everywhere (SEP-0007): a subquery with a
    LIMIT, a UNION branch's BIND and a MINUS group all see the value. A VALUES block at the
    start of each group gives the same answers, where one block in the outer group would be
    joined only after those were evaluated without it.

    A group that never names a variable (nested groups included) gets no block for it: its
    answers are the same either way, since the block of an enclosing group binds the variable
    to the same value. Two exceptions keep pyoxigraph's answers: the WHERE group binds all of
    them (a projected variable is bound), and so does a MINUS group (pyoxigraph binds the
    variable there too, so that the MINUS shares it with its left side). Why skip the others:
    an OPTIONAL group that only looks up labels, given a block, was evaluated whole before
    its join; Oxigraph read every label in the store for each entity page (seconds at a
    million statements, instead of milliseconds)."""
    scanned = _scanned(query)
    if not substitutions:
        return scanned.text
    values = {v.value: t for v, t in substitutions.items()}
    used = scanned.variables
    where = scanned.where_group_start
    out = scanned.text
    for start, end, minus in reversed(scanned.group_spans):
        names = [name for name in values
                 if start == where or minus or any(start <= at < end and n == name for at, n in used)]
        if names:
            variables = " ".join(f"?{name}" for name in names)
            terms = " ".join(str(values[name]) for name in names)
            out = out[:start] + f" VALUES ( {variables} ) {{ ( {terms} ) }} " + out[start:]
    return out


def with_rows(query: str | ScannedQuery, *blocks: tuple[tuple, list[tuple]]) -> str:
    """The query's text with VALUES blocks of many rows, each ``(variables, rows of terms)``.

    Several blocks join as a cross product (``?item`` rows × ``?lang`` rows). The terms are
    serialized by pyoxigraph, as in :func:`with_values`; a batch of cities is one query."""
    parts = []
    for variables, rows in blocks:
        head = " ".join(str(v) for v in variables)
        body = " ".join("( " + " ".join(str(t) for t in row) + " )" for row in rows)
        parts.append(f"  VALUES ( {head} ) {{ {body} }}\n")
    scanned = _scanned(query)
    text, at = scanned.text, scanned.where_group_start
    return f"{text[:at]}\n{''.join(parts)}{text[at:]}"


def _scanned(query: str | ScannedQuery) -> ScannedQuery:
    # the texts that values are bound into are the server's own queries: each is read once
    return query if isinstance(query, ScannedQuery) else scanned_once(query)
