"""The one reader of SPARQL query text: what a query asks for beyond the plain default
dataset (FROM/FROM NAMED, SERVICE), its form, whether it is an update, whether it is too deep
for the engine, whether its answer changes from run to run, and where its WHERE group and
its other groups start (to bind values into it): read by one lexer, before the query runs.
A request scans its query once (``ScannedQuery``) and asks that object every question.

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

The tokens are twinkg/sparql_lexer.py's (where ``<`` is less-than, and where an IRI).

Volatile answers: SPARQL evaluates NOW() once per query execution and RAND(), UUID(),
STRUUID() and BNODE() at each call; the blank nodes of a CONSTRUCT template (``[]``, ``_:x``,
collections, RDF 1.2 reifiers and annotations) are fresh at each run. Such an answer is not
a stable representation: server/endpoint/answers.py neither keeps it in the response cache nor gives
it an ETag. The decision is conservative (a query wrongly called volatile only loses
caching; one wrongly called stable would be frozen): a function name counts as a word of its
own, whatever follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from twinkg.errors import TwinkgError
from twinkg.sparql_lexer import opens_collection, sparql_tokens, unescape

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


#: Without one of these words no volatile function or CONSTRUCT template is there to find.
_VOLATILE_HINT = re.compile(r"now|rand|uuid|bnode|construct", re.I)
_VOLATILE_FUNCTIONS = {"now", "rand", "uuid", "struuid", "bnode"}


class ScannedQuery:
    """A query's text, read once by the lexer, and all that is asked of it.

    Cheap questions stay cheap: the query form reads only the prologue, and a text that
    cannot hold a SERVICE, a dataset clause or a volatile function is not lexed for them.
    Everything else comes from one pass over the tokens (``_read``), done at most once."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def _reading(self) -> _Reading:
        return _read(self.text)

    @cached_property
    def shape(self) -> QueryShape:
        """The query's dataset clause and SERVICE endpoints; TwinkgError (400) if it is too
        deep or too wide for the engine."""
        text = self.text
        lowered = (unescape(text) if "\\" in text else text).lower()
        keywords = "from" in lowered or "service" in lowered
        brackets = text.count("(") + text.count("{") + text.count("[")
        # a triple pattern past the first needs a separator (, ; . /) or a group, a FILTER or a
        # blank node between it and the one before, or stands in a long collection
        separators = sum(map(text.count, ",;./{[("))
        if not keywords and brackets <= MAX_NESTING and len(text) <= MAX_OPERATORS \
                and separators < MAX_PATTERNS and not _LONG_LIST.search(text):
            return QueryShape()  # no clause to find, and too short to be too deep or too wide
        readings = [self._reading]
        if "\\u" in text or "\\U" in text:  # SPARQL 1.1's reading too: whatever either finds
            readings.append(_read(unescape(text)))
        for reading in readings:
            if reading.error is not None:
                raise reading.error
        if len(readings) == 1:
            return QueryShape(readings[0].has_dataset, readings[0].services)
        return QueryShape(any(r.has_dataset for r in readings),
                          tuple(dict.fromkeys(s for r in readings for s in r.services)))

    @cached_property
    def first_word(self) -> str | None:
        """The first keyword after the prologue (BASE and PREFIX declarations), lower-cased: the
        query form (``select``, ``ask``, ``construct``, ``describe``) or an update operation. Its
        ``\\u`` escapes are undone: SPARQL 1.1 (§19.2) reads ``\\u0049NSERT`` as ``INSERT``."""
        for kind, value, _ in sparql_tokens(self.text):
            if kind == "word":
                word = (unescape(value) if "\\" in value else value).lower()
                if word not in ("base", "prefix"):
                    return word
        return None

    @property
    def form(self) -> str | None:
        """``select``, ``ask``, ``construct`` or ``describe``; None for a text that starts otherwise."""
        return self.first_word if self.first_word in QUERY_FORMS else None

    @property
    def is_update(self) -> bool:
        """Whether the text is a SPARQL Update request: its first word after the prologue is an
        update operation (asked only of a text that did not parse as a query)."""
        return self.first_word in _UPDATE_WORDS

    @cached_property
    def volatile(self) -> bool:
        """Whether the answer may differ between two runs on the same data (see above)."""
        return bool(_VOLATILE_HINT.search(self.text)) and self._reading.volatile

    @property
    def where_group_start(self) -> int:
        """The offset just after the ``{`` that opens the query's WHERE group: the first group
        at depth 0 after the keyword ``WHERE``; without the keyword the first one, except in a
        CONSTRUCT, whose first group is the template."""
        if self._reading.where is None:
            raise TwinkgError("cannot bind parameters: the query has no WHERE group", 400)
        return self._reading.where

    @property
    def group_spans(self) -> list[tuple[int, int, bool]]:
        """``(start, end, minus)`` of every graph pattern group of the query: the offsets just
        after its ``{`` and at its ``}``, and whether it is the right side of a MINUS.

        Not groups: a CONSTRUCT template, the data block of a ``VALUES``, and the braces that
        only wrap a subquery (``{ SELECT … }`` may hold nothing else)."""
        self.where_group_start  # noqa: B018 - no groups without a WHERE group: the same 400
        return sorted(self._reading.spans)

    @property
    def variables(self) -> list[tuple[int, str]]:
        """Offsets and names (without ``?``/``$``) of the variables the query names: where
        Oxigraph reads an IRI lookalike as code, those in it too."""
        return self._reading.variables


