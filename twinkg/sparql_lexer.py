"""SPARQL query text as Oxigraph reads it, token by token: the one lexer of the project
(twinkg/query_inspect.py asks it every question about a query).

Comments run to the end of a line (``\\r`` or ``\\n``); strings keep their escapes
(``\\u0022`` does not end one); IRIs may hold ``\\u`` escapes; prefixed names hold escapes
such as ``ex:p\\#x``, where ``#`` is no comment.

The one place where SPARQL's tokens are ambiguous is ``<``: ``?a<?b&&NOW()>?c`` holds an
IRIREF token, but Oxigraph (a scannerless parser) reads two comparisons, and in
``?x<?y&&'a>'=?z`` the quote after ``a>`` opens a string for it. So where an expression
expects an operator (after a term, inside a parenthesis that is no collection) ``<`` is
less-than, and the lexer reads on right after it.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    r'(?P<comment>#[^\r\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\')'
    # an IRI: its characters, and \u escapes between runs of them (one sweep for the engine)
    rf'|(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*(?:(?:{_UCHAR})[^<>"{{}}|^`\\\x00-\x20]*)*>)'
    r'|(?P<var>[?$]\w+)'
    r'|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)'
    # a prefixed name, its local part with escapes (\#, \., ...) and %-escapes
    r'|(?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%\-.]|\\.)*)'
    rf'|(?P<word>(?:\w|{_UCHAR}|\\.)+)'
    r'|(?P<op>\|\||&&|!=|<=|>=|[+\-*/|^=<>!,])'
    r'|(?P<open>[({\[])|(?P<close>[)}\]])'
    r'|(?P<other>\S)')


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


#: Tokens after which an expression expects an operator: there ``<`` is less-than.
_TERM_ENDS = {"var", "string", "lang", "iri", "pname"}


def _ends_term(kind: str | None, value: str | None) -> bool:
    if kind in _TERM_ENDS or (kind == "close" and value == ")"):
        return True
    return kind == "word" and (value[0].isdigit() or value.lower() in ("true", "false"))


def opens_collection(top: str | None, prev_kind, prev_value, before_prev) -> bool:
    """Whether a ``(`` opens a collection (its elements are terms of triple patterns) rather
    than an expression or an argument list: it stands in a group or a collection and follows
    no function name (a keyword, or an IRI after FILTER)."""
    function = prev_kind == "word" or (prev_kind in ("iri", "pname") and before_prev == "filter")
    return top is not None and top in "{[c" and not function


def sparql_tokens(text: str):
    """``(kind, value, offset)`` of each token of ``text`` but comments, as Oxigraph reads
    them: an IRI lookalike where an expression expects an operator is a less-than (see the
    module's docstring), and the text is read on from right after it."""
    brackets: list[str] = []  # "(" expression, "c" collection, "{", "["
    prev_kind = prev_value = before_prev = None
    matches = _TOKEN.finditer(text)
    while matches is not None:
        for m in matches:
            kind = m.lastgroup
            if kind == "comment":
                continue
            value, start = m.group(), m.start()
            relex = kind == "iri" and brackets and brackets[-1] == "(" and _ends_term(prev_kind, prev_value)
            if relex:
                kind, value = "op", "<=" if text.startswith("<=", start) else "<"
            elif kind == "open":
                top = brackets[-1] if brackets else None
                brackets.append("c" if value == "(" and opens_collection(top, prev_kind, prev_value, before_prev)
                                else value)
            elif kind == "close" and brackets:
                brackets.pop()
            yield kind, value, start
            before_prev = prev_value.lower() if prev_kind == "word" else None
            prev_kind, prev_value = kind, value
            if relex:
                matches = _TOKEN.finditer(text, start + len(value))
                break
        else:
            matches = None
