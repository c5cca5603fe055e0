"""The registry of entity kinds: each kind of curated record declared once.

A kind says where its records are (the YAML file), what they hold (fields, their types, the
kinds a reference may point to), which statements each field makes (``prop``; the RDF
builder in loaders/rdf.py is driven by it, with a hook only for statements no field makes
alone, twinkg/kind_statements.py), and how the site shows it: its labels in the UI
languages, whether and where it is listed and how a list sorts, whether its page reads a
context query (server/sparql/context-{name}.rq), its schema.org type and properties.

Loaders, export and server all read a :class:`Registry`: :data:`CURATED` unless the
settings carry another (``Settings.kinds``, e.g. ``CURATED.with_kinds(school)`` for a dataset
with a kind of its own; see :func:`kinds_of`). Adding a kind touches this file, the
ontology and shapes, the data and, if its page shows more than its statements, a template
(``server/templates/entity/{name}.html``; ``entity.html`` serves every kind).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from twinkg import kind_statements as hooks

# Value types a field can have; see loaders/check.py for what each accepts and
# loaders/rdf.py for the statements each makes.
SLUG, STRING, TEXT, ALT_NAMES, DATE, IRI, INT, DECIMAL, LANG, QID = (
    "slug", "string", "text", "alt-names", "date", "iri", "int", "decimal", "lang", "qid",
)
REF, REFS, CONCEPT, RECORD, RECORDS = "ref", "refs", "concept", "record", "records"
#: A map from other fields of the same record to why what they say is inferred, not stated
#: by the source word for word (a text): `inferred: {place: {de: …, en: …}}`.
INFERRED = "inferred"

#: SKOS concept schemes by the short name used here, and the ontology scheme they are.
SCHEMES = {
    "partnership-kind": "PartnershipKinds",
    "event-type": "EventTypes",
    "role": "Roles",
    "organization-type": "OrganizationTypes",
}


@dataclass(frozen=True)
class Field:
    type: str
    required: bool = False
    kinds: tuple[str, ...] = ()  # for REF/REFS: the kinds a reference may point to
    scheme: str = ""  # for CONCEPT
    fields: dict[str, "Field"] = field(default_factory=dict)  # for RECORD/RECORDS
    count: int = 0  # for REFS: exact number of items, 0 = any
    one_of: tuple[str, ...] = ()  # for RECORD(S): exactly one of these keys
    #: The properties (CURIEs) the value is stated with; none: the field makes no statement
    #: of its own (a hook may use it). For a DATE, the stem: "tk:start" makes tk:startDate,
    #: tk:startEarliest, tk:startLatest and tk:startPrecision.
    prop: tuple[str, ...] = ()


def f(type_, required=False, prop: str | tuple[str, ...] = (), **kw) -> Field:
    return Field(type_, required, prop=(prop,) if isinstance(prop, str) else prop, **kw)


#: A record's source: the named graph its statements go to, and its dct:source. A kind
#: without this field is a source itself (its records are their own graphs).
SOURCE = f(REF, kinds=("source",))
REQUIRED_SOURCE = f(REF, True, kinds=("source",))


@dataclass(frozen=True)
class Kind:
    name: str  # IRI segment (/id/{name}/{slug}) and reference kind
    file: str  # file name in the data directory
    cls: str  # ontology class local name
    fields: dict[str, Field]
    #: UI language → (singular, plural): page headings, list titles, search groups.
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Statements no single field makes: ``hook(builder, entry, iri, source)``.
    statements: Callable | None = None
    #: Rules that span fields of one record: ``rules(data)`` yields (field or "", message).
    rules: Callable | None = None
    #: Position among the list pages (home page, /list/…, search groups); 0: not listed.
    list_rank: int = 100
    #: What a list of this kind can be sorted by ("name", "date") and its default.
    sorts: tuple[str, ...] = ("name",)
    default_sort: str = "name"
    #: Its page adds server/sparql/context-{name}.rq's graph to its data document.
    context: bool = False
    #: schema.org JSON-LD of its page: the type, and (key, CURIE, form) per property, form
    #: one of "value" (one literal's value), "langs" (all, with languages), "ref", "refs".
    schema_type: str = "Thing"
    schema_properties: tuple[tuple[str, str, str], ...] = ()

    @property
    def stem(self) -> str:
        """How problems name its records: ``events`` in ``events[15]``."""
        return self.file.rsplit(".", 1)[0]

    @property
    def own_source(self) -> bool:
        """Its records are sources themselves (no ``source`` field)."""
        return "source" not in self.fields

    def messages(self) -> dict[str, dict[str, str]]:
        """Its UI labels as message-catalogue entries (``class.City``, ``classes.City``)."""
        return {f"class.{self.cls}": {lang: one for lang, (one, _) in self.labels.items()},
                f"classes.{self.cls}": {lang: many for lang, (_, many) in self.labels.items()}}


@dataclass(frozen=True)
class Registry:
    """The kinds of one dataset, in the order their files are read."""

    kinds: tuple[Kind, ...]
    #: Kinds one reference may point to (a photo's creators, rights_holder, depicts): an id
    #: may name only one record of them all, or a new record would silently re-point references.
    shared_id_kinds: tuple[str, ...] = ()
    #: Turtle added to the packaged ontology and shapes for the kinds that are not in them.
    ontology: tuple[bytes, ...] = ()
    shapes: tuple[bytes, ...] = ()

    def __post_init__(self):
        by_name = {k.name: k for k in self.kinds}
        if len(by_name) != len(self.kinds):
            raise ValueError("two kinds of one name")
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_class", {k.cls: k for k in self.kinds})
        object.__setattr__(self, "_messages", {key: entry for k in self.kinds for key, entry in k.messages().items()})

    def __getitem__(self, name: str) -> Kind:
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def __iter__(self):
        return iter(self.kinds)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)

    def of_class(self, cls: str) -> Kind | None:
        return self._by_class.get(cls)

    @property
    def listed(self) -> tuple[Kind, ...]:
        """The listed kinds in the order the home page shows them."""
        ranked = [k for k in self.kinds if k.list_rank]
        return tuple(sorted(ranked, key=lambda k: (k.list_rank, ranked.index(k))))

    def messages(self) -> dict[str, dict[str, str]]:
        """The kinds' UI labels as message-catalogue entries (server/i18n.py)."""
        return self._messages

    def with_kinds(self, *kinds: Kind, ontology: bytes = b"", shapes: bytes = b"") -> "Registry":
        """This registry with more kinds (read after these), and Turtle for their terms."""
        return replace(self, kinds=self.kinds + kinds,
                       ontology=self.ontology + ((ontology,) if ontology else ()),
                       shapes=self.shapes + ((shapes,) if shapes else ()))


