"""What a query asks for beyond the plain default dataset: FROM/FROM NAMED, SERVICE, updates.

pyoxigraph parses and runs queries but exposes no parsed query, so rdflib's SPARQL parser
(a real parser: comments, strings, IRIs and nesting are handled) tells what a query contains.
It costs 15-60 ms, so it runs only when the query text, after SPARQL's codepoint escapes
(``\\u0053ERVICE`` is ``SERVICE``: escapes are undone before parsing, SPARQL 1.1 §19.2), has
the word ``FROM`` or ``SERVICE`` outside comments, strings, IRIs, variables and prefixed
names; otherwise the query can have neither clause (a ``?from`` variable or a comment saying
"counted from" used to cost a parse on every distinct query).
If rdflib cannot parse a query that Oxigraph accepts (Oxigraph has extensions), the answer
errs on the safe side: a SERVICE keyword outside comments, strings and IRIs is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Comments, strings (long and short, both quotes) and IRIs, for the fallback scan only.
_NOT_CODE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                       r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                       r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*')
_SERVICE_WORD = re.compile(r"(?<![\w?$:])service(?![\w:])", re.IGNORECASE)
_FROM_WORD = re.compile(r"(?<![\w?$:])from(?![\w:])", re.IGNORECASE)


@dataclass(frozen=True)
class QueryShape:
    #: The query names its own dataset (FROM / FROM NAMED).
    has_dataset: bool = False
    #: SERVICE endpoints; None stands for one that is not a constant IRI (a variable, or unknown).
    services: tuple[str | None, ...] = field(default_factory=tuple)


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


@lru_cache(maxsize=1024)  # the same texts come again (editor tabs, scripts in loops)
def inspect_query(text: str) -> QueryShape:
    plain = unescape(text)
    lowered = plain.lower()
    if "from" not in lowered and "service" not in lowered:
        return QueryShape()
    code = _NOT_CODE.sub(" ", plain)
    has_from, has_service = bool(_FROM_WORD.search(code)), bool(_SERVICE_WORD.search(code))
    if not (has_from or has_service):  # the words only in comments, strings, IRIs or names
        return QueryShape()
    try:
        parsed = parseQuery(plain)
    except Exception:  # rdflib's grammar is narrower than Oxigraph's: the scan decides
        return QueryShape(has_from, (None,) if has_service else ())
    prefixes, base = {}, ""
    has_dataset, services = False, []
    for node in _walk(parsed):
        if node.name == "PrefixDecl":
            prefixes[str(node.get("prefix") or "")] = str(node["iri"])
        elif node.name == "Base":
            base = str(node["iri"])
        elif node.name == "DatasetClause":
            has_dataset = True
        elif node.name == "ServiceGraphPattern":
            services.append(_resolve(node["term"], prefixes, base))
    return QueryShape(has_dataset, tuple(services))


def _resolve(term, prefixes: dict[str, str], base: str) -> str | None:
    if isinstance(term, Variable):
        return None
    if isinstance(term, URIRef):
        from urllib.parse import urljoin
        return urljoin(base, str(term)) if base else str(term)
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = str(term.get("prefix") or "")
        if prefix in prefixes:
            return prefixes[prefix] + str(term.get("localname") or "")
    return None


def _walk(node):
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            yield from _walk(value)


def is_update(text: str) -> bool:
    """True if ``text`` parses as SPARQL Update (called only when it did not parse as a query)."""
    try:
        parseUpdate(unescape(text))
    except Exception:
        return False
    return True
