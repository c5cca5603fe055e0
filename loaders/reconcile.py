"""Reconciliation of the curated partnerships with Wikidata's twinned bodies (P190).

Three lists, each entry with both values and both sources:
- partnerships Wikidata lists that the curated data lacks — for the dataset's home city
  (the city with the most curated partnerships; every partner city has twins of its own
  that are none of this dataset's business);
- curated partnerships Wikidata lacks (no P190 statement in either direction);
- start years that disagree between the curated ``start`` and the statement's P580.

A city's QID is its curated one, else the unambiguous match (marked "suggested").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .check import Curated
from .wikidata import Found, Twin


@dataclass
class Report:
    endpoint: str
    retrieved: str
    missing_here: list[str] = field(default_factory=list)
    missing_there: list[str] = field(default_factory=list)
    start_disagrees: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    def text(self) -> str:
        def section(title: str, lines: list[str]) -> list[str]:
            return [f"## {title} ({len(lines)})", *(f"- {line}" for line in lines or ["none"]), ""]

        return "\n".join([
            "# Wikidata reconciliation", "",
            f"Endpoint: {self.endpoint}  ", f"Retrieved: {self.retrieved}", "",
            *section("Partnerships Wikidata lists that the curated data lacks", self.missing_here),
            *section("Curated partnerships Wikidata lacks", self.missing_there),
            *section("Start years that disagree", self.start_disagrees),
            *section("Cities without a Wikidata item", self.unmatched),
        ])


def _year(lexical: str | None) -> str | None:
    return lexical[:4] if lexical else None


def reconcile(curated: Curated, found: list[Found], endpoint: str, retrieved: str) -> Report:
    report = Report(endpoint, retrieved)
    by_city = {f.city: f for f in found}
    names = {e.id: e.data["name"].get("de") or next(iter(e.data["name"].values())) for e in curated.of("city")}
    sources = {e.id: e.data.get("url", "") for e in curated.of("source")}
    city_of_qid = {f.qid: f.city for f in found if f.qid}

    def who(city: str) -> str:
        f = by_city.get(city)
        if not f or not f.qid:
            return f"{names[city]} (no QID)"
        return f"{names[city]} ({f.qid}{'' if f.matched_by == 'curated' else ', suggested'})"

    def wd_source(twin: Twin) -> str:
        return f"Wikidata statement {twin.statement} via {endpoint}"

    def curated_source(entry) -> str:
        return f"curated partnerships.yaml '{entry.id}', source {entry.data['source']} {sources.get(entry.data['source'], '')}".rstrip()

    def statements(a: str, b: str) -> list[Twin]:
        fa, fb = by_city.get(a), by_city.get(b)
        if not (fa and fb and fa.qid and fb.qid):
            return []
        return [t for t in fa.twins if t.qid == fb.qid] + [t for t in fb.twins if t.qid == fa.qid]

    partnerships = curated.of("partnership")
    for entry in partnerships:
        a, b = entry.data["cities"]
        found_statements = statements(a, b)
        start = str(entry.data["start"]) if entry.data.get("start") else None
        pair = f"{who(a)} – {who(b)}"
        if not found_statements:
            report.missing_there.append(
                f"{pair}: curated since {start or 'an unstated year'} ({curated_source(entry)}); "
                "Wikidata: no P190 statement between them")
            continue
        wd_years = {_year(t.start) for t in found_statements if t.start}
        if start and wd_years and _year(start) not in wd_years:
            first = next(t for t in found_statements if t.start)
            report.start_disagrees.append(
                f"{pair}: curated {start} ({curated_source(entry)}) vs Wikidata "
                f"{', '.join(sorted(wd_years))} ({wd_source(first)})")
    counts = Counter(c for e in partnerships for c in e.data["cities"])
    if counts:
        top = max(counts.values())
        for home in sorted(c for c, n in counts.items() if n == top):
            f = by_city.get(home)
            partners = {c for e in partnerships if home in e.data["cities"] for c in e.data["cities"]} - {home}
            partner_qids = {by_city[c].qid for c in partners if by_city.get(c) and by_city[c].qid}
            for twin in sorted(f.twins if f else [], key=lambda t: (t.start or "", t.qid)):
                if twin.qid in partner_qids:
                    continue
                known = city_of_qid.get(twin.qid)
                span = f"since {_year(twin.start) or '?'}" + (f" until {_year(twin.end)}" if twin.end else "")
                report.missing_here.append(
                    f"{who(home)} – {twin.label or twin.qid} ({twin.qid}"
                    f"{', curated city ' + repr(known) if known else ''}): Wikidata {span} "
                    f"({wd_source(twin)}); curated: no partnership")
    for f in sorted(found, key=lambda f: f.city):
        if not f.qid:
            why = f"{len(f.candidates)} candidates: {', '.join(f.candidates)}" if f.candidates else "no match"
            report.unmatched.append(f"{names[f.city]} ('{f.city}'): {why} by name, country and type")
    return report
