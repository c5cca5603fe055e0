"""Queries whose answer differs from one run to the next, on the same data.

SPARQL evaluates NOW() once per query execution and RAND(), UUID(), STRUUID() and BNODE() at
each call; the blank nodes of a CONSTRUCT template (``[]``, ``_:x``, collections, RDF 1.2
reifiers) are fresh at each run, so their labels change. Such an answer is not a stable
representation: server/answers.py neither keeps it in the response cache nor gives it an ETag.

``is_volatile`` decides from the query text, conservatively (a query wrongly called volatile
only loses caching; one wrongly called stable would be frozen): a function name counts as a
word outside strings, IRIs and comments, whatever follows it. The scan is two regular
expression passes, linear in the text. (twinkg/query_inspect.py's lexer, written at the same
time, could serve both; not merged yet.)

The one place where SPARQL's tokens are ambiguous is ``<``: ``?a<?b&&NOW()>?c`` holds an
IRIREF token, but Oxigraph (a scannerless parser) reads it as two comparisons. The text is
therefore read a second time with ``<`` never starting an IRI, where a function name
followed by ``(`` (a call) counts too.
"""

from __future__ import annotations

import re

#: Without one of these words nothing below can match: most queries stop here.
_HINT = re.compile(r"now|rand|uuid|bnode|construct")
_FUNCTION_NAME = re.compile(r"now|rand|struuid|uuid|bnode")

# Comments, strings (long ones first) and SPARQL's IRIREF (with the \u escapes Oxigraph reads
# in IRIs), written so that the engine takes each in one sweep (a 1 MB query: ~20 ms).
_COMMENTS_AND_STRINGS = (r"\#[^\n\r]*"
                         r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
                         r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                         r'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"'
                         r"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'")
_IRI_CHARS = r"""[^<>"{}|^`\\\x00-\x20]*"""
_IRI = rf"|<{_IRI_CHARS}(?:\\u[0-9a-f]{{4}}{_IRI_CHARS})*>"  # \U…: \u and 4 more hex digits
_NOT_CODE = re.compile(_COMMENTS_AND_STRINGS + _IRI)
_NOT_CODE_NO_IRIS = re.compile(_COMMENTS_AND_STRINGS)

_OPENING_PAREN = re.compile(r"\s*\(")
_CONSTRUCT = re.compile(r"(?<![\w:?$])construct(?![\w:])")
#: The end of a template: its "}" (a "|}" closes an RDF 1.2 annotation inside it).
_TEMPLATE_END = re.compile(r"(?<!\|)\}")
#: An RDF 1.2 triple term: no blank node of its own.
_TRIPLE_TERM = re.compile(r"<<\(|\)>>")
#: What makes a fresh blank node in a template: [] and [ … ], _:label, a collection ( … ),
#: a reified triple << … >>, a reifier ~ and an annotation {| … |}.
_FRESH_BLANK_NODE = re.compile(r"\[|_:|\(|<<|~|\{\|")


def is_volatile(text: str) -> bool:
    """Whether ``text``'s answer may differ between two runs on the same data."""
    text = text.lower()  # SPARQL's keywords and function names are case-insensitive
    if not _HINT.search(text):
        return False
    code = _NOT_CODE.sub(" ", text)
    if _calls_a_function(code) or _template_has_blank_nodes(code):
        return True
    return bool(_FUNCTION_NAME.search(text)) and _calls_a_function(_NOT_CODE_NO_IRIS.sub(" ", text), call=True)


def _calls_a_function(code: str, call: bool = False) -> bool:
    """A volatile function's name in ``code``, as a word of its own: not part of a variable
    (?now), a prefixed name (ex:now, now:x) or a longer word; with ``call``, followed by "("."""
    for match in _FUNCTION_NAME.finditer(code):
        start, end = match.span()
        before = code[start - 1] if start else " "
        after = code[end:end + 1]
        if before.isalnum() or before in "_:?$" or after.isalnum() or after in ("_", ":"):
            continue
        if not call or _OPENING_PAREN.match(code, end):
            return True
    return False


def _template_has_blank_nodes(code: str) -> bool:
    """``code`` (the query without comments, strings and IRIs) is a CONSTRUCT whose template
    (``{ … }``, or in the short form ``CONSTRUCT WHERE { … }`` the pattern) makes blank nodes."""
    construct = _CONSTRUCT.search(code)
    if construct is None:
        return False
    end = _TEMPLATE_END.search(code, construct.end())
    template = code[construct.end():end.start() if end else len(code)]
    return bool(_FRESH_BLANK_NODE.search(_TRIPLE_TERM.sub(" ", template)))
