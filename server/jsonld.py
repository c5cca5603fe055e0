"""schema.org JSON-LD for search engines, built as a Python dict.

Templates emit it with Jinja's ``tojson`` filter, which serializes with json.dumps and
escapes ``<``, ``>``, ``&`` and ``'``, so data can never close the ``<script>`` element.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from .graphindex import GraphIndex

SCHEMA_TYPES = {
    "city": "City", "country": "Country", "person": "Person", "organization": "Organization",
    "event": "Event", "photo": "Photograph", "source": "CreativeWork", "partnership": "Thing",
}


def _lang_values(g: GraphIndex, s, p) -> list[dict]:
    return [{"@value": o.value, "@language": o.language} if o.language else o.value
            for o in g.objects(s, p) if isinstance(o, Literal)]


def _ref(g: GraphIndex, node) -> dict:
    ref = {"@id": node.value}
    names = _lang_values(g, node, "rdfs:label")
    if names:
        ref["name"] = names
    return ref


def schema_org(page, g: GraphIndex, e: NamedNode, page_url: str) -> dict:
    doc = {
        "@context": "https://schema.org/",
        "@id": page.iri,
        "@type": SCHEMA_TYPES.get(page.kind, "Thing"),
        "name": _lang_values(g, e, "rdfs:label") or page.title.value,
        "url": page_url,
    }
    description = _lang_values(g, e, "dct:description")
    if description:
        doc["description"] = description
    same = [o.value for o in g.objects(e, "owl:sameAs")]
    if same:
        doc["sameAs"] = same
    lat, long = g.value(e, "geo:lat"), g.value(e, "geo:long")
    if lat is not None and long is not None:
        doc["geo"] = {"@type": "GeoCoordinates", "latitude": float(lat.value), "longitude": float(long.value)}
    for prop, key in (("tk:startDate", "startDate"), ("tk:endDate", "endDate")):
        value = g.value(e, prop)
        if value is not None and page.kind in ("event", "partnership"):
            doc[key if page.kind == "event" else key.replace("Date", "Time")] = value.value
    place = g.value(e, "tk:place")
    if place is not None:
        doc["location"] = {"@type": "Place", **_ref(g, place)}
    if page.kind == "photo":
        doc["caption"] = _lang_values(g, e, "tk:caption")
        credit = g.value(e, "tk:credit")
        if credit is not None:
            doc["creditText"] = credit.value
        doc["creator"] = [_ref(g, c) for c in g.objects(e, "dct:creator")]
        holder = g.value(e, "dct:rightsHolder")
        if holder is not None:
            doc["copyrightHolder"] = _ref(g, holder)
        doc["about"] = [_ref(g, d) for d in g.objects(e, "tk:depicts")]
    if page.kind == "event":
        doc["attendee"] = [_ref(g, a) for a in g.objects(e, "tk:participant")]
        doc["organizer"] = [_ref(g, o) for o in g.objects(e, "tk:organizer")]
    if page.kind == "person":
        name = g.value(e, "foaf:name")
        if name is not None:
            doc["name"] = name.value
    sources = [o.value for o in g.objects(e, "dct:source")]
    if sources:
        doc["isBasedOn"] = sources
    return {k: v for k, v in doc.items() if v not in ([], None)}