@lru_cache(maxsize=256)
def scanned_once(text: str) -> ScannedQuery:
    """The scan of a text the server sends again and again (the canned and page queries the
    remote store binds values into): read once per process. Not for users' texts, which
    may be large and differ each time."""
    return ScannedQuery(text)


def inspect_query(text: str) -> QueryShape:
    """The query's dataset clause and SERVICE endpoints; TwinkgError (400) if it is too deep."""
    return ScannedQuery(text).shape


def query_form(text: str) -> str | None:
    return ScannedQuery(text).form


def is_update(text: str) -> bool:
    return ScannedQuery(text).is_update


@dataclass
class _Reading:
    """What one pass over a query's tokens found (see ``ScannedQuery``)."""
    has_dataset: bool = False
    services: tuple[str | None, ...] = ()
    #: The 400 for a query too deep or too wide, raised when its shape is asked for.
    error: TwinkgError | None = None
    volatile: bool = False
    where: int | None = None
    spans: list[tuple[int, int, bool]] = field(default_factory=list)
    variables: list[tuple[int, str]] = field(default_factory=list)


class _Groups:
    """Finds the WHERE group and the graph pattern groups (``ScannedQuery.group_spans``)
    while the tokens go by."""

    def __init__(self, reading: _Reading):
        self.reading = reading
        self.depth = 0
        self.form = None
        self.after_where = False
        self.templates = 0  # groups at depth 0 before the WHERE group (a CONSTRUCT template)
        self.opened: list[list | None] = []  # per open brace: [start, minus], None if not a group
        self.data_block = False
        self.just_opened: list | None = None  # a group that a SELECT right after it makes a wrapper

    def see(self, kind: str, value: str, start: int, prev_kind, prev_value) -> None:
        if self.just_opened is not None:
            if kind == "word" and value.lower() == "select":
                self.opened[-1] = None
            self.just_opened = None
        if kind == "word":
            word = value.lower()
            if self.depth == 0 and self.form is None and word in QUERY_FORMS:
                self.form = word
            elif self.depth == 0 and word == "where":
                self.after_where = True
            elif word == "values":
                self.data_block = True
        elif kind == "open" and value == "{":
            self._open(start, prev_kind == "word" and prev_value.lower() == "minus")
        elif kind == "close" and value == "}":
            self.depth -= 1
            group = self.opened.pop() if self.opened else None
            if group is not None:
                self.reading.spans.append((group[0], start, group[1]))

    def _open(self, start: int, minus: bool) -> None:
        reading = self.reading
        if self.depth == 0 and reading.where is None:
            if self.after_where or not (self.form == "construct" and self.templates == 0):
                reading.where = start + 1
            else:
                self.templates += 1
        self.depth += 1
        if reading.where is None or self.data_block:  # the template (before the WHERE group) or data
            self.data_block = False
            self.opened.append(None)
            return
        group = [start + 1, minus]
        self.opened.append(group)
        self.just_opened = group


