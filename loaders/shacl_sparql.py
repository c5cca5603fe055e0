"""SHACL shapes compiled to SPARQL SELECT queries, run by Oxigraph on an in-memory store.

The shapes graph (read with pyoxigraph) is compiled once per shapes document into a few
queries per property shape of each targeted node shape: one for its value constraints, one
for its counts, one per sh:lessThanOrEquals and per sh:sparql constraint. Each returns only
the failures, which become the same findings as pySHACL's (tests/test_shacl_engines.py):
one per value node and constraint for value constraints, one per focus node for counts
and sh:hasValue, one per pair for sh:lessThanOrEquals, one per solution for SHACL-SPARQL.
A node targeted by two shapes is validated by each.

Only what twinkg's shapes use is compiled (SHACL Core's targetClass, targetSubjectsOf,
predicate / inverse / alternative paths, the constraints below, and SPARQL SELECT
constraints); anything else in a shapes graph raises ``Unsupported``, and the loader then
uses another engine for that run (shacl_engines.engine_for).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import count
from typing import Callable, Iterable, Iterator, NamedTuple

from pyoxigraph import (BlankNode, DefaultGraph, Literal, NamedNode, Quad, QuerySolution, RdfFormat, Store,
                        parse)

from twinkg.config import ONTOLOGY_IRI
from twinkg.ontology_files import shapes_bytes

from .shacl_model import Data, Finding, documents
from .sparqlfiles import read_query

#: Part of the validation cache's key (shacl_cache.cache_key): raise it when the compiled
#: queries can give other findings for the same data.
COMPILER_VERSION = "1"

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The focus list of a run, and the focus nodes of each shape, in graphs the shapes never read.
_ONLY = NamedNode("urn:twinkg:shacl-only")
_FOCUS = NamedNode("urn:twinkg:shacl-focus")
_CLASS = re.compile(r"\{\{CLASS <([^>]*)>\}\}")

#: Datatypes whose literals must also be well-formed (pySHACL: rdflib's ill_typed), checked
#: by a cast of the lexical form; those rdflib does not parse (gYear, gYearMonth) pass on
#: their datatype alone, as in pySHACL; other XSD datatypes are refused, others compared only.
_CASTS = {XSD + t for t in ("date", "dateTime", "decimal", "integer", "double", "float")}
_UNPARSED = {XSD + "gYear", XSD + "gYearMonth"}
_NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float")}
_NODE_KINDS = {SH + "IRI": "isIRI({v})", SH + "BlankNode": "isBlank({v})", SH + "Literal": "isLiteral({v})",
               SH + "BlankNodeOrIRI": "!isLiteral({v})", SH + "BlankNodeOrLiteral": "!isIRI({v})",
               SH + "IRIOrLiteral": "!isBlank({v})"}
#: Parameters that state a constraint on each value node, with their component's name.
_VALUE = {"class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind", "in": "In", "pattern": "Pattern",
          "languageIn": "LanguageIn", "minLength": "MinLength", "minInclusive": "MinInclusive",
          "maxInclusive": "MaxInclusive", "node": "Node", "or": "Or"}
#: Parameters that say nothing to validation.
_DESCRIPTIVE = {"name", "description", "message", "order", "group"}
_COUNTS = {"minCount", "maxCount", "hasValue", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount"}
_PROPERTY = _DESCRIPTIVE | _COUNTS | set(_VALUE) | {"path", "lessThanOrEquals", "sparql", "flags"}
_NODE = _DESCRIPTIVE | set(_VALUE) | {"property", "targetClass", "targetSubjectsOf", "flags"}
#: Types whose nodes pySHACL would run as something this compiler does not have.
_REFUSED_TYPES = {SH + t for t in ("ConstraintComponent", "SPARQLFunction", "SPARQLRule", "TripleRule",
                                   "SPARQLTarget", "SPARQLTargetType", "JSConstraint", "JSFunction")}


#: Threads that run the compiled queries (one per core, up to four).
_WORKERS = max(1, min(4, os.cpu_count() or 1))


class Unsupported(ValueError):
    """The shapes use something the compiler does not translate (the message says what)."""


class Query(NamedTuple):
    """One compiled query, and how each solution becomes findings."""

    text: str
    findings: Callable[[QuerySolution], Iterator[Finding]]


class Plan(NamedTuple):
    """The compiled shapes: the query for the subclasses of the classes they name, the
    updates that write each targeted node shape's focus nodes (for a whole run, and within
    a focus list), and the queries."""

    subclasses: str
    focus: tuple[tuple[str, str], ...]
    queries: tuple[Query, ...]


class _Shapes:
    """The shapes graph as subject → predicate → objects."""

    def __init__(self, turtle: bytes):
        self.out: dict = defaultdict(lambda: defaultdict(list))
        for q in parse(turtle, format=RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI):
            self.out[q.subject][q.predicate.value].append(q.object)

    def objects(self, node, name: str) -> list:
        return self.out[node].get(SH + name, []) if node in self.out else []

    def one(self, node, name: str):
        values = self.objects(node, name)
        if len(values) > 1:
            raise Unsupported(f"{_label(node)} has {len(values)} values of sh:{name}")
        return values[0] if values else None

    def items(self, node) -> list:
        """The members of an RDF list."""
        members, seen = [], set()
        while node != NamedNode(RDF + "nil"):
            first, rest = self.out[node].get(RDF + "first"), self.out[node].get(RDF + "rest")
            if not first or not rest or node in seen:
                raise Unsupported(f"{_label(node)} is not a well-formed RDF list")
            members.append(first[0])
            seen.add(node)
            node = rest[0]
        return members

    def parameters(self, node) -> set[str]:
        return {p[len(SH):] for p in self.out[node] if p.startswith(SH)} if node in self.out else set()


def _label(node) -> str:
    return f"<{node.value}>" if isinstance(node, NamedNode) else "a blank node shape"


def _int(term) -> int:
    if not isinstance(term, Literal) or term.datatype != NamedNode(XSD + "integer"):
        raise Unsupported(f"{term} is not an xsd:integer")
    return int(term.value)


class _Compiler:
    def __init__(self, turtle: bytes):
        self.g = _Shapes(turtle)
        self.fresh = count()
        self.classes: set[NamedNode] = set()  # named by sh:class or sh:targetClass
        self.targeted: list = []  # node shapes with targets, in the order of their focus graphs

    def var(self) -> str:
        return f"?_v{next(self.fresh)}"

    # -- paths and messages ------------------------------------------------------------

    def path(self, shape) -> tuple[str, str]:
        """The path as SPARQL, and as a finding's path (its IRI, or "" where pySHACL's
        result path is no IRI)."""
        path = self.g.one(shape, "path")
        if isinstance(path, NamedNode):
            return f"<{path.value}>", path.value
        if isinstance(path, BlankNode):
            kinds = self.g.parameters(path)
            if kinds == {"inversePath"} and isinstance(inverse := self.g.one(path, "inversePath"), NamedNode):
                return f"^<{inverse.value}>", ""
            if kinds == {"alternativePath"}:
                members = self.g.items(self.g.one(path, "alternativePath"))
                if members and all(isinstance(m, NamedNode) for m in members):
                    return "(" + "|".join(f"<{m.value}>" for m in members) + ")", ""
        used = ", ".join(sorted("sh:" + p for p in self.g.parameters(path))) if isinstance(path, BlankNode) else path
        raise Unsupported(f"{_label(shape)}: sh:path {used}: only a predicate, sh:inversePath or sh:alternativePath "
                          "of predicates is compiled")

    def message(self, shape) -> str:
        messages = self.g.objects(shape, "message")
        if len(messages) != 1 or not isinstance(messages[0], Literal):
            # pySHACL makes a message of its own where there is none, and reports each of several
            raise Unsupported(f"{_label(shape)} needs exactly one sh:message to be compiled")
        return messages[0].value

    def check(self, shape, allowed: set[str]) -> None:
        unknown = self.g.parameters(shape) - allowed
        if unknown:
            raise Unsupported(f"{_label(shape)} uses {', '.join(sorted('sh:' + p for p in unknown))}, "
                              "which the SPARQL compiler does not translate")

    # -- conditions on one value -------------------------------------------------------

    def value_conditions(self, shape, v: str, depth: int) -> list[tuple[str, str]]:
        """(component, SPARQL condition on ``v``) for each value constraint of ``shape``."""
        g, found = self.g, []
        for name, component in _VALUE.items():
            for value in g.objects(shape, name):
                found.append((f"{SH}{component}ConstraintComponent", self.condition(shape, name, value, v, depth)))
        return found

    def condition(self, shape, name: str, value, v: str, depth: int) -> str:
        g = self.g
        if name == "class":
            if not isinstance(value, NamedNode):
                raise Unsupported(f"{_label(shape)}: sh:class {value}")
            return f"EXISTS {{ {self.instance(v, value)} }}"
        if name == "datatype":
            return _datatype(value.value, v)
        if name == "nodeKind":
            if value.value not in _NODE_KINDS:
                raise Unsupported(f"{_label(shape)}: unknown sh:nodeKind {value}")
            return _NODE_KINDS[value.value].format(v=v)
        if name == "in":
            members = g.items(value)
            return "(" + (" || ".join(f"sameTerm({v}, {m})" for m in members) or "false") + ")"
        if name == "pattern":
            flags = g.one(shape, "flags")
            extra = f", {Literal(flags.value)}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {Literal(value.value)}{extra}))"
        if name == "languageIn":
            # pySHACL's reading: the tag, or its first subtag, is one of the list (any case); "*" any tag
            tags = {t.value.lower() for t in g.items(value)}
            if "*" in tags:
                return f"(LANG({v}) != \"\")"
            listed = ", ".join(str(Literal(t)) for t in sorted(tags)) or '""'
            return (f"(LANG({v}) != \"\" && (LCASE(LANG({v})) IN ({listed}) || "
                    f"LCASE(STRBEFORE(CONCAT(LANG({v}), \"-\"), \"-\")) IN ({listed})))")
        if name == "minLength":
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {_int(value)})"
        if name in ("minInclusive", "maxInclusive"):
            if not isinstance(value, Literal) or value.datatype.value not in _NUMERIC:
                raise Unsupported(f"{_label(shape)}: sh:{name} other than a number")
            # pySHACL: no string (or node) is in range; a value that is no well-formed number
            # is ordered as rdflib orders literals, by their datatype IRIs, and one of the
            # bound's datatype cannot be compared (an error here: out of range)
            above = (f"IF(sameTerm(DATATYPE({v}), DATATYPE({value})), 1 / 0 = 1, "
                     f"STR(DATATYPE({v})) > STR(DATATYPE({value})))")
            inside = (f"IF(isNumeric({v}), {v} >= {value}, sameTerm({v}, {value}) || {above})"
                      if name == "minInclusive" else f"IF(isNumeric({v}), {v} <= {value}, !{above})")
            return (f"(isLiteral({v}) && LANG({v}) = \"\" && !sameTerm(DATATYPE({v}), <{XSD}string>) && "
                    f"{inside})")
        if name == "node":
            return self.conforms(value, v, depth + 1)
        if name == "or":
            return "(" + (" || ".join(self.conforms(m, v, depth + 1) for m in g.items(value)) or "false") + ")"
        raise AssertionError(name)  # pragma: no cover - _VALUE's keys

    def conforms(self, shape, v: str, depth: int) -> str:
        """A condition: ``v`` conforms to ``shape`` (a shape used by sh:node, sh:or or
        sh:qualifiedValueShape; its targets do not matter there)."""
        if depth > 4:
            raise Unsupported(f"{_label(shape)}: shapes nested more than 4 deep (or recursive)")
        self.check(shape, _DESCRIPTIVE | set(_VALUE) | {"property", "flags", "targetClass", "targetSubjectsOf"})
        parts = [f"COALESCE({c}, false)" for _, c in self.value_conditions(shape, v, depth)]
        for ps in self.g.objects(shape, "property"):
            parts.append(self.property_holds(ps, v, depth))
        return "(" + (" && ".join(parts) or "true") + ")"

    def property_holds(self, ps, v: str, depth: int) -> str:
        """A condition: the property shape ``ps`` holds at focus node ``v`` (nested use)."""
        self.check(ps, _DESCRIPTIVE | set(_VALUE) | {"path", "minCount", "maxCount", "hasValue", "flags"})
        path, _ = self.path(ps)
        parts = []
        x = self.var()
        for _, c in self.value_conditions(ps, x, depth):
            parts.append(f"NOT EXISTS {{ {v} {path} {x} FILTER (!COALESCE({c}, false)) }}")
        for value in self.g.objects(ps, "hasValue"):
            parts.append(f"EXISTS {{ {v} {path} {value} }}")
        low, high = self.g.one(ps, "minCount"), self.g.one(ps, "maxCount")
        if low is not None and _int(low) > 1 or high is not None and _int(high) > 1:
            raise Unsupported(f"{_label(ps)}: counts above 1 in a nested shape are not compiled")
        if low is not None and _int(low) == 1:
            parts.append(f"EXISTS {{ {v} {path} {self.var()} }}")
        if high is not None:
            a, b = self.var(), self.var()
            parts.append(f"NOT EXISTS {{ {v} {path} {a} }}" if _int(high) == 0 else
                         f"NOT EXISTS {{ {v} {path} {a} . {v} {path} {b} FILTER (!sameTerm({a}, {b})) }}")
        return "(" + (" && ".join(parts) or "true") + ")"

    # -- the queries of one targeted node shape ----------------------------------------

    def focus(self, ns, shape: str) -> tuple[str, str]:
        """The update that writes the shape's focus nodes: for a whole run, and within the
        run's focus list."""
        classes, predicates = self.g.objects(ns, "targetClass"), self.g.objects(ns, "targetSubjectsOf")
        if not all(isinstance(t, NamedNode) for t in classes + predicates):
            raise Unsupported(f"{_label(ns)}: a target that is not an IRI")
        targets = [f"{{ {self.instance('?this', c)} }}" for c in classes]
        targets += [f"{{ ?this {p} {self.var()} }}" for p in predicates]
        text = (read_query("shacl-focus").replace("{{TARGETS}}", " UNION ".join(targets))
                .replace("{{SHAPE}}", shape).replace("{{FOCUS_GRAPH}}", str(_FOCUS)))
        only = f"GRAPH {_ONLY} {{ ?this {_ONLY} {self.var()} }}"
        return text.replace("{{ONLY}}", ""), text.replace("{{ONLY}}", only)

    def instance(self, v: str, c: NamedNode) -> str:
        """A pattern: ``v`` is an instance of ``c`` (rdf:type/rdfs:subClassOf*, by the
        run's list of subclasses, see ``sparql_findings``)."""
        self.classes.add(c)
        t = self.var()
        return f"VALUES {t} {{ {{{{CLASS {c}}}}} }} {v} <{RDF}type> {t} ."

    def node_shape(self, ns) -> tuple[tuple[str, str], list[Query]]:
        if self.g.parameters(ns) & {"path"}:
            raise Unsupported(f"{_label(ns)}: a property shape with targets")
        self.check(ns, _NODE)
        shape = f"<urn:twinkg:shacl-shape:{len(self.targeted)}>"
        self.targeted.append(ns)
        queries = []
        conditions = self.value_conditions(ns, "?value", 0)
        if conditions:
            queries.append(self.values(shape, None, "", self.message(ns), conditions))
        for ps in self.g.objects(ns, "property"):
            queries += self.property_shape(shape, ps)
        return self.focus(ns, shape), queries

    def property_shape(self, shape: str, ps) -> list[Query]:
        g = self.g
        self.check(ps, _PROPERTY)
        path, iri = self.path(ps)
        # a shape with only SPARQL constraints may give their message on them instead
        message = self.message(ps) if g.parameters(ps) - _DESCRIPTIVE - {"path", "flags", "sparql"} else ""
        queries = []
        conditions = self.value_conditions(ps, "?value", 0)
        if conditions:
            queries.append(self.values(shape, path, iri, message, conditions))
        if g.parameters(ps) & _COUNTS:
            queries.append(self.counts(shape, ps, path, iri, message))
        for other in g.objects(ps, "lessThanOrEquals"):
            if not isinstance(other, NamedNode):
                raise Unsupported(f"{_label(ps)}: sh:lessThanOrEquals of a path")
            queries.append(self.pairs(shape, path, other.value, iri, message))
        for constraint in g.objects(ps, "sparql"):
            queries.append(self.select(shape, ps, constraint, path, iri))
        return queries

    def values(self, shape: str, path: str | None, iri: str, message: str,
               conditions: list[tuple[str, str]]) -> Query:
        """The value nodes that fail a value constraint (``path`` None: the node shape's own
        constraints, on the focus node as its value), one finding per constraint failed."""
        flags = [f"?_f{i}" for i in range(len(conditions))]
        binds = " ".join(f"BIND (COALESCE({c}, false) AS {f})" for (_, c), f in zip(conditions, flags))
        # an alternative path can reach a value twice: pySHACL's value nodes are a set
        distinct = "DISTINCT" if path is not None and path.startswith("(") else ""
        text = (read_query("shacl-values").replace("{{DISTINCT}}", distinct).replace("{{FLAGS}}", " ".join(flags))
                .replace("{{VALUES}}", "BIND (?this AS ?value)" if path is None else f"?this {path} ?value .")
                .replace("{{BINDS}}", binds).replace("{{FAILED}}", " || ".join(f"!{f}" for f in flags)))
        components = [c for c, _ in conditions]

        def findings(row: QuerySolution) -> Iterator[Finding]:
            for i, component in enumerate(components):
                if row[i + 2].value != "true":
                    yield Finding(row[0].value, iri, message, component)
        return _query(text, shape, findings)

    def counts(self, shape: str, ps, path: str, iri: str, message: str) -> Query:
        """The focus nodes that fail a count: sh:minCount, sh:maxCount, sh:hasValue, or the
        qualified value shape's."""
        g = self.g
        distinct = "DISTINCT " if path.startswith("(") else ""  # value nodes are a set (above)
        counts, aggregates, binds, failed = [], [], [], []
        checks: list[tuple[str, Callable[[int], bool], str]] = []  # (variable, fails at its count, component)

        def add(variable: str, aggregate: str, fails: str, test: Callable[[int], bool], component: str):
            if f"?{variable}" not in counts:
                counts.append(f"?{variable}")
                aggregates.append(f"({aggregate} AS ?{variable})")
            failed.append(fails)
            checks.append((variable, test, SH + component))

        def bounds(variable: str, aggregate: str, low, high, kind: str) -> None:
            """sh:{kind}minCount and sh:{kind}maxCount on one count."""
            if low is not None:
                add(variable, aggregate, f"?{variable} < {_int(low)}", lambda n, m=_int(low): n < m,
                    f"{kind}MinCountConstraintComponent")
            if high is not None:
                add(variable, aggregate, f"?{variable} > {_int(high)}", lambda n, m=_int(high): n > m,
                    f"{kind}MaxCountConstraintComponent")

        bounds("_n", f"COUNT({distinct}?value)", g.one(ps, "minCount"), g.one(ps, "maxCount"), "")
        for i, value in enumerate(g.objects(ps, "hasValue")):
            binds.append(f"BIND (IF(sameTerm(?value, {value}), ?value, ?_none) AS ?_hv{i})")
            add(f"_h{i}", f"COUNT(?_hv{i})", f"?_h{i} = 0", lambda n: n == 0, "HasValueConstraintComponent")
        qshape = g.one(ps, "qualifiedValueShape")
        qlow, qhigh = g.one(ps, "qualifiedMinCount"), g.one(ps, "qualifiedMaxCount")
        if (qshape is None) != (qlow is None and qhigh is None):
            raise Unsupported(f"{_label(ps)}: sh:qualifiedValueShape without its counts, or counts without it")
        if qshape is not None:
            # sh:qualifiedValueShapesDisjoint is refused: its default (false) ignores the siblings
            binds.append(f"BIND (IF(COALESCE({self.conforms(qshape, '?value', 1)}, false), ?value, ?_none) AS ?_qv)")
            bounds("_q", f"COUNT({distinct}?_qv)", qlow, qhigh, "Qualified")
        text = (read_query("shacl-counts").replace("{{COUNTS}}", " ".join(counts))
                .replace("{{AGGREGATES}}", " ".join(aggregates)).replace("{{PATH}}", path)
                .replace("{{BINDS}}", " ".join(binds)).replace("{{FAILED}}", " || ".join(failed)))

        def findings(row: QuerySolution) -> Iterator[Finding]:
            for variable, fails, component in checks:
                if fails(int(row[variable].value)):
                    yield Finding(row[0].value, iri, message, component)
        return _query(text, shape, findings)

    def pairs(self, shape: str, path: str, other: str, iri: str, message: str) -> Query:
        text = read_query("shacl-pairs").replace("{{PATH}}", path).replace("{{OTHER}}", other)

        def findings(row: QuerySolution) -> Iterator[Finding]:
            yield Finding(row[0].value, iri, message, SH + "LessThanOrEqualsConstraintComponent")
        return _query(text, shape, findings)

    def select(self, shape: str, ps, constraint, path: str, iri: str) -> Query:
        g = self.g
        self.check(constraint, {"select", "message"})
        types = {t.value for t in g.out[constraint].get(RDF + "type", [])}
        if types - {SH + "SPARQLConstraint"}:
            raise Unsupported(f"{_label(ps)}: a sh:sparql constraint of another type")
        own, shared = g.objects(constraint, "message"), g.objects(ps, "message")
        if len(own) + len(shared) != 1:
            raise Unsupported(f"{_label(ps)}: a sh:sparql constraint needs exactly one sh:message "
                              "(on it or on its shape)")
        message = (own or shared)[0].value
        query = g.one(constraint, "select").value
        if re.search(r"\bPREFIX\b|\bBASE\b|\$currentShape|\$shapesGraph", query, re.IGNORECASE):
            raise Unsupported(f"{_label(ps)}: a sh:sparql query with PREFIX, BASE, $currentShape or $shapesGraph")
        head = re.match(r"\s*SELECT\s+(DISTINCT\s+)?((?:[?$]\w+\s+)+)WHERE\b", query, re.IGNORECASE)
        if head is None:
            raise Unsupported(f"{_label(ps)}: a sh:sparql query that does not project plain variables")
        variables = [name[1:] for name in head.group(2).split()]
        if "this" not in variables:
            raise Unsupported(f"{_label(ps)}: a sh:sparql query that does not project $this")
        inner = query.replace("$PATH", path).replace("$this", "?this")
        text = (read_query("shacl-select").replace("{{PROJECTION}}", " ".join(f"?{v}" for v in variables))
                .replace("{{SELECT}}", inner))
        # pySHACL's order of filling: the other variables, then this, path and value
        order = [v for v in variables if v not in ("this", "path", "value")] + \
            [v for v in ("this", "path", "value") if v in variables]

        def findings(row: QuerySolution) -> Iterator[Finding]:
            text = message
            for name in order:
                if row[name] is not None:
                    text = _fill(text, name, row[name].value)
            result_path = row["path"] if "path" in variables else None
            yield Finding(row["this"].value,
                          iri if result_path is None else (result_path.value if isinstance(result_path, NamedNode)
                                                           else ""),
                          text, SH + "SPARQLConstraintComponent")
        return _query(text, shape, findings)

    def compile(self) -> "Plan":
        for types in (self.g.out[s].get(RDF + "type", []) for s in list(self.g.out)):
            refused = {t.value for t in types} & _REFUSED_TYPES
            if refused:
                raise Unsupported(f"the shapes declare a {', '.join(sorted(refused))}")
        for s in list(self.g.out):
            used = self.g.parameters(s) & {"target", "targetNode", "targetObjectsOf", "rule", "shapesGraph"}
            if used:
                raise Unsupported(f"{_label(s)} uses {', '.join(sorted('sh:' + p for p in used))}")
        targeted = [s for s in self.g.out if self.g.parameters(s) & {"targetClass", "targetSubjectsOf"}]
        focus, queries = [], []
        for ns in sorted(targeted, key=str):
            updates, compiled = self.node_shape(ns)
            focus.append(updates)
            queries += compiled
        subclasses = read_query("shacl-subclasses").replace("{{CLASSES}}", " ".join(map(str, sorted(self.classes,
                                                                                                  key=str))))
        return Plan(subclasses, tuple(focus), tuple(queries))


