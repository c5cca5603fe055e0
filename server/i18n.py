"""The UI in German and English: a small message catalogue and the reader's language.

The language is chosen by the address (``/de/…``, server/pages/addresses.py), else by an explicit
switch (remembered in a cookie), else by the browser's
``Accept-Language``, else English (for clients that state no language: crawlers, scripts). A plain JSON catalogue is
enough for two languages and a few hundred strings; it needs no compile step.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from flask import g, request

from twinkg.config import DEFAULT_LANGUAGE, UI_LANGUAGES

LANGUAGES = UI_LANGUAGES
DEFAULT = DEFAULT_LANGUAGE
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
#: The WSGI environ key where server/pages/addresses.py puts the language of a ``/de/…`` address.
LANGUAGE_PREFIX = "twinkg.language"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    text = files("twinkg.server").joinpath("messages.json").read_text(encoding="utf-8")
    return json.loads(text)


def current_language() -> str:
    """The reader's language for this request (computed once, also for error pages)."""
    if "lang" not in g:
        cookie = request.cookies.get(COOKIE)
        if request.environ.get(LANGUAGE_PREFIX) in LANGUAGES:
            g.lang = request.environ[LANGUAGE_PREFIX]
        elif cookie in LANGUAGES:
            g.lang = cookie
        else:
            g.lang = request.accept_languages.best_match(LANGUAGES) or DEFAULT
    return g.lang


def translate(key: str, lang: str | None = None, more: dict | None = None) -> str:
    """``key``'s text in ``lang``, from the catalogue or ``more`` (the kinds' labels,
    twinkg/kinds.py: ``class.City``, ``classes.City``)."""
    entry = catalogue().get(key) or (more or {}).get(key)
    if entry is None:
        return key  # a missing key shows itself rather than failing the page
    return entry.get(lang or current_language()) or entry.get(DEFAULT) or key


def translator(lang: str, more: dict | None = None):
    """``_`` for templates, bound to one language (looked up once per request)."""
    return lambda key: translate(key, lang, more)


#: The decimal separator of each UI language that does not write a point.
DECIMAL_SEPARATOR = {"de": ","}


def decimal(number: str, lang: str) -> str:
    """A number (as Python writes it) as ``lang`` writes it: 47.39484 is 47,39484 in German."""
    return number.replace(".", DECIMAL_SEPARATOR.get(lang, "."))


def other_languages() -> list[str]:
    return [lang for lang in LANGUAGES if lang != current_language()]
