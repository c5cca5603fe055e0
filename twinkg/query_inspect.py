"""What a query asks for beyond the plain default dataset (FROM/FROM NAMED, SERVICE), whether
it is an update, and whether it is too deep for the engine: read by a lexer, before the
query runs.

pyoxigraph parses and runs queries but exposes no parsed query. A SERVICE clause calls out
to another host, so the allow-list must see every SERVICE that Oxigraph will call, and never
less: the lexer reads the text as Oxigraph's does (comments to the end of a line, ``\\r`` or
``\\n``; strings with their escapes, ``\\u0022`` included, which does not end one; IRIs with
``\\u`` escapes; escapes in prefixed names such as ``ex:p\\#x``, where ``#`` is no comment).
Oxigraph (0.5) undoes ``\\u`` escapes only inside strings and IRIs, SPARQL 1.1 (§19.2)
everywhere: where a text has such an escape it is read both ways, and the answer takes
every clause either reading finds. An endpoint that is not a constant absolute IRI (a
variable, a relative IRI, a prefixed name whose prefix is not declared) is None, which the
allow-list refuses.

The engine recurses on nesting and on chains of operators, and a deep enough query
overflows the thread's stack, which ends the whole server process: such queries are refused
here (400) before they run, and users' queries run on threads with a large stack
(``QUERY_STACK_BYTES``). A text with neither the word ``from`` nor ``service``, and with few
brackets and operators, needs no lexing at all: the common case costs a few scans in C.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from twinkg.errors import TwinkgError

#: Brackets deeper than this are refused (the engine overflowed an 8 MiB stack at ~3,000).
MAX_NESTING = 1000
#: Operators (UNION, OPTIONAL, MINUS, ||, &&, +, -, *, /, |, !, comparisons, and commas, which
#: chain objects and arguments) outside VALUES data, in all.
MAX_OPERATORS = 20000
#: Tokens outside VALUES data (a collection of ~130,000 elements overflowed the query stack).
MAX_TOKENS = 100000
#: Triple patterns that the engine joins, in all: each object (``?s ?p 1, 2`` is two), each
#: step of a sequence path (``<a>/<b>``), each element of a collection, each VALUES block.
#: Oxigraph's join planner takes time that grows with about the fourth power of their number,
#: whether they share a group or not (nested groups and FILTERs are flattened first): on an
#: idle machine 64 took 0.1-0.2 s, 100 took 0.5-1.2 s, 128 1.4-5.6 s, 200 7.5 s or more (a
#: list of 300 objects took 42 s); a path of 400 steps 2.8 s. CONSTRUCT templates do not count.
MAX_PATTERNS = 100
#: The stack of a thread that runs users' queries: with it, chains far longer than
#: MAX_OPERATORS and nesting far deeper than MAX_NESTING were answered in tests.
QUERY_STACK_BYTES = 256 << 20

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    r'(?P<comment>#[^\r\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\')'
    rf'|(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)'
    r'|(?P<var>[?$]\w+)'
    r'|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)'
    # a prefixed name, its local part with escapes (\#, \., ...) and %-escapes
    r'|(?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%\-.]|\\.)*)'
    rf'|(?P<word>(?:\w|{_UCHAR}|\\.)+)'
    r'|(?P<op>\|\||&&|!=|<=|>=|[+\-*/|^=<>!,])'
    r'|(?P<open>[({\[])|(?P<close>[)}\]])'
    r'|(?P<other>\S)')
#: Characters of operators, and how many of them an IRI may hold without counting (slashes).
_OPERATOR_CHARS = "+-*/|^=!&,"
_IRI_OPERATOR_CHARS = 16
#: Keywords that chain graph patterns, as binary operators chain expressions.
_CHAINING = {"union", "optional", "minus"}
#: The first keyword of each query form.
QUERY_FORMS = ("select", "ask", "construct", "describe")
#: Words that are not terms of a triple pattern where one may stand (group keywords, and the
#: words of a subquery's projection).
_PATTERN_KEYWORDS = {"filter", "bind", "optional", "minus", "union", "graph", "service", "silent",
                     "values", "select", "distinct", "reduced", "where", "as", "exists", "not",
                     "from", "named", "group", "order", "by", "having", "limit", "offset", "undef"}
#: A parenthesis holding many items and no comma: maybe a long collection (each element is a
#: triple pattern); such a text is lexed to count them.
_LONG_LIST = re.compile(r"\((?:[^(),]*?\s){%d}" % (MAX_PATTERNS // 2))
_UPDATE_WORDS = {"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"}


@dataclass(frozen=True)
class QueryShape:
    #: The query names its own dataset (FROM / FROM NAMED).
    has_dataset: bool = False
    #: SERVICE endpoints; None stands for one that is not a constant IRI (a variable, or unknown).
    services: tuple[str | None, ...] = field(default_factory=tuple)


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def inspect_query(text: str) -> QueryShape:
    """The query's dataset clause and SERVICE endpoints; TwinkgError (400) if it is too deep."""
    lowered = (unescape(text) if "\\" in text else text).lower()
    keywords = "from" in lowered or "service" in lowered
    brackets = text.count("(") + text.count("{") + text.count("[")
    # a triple pattern past the first needs a separator (, ; . /) or a group, a FILTER or a
    # blank node between it and the one before, or stands in a long collection
    separators = sum(map(text.count, ",;./{[("))
    if not keywords and brackets <= MAX_NESTING and len(text) <= MAX_OPERATORS \
            and separators < MAX_PATTERNS and not _LONG_LIST.search(text):
        return QueryShape()  # no clause to find, and too short to be too deep or too wide
    shape = _read(text)
    if "\\u" in text or "\\U" in text:  # SPARQL 1.1's reading too: whatever either finds
        other = _read(unescape(text))
        shape = QueryShape(shape.has_dataset or other.has_dataset,
                           tuple(dict.fromkeys(shape.services + other.services)))
    return shape


