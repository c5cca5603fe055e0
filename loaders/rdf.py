"""Curated records → RDF quads, one named graph per source (mapping in ontology/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from twinkg.config import PREFIXES, Settings

from .check import Curated, Entry
from .schema import AGENTS, DEPICTABLE
from .values import XSD, date_bounds, parse_date
from .yamlfile import LDict, LList

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")


def _ns(prefix: str):
    base = PREFIXES[prefix]
    made: dict[str, NamedNode] = {}  # the vocabulary's terms are few and used at every record

    def term(local: str) -> NamedNode:
        try:
            return made[local]
        except KeyError:
            made[local] = NamedNode(base + local)
            return made[local]
    return term


TK, RDF, RDFS, SKOS, DCT, FOAF, ORG, GEO, OWL, PROV = map(
    _ns, ("tk", "rdf", "rdfs", "skos", "dct", "foaf", "org", "geo", "owl", "prov"))
WKT = NamedNode(PREFIXES["geosparql"] + "wktLiteral")
XSD_DATE = NamedNode(XSD + "date")
#: The partnership kind that tk:twinnedWith stands for (ontology/README.md).
TWINNED_KIND = "twin-town"


@dataclass
class Built:
    quads: list[Quad] = field(default_factory=list)
    #: entity or node IRI → (file, line, record path): to point SHACL results at the YAML
    origins: dict[str, tuple[str, int, str]] = field(default_factory=dict)


class _Builder:
    def __init__(self, settings: Settings, curated: Curated, concepts: dict[str, dict[str, str]]):
        self.settings = settings
        self.curated = curated
        self.concepts = concepts
        self.out = Built()
        self.graphs: dict[str, NamedNode] = {}  # source id → its named graph

    def iri(self, kind: str, slug: str) -> NamedNode:
        return NamedNode(self.settings.entity_iri(kind, slug))

    def ref(self, kinds, slug: str) -> NamedNode:
        kind = next(k for k in kinds if slug in self.curated.ids[k])
        return self.iri(kind, slug)

    def add(self, s, p, o, source: str) -> None:
        graph = self.graphs.get(source)
        if graph is None:
            graph = self.graphs[source] = NamedNode(self.settings.source_graph(source))
        self.out.quads.append(Quad(s, p, o, graph))

    def text(self, s, p, value: dict, source: str) -> None:
        for lang, text in value.items():
            self.add(s, p, Literal(text.strip(), language=lang), source)

    def date(self, s, stem: str, value, source: str) -> None:
        """tk:{stem}Date at the source's precision, and beside it the bounds a range filter
        can use: tk:{stem}Earliest, tk:{stem}Latest (xsd:date) and tk:{stem}Precision."""
        lexical, datatype, _ = parse_date(value)
        earliest, latest, precision = date_bounds(value)
        self.add(s, TK(stem + "Date"), Literal(lexical, datatype=NamedNode(datatype)), source)
        self.add(s, TK(stem + "Earliest"), Literal(earliest, datatype=XSD_DATE), source)
        self.add(s, TK(stem + "Latest"), Literal(latest, datatype=XSD_DATE), source)
        self.add(s, TK(stem + "Precision"), Literal(precision), source)

    def concept(self, scheme: str, notation: str) -> NamedNode:
        return NamedNode(self.concepts[scheme][notation])

    def build(self) -> Built:
        for entry in self.curated.entries:
            e = self.iri(entry.kind.name, entry.id)
            quads = self._record(entry, e, entry.data, keep_origins=True)
            self.out.quads.extend(quads)
            self._mark_inferred(entry, e, quads)
        return self.out

    def _record(self, entry: Entry, e: NamedNode, data, keep_origins: bool = False) -> list[Quad]:
        """The quads one record (given as ``data``) makes, apart from the rest."""
        out, self.out = self.out, Built()
        try:
            getattr(self, f"_{entry.kind.name}")(replace(entry, data=data), e)
            return self.out.quads
        finally:
            if keep_origins:
                out.origins.update(self.out.origins)
            self.out = out

    def _mark_inferred(self, entry: Entry, e: NamedNode, quads: list[Quad]) -> None:
        """Each statement a field marked ``inferred`` makes (those the record would not make
        without it) gets a tk:InferredStatement naming it and why: shown on the page,
        filterable in SPARQL (ontology/README.md, "Inferred statements")."""
        n = 0
        for path, reason, source in _inferred_fields(entry.data):
            without = set(self._record(entry, e, _without(entry.data, path)))
            for q in (q for q in quads if q not in without):
                n += 1
                node = NamedNode(f"{e.value}#inferred-{n}")
                self.out.origins[node.value] = (entry.file, entry.data.line, f"{entry.path}.inferred")
                self.add(e, TK("inferredStatement"), node, source)
                self.add(node, RDF_TYPE, TK("InferredStatement"), source)
                self.add(node, RDF("subject"), q.subject, source)
                self.add(node, RDF("predicate"), q.predicate, source)
                self.add(node, RDF("object"), q.object, source)
                self.text(node, TK("derivation"), reason, source)
                self.add(node, PROV("wasDerivedFrom"), self.iri("source", source), source)

    def _common(self, entry: Entry, e: NamedNode, sources=()) -> str:
        d = entry.data
        source = d["source"] if entry.kind.name != "source" else d["id"]
        self.out.origins[e.value] = (entry.file, d.line, entry.path)
        self.add(e, RDF_TYPE, TK(entry.kind.cls), source)
        for used in dict.fromkeys((source, *sources)):
            self.add(e, DCT("source"), self.iri("source", used), source)
        for key in ("name", "title"):
            if isinstance(d.get(key), dict):
                self.text(e, RDFS("label"), d[key], source)
        for lang, names in (d.get("alt_names") or {}).items():
            for name in names:
                self.add(e, SKOS("altLabel"), Literal(name.strip(), language=lang), source)
        for key in ("note", "description"):
            if d.get(key):
                self.text(e, DCT("description"), d[key], source)
        if d.get("url"):
            self.add(e, FOAF("page"), NamedNode(d["url"]), source)
        return source

    def _nested_sources(self, d, key: str) -> list[str]:
        value = d.get(key)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        return [i["source"] for i in items if i.get("source")]

    def _source(self, entry, e):
        d = entry.data
        src = self._common(entry, e)
        # the title as published, tagged with the document's language where it is known
        self.add(e, RDFS("label"), Literal(d["title"].strip(), language=d.get("language")), src)
        if d.get("language"):
            self.add(e, DCT("language"), Literal(d["language"]), src)
        if d.get("publisher"):
            self.add(e, DCT("publisher"), self.iri("organization", d["publisher"]), src)

    def _country(self, entry, e):
        src = self._common(entry, e)
        self.add(e, TK("countryCode"), Literal(entry.id.upper()), src)

    def _city(self, entry, e):
        d = entry.data
        src = self._common(entry, e, self._nested_sources(d, "geo"))
        self.add(e, TK("country"), self.iri("country", d["country"]), src)
        if d.get("part_of"):
            self.add(e, TK("partOf"), self.iri("city", d["part_of"]), src)
        if d.get("merged_into"):
            self.add(e, TK("mergedInto"), self.iri("city", d["merged_into"]), src)
        if d.get("wikidata"):
            self.add(e, OWL("sameAs"), NamedNode(PREFIXES["wd"] + d["wikidata"]), src)
        geo = d.get("geo")
        if geo:
            gsrc = geo.get("source") or src
            lat, long = Decimal(str(geo["lat"])), Decimal(str(geo["long"]))
            self.add(e, GEO("lat"), Literal(str(lat), datatype=NamedNode(XSD + "decimal")), gsrc)
            self.add(e, GEO("long"), Literal(str(long), datatype=NamedNode(XSD + "decimal")), gsrc)
            self.add(e, TK("coordinates"), Literal(f"Point({long} {lat})", datatype=WKT), gsrc)
            if geo.get("geonames"):
                self.add(e, OWL("sameAs"), NamedNode(f"https://sws.geonames.org/{geo['geonames']}/"), gsrc)

    def _organization(self, entry, e):
        d = entry.data
        src = self._common(entry, e)
        self.add(e, TK("organizationType"), self.concept("organization-type", d["type"]), src)
        if d.get("city"):
            self.add(e, TK("basedIn"), self.iri("city", d["city"]), src)
        if d.get("part_of"):
            self.add(e, ORG("subOrganizationOf"), self.iri("organization", d["part_of"]), src)

    def _person(self, entry, e):
        d = entry.data
        src = self._common(entry, e, self._nested_sources(d, "offices"))
        name = Literal(d["name"].strip())
        self.add(e, FOAF("name"), name, src)
        self.add(e, RDFS("label"), name, src)
        if d.get("honorific"):
            self.add(e, FOAF("title"), Literal(d["honorific"].strip()), src)
        for i, office in enumerate(d.get("offices") or []):
            osrc = office.get("source") or src
            o = NamedNode(f"{e.value}#office-{i + 1}")
            self.out.origins[o.value] = (entry.file, office.line, f"{entry.path}.offices[{i + 1}]")
            self.add(o, RDF_TYPE, TK("Office"), osrc)
            self.add(o, ORG("member"), e, osrc)
            self.add(e, ORG("hasMembership"), o, osrc)
            if office.get("organization"):  # (missing only in _without's copy)
                self.add(o, ORG("organization"), self.iri("organization", office["organization"]), osrc)
            self.add(o, ORG("role"), self.concept("role", office["role"]), osrc)
            self.add(o, DCT("source"), self.iri("source", osrc), osrc)
            if office.get("title"):
                self.text(o, RDFS("label"), office["title"], osrc)
            for key in ("start", "end", "attested"):
                if office.get(key) is not None:
                    self.date(o, key, office[key], osrc)

    def _partnership(self, entry, e):
        d = entry.data
        src = self._common(entry, e)
        a, b = (self.iri("city", c) for c in d["cities"])
        # A partnership is named after its cities, in every language both have a name in.
        names = [self.curated.ids["city"][c].data["name"] for c in d["cities"]]
        for lang in (lang for lang in names[0] if lang in names[1]):
            label = f"{names[0][lang].strip()} – {names[1][lang].strip()}"
            self.add(e, RDFS("label"), Literal(label, language=lang), src)
        for city in (a, b):
            self.add(e, TK("partner"), city, src)
        # The direct city–city link (Wikidata's P190) makes the common question one hop, and
        # means one thing: a twin-town partnership in force (no end). Ended, informal and other
        # kinds stay reachable through the partnership node (tk:partner, kind, dates).
        if d["kind"] == TWINNED_KIND and d.get("end") is None:
            self.add(a, TK("twinnedWith"), b, src)
            self.add(b, TK("twinnedWith"), a, src)
        self.add(e, TK("partnershipKind"), self.concept("partnership-kind", d["kind"]), src)
        for key in ("start", "end"):
            if d.get(key) is not None:
                self.date(e, key, d[key], src)
        if d.get("continued_by"):
            self.add(e, TK("continuedBy"), self.iri("partnership", d["continued_by"]), src)

    def _event(self, entry, e):
        d = entry.data
        src = self._common(entry, e, self._nested_sources(d, "participants"))
        self.add(e, TK("eventType"), self.concept("event-type", d["type"]), src)
        # An event the source gives no date for keeps none (never a guessed one).
        start = d.get("date") if d.get("date") is not None else d.get("start")
        if start is not None:
            self.date(e, "start", start, src)
        if d.get("end") is not None:
            self.date(e, "end", d["end"], src)
        if d.get("place"):
            self.add(e, TK("place"), self.iri("city", d["place"]), src)
        if d.get("venue"):
            self.text(e, TK("venue"), d["venue"], src)
        for p in d.get("partnerships") or []:
            self.add(e, TK("partnership"), self.iri("partnership", p), src)
        for o in d.get("organizers") or []:
            self.add(e, TK("organizer"), self.iri("organization", o), src)
        for i, part in enumerate(d.get("participants") or []):
            psrc = part.get("source") or src
            kind = next((k for k in ("person", "organization", "city", "group") if part.get(k)), None)
            if kind is None:  # (only in _without's copy: the participation is what is inferred)
                continue
            node = NamedNode(f"{e.value}#participant-{i + 1}")
            self.out.origins[node.value] = (entry.file, part.line, f"{entry.path}.participants[{i + 1}]")
            self.add(e, TK("participation"), node, psrc)
            self.add(node, RDF_TYPE, TK("Participation"), psrc)
            if kind == "group":  # unnamed: described, no agent to link
                self.text(node, TK("group"), part["group"], psrc)
                continue
            agent = self.iri(kind, part[kind])
            self.add(e, TK("participant"), agent, psrc)
            self.add(node, TK("agent"), agent, psrc)
            if part.get("role"):
                self.add(node, TK("role"), self.concept("role", part["role"]), psrc)
                if kind == "person":
                    self._attest(agent, part["person"], part["role"], e, psrc)
            if part.get("title"):
                self.text(node, RDFS("label"), part["title"], psrc)

    def _attest(self, person: NamedNode, slug: str, role: str, event: NamedNode, source: str) -> None:
        """The event attests the person's offices in the role they took part in: it gives an
        office without start and end its time (tk:attestedAt)."""
        offices = self.curated.ids["person"][slug].data.get("offices") or []
        for i, office in enumerate(offices):
            if office["role"] == role:
                self.add(NamedNode(f"{person.value}#office-{i + 1}"), TK("attestedAt"), event, source)

    def _photo(self, entry, e):
        d = entry.data
        src = self._common(entry, e)
        self.text(e, TK("caption"), d["caption"], src)
        self.add(e, TK("credit"), Literal(d["credit"].strip()), src)
        for c in d.get("creators") or []:
            self.add(e, DCT("creator"), self.ref(AGENTS, c), src)
        if d.get("rights_holder"):
            self.add(e, DCT("rightsHolder"), self.ref(AGENTS, d["rights_holder"]), src)
        for thing in d.get("depicts") or []:
            self.add(e, TK("depicts"), self.ref(DEPICTABLE, thing), src)
        if d.get("event"):
            self.add(e, TK("documents"), self.iri("event", d["event"]), src)
        if d.get("position") is not None:
            self.add(e, TK("position"), Literal(d["position"]), src)


#: Records nested in a record that may mark their own fields as inferred.
NESTED = ("offices", "participants")


def _inferred_fields(data):
    """(path to the field, reason, source) for each field marked inferred in a record and in
    its nested records (a path is ("place",) or ("offices", 0, "organization"))."""
    for key, reason in (data.get("inferred") or {}).items():
        yield (key,), reason, data["source"]
    for nested in NESTED:
        for i, item in enumerate(data.get(nested) or []):
            for key, reason in (item.get("inferred") or {}).items():
                yield (nested, i, key), reason, item.get("source") or data["source"]


def _without(data, path: tuple):
    """A copy of the record without the field at ``path`` (its lines kept for origins)."""
    copy = LDict(data)
    copy.line, copy.lines = data.line, data.lines
    if len(path) == 1:
        del copy[path[0]]
        return copy
    key, i, rest = path[0], path[1], path[2:]
    items = LList(data[key])
    items.line, items.lines = data[key].line, data[key].lines
    items[i] = _without(data[key][i], rest)
    copy[key] = items
    return copy


def build_quads(settings: Settings, curated: Curated, concepts: dict[str, dict[str, str]]) -> Built:
    return _Builder(settings, curated, concepts).build()
