"""The reviewable Wikidata enrichment file, ``data/enrichment/wikidata.yaml``.

``twinkg enrich wikidata`` writes it; a person reviews it and sets ``accept: true`` on the
suggestions to keep; ``twinkg load`` then puts the accepted ones into their own named graph
``{base}graph/enrichment/wikidata``. Curated files and curated statements are never
changed: enrichment statements use Wikidata's own properties (``wdt:P625``, ``wdt:P1082``…)
beside the curated ``tk:`` ones, and a label is only suggested for a language the curated
data has no name in. A city's facts load only once its QID is curated (``wikidata:`` in
cities.yaml) or its ``qid`` suggestion is accepted: facts about a wrong item are wrong.

Running the command again keeps the accept decisions of unchanged suggestions.
The file is described in data/README.md ("Enrichment from Wikidata").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from twinkg.config import PREFIXES, Settings
from twinkg.values import QID_RE, ValueProblem, check_iri

from .check import Curated
from .problems import InvalidInput, Problem
from .wikidata import WD, Found, qid_of
from .yamlfile import read_yaml

ENRICHMENT_FILE = Path("enrichment") / "wikidata.yaml"

WDT, P, PS, PQ = ("http://www.wikidata.org/prop/direct/", "http://www.wikidata.org/prop/",
                  "http://www.wikidata.org/prop/statement/", "http://www.wikidata.org/prop/qualifier/")
XSD = PREFIXES["xsd"]
WKT = NamedNode(PREFIXES["geosparql"] + "wktLiteral")
PROPERTIES = {"qid", "P625", "P17", "P1082", "P856", "P1705", "label"}

HEADER = """\
# Wikidata suggestions for the curated cities, written by `twinkg enrich wikidata`.
# Review each suggestion and set `accept: true` to load it. Accepted statements go into
# the named graph <{graph}>, never into the curated files or graphs.
# A city's facts load only once its QID is curated or its `qid` suggestion is accepted.
# Running the command again keeps the decisions of suggestions that did not change.
"""


def enrichment_path(settings: Settings) -> Path:
    return settings.data_dir / ENRICHMENT_FILE


def _key(city: str, s: dict) -> tuple:
    return (city, s.get("property"), s.get("lang"), str(s.get("value")), str(s.get("date")))


def _decisions(path: Path) -> dict[tuple, bool]:
    if not path.exists():
        return {}
    document, problems = read_yaml(path, str(path))
    # A file that cannot be read must not be overwritten: the reviewer's decisions are in it.
    if problems:
        raise InvalidInput(problems)
    if not isinstance(document, dict):
        raise InvalidInput([Problem(str(path), 1, "", "expected a mapping with a cities list; "
                                    "fix or remove the file, then run the enrichment again")])
    return {_key(c.get("city"), s): s.get("accept") is True
            for c in document.get("cities") or [] if isinstance(c, dict)
            for s in c.get("suggestions") or [] if isinstance(s, dict)}


def _curated_point(d: dict) -> str | None:
    geo = d.get("geo")
    return f"Point({geo['long']} {geo['lat']})" if geo else None


def suggestions_for(found: Found, data: dict) -> list[dict]:
    """What Wikidata adds for one city, each with what the curated data says beside it."""
    out: list[dict] = []
    if found.matched_by and found.matched_by != "curated":
        out.append({"property": "qid", "value": found.qid, "matched_by": found.matched_by})
    populations = []
    for prop, value, date in found.facts:
        if prop == "P1082":
            populations.append((date.value if date else "", value))
        elif prop == "P625":
            s = {"property": "P625", "value": value.value}
            if _curated_point(data):
                s["curated"] = _curated_point(data)
            out.append(s)
        elif prop == "P17":
            out.append({"property": "P17", "value": qid_of(value), "curated_country": data["country"]})
        elif prop == "P856":
            out.append({"property": "P856", "value": value.value})
        elif prop == "P1705":
            out.append({"property": "P1705", "value": value.value, "lang": value.language})
    if populations:  # the most recent statement (undated ones count as oldest)
        date, value = max(populations, key=lambda p: p[0])
        s = {"property": "P1082", "value": int(float(value.value))}
        if date:
            s["date"] = date[:10]
        out.append(s)
    curated_langs = set(data["name"])
    for label in sorted(found.labels, key=lambda t: t.language or ""):
        if label.language not in curated_langs:
            out.append({"property": "label", "lang": label.language, "value": label.value})
    return sorted(out, key=lambda s: (sorted(PROPERTIES).index(s["property"]), str(s.get("lang")), str(s["value"])))


def write_enrichment(path: Path, settings: Settings, curated: Curated, found: list[Found], endpoint: str,
                     retrieved: dt.datetime) -> int:
    """Write the file; returns the number of suggestions. Earlier decisions are kept."""
    decisions = _decisions(path)
    data = {e.id: e.data for e in curated.of("city")}
    cities, total = [], 0
    for f in sorted(found, key=lambda f: f.city):
        entry: dict = {"city": f.city, "qid": f.qid}
        if f.matched_by:
            entry["matched_by"] = f.matched_by
        if len(f.candidates) > 1 and not f.qid:
            entry["candidates"] = f.candidates
            entry["note"] = "several items match: put the right QID into cities.yaml (wikidata:)"
        suggestions = []
        for s in suggestions_for(f, data[f.city]) if f.qid else []:
            s["accept"] = decisions.get(_key(f.city, s), False)
            suggestions.append(s)
        entry["suggestions"] = suggestions
        total += len(suggestions)
        cities.append(entry)
    document = {"endpoint": endpoint, "retrieved": retrieved.strftime("%Y-%m-%dT%H:%M:%SZ"), "cities": cities}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER.format(graph=settings.wikidata_graph) + yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=None, width=110)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return total


# -- reading it back for `twinkg load` --------------------------------------------------

def _statement(city: NamedNode, s: dict, graph: NamedNode) -> list[Quad]:
    prop, value = s["property"], s["value"]
    q = lambda p, o: Quad(city, NamedNode(p), o, graph)  # noqa: E731
    if prop == "qid":
        return [q(PREFIXES["owl"] + "sameAs", NamedNode(WD + value))]
    if prop == "P625":
        return [q(WDT + "P625", Literal(value, datatype=WKT))]
    if prop == "P17":
        return [q(WDT + "P17", NamedNode(WD + value))]
    if prop == "P856":
        return [q(WDT + "P856", NamedNode(check_iri(value)))]
    if prop == "P1705":
        return [q(WDT + "P1705", Literal(value, language=s["lang"]))]
    if prop == "label":
        return [q(PREFIXES["rdfs"] + "label", Literal(value, language=s["lang"]))]
    # P1082: the direct value and the statement with its point in time, as Wikidata has it.
    amount = Literal(str(int(value)), datatype=NamedNode(XSD + "decimal"))
    node = BlankNode()
    quads = [q(WDT + "P1082", amount), q(P + "P1082", node), Quad(node, NamedNode(PS + "P1082"), amount, graph)]
    if s.get("date"):
        quads.append(Quad(node, NamedNode(PQ + "P585"), Literal(str(s["date"]), datatype=NamedNode(XSD + "date")),
                          graph))
    return quads


def enrichment_quads(settings: Settings, curated: Curated) -> tuple[list[Quad], list[Problem]]:
    """The accepted suggestions as quads in the enrichment graph; problems name file:line."""
    path = enrichment_path(settings)
    if not path.exists():
        return [], []
    label = str(path)
    document, problems = read_yaml(path, label)
    if problems:
        return [], problems
    if not isinstance(document, dict) or not isinstance(document.get("cities"), list):
        return [], [Problem(label, 1, "", "expected a mapping with endpoint, retrieved and cities")]
    graph = NamedNode(settings.wikidata_graph)
    cities = {e.id: e for e in curated.of("city")}
    quads: list[Quad] = []
    for i, c in enumerate(document["cities"]):
        line = document["cities"].lines[i]
        where = f"cities[{i + 1}]"
        if not isinstance(c, dict) or not isinstance(c.get("city"), str) or c["city"] not in cities:
            problems.append(Problem(label, line, where + ".city",
                                    f"unknown city {c.get('city') if isinstance(c, dict) else c!r}"))
            continue
        suggestions = c.get("suggestions") or []
        if not isinstance(suggestions, list):
            problems.append(Problem(label, c.lines.get("suggestions", line), where + ".suggestions",
                                    "expected a list of suggestions"))
            continue
        accepted = [s for s in suggestions if isinstance(s, dict) and s.get("accept") is True]
        # None == None is no match: a city without a curated QID needs its qid accepted.
        curated_qid = cities[c["city"]].data.get("wikidata")
        qid_ok = (curated_qid is not None and curated_qid == c.get("qid")) or any(
            s.get("property") == "qid" for s in accepted)
        city = NamedNode(settings.entity_iri("city", c["city"]))
        for j, s in enumerate(suggestions):
            sline, swhere = suggestions.lines[j], f"{where}.suggestions[{j + 1}]"
            if not isinstance(s, dict) or not isinstance(s.get("property"), str) or s["property"] not in PROPERTIES:
                problems.append(Problem(label, sline, swhere + ".property",
                                        f"expected one of {', '.join(sorted(PROPERTIES))}"))
                continue
            if not isinstance(s.get("accept"), bool):
                problems.append(Problem(label, sline, swhere + ".accept", "expected true or false"))
                continue
            if not s["accept"]:
                continue
            if not qid_ok and c.get("qid") is None:
                problems.append(Problem(label, sline, swhere, f"accepted, but '{c['city']}' has no QID: curate "
                                        "it (wikidata: in cities.yaml) or accept its qid suggestion"))
                continue
            if not qid_ok:
                problems.append(Problem(label, sline, swhere, f"accepted, but the QID {c.get('qid')} of "
                                        f"'{c['city']}' is neither curated nor accepted"))
                continue
            if s["property"] == "qid" and not QID_RE.match(str(s.get("value"))):
                problems.append(Problem(label, sline, swhere + ".value", "expected a QID like Q2899"))
                continue
            try:
                quads.extend(_statement(city, s, graph))
            except (ValueProblem, ValueError, KeyError, TypeError, OverflowError) as exc:
                problems.append(Problem(label, sline, swhere + ".value", f"not loadable: {exc}"))
    if quads:  # where and when the accepted statements came from
        try:
            quads += [Quad(graph, NamedNode(PREFIXES["dct"] + "source"),
                           NamedNode(check_iri(str(document.get("endpoint")))), graph),
                      Quad(graph, NamedNode(PREFIXES["dct"] + "created"),
                           Literal(str(document.get("retrieved")), datatype=NamedNode(XSD + "dateTime")), graph)]
        except ValueProblem as exc:
            problems.append(Problem(label, document.lines.get("endpoint", 1), "endpoint", str(exc)))
    return quads, problems
