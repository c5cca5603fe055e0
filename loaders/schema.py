"""The curated YAML schema: files, kinds and fields (documented in data/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Value types a field can have; see check.py for what each accepts.
SLUG, STRING, TEXT, ALT_NAMES, DATE, IRI, INT, DECIMAL, LANG, QID = (
    "slug", "string", "text", "alt-names", "date", "iri", "int", "decimal", "lang", "qid",
)
REF, REFS, CONCEPT, RECORD, RECORDS = "ref", "refs", "concept", "record", "records"
#: A map from other fields of the same record to why what they say is inferred, not stated
#: by the source word for word (a text): `inferred: {place: {de: …, en: …}}`.
INFERRED = "inferred"

AGENTS = ("person", "organization")
DEPICTABLE = ("person", "organization", "city")
#: Kinds one reference may point to (a photo's creators, rights_holder, depicts): an id may
#: name only one record of them all, or a new record would silently re-point references.
SHARED_ID_KINDS = DEPICTABLE

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


def f(type_, required=False, **kw) -> Field:
    return Field(type_, required, **kw)


@dataclass(frozen=True)
class Kind:
    name: str  # IRI segment and reference kind
    file: str  # file name in the data directory
    cls: str  # ontology class local name
    fields: dict[str, Field]

    @property
    def stem(self) -> str:
        """How problems name its records: ``events`` in ``events[15]``."""
        return self.file.rsplit(".", 1)[0]


SOURCE = f(REF, kinds=("source",))

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

KINDS: tuple[Kind, ...] = (
    Kind("source", "sources.yaml", "Source", {
        "id": f(SLUG, True), "title": f(STRING, True), "url": f(IRI, True),
        "language": f(LANG), "publisher": f(REF, kinds=("organization",)), "note": f(TEXT),
    }),
    Kind("country", "countries.yaml", "Country", {
        "id": f(SLUG, True), "name": f(TEXT, True), "source": f(REF, True, kinds=("source",)),
    }),
    Kind("city", "cities.yaml", "City", {
        "id": f(SLUG, True), "name": f(TEXT, True), "alt_names": f(ALT_NAMES),
        "country": f(REF, True, kinds=("country",)), "part_of": f(REF, kinds=("city",)),
        "merged_into": f(REF, kinds=("city",)),
        "wikidata": f(QID), "geo": f(RECORD, fields=GEO), "note": f(TEXT),
        "source": f(REF, True, kinds=("source",)),
    }),
    Kind("organization", "organizations.yaml", "Organization", {
        "id": f(SLUG, True), "name": f(TEXT, True), "alt_names": f(ALT_NAMES),
        "type": f(CONCEPT, True, scheme="organization-type"), "city": f(REF, kinds=("city",)),
        "part_of": f(REF, kinds=("organization",)), "url": f(IRI), "note": f(TEXT),
        "inferred": f(INFERRED), "source": f(REF, True, kinds=("source",)),
    }),
    Kind("person", "people.yaml", "Person", {
        "id": f(SLUG, True), "name": f(STRING, True), "honorific": f(STRING),
        "offices": f(RECORDS, fields=OFFICE), "source": f(REF, True, kinds=("source",)),
    }),
    Kind("partnership", "partnerships.yaml", "Partnership", {
        "id": f(SLUG, True), "cities": f(REFS, True, kinds=("city",), count=2),
        "kind": f(CONCEPT, True, scheme="partnership-kind"), "start": f(DATE), "end": f(DATE),
        "continued_by": f(REF, kinds=("partnership",)), "note": f(TEXT),
        "source": f(REF, True, kinds=("source",)),
    }),
    Kind("event", "events.yaml", "Event", {
        "id": f(SLUG, True), "type": f(CONCEPT, True, scheme="event-type"),
        "title": f(TEXT, True), "date": f(DATE), "start": f(DATE), "end": f(DATE),
        "place": f(REF, kinds=("city",)), "venue": f(TEXT),
        "partnerships": f(REFS, kinds=("partnership",)),
        "organizers": f(REFS, kinds=("organization",)),
        "participants": f(RECORDS, fields=PARTICIPANT,
                          one_of=("person", "organization", "city", "group")),
        "description": f(TEXT), "inferred": f(INFERRED), "source": f(REF, True, kinds=("source",)),
    }),
    Kind("photo", "media.yaml", "Photo", {
        "id": f(SLUG, True), "caption": f(TEXT, True), "credit": f(STRING, True),
        "creators": f(REFS, kinds=AGENTS), "rights_holder": f(REF, kinds=AGENTS),
        "depicts": f(REFS, kinds=DEPICTABLE), "event": f(REF, kinds=("event",)),
        "position": f(INT), "inferred": f(INFERRED), "source": f(REF, True, kinds=("source",)),
    }),
)

KIND_BY_NAME = {k.name: k for k in KINDS}
