"""What the dataset says about itself: title, description, publisher, keywords, version.

Read from ``DATASET.toml`` in the data directory (a municipality publishing its own data
writes its own; TOML, so the YAML loader, which reads only ``*.yaml``, leaves it alone). The
licence is a setting (``dataset_license`` in twinkg/config.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from twinkg.config import Settings
from twinkg.errors import TwinkgError

FILE_NAME = "DATASET.toml"
LANGUAGES = ("de", "en")

#: Used when the data directory has no DATASET.toml (a fixture, a fresh checkout).
DEFAULTS = {
    "version": "0.0.0",
    "publisher": "twinkg",
    "title": {"de": "twinkg-Datensatz", "en": "twinkg dataset"},
    "description": {"de": "Städtepartnerschaften als Linked Data.",
                    "en": "Town twinning as linked data."},
    "keywords": {"de": ["Städtepartnerschaft"], "en": ["town twinning"]},
}


@dataclass(frozen=True)
class DatasetInfo:
    version: str
    publisher: str
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]
    license: str


def _text(raw: dict, key: str, where: str) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) and value[lang].strip()
                                              for lang in LANGUAGES):
        raise TwinkgError(f"{where}: [{key}] needs a text for each of {', '.join(LANGUAGES)}")
    return {lang: str(text).strip() for lang, text in value.items()}


def dataset_info(settings: Settings) -> DatasetInfo:
    path = Path(settings.data_dir) / FILE_NAME
    raw = dict(DEFAULTS)
    if path.exists():
        try:
            raw |= tomllib.loads(path.read_bytes().decode("utf-8"))
        except tomllib.TOMLDecodeError as exc:  # its message ends with "(at line N, column M)"
            raise TwinkgError(f"{path}: {exc}") from None
        except UnicodeDecodeError as exc:  # said the same way, so that validate gives the line
            line = exc.object.count(b"\n", 0, exc.start) + 1
            column = exc.start - exc.object.rfind(b"\n", 0, exc.start)
            raise TwinkgError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}) "
                              f"(at line {line}, column {column})") from None
    where = str(path)
    if not isinstance(raw.get("version"), str) or not raw["version"].strip():
        raise TwinkgError(f"{where}: version must be a string such as \"1.0.0\"")
    keywords = raw.get("keywords")
    if not isinstance(keywords, dict) or not all(isinstance(v, list) for v in keywords.values()):
        raise TwinkgError(f"{where}: [keywords] maps a language to a list of strings")
    return DatasetInfo(
        version=raw["version"].strip(),
        publisher=str(raw.get("publisher", DEFAULTS["publisher"])),
        title=_text(raw, "title", where),
        description=_text(raw, "description", where),
        keywords={lang: [str(k) for k in words] for lang, words in keywords.items()},
        license=settings.dataset_license,
    )
