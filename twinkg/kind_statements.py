"""Statements a kind makes beyond what its fields state one by one (twinkg/kinds.py).

Each hook is ``hook(b, entry, e, src)``: ``b`` is the RDF builder (loaders/rdf.py: ``add``,
``text``, ``date``, ``iri``, ``concept``, ``origin``, ``curated``), ``entry`` the curated
record, ``e`` its IRI and ``src`` the source whose graph its statements go to.
"""

from __future__ import annotations

from decimal import Decimal

from pyoxigraph import Literal, NamedNode

from twinkg.config import PREFIXES

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]


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


TK, RDF, RDFS, DCT, ORG, GEO, OWL, PROV = map(_ns, ("tk", "rdf", "rdfs", "dct", "org", "geo", "owl", "prov"))
WKT = NamedNode(PREFIXES["geosparql"] + "wktLiteral")
#: The partnership kind that tk:twinnedWith stands for (ontology/README.md).
TWINNED_KIND = "twin-town"


def term(curie: str) -> NamedNode:
    prefix, _, local = curie.partition(":")
    return NamedNode(PREFIXES[prefix] + local)


def source(b, entry, e, src):
    d = entry.data
    # the title as published, tagged with the document's language where it is known
    b.add(e, RDFS("label"), Literal(d["title"].strip(), language=d.get("language")), src)


def country(b, entry, e, src):
    b.add(e, TK("countryCode"), Literal(entry.id.upper()), src)


def city(b, entry, e, src):
    geo = entry.data.get("geo")
    if geo:
        gsrc = geo.get("source") or src
        lat, long = Decimal(str(geo["lat"])), Decimal(str(geo["long"]))
        b.add(e, GEO("lat"), Literal(str(lat), datatype=NamedNode(XSD + "decimal")), gsrc)
        b.add(e, GEO("long"), Literal(str(long), datatype=NamedNode(XSD + "decimal")), gsrc)
        b.add(e, TK("coordinates"), Literal(f"Point({long} {lat})", datatype=WKT), gsrc)
        if geo.get("geonames"):
            b.add(e, OWL("sameAs"), NamedNode(f"https://sws.geonames.org/{geo['geonames']}/"), gsrc)


def person(b, entry, e, src):
    for i, office in enumerate(entry.data.get("offices") or []):
        osrc = office.get("source") or src
        o = NamedNode(f"{e.value}#office-{i + 1}")
        b.origin(o, entry, office.line, f"{entry.path}.offices[{i + 1}]")
        b.add(o, RDF_TYPE, TK("Office"), osrc)
        b.add(o, ORG("member"), e, osrc)
        b.add(e, ORG("hasMembership"), o, osrc)
        if office.get("organization"):  # (missing only in _without's copy)
            b.add(o, ORG("organization"), b.iri("organization", office["organization"]), osrc)
        b.add(o, ORG("role"), b.concept("role", office["role"]), osrc)
        b.add(o, DCT("source"), b.iri("source", osrc), osrc)
        if office.get("title"):
            b.text(o, RDFS("label"), office["title"], osrc)
        for key in ("start", "end", "attested"):
            if office.get(key) is not None:
                b.date(o, key, office[key], osrc)


def partnership(b, entry, e, src):
    d = entry.data
    # A partnership is named after its cities, in every language both have a name in.
    names = [b.curated.ids["city"][c].data["name"] for c in d["cities"]]
    for lang in (lang for lang in names[0] if lang in names[1]):
        label = f"{names[0][lang].strip()} – {names[1][lang].strip()}"
        b.add(e, RDFS("label"), Literal(label, language=lang), src)
    # The direct city–city link (Wikidata's P190) makes the common question one hop, and
    # means one thing: a twin-town partnership in force (no end). Ended, informal and other
    # kinds stay reachable through the partnership node (tk:partner, kind, dates).
    if d["kind"] == TWINNED_KIND and d.get("end") is None:
        a, c = (b.iri("city", slug) for slug in d["cities"])
        b.add(a, TK("twinnedWith"), c, src)
        b.add(c, TK("twinnedWith"), a, src)


def event(b, entry, e, src):
    d = entry.data
    for i, part in enumerate(d.get("participants") or []):
        psrc = part.get("source") or src
        kind = next((k for k in ("person", "organization", "city", "group") if part.get(k)), None)
        if kind is None:  # (only in _without's copy: the participation is what is inferred)
            continue
        node = NamedNode(f"{e.value}#participant-{i + 1}")
        b.origin(node, entry, part.line, f"{entry.path}.participants[{i + 1}]")
        b.add(e, TK("participation"), node, psrc)
        b.add(node, RDF_TYPE, TK("Participation"), psrc)
        if kind == "group":  # unnamed: described, no agent to link
            b.text(node, TK("group"), part["group"], psrc)
            continue
        agent = b.iri(kind, part[kind])
        b.add(e, TK("participant"), agent, psrc)
        b.add(node, TK("agent"), agent, psrc)
        if part.get("role"):
            b.add(node, TK("role"), b.concept("role", part["role"]), psrc)
            if kind == "person":
                _attest(b, agent, part["person"], part["role"], e, psrc)
        if part.get("title"):
            b.text(node, RDFS("label"), part["title"], psrc)


def _attest(b, person: NamedNode, slug: str, role: str, event: NamedNode, source: str) -> None:
    """The event attests the person's offices in the role they took part in: it gives an
    office without start and end its time (tk:attestedAt)."""
    offices = b.curated.ids["person"][slug].data.get("offices") or []
    for i, office in enumerate(offices):
        if office["role"] == role:
            b.add(NamedNode(f"{person.value}#office-{i + 1}"), TK("attestedAt"), event, source)
