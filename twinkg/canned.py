"""Canned queries: ``queries/<name>.rq`` files whose header comments describe them.

Header lines at the top of the file::

    # title: Partner cities
    # description: Mülheim's partner cities with kind and start year.
    # param: year (xsd:integer, default 2025): the year in which the anniversary falls
    # param: city (iri, default id/city/muelheim): the city whose partners are listed

An IRI default without a scheme is relative to the dataset's base IRI (the one the store was
loaded with), so the defaults name the same entities whatever the base.

Parameters are SPARQL variables of the query; values given by users are parsed into RDF
terms of the declared type and bound with pyoxigraph's ``substitutions``, never pasted
into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files

from pyoxigraph import Literal, NamedNode, Variable

from twinkg.query_inspect import scanned_once
from twinkg.config import Settings
from twinkg.errors import TwinkgError
from twinkg.values import XSD, ValueProblem, check_iri, parse_date

_HEADER = re.compile(r"^#\s*(title|description)\s*:\s*(.*)$")
_PARAM = re.compile(r"^#\s*param\s*:\s*(\w+)\s*\(\s*([\w:]+)\s*(?:,\s*default\s+([^)]*?))?\s*\)\s*:?\s*(.*)$")
_INTEGER = re.compile(r"^[+-]?[0-9]+\Z")  # ASCII digits: int() takes any script's
_INT64 = (-2**63, 2**63 - 1)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

PARAM_TYPES = ("xsd:integer", "xsd:gYear", "xsd:date", "xsd:string", "iri")


class ParamError(TwinkgError):
    status = 400


def single_values(pairs) -> dict[str, str]:
    """Parameter name → value from (name, value) pairs. A parameter binds one term, so a
    name given twice is an error rather than a silent choice of one of its values."""
    given: dict[str, str] = {}
    for name, value in pairs:
        if name in given:
            raise ParamError(f"parameter '{name}' is given twice; it takes one value")
        given[name] = value
    return given


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str

    def term(self, raw: str):
        """Parse a user's value into the RDF term of this parameter's type."""
        raw = raw.strip()
        try:
            if self.type == "xsd:integer":
                if not _INTEGER.match(raw):
                    raise ValueProblem(f"expected a whole number, got {raw!r}")
                # The store's integers are 64-bit; and int() refuses over 4300 digits.
                if len(raw.lstrip("+-").lstrip("0")) > 19 or not _INT64[0] <= int(raw) <= _INT64[1]:
                    raise ValueProblem(f"expected a whole number from {_INT64[0]} to {_INT64[1]}")
                return Literal(str(int(raw)), datatype=NamedNode(XSD + "integer"))
            if self.type == "xsd:gYear":
                lexical, datatype, _ = parse_date(raw)
                if not datatype.endswith("gYear"):
                    raise ValueProblem(f"expected a year YYYY, got {raw!r}")
                return Literal(lexical, datatype=NamedNode(datatype))
            if self.type == "xsd:date":
                lexical, datatype, _ = parse_date(raw)
                if not datatype.endswith("#date"):
                    raise ValueProblem(f"expected a date YYYY-MM-DD, got {raw!r}")
                return Literal(lexical, datatype=NamedNode(datatype))
            if self.type == "iri":
                return NamedNode(check_iri(raw))
            return Literal(raw)
        except ValueProblem as exc:
            raise ParamError(f"parameter '{self.name}': {exc}") from None


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def bindings(self, given: dict[str, str]) -> dict[Variable, object]:
        """Substitutions for ``store.query``; unknown, missing or malformed values are 400s."""
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ParamError(f"unknown parameter '{unknown[0]}'; this query takes: "
                             f"{', '.join(sorted(known)) or 'no parameters'}")
        result = {}
        for p in self.params:
            raw = given.get(p.name)
            if raw is None or raw == "":
                if p.default is None:
                    raise ParamError(f"parameter '{p.name}' is required ({p.description})")
                raw = p.default
            result[Variable(p.name)] = p.term(raw)
        return result

    def text_with_defaults(self) -> str:
        """The query with its parameters' defaults bound by a VALUES block at the start of its
        WHERE group, for the editor.

        There, as with the API's substitutions, the parameter is bound for every BIND and
        FILTER of the group (a trailing VALUES joins only after them: ``?year - ?start`` was
        unbound and the anniversaries tab found nothing). The terms are written by pyoxigraph
        (``str(term)`` is N-Triples syntax, escaped by the library).
        """
        values = [(p.name, p.term(p.default)) for p in self.params if p.default is not None]
        if not values:
            return self.text
        names = " ".join(f"?{name}" for name, _ in values)
        terms = " ".join(str(term) for _, term in values)
        block = f"VALUES ({names}) {{ ({terms}) }}"
        # where the remote backend binds values too (one scanner finds the group)
        start = scanned_once(self.text).where_group_start
        return f"{self.text[:start]}\n  # the parameters' defaults (the API binds them the same way)\n  {block}{self.text[start:]}"


def _resolved(param: Param, base: str) -> Param:
    if param.type != "iri" or param.default is None or _SCHEME.match(param.default):
        return param
    return replace(param, default=base + param.default)


def parse_canned(name: str, text: str) -> CannedQuery:
    meta, params = {}, []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if m := _HEADER.match(line):
            meta[m.group(1)] = m.group(2).strip()
        elif m := _PARAM.match(line):
            if m.group(2) not in PARAM_TYPES:
                raise ValueError(f"{name}.rq: parameter {m.group(1)}: unknown type {m.group(2)}")
            params.append(Param(m.group(1), m.group(2), m.group(3), m.group(4).strip()))
    return CannedQuery(name, meta.get("title", name), meta.get("description", ""), text, tuple(params))


@cache
def _packaged() -> dict[str, CannedQuery]:
    folder = files("twinkg.queries")
    found = sorted((p for p in folder.iterdir() if p.name.endswith(".rq")), key=lambda p: p.name)
    return {p.name[:-3]: parse_canned(p.name[:-3], p.read_text(encoding="utf-8")) for p in found}


@cache
def canned_queries(base: str = Settings.base_iri) -> dict[str, CannedQuery]:
    """All canned queries by name, in name order, their IRI defaults resolved against ``base``
    (the base IRI the store was loaded with)."""
    return {name: replace(q, params=tuple(_resolved(p, base) for p in q.params))
            for name, q in _packaged().items()}
