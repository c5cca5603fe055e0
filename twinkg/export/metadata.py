"""What the dataset says about itself: title, description, keywords, version, themes, and
who publishes it (the publisher and a contact point).

Read from ``DATASET.toml`` in the data directory (a municipality publishing its own data
writes its own; TOML, so the YAML loader, which reads only ``*.yaml``, leaves it alone). The
licence is a setting (``dataset_license`` in twinkg/config.py). Problems are reported as
``file: message (at line N, column M)``, the form the load pipeline turns into ``file:line``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from twinkg.config import Settings
from twinkg.errors import TwinkgError

FILE_NAME = "DATASET.toml"
LANGUAGES = ("de", "en")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

#: The EU data-theme vocabulary (http://publications.europa.eu/resource/authority/data-theme):
#: code → English label, as the vocabulary has them.
THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "OP_DATPRO": "Provisional data",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
#: The ADMS publisher types (http://purl.org/adms/publishertype/1.0): code → English label.
PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local Authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-Governmental Organisation",
    "NonProfitOrganisation": "Non-Profit Organisation",
    "PrivateIndividual(s)": "Private Individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}

#: Used when the data directory has no DATASET.toml (a fixture, a fresh checkout): no
#: publisher is stated then, and the description says none (a published dataset needs one).
DEFAULTS = {
    "version": "0.0.0",
    "title": {"de": "twinkg-Datensatz", "en": "twinkg dataset"},
    "description": {"de": "Städtepartnerschaften als Linked Data.",
                    "en": "Town twinning as linked data."},
    "keywords": {"de": ["Städtepartnerschaft"], "en": ["town twinning"]},
    "themes": ["INTR"],
}


@dataclass(frozen=True)
class Publisher:
    #: id of the organization (organizations.yaml) that publishes: its entity IRI is the agent's
    organization: str
    name: dict[str, str]
    #: an ADMS publisher type (a key of PUBLISHER_TYPES)
    type: str


@dataclass(frozen=True)
class Contact:
    name: str
    url: str
    email: str | None = None


@dataclass(frozen=True)
class DatasetInfo:
    version: str
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]
    license: str
    themes: tuple[str, ...] = ("INTR",)
    publisher: Publisher | None = None
    contact: Contact | None = None
    #: where it was read from (for messages about its content, e.g. an unknown organization)
    path: str = FILE_NAME
    #: table.key → line, for those messages
    lines: dict[str, int] | None = None

    def publisher_name(self, lang: str = "en") -> str:
        """The publisher's name in ``lang`` (else English, else any); "" when none is stated."""
        if self.publisher is None:
            return ""
        names = self.publisher.name
        return names.get(lang) or names.get("en") or next(iter(names.values()), "")

    def error(self, key: str, message: str) -> TwinkgError:
        """A problem with the value of ``key`` (e.g. an organization the data lacks)."""
        line = (self.lines or {}).get(key, 0)
        return TwinkgError(f"{self.path}: {key}: {message}" + (f" (at line {line}, column 1)" if line else ""))


class _Lines:
    """Line numbers of the keys and tables of a TOML text (tomllib keeps none): enough to say
    where a value is wrong. ``table.key`` for keys in a table, dotted keys as written."""

    HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]")
    KEY = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*=")

    def __init__(self, text: str):
        self.lines: dict[str, int] = {}
        table = ""
        for number, line in enumerate(text.splitlines(), 1):
            if m := self.HEADER.match(line):
                table = m.group(1).replace(" ", "")
                self.lines.setdefault(table, number)
            elif m := self.KEY.match(line):
                key = f"{table}.{m.group(1)}" if table else m.group(1)
                self.lines.setdefault(key, number)
                parts = key.split(".")  # a dotted key also names its tables
                for i in range(1, len(parts)):
                    self.lines.setdefault(".".join(parts[:i]), number)

    def of(self, key: str) -> int:
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return 0