def _event_rules(d):
    if d.get("date") is not None and d.get("start") is not None:
        yield "", "gives both date and start; use date for one day, month or year, start and end for a span"
    if d.get("end") is not None and d.get("start") is None:
        yield "end", "end without start"


AGENTS = ("person", "organization")
DEPICTABLE = ("person", "organization", "city")

NAME = f(TEXT, True, prop="rdfs:label")
ALT = f(ALT_NAMES, prop="skos:altLabel")
NOTE = f(TEXT, prop="dct:description")
PAGE = f(IRI, prop="foaf:page")

OFFICE = {
    "role": f(CONCEPT, True, scheme="role"),
    "organization": f(REF, True, kinds=("organization",)),
    "title": f(TEXT),
    "start": f(DATE),
    "end": f(DATE),
    "attested": f(DATE),
    "inferred": f(INFERRED),
    "source": SOURCE,
}

PARTICIPANT = {
    "person": f(REF, kinds=("person",)),
    "organization": f(REF, kinds=("organization",)),
    "city": f(REF, kinds=("city",)),
    # an unnamed group, as the source describes it (guests "from the partner cities")
    "group": f(TEXT),
    "role": f(CONCEPT, scheme="role"),
    "title": f(TEXT),
    "inferred": f(INFERRED),
    "source": SOURCE,
}

GEO = {
    "lat": f(DECIMAL, True),
    "long": f(DECIMAL, True),
    "geonames": f(INT),
    "source": SOURCE,
}

