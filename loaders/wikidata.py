"""Asking a Wikidata-compatible SPARQL endpoint about the curated cities.

Everything goes through SPARQLWrapper (``twinkg.backends.protocol.Remote``) with a
descriptive User-Agent, one query per batch of cities (VALUES rows, never one query per
city) and backoff on 429 (the public service's rules:
https://www.mediawiki.org/wiki/Wikidata_Query_Service/User_Manual#Query_limits). The query
texts are ``loaders/sparql/wikidata-*.rq``; curated names are bound as VALUES rows of terms
serialized by pyoxigraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Variable, parse_query_results

from twinkg.backends.inject import with_rows
from twinkg.backends.protocol import USER_AGENT, Remote
from twinkg.config import PREFIXES, Settings

from .check import Curated
from .sparqlfiles import read_query

WD = PREFIXES["wd"]
ENRICH_AGENT = USER_AGENT + " enrichment (twinkg enrich wikidata; batched, one request at a time)"


def qid_of(term) -> str:
    return term.value[len(WD):] if term.value.startswith(WD) else term.value


@dataclass
class Twin:
    statement: str
    qid: str
    label: str | None
    start: str | None  # xsd:dateTime lexical form as Wikidata gives it
    end: str | None


@dataclass
class Found:
    """What the endpoint says about one curated city."""

    city: str
    qid: str | None = None
    matched_by: str = ""
    candidates: list[str] = field(default_factory=list)
    facts: list[tuple[str, object, object]] = field(default_factory=list)  # (prop, value term, date term)
    labels: list[Literal] = field(default_factory=list)
    twins: list[Twin] = field(default_factory=list)


def wikidata_remote(settings: Settings, endpoint: str | None = None) -> Remote:
    return Remote(endpoint or settings.wikidata_endpoint, timeout=settings.wikidata_timeout,
                  retries=settings.wikidata_retries, backoff=settings.wikidata_backoff, agent=ENRICH_AGENT)


def _select(remote: Remote, text: str):
    body, _ = remote.query(text, graph_result=False)
    return list(parse_query_results(body, format=QueryResultsFormat.JSON))


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _name_rows(curated: Curated) -> list[tuple]:
    rows = []
    for e in curated.of("city"):
        iso = Literal(e.data["country"].upper())
        names = dict(e.data["name"])
        for lang, alts in (e.data.get("alt_names") or {}).items():
            for alt in alts:
                rows.append((Literal(e.id), Literal(alt, language=lang), iso))
        for lang, name in names.items():
            rows.append((Literal(e.id), Literal(name, language=lang), iso))
    return rows


def ask_wikidata(settings: Settings, curated: Curated, remote: Remote) -> list[Found]:
    """QIDs (curated, else matched), then facts, labels and twins in batches."""
    found = {e.id: Found(e.id) for e in curated.of("city")}
    for e in curated.of("city"):
        if e.data.get("wikidata"):
            found[e.id].qid, found[e.id].matched_by = e.data["wikidata"], "curated"
    unmatched = [c for c in found if not found[c].qid]
    rows = [r for r in _name_rows(curated) if r[0].value in unmatched]
    for batch in _chunks(rows, settings.wikidata_batch):
        text = with_rows(read_query("wikidata-match"), ((Variable("city"), Variable("name"), Variable("iso")), batch))
        for row in _select(remote, text):
            f = found[row["city"].value]
            qid = qid_of(row["item"])
            if qid not in f.candidates:
                f.candidates.append(qid)
    for f in found.values():
        f.candidates.sort(key=lambda q: int(q[1:]))  # a stable file across runs
        if not f.qid and len(f.candidates) == 1:
            f.qid, f.matched_by = f.candidates[0], "name, country and type"
    by_qid = {f.qid: f for f in found.values() if f.qid}
    items = [(NamedNode(WD + q),) for q in sorted(by_qid)]
    languages = sorted({lang for e in curated.of("city") for lang in e.data["name"]})
    for batch in _chunks(items, settings.wikidata_batch):
        item_block = ((Variable("item"),), batch)
        for row in _select(remote, with_rows(read_query("wikidata-facts"), item_block)):
            by_qid[qid_of(row["item"])].facts.append((row["prop"].value, row["value"], row["date"]))
        lang_block = ((Variable("lang"),), [(Literal(lang),) for lang in languages])
        for row in _select(remote, with_rows(read_query("wikidata-labels"), item_block, lang_block)):
            by_qid[qid_of(row["item"])].labels.append(row["label"])
        for row in _select(remote, with_rows(read_query("wikidata-twins"), item_block)):
            by_qid[qid_of(row["item"])].twins.append(Twin(
                row["statement"].value, qid_of(row["twin"]),
                row["twinLabel"].value if row["twinLabel"] else None,
                row["start"].value if row["start"] else None,
                row["end"].value if row["end"] else None))
    return list(found.values())