class _Reader:
    def __init__(self, path: Path, raw: dict, lines: _Lines):
        self.path, self.raw, self.lines = path, raw, lines

    def error(self, key: str, message: str) -> TwinkgError:
        line = self.lines.of(key)
        at = f" (at line {line}, column 1)" if line else ""
        return TwinkgError(f"{self.path}: {key}: {message}{at}")

    def text(self, table: dict, key: str, name: str) -> dict[str, str]:
        value = table.get(key)
        if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) and value[lang].strip()
                                                  for lang in LANGUAGES):
            raise self.error(name, f"needs a text for each of {', '.join(LANGUAGES)}")
        return {lang: str(text).strip() for lang, text in value.items()}

    def string(self, table: dict, key: str, name: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, "needs a non-empty string")
        return value.strip()

    def url(self, table: dict, key: str, name: str) -> str:
        value = self.string(table, key, name)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            raise self.error(name, f"{value!r} is not an absolute http(s) URL")
        return value

    def unknown(self, table: dict, allowed: set[str], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                raise self.error(prefix + key, "unknown key; allowed: " + ", ".join(sorted(allowed)))


def _publisher(r: _Reader, required: bool) -> Publisher | None:
    table = r.raw.get("publisher")
    if table is None and not required:
        return None
    if table is None:  # DCAT-AP: a catalogue and a dataset have a publisher
        raise r.error("publisher", "missing: a [publisher] table with organization, type and name")
    if not isinstance(table, dict):
        raise r.error("publisher", "is a table: [publisher] with organization, type and name")
    r.unknown(table, {"organization", "type", "name"}, "publisher.")
    organization = r.string(table, "organization", "publisher.organization")
    if not SLUG.fullmatch(organization):
        raise r.error("publisher.organization", f"{organization!r} is not an organization id (a slug)")
    kind = r.string(table, "type", "publisher.type")
    if kind not in PUBLISHER_TYPES:
        raise r.error("publisher.type", f"{kind!r} is not an ADMS publisher type; one of "
                      + ", ".join(PUBLISHER_TYPES))
    return Publisher(organization, r.text(table, "name", "publisher.name"), kind)


def _contact(r: _Reader) -> Contact | None:
    table = r.raw.get("contact")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise r.error("contact", "is a table: [contact] with name, url and optionally email")
    r.unknown(table, {"name", "url", "email"}, "contact.")
    email = table.get("email")
    if email is not None and (not isinstance(email, str) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)):
        raise r.error("contact.email", f"{email!r} is not an e-mail address")
    return Contact(r.string(table, "name", "contact.name"), r.url(table, "url", "contact.url"), email)


def _themes(r: _Reader) -> tuple[str, ...]:
    themes = r.raw.get("themes")
    if not isinstance(themes, list) or not themes or not all(isinstance(t, str) for t in themes):
        raise r.error("themes", "is a list of EU data-theme codes, e.g. [\"INTR\"]")
    for theme in themes:
        if theme not in THEMES:
            raise r.error("themes", f"{theme!r} is not an EU data-theme code; one of " + ", ".join(THEMES))
    return tuple(dict.fromkeys(themes))


def dataset_info(settings: Settings) -> DatasetInfo:
    path = Path(settings.data_dir) / FILE_NAME
    raw = dict(DEFAULTS)
    text = ""
    if path.exists():
        try:
            text = path.read_bytes().decode("utf-8")
            raw |= tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:  # its message ends with "(at line N, column M)"
            raise TwinkgError(f"{path}: {exc}") from None
        except UnicodeDecodeError as exc:  # said the same way, so that validate gives the line
            line = exc.object.count(b"\n", 0, exc.start) + 1
            column = exc.start - exc.object.rfind(b"\n", 0, exc.start)
            raise TwinkgError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}) "
                              f"(at line {line}, column {column})") from None
    lines = _Lines(text)
    r = _Reader(path, raw, lines)
    r.unknown(raw, {"version", "title", "description", "keywords", "themes", "publisher", "contact"})
    if not isinstance(raw.get("version"), str) or not raw["version"].strip():
        raise r.error("version", "must be a string such as \"1.0.0\"")
    keywords = raw.get("keywords")
    if not isinstance(keywords, dict) or not all(isinstance(v, list) and all(isinstance(w, str) and w.strip()
                                                                              for w in v)
                                                 for v in keywords.values()):
        raise r.error("keywords", "maps a language to a list of non-empty strings")
    return DatasetInfo(
        version=raw["version"].strip(),
        title=r.text(raw, "title", "title"),
        description=r.text(raw, "description", "description"),
        keywords={lang: [str(k).strip() for k in words] for lang, words in keywords.items()},
        license=settings.dataset_license,
        themes=_themes(r),
        publisher=_publisher(r, required=path.exists()),
        contact=_contact(r),
        path=str(path),
        lines=lines.lines,
    )
