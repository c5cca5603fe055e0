"""schema.org JSON-LD for search engines, built as a Python dict.

Templates emit it with Jinja's ``tojson`` filter, which serializes with json.dumps and
escapes ``<``, ``>``, ``&`` and ``'``, so data can never close the ``<script>`` element.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from twinkg.kinds import Kind
from twinkg.server.pages.page_graph import GraphIndex


def _lang_values(g: GraphIndex, s, p) -> list[dict]:
    return [{"@value": o.value, "@language": o.language} if o.language else o.value
            for o in g.objects(s, p) if isinstance(o, Literal)]


def _ref(g: GraphIndex, node) -> dict:
    ref = {"@id": node.value}
    names = _lang_values(g, node, "rdfs:label")
    if names:
        ref["name"] = names
    return ref


def _property(g: GraphIndex, e: NamedNode, curie: str, form: str):
    """One schema.org property's value in the ``form`` the kind declares (twinkg/kinds.py)."""
    if form == "langs":
        return _lang_values(g, e, curie)
    if form == "refs":
        return [_ref(g, o) for o in g.objects(e, curie)]
    value = g.value(e, curie)
    if value is None:
        return None
    return _ref(g, value) if form == "ref" else value.value


def schema_org(page, kind: Kind, g: GraphIndex, e: NamedNode, page_url: str) -> dict:
    doc = {
        "@context": "https://schema.org/",
        "@id": page.iri,
        "@type": kind.schema_type,
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
    place = g.value(e, "tk:place")
    if place is not None:
        doc["location"] = {"@type": "Place", **_ref(g, place)}
    for key, curie, form in kind.schema_properties:
        value = _property(g, e, curie, form)
        if value is not None:  # (a person's foaf:name is its name; without one, its label)
            doc[key] = value
    sources = [o.value for o in g.objects(e, "dct:source")]
    if sources:
        doc["isBasedOn"] = sources
    return {k: v for k, v in doc.items() if v not in ([], None)}