def first_word(text: str) -> str | None:
    """The first keyword after the prologue (BASE and PREFIX declarations), lower-cased: the
    query form (``select``, ``ask``, ``construct``, ``describe``) or an update operation. Its
    ``\\u`` escapes are undone: SPARQL 1.1 (§19.2) reads ``\\u0049NSERT`` as ``INSERT``."""
    for kind, value in _tokens(text):
        if kind == "word":
            word = (unescape(value) if "\\" in value else value).lower()
            if word not in ("base", "prefix"):
                return word
    return None


def query_form(text: str) -> str | None:
    """``select``, ``ask``, ``construct`` or ``describe``; None for a text that starts otherwise."""
    word = first_word(text)
    return word if word in QUERY_FORMS else None


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update request: its first word after the prologue is an
    update operation (asked only of a text that did not parse as a query)."""
    return first_word(text) in _UPDATE_WORDS


def _tokens(text: str):
    for m in _TOKEN.finditer(text):
        if m.lastgroup != "comment":
            yield m.lastgroup, m.group()


def _read(text: str) -> QueryShape:
    prefixes: dict[str, str | None] = {}
    has_dataset = False
    services: list[str | None] = []
    depth = deepest = operators = 0
    values_depth = None  # the depth of the VALUES data block we are in (its operators are signs)
    expect = None  # what the previous words announced: "prefix", "prefix-iri", "service"
    pending_prefix = ""
    values_next = False
    pending_service: str | None = None
    prefixes_known = True  # False once a PREFIX run into its name ("PREFIXp:") is seen
    tokens = 0  # outside VALUES data: collections recurse on their elements
    # Triple patterns: a stack of open brackets, each [kind, terms of the triple being read]
    # where kind is "{" or "[" (triple patterns), "(" (an expression or argument list), "c"
    # (a collection) or "t" (a CONSTRUCT template); a triple counts at its third term
    patterns = 0
    groups: list[list] = []
    prev_kind = prev_value = before_prev = None
    for kind, value in _tokens(text):
        if values_depth is None:
            tokens += 1
            patterns += _count_patterns(groups, kind, value, prev_kind, prev_value, before_prev)
        prev_kind, prev_value, before_prev = kind, value, (prev_value.lower() if prev_kind == "word" else None)
        if expect in ("prefix", "prefix-iri") and kind in ("open", "close", "op"):
            expect = None
        if expect == "service-brace":  # a keyword run into its endpoint (SERVICE:b {…})?
            if kind == "open" and value == "{":
                services.append(pending_service)
            expect = None
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if values_next and value == "{":
                values_depth, values_next = depth, False
            if expect == "service":
                services.append(None)  # SERVICE ( … or SERVICE { …: nothing we can check
                expect = None
            continue
        if kind == "close":
            if values_depth is not None and depth == values_depth:
                values_depth = None
            depth = max(depth - 1, 0)
            continue
        if kind == "op":
            if values_depth is None:
                operators += 1
            continue
        if kind == "iri" and values_depth is None:
            # Where Oxigraph reads '<' as less-than ("1<((((1))))>0"), what looks like an IRI
            # here is code to it: its brackets count, and its operators beyond an IRI's share
            inner = value[1:-1]
            if "(" in inner or "[" in inner:
                level = 0
                for char in inner:
                    if char in "([":
                        level += 1
                        deepest = max(deepest, depth + level)
                    elif char in ")]":
                        level = max(level - 1, 0)
                depth += level  # unclosed inside: open outside, for Oxigraph
            operators += max(0, sum(map(inner.count, _OPERATOR_CHARS)) - _IRI_OPERATOR_CHARS)
        if kind == "iri" and ("(" in value or ")" in value):
            # an IRI lookalike where Oxigraph reads '<' as less-than hides code from us
            inside = unescape(value).lower()
            if "service" in inside:
                services.append(None)
            if "from" in inside:
                has_dataset = True
        word = value.lower() if kind == "word" else None
        if word == "values":
            values_next = True
        elif word in _CHAINING:
            operators += 1
        if expect == "service":
            if word == "silent":
                continue
            silent_glued = kind == "pname" and value.lower().startswith("silent")  # SILENT:x
            services.append(_iri(value) if kind == "iri" else
                            _pname(value, prefixes) if kind == "pname" and prefixes_known
                            and not silent_glued else None)
            expect = None
            continue
        if expect == "prefix":
            pending_prefix, expect = (value[:-1], "prefix-iri") if kind == "pname" and value.endswith(":") \
                else ("", None)
            continue
        if expect == "prefix-iri":
            if kind == "iri":
                prefixes[pending_prefix] = _iri(value)
            expect = None
            continue
        # Oxigraph's parser has no separate lexer: a keyword may run into what follows it
        # ("SERVICESILENT <x> {", "SERVICE:b {", "FROMNAMED<g>", "FROM:g")
        glued = value.lower() if kind in ("word", "pname") else ""
        if word == "prefix":
            expect = "prefix"
        elif word in ("service", "servicesilent"):
            expect = "service"
        elif word == "from" or (depth == 0 and glued.startswith("from")):
            has_dataset = True
        elif (glued.startswith("prefix") and glued != "prefix") or glued.startswith("base"):
            prefixes_known = False  # a declaration run into its name: which prefix, unknown
        elif (kind == "word" and "service" in glued) or \
                (kind == "pname" and "service" in glued.partition(":")[0] and not glued.startswith("service")):
            services.append(None)  # "1SERVICE<x>", "trueSERVICE…": a keyword run into a value
        elif kind == "pname" and depth > 0 and glued.startswith("service"):
            rest = value[len("service"):]
            rest = rest[len("silent"):] if rest.lower().startswith("silent") else rest
            pending_service = _pname(rest, prefixes) if prefixes_known else None
            expect = "service-brace"
        elif word is not None and "\\" in value:  # an escaped word: maybe a keyword, unknown
            if "service" in unescape(value).lower():
                services.append(None)
            if "from" in unescape(value).lower():
                has_dataset = True
    if expect == "service":
        services.append(None)
    if deepest > MAX_NESTING:
        raise TwinkgError(f"the query nests {deepest} levels deep; the limit is {MAX_NESTING}", 400)
    if tokens > MAX_TOKENS:
        raise TwinkgError(f"the query has {tokens} tokens outside VALUES data; the limit is {MAX_TOKENS}", 400)
    if operators > MAX_OPERATORS:
        raise TwinkgError(f"the query has {operators} operators; the limit is {MAX_OPERATORS}", 400)
    if patterns > MAX_PATTERNS:
        raise TwinkgError(f"the query has {patterns} triple patterns (objects, property path steps, "
                          f"collection elements, VALUES blocks); the limit is {MAX_PATTERNS}", 400)
    return QueryShape(has_dataset, tuple(services))


def _count_patterns(groups: list[list], kind: str, value: str, prev_kind, prev_value, before_prev) -> int:
    """How many triple patterns this token adds (see MAX_PATTERNS), keeping ``groups``."""
    top = groups[-1] if groups else None
    in_pattern = top is not None and top[0] in "{["
    if kind == "open":
        if value == "(":
            function = prev_kind == "word" or (prev_kind in ("iri", "pname") and before_prev == "filter")
            collection = (in_pattern or (top is not None and top[0] == "c")) and not function
            groups.append(["c" if collection else "(", 0])
        elif value == "{" and prev_kind == "word" and prev_value.lower() == "construct":
            groups.append(["t", 0])
        else:
            if in_pattern and value == "{":
                top[1] = 0
            groups.append([value, 1 if value == "[" else 0])  # [ … ]: its subject is implicit
        return 0
    if kind == "close":
        closed = groups.pop() if groups else None
        if groups and groups[-1][0] in "{[":
            if closed is not None and closed[0] in "[c":
                return _term(groups[-1])  # a blank node or a collection is a term here
            groups[-1][1] = 0
        return 0
    if top is not None and top[0] == "c":
        return 1 if kind in ("var", "iri", "pname", "string", "word") else 0
    if not in_pattern:
        return 0
    if kind in ("var", "iri", "pname", "string"):
        return _term(top)
    if kind == "word":
        word = value.lower()
        if word == "values":
            top[1] = 0
            return 1
        if word in _PATTERN_KEYWORDS or (prev_kind == "word" and prev_value.lower() == "filter"):
            top[1] = 0
            return 0
        return _term(top)
    if value == ".":
        top[1] = 0
    elif value == ",":
        return 1
    elif value == ";":
        top[1] = 1
    elif value in "/|":  # the next step is no new term of the triple; a sequence is a join
        top[1] -= 1
        return 1 if value == "/" else 0
    return 0


def _term(group: list) -> int:
    group[1] += 1
    return 1 if group[1] == 3 else 0


def _iri(token: str) -> str | None:
    """The IRI of ``<…>`` if it is absolute; a relative one is None (refused): resolving it
    against BASE as Oxigraph does (which keeps './' and '//', where urljoin drops them) is
    not worth the risk of reporting another endpoint than the one called."""
    iri = unescape(token[1:-1])
    return iri if _SCHEME.match(iri) else None


def _pname(token: str, prefixes: dict[str, str | None]) -> str | None:
    prefix, _, local = token.partition(":")
    if prefixes.get(prefix) is None:  # undeclared, or declared with a relative IRI
        return None
    # PN_LOCAL escapes stand for the character itself; %-escapes stay as written (SPARQL 1.1 §19.5)
    return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