CURATED = Registry((
    Kind("source", "sources.yaml", "Source", {
        "id": f(SLUG, True), "title": f(STRING, True), "url": f(IRI, True, prop="foaf:page"),
        "language": f(LANG, prop="dct:language"),
        "publisher": f(REF, kinds=("organization",), prop="dct:publisher"), "note": NOTE,
    }, labels={"de": ("Quelle", "Quellen"), "en": ("Source", "Sources")},
        statements=hooks.source, list_rank=7, schema_type="CreativeWork"),
    Kind("country", "countries.yaml", "Country", {
        "id": f(SLUG, True), "name": NAME, "source": REQUIRED_SOURCE,
    }, labels={"de": ("Land", "Länder"), "en": ("Country", "Countries")},
        statements=hooks.country, list_rank=8, schema_type="Country"),
    Kind("city", "cities.yaml", "City", {
        "id": f(SLUG, True), "name": NAME, "alt_names": ALT,
        "country": f(REF, True, kinds=("country",), prop="tk:country"),
        "part_of": f(REF, kinds=("city",), prop="tk:partOf"),
        "merged_into": f(REF, kinds=("city",), prop="tk:mergedInto"),
        "wikidata": f(QID, prop="owl:sameAs"), "geo": f(RECORD, fields=GEO), "note": NOTE,
        "source": REQUIRED_SOURCE,
    }, labels={"de": ("Stadt", "Städte"), "en": ("City", "Cities")},
        statements=hooks.city, list_rank=1, context=True, schema_type="City"),
    Kind("organization", "organizations.yaml", "Organization", {
        "id": f(SLUG, True), "name": NAME, "alt_names": ALT,
        "type": f(CONCEPT, True, scheme="organization-type", prop="tk:organizationType"),
        "city": f(REF, kinds=("city",), prop="tk:basedIn"),
        "part_of": f(REF, kinds=("organization",), prop="org:subOrganizationOf"), "url": PAGE,
        "note": NOTE, "inferred": f(INFERRED), "source": REQUIRED_SOURCE,
    }, labels={"de": ("Organisation", "Organisationen"), "en": ("Organization", "Organizations")},
        list_rank=5, context=True, schema_type="Organization"),
    Kind("person", "people.yaml", "Person", {
        "id": f(SLUG, True), "name": f(STRING, True, prop=("foaf:name", "rdfs:label")),
        "honorific": f(STRING, prop="foaf:title"),
        "offices": f(RECORDS, fields=OFFICE), "source": REQUIRED_SOURCE,
    }, labels={"de": ("Person", "Personen"), "en": ("Person", "People")},
        statements=hooks.person, list_rank=4, context=True, schema_type="Person",
        schema_properties=(("name", "foaf:name", "value"),)),
    Kind("partnership", "partnerships.yaml", "Partnership", {
        "id": f(SLUG, True), "cities": f(REFS, True, kinds=("city",), count=2, prop="tk:partner"),
        "kind": f(CONCEPT, True, scheme="partnership-kind", prop="tk:partnershipKind"),
        "start": f(DATE, prop="tk:start"), "end": f(DATE, prop="tk:end"),
        "continued_by": f(REF, kinds=("partnership",), prop="tk:continuedBy"), "note": NOTE,
        "source": REQUIRED_SOURCE,
    }, labels={"de": ("Partnerschaft", "Partnerschaften"), "en": ("Partnership", "Partnerships")},
        statements=hooks.partnership, list_rank=2, sorts=("name", "date"), context=True,
        schema_properties=(("startTime", "tk:startDate", "value"), ("endTime", "tk:endDate", "value"))),
    Kind("event", "events.yaml", "Event", {
        "id": f(SLUG, True), "type": f(CONCEPT, True, scheme="event-type", prop="tk:eventType"),
        "title": NAME, "date": f(DATE, prop="tk:start"), "start": f(DATE, prop="tk:start"),
        "end": f(DATE, prop="tk:end"), "place": f(REF, kinds=("city",), prop="tk:place"),
        "venue": f(TEXT, prop="tk:venue"),
        "partnerships": f(REFS, kinds=("partnership",), prop="tk:partnership"),
        "organizers": f(REFS, kinds=("organization",), prop="tk:organizer"),
        "participants": f(RECORDS, fields=PARTICIPANT,
                          one_of=("person", "organization", "city", "group")),
        "description": NOTE, "inferred": f(INFERRED), "source": REQUIRED_SOURCE,
    }, labels={"de": ("Ereignis", "Ereignisse"), "en": ("Event", "Events")},
        statements=hooks.event, rules=_event_rules, list_rank=3, sorts=("name", "date"),
        default_sort="date", context=True, schema_type="Event",
        schema_properties=(("startDate", "tk:startDate", "value"), ("endDate", "tk:endDate", "value"),
                           ("attendee", "tk:participant", "refs"), ("organizer", "tk:organizer", "refs"))),
    Kind("photo", "media.yaml", "Photo", {
        "id": f(SLUG, True), "caption": f(TEXT, True, prop="tk:caption"),
        "credit": f(STRING, True, prop="tk:credit"),
        "creators": f(REFS, kinds=AGENTS, prop="dct:creator"),
        "rights_holder": f(REF, kinds=AGENTS, prop="dct:rightsHolder"),
        "depicts": f(REFS, kinds=DEPICTABLE, prop="tk:depicts"),
        "event": f(REF, kinds=("event",), prop="tk:documents"),
        "position": f(INT, prop="tk:position"), "inferred": f(INFERRED), "source": REQUIRED_SOURCE,
    }, labels={"de": ("Foto", "Fotos"), "en": ("Photo", "Photos")},
        list_rank=6, schema_type="Photograph",
        schema_properties=(("caption", "tk:caption", "langs"), ("creditText", "tk:credit", "value"),
                           ("creator", "dct:creator", "refs"), ("copyrightHolder", "dct:rightsHolder", "ref"),
                           ("about", "tk:depicts", "refs"))),
), shared_id_kinds=DEPICTABLE)


def kinds_of(settings) -> Registry:
    """The registry a dataset's settings name (``Settings.kinds``), else the curated one."""
    return settings.kinds or CURATED