class _Template:
    """Whether a CONSTRUCT template makes fresh blank nodes, while the tokens go by: ``[``,
    ``_:x``, a collection ``(``, a reified triple ``<<``, a reifier ``~``, an annotation
    ``{|``; a triple term ``<<( … )>>`` has none of its own."""

    def __init__(self):
        self.state = None  # "construct", "short" (CONSTRUCT WHERE), "in", "done"
        self.depth = 0
        self.less = 0  # "<" operators just before

    def see(self, kind: str, value: str) -> bool:
        """True if this token makes a blank node in the template."""
        if self.state in (None, "done"):
            if self.state is None and kind == "word" and value.lower() == "construct":
                self.state = "construct"
            return False
        if self.state in ("construct", "short"):
            if kind == "word" and value.lower() == "where" and self.state == "construct":
                self.state = "short"
            elif kind == "open" and value == "{":
                self.state, self.depth = "in", 1
            else:
                self.state = "done"
            return False
        less, self.less = self.less, 0
        if kind == "op" and value == "<":
            self.less = less + 1
            return False
        if less:  # "<<(": a triple term; any other "<" in a template starts a reified triple
            return not (less >= 2 and kind == "open" and value == "(")
        if kind == "open":
            if value == "{":
                self.depth += 1
                return True  # the only group in a template: an annotation {| … |}
            return True  # [ or (
        if kind == "close" and value == "}":
            self.depth -= 1
            if self.depth == 0:
                self.state = "done"
            return False
        return (kind == "pname" and value.startswith("_:")) or value == "~"


def _read(text: str) -> _Reading:
    reading = _Reading()
    groups = _Groups(reading)
    template = _Template()
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
    pattern_groups: list[list] = []
    prev_kind = prev_value = before_prev = None
    template_ahead = "construct" in text.lower()  # else no template: not asked per token
    for kind, value, start in sparql_tokens(text):
        if kind == "var":
            reading.variables.append((start, value[1:]))
        elif kind == "word" and value.lower() in _VOLATILE_FUNCTIONS:
            reading.volatile = True
        # IRIs and variables, most of a long text, tell the groups nothing but "no SELECT next"
        if (kind != "iri" and kind != "var") or groups.just_opened is not None:
            groups.see(kind, value, start, prev_kind, prev_value)
        if template_ahead and template.see(kind, value):
            reading.volatile = True
        if values_depth is None:
            tokens += 1
            patterns += _count_patterns(pattern_groups, kind, value, prev_kind, prev_value, before_prev)
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
    reading.has_dataset, reading.services = has_dataset, tuple(services)
    if deepest > MAX_NESTING:
        reading.error = TwinkgError(f"the query nests {deepest} levels deep; the limit is {MAX_NESTING}", 400)
    elif tokens > MAX_TOKENS:
        reading.error = TwinkgError(f"the query has {tokens} tokens outside VALUES data; the limit is {MAX_TOKENS}", 400)
    elif operators > MAX_OPERATORS:
        reading.error = TwinkgError(f"the query has {operators} operators; the limit is {MAX_OPERATORS}", 400)
    elif patterns > MAX_PATTERNS:
        reading.error = TwinkgError(f"the query has {patterns} triple patterns (objects, property path steps, "
                                    f"collection elements, VALUES blocks); the limit is {MAX_PATTERNS}", 400)
    return reading


def _count_patterns(groups: list[list], kind: str, value: str, prev_kind, prev_value, before_prev) -> int:
    """How many triple patterns this token adds (see MAX_PATTERNS), keeping ``groups``."""
    top = groups[-1] if groups else None
    in_pattern = top is not None and top[0] in "{["
    if kind == "open":
        if value == "(":
            collection = opens_collection(top and top[0], prev_kind, prev_value, before_prev)
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
