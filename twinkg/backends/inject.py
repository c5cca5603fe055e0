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

Finding the groups: a small tokenizer walks the text and skips what may contain braces or
the word WHERE without meaning it: IRIs ``<…>``, string literals (all four quote forms),
``#`` comments, variables and prefixed names. The WHERE group is the first group at nesting
depth 0 that follows the keyword ``WHERE``; without the keyword (``SELECT * { … }``,
``ASK { … }``) it is the first depth-0 group, except in a CONSTRUCT, whose first group is the
template.
"""

from __future__ import annotations

import re

from twinkg.errors import TwinkgError

# An IRI as SPARQL's IRIREF allows it; a lone "<" (less-than) does not match.
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_STRING = r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
# Variables (?where) and prefixed names (where:x, ex:WHERE) are skipped whole: only a bare
# word can be the keyword.
_NAME = r"[?$]\w+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*"
_TOKEN = re.compile(rf"(?P<skip>{_IRI}|{_STRING}|#[^\n]*|{_NAME})|(?P<brace>[{{}}])|(?P<word>[A-Za-z_]+)", re.S)


def where_group_start(text: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE group."""
    depth = 0
    form = None
    after_where = False
    groups_seen = 0
    for m in _TOKEN.finditer(text):
        if m.group("skip"):
            continue
        if word := m.group("word"):
            upper = word.upper()
            if depth == 0 and form is None and upper in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}:
                form = upper
            elif depth == 0 and upper == "WHERE":
                after_where = True
            continue
        if m.group("brace") == "{":
            if depth == 0:
                if after_where or not (form == "CONSTRUCT" and groups_seen == 0):
                    return m.end()
                groups_seen += 1
            depth += 1
        else:
            depth -= 1
    raise TwinkgError("cannot bind parameters: the query has no WHERE group", 400)


def group_spans(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, minus)`` of every graph pattern group of the query: the offsets just
    after its ``{`` and at its ``}``, and whether it is the right side of a MINUS.

    Not groups: a CONSTRUCT template, the data block of a ``VALUES``, and the braces that
    only wrap a subquery (``{ SELECT … }`` may hold nothing else)."""
    where = where_group_start(text)
    spans = []
    opened: list[tuple[int, bool] | None] = []  # per open brace: (start, minus), None if not a group
    data_block = False
    previous = None  # the word just before a brace, upper-cased
    for m in _TOKEN.finditer(text):
        if m.group("skip"):
            previous = None
            continue
        if word := m.group("word"):
            if word.upper() == "VALUES":
                data_block = True
            previous = word.upper()
            continue
        after, previous = previous, None
        if m.group("brace") == "}":
            group = opened.pop() if opened else None
            if group is not None:
                spans.append((group[0], m.start(), group[1]))
            continue
        if m.start() < where - 1 or data_block:  # the template (before the WHERE group) or data
            data_block = False
            opened.append(None)
            continue
        following = _TOKEN.search(text, m.end())
        if following and following.group("word") and following.group("word").upper() == "SELECT":
            opened.append(None)
            continue
        opened.append((m.end(), after == "MINUS"))
    return sorted(spans)


def _variables(text: str) -> list[tuple[int, str]]:
    """Offsets and names (without ``?``/``$``) of the variables in the query's text."""
    return [(m.start(), m.group("skip")[1:]) for m in _TOKEN.finditer(text)
            if m.group("skip") and m.group("skip")[0] in "?$"]


def with_values(text: str, substitutions: dict) -> str:
    """``text`` with the substitutions bound by a VALUES block in every group that uses them.

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
    if not substitutions:
        return text
    values = {v.value: t for v, t in substitutions.items()}
    used = _variables(text)
    where = where_group_start(text)
    out = text
    for start, end, minus in reversed(group_spans(text)):
        names = [name for name in values
                 if start == where or minus or any(start <= at < end and n == name for at, n in used)]
        if names:
            variables = " ".join(f"?{name}" for name in names)
            terms = " ".join(str(values[name]) for name in names)
            out = out[:start] + f" VALUES ( {variables} ) {{ ( {terms} ) }} " + out[start:]
    return out


def with_rows(text: str, *blocks: tuple[tuple, list[tuple]]) -> str:
    """``text`` with VALUES blocks of many rows, each ``(variables, rows of terms)``.

    Several blocks join as a cross product (``?item`` rows × ``?lang`` rows). The terms are
    serialized by pyoxigraph, as in :func:`with_values`; a batch of cities is one query."""
    parts = []
    for variables, rows in blocks:
        head = " ".join(str(v) for v in variables)
        body = " ".join("( " + " ".join(str(t) for t in row) + " )" for row in rows)
        parts.append(f"  VALUES ( {head} ) {{ {body} }}\n")
    at = where_group_start(text)
    return f"{text[:at]}\n{''.join(parts)}{text[at:]}"