def _datatype(datatype: str, v: str) -> str:
    if datatype == XSD + "string":
        return f"(isLiteral({v}) && LANG({v}) = \"\" && sameTerm(DATATYPE({v}), <{datatype}>))"
    if datatype == RDF + "langString":
        return f"(isLiteral({v}) && LANG({v}) != \"\")"
    if datatype in _CASTS:  # ill-typed literals fail, as in pySHACL
        return f"(isLiteral({v}) && sameTerm(DATATYPE({v}), <{datatype}>) && isLiteral(<{datatype}>(STR({v}))))"
    if datatype.startswith(XSD) and datatype not in _UNPARSED:
        raise Unsupported(f"sh:datatype <{datatype}> (its well-formedness is not compiled)")
    return f"(isLiteral({v}) && sameTerm(DATATYPE({v}), <{datatype}>))"


def _fill(message: str, name: str, value: str) -> str:
    """pySHACL's filling of ``{?name}`` / ``{$name}`` (re.sub with the value as replacement)."""
    try:
        return re.sub("{{[?$]{}}}".format(name), value, message)
    except re.error:  # a backslash escape pySHACL would fail on: the value as it is
        return re.sub("{{[?$]{}}}".format(name), lambda _: value, message)


def _query(text: str, shape: str, findings) -> Query:
    return Query(text.replace("{{SHAPE}}", shape).replace("{{FOCUS_GRAPH}}", str(_FOCUS)), findings)


@cache
def compiled(shapes: bytes) -> Plan:
    """The queries of ``shapes`` (Turtle); raises ``Unsupported``."""
    return _Compiler(shapes).compile()


def compiles(shapes: bytes) -> bool:
    try:
        compiled(shapes)
    except Unsupported:
        return False
    return True


def sparql_findings(data: Data, focus: Iterable[str] | None = None, shapes: bytes | None = None) -> list[Finding]:
    """The findings of ``shapes`` (the packaged ones by default) on ``data``; with ``focus``,
    only at those focus nodes (IRIs) that the shapes target."""
    plan = compiled(shapes or shapes_bytes())
    only = None if focus is None else list(focus)
    if only == []:
        return []
    store = Store()
    # lenient: the document is pyoxigraph's own serialization of terms it already checked
    # (0.14 s against 0.21 s at 100 k statements)
    for document in documents(data):
        store.load(input=document, format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph(), lenient=True)
    if only is not None:
        store.extend(Quad(NamedNode(f), _ONLY, _ONLY, _ONLY) for f in only)
    # instances of a class by a list of its subclasses: cheaper than the path in every query
    subclasses = defaultdict(list)
    for row in store.query(plan.subclasses):
        subclasses[row[0].value].append(str(row[1]))

    def classes(text: str) -> str:
        return _CLASS.sub(lambda m: " ".join(subclasses[m.group(1)] or [f"<{m.group(1)}>"]), text)
    for whole, focused in plan.focus:
        store.update(classes(whole if only is None else focused))
    # The queries only read the store, and Oxigraph evaluates them without Python's lock:
    # on two cores the 190 queries of shapes.ttl take half their time (0.54 → 0.27 s at
    # 100 k statements). Their findings are taken in the plan's order.
    with ThreadPoolExecutor(_WORKERS, thread_name_prefix="twinkg-shacl") as pool:
        answers = pool.map(lambda query: list(store.query(classes(query.text))), plan.queries)
        return [finding for query, rows in zip(plan.queries, answers) for row in rows
                for finding in query.findings(row)]
