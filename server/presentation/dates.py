"""Dates at the precision the source gives (year, month or day), and anniversaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

XSD = "http://www.w3.org/2001/XMLSchema#"
MONTHS = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
#: Anniversaries that are celebrated: every fifth year (the sources mark 35, 50 and 60 years).
ROUND = 5


def format_date(lexical: str, datatype: str, lang: str) -> str:
    months = MONTHS.get(lang, MONTHS["en"])
    try:
        if datatype == XSD + "gYear":
            return str(int(lexical))
        if datatype == XSD + "gYearMonth":
            year, month = lexical.split("-")[:2]
            return f"{months[int(month) - 1]} {int(year)}"
        if datatype == XSD + "date":
            year, month, day = lexical[:10].split("-")
            if lang == "de":
                return f"{int(day)}. {months[int(month) - 1]} {int(year)}"
            return f"{int(day)} {months[int(month) - 1]} {int(year)}"
    except (ValueError, IndexError):
        pass
    return lexical


#: xsd:gYear, gYearMonth and date, the date part of each (a time zone suffix is left out).
_ISO_DATE = {XSD + name: re.compile(rf"({pattern})(?:Z|[+-]\d\d:\d\d)?")
             for name, pattern in (("gYear", r"\d{4,}"), ("gYearMonth", r"\d{4,}-\d\d"),
                                   ("date", r"\d{4,}-\d\d-\d\d"))}


def html_datetime(lexical: str, datatype: str) -> str | None:
    """A date as HTML's ``<time datetime>`` takes it: YYYY, YYYY-MM or YYYY-MM-DD at the
    precision of the data; None for what HTML cannot express (year 0, years BCE)."""
    pattern = _ISO_DATE.get(datatype)
    found = pattern.fullmatch(lexical) if pattern else None
    if found is None or not found.group(1).partition("-")[0].strip("0"):
        return None
    return found.group(1)


def year_of(lexical: str) -> int | None:
    head = lexical.lstrip("-")[:4]
    return int(head) if head.isdigit() else None


@dataclass(frozen=True)
class Anniversaries:
    past: list[tuple[int, int]]  # (years, calendar year), oldest first
    next: tuple[int, int] | None  # the next round one from ``today`` on, if the partnership goes on


def anniversaries(start_year: int, today_year: int, end_year: int | None = None) -> Anniversaries:
    """Round anniversaries of a partnership begun in ``start_year``, as of ``today_year``.

    Past ones are those up to this year (and not after the partnership ended); the next one is
    the first round one after this year, unless the partnership has ended.
    """
    last = min(today_year, end_year) if end_year is not None else today_year
    past = [(n, start_year + n) for n in range(ROUND, last - start_year + 1, ROUND)]
    upcoming = None
    if end_year is None:
        n = ((today_year - start_year) // ROUND + 1) * ROUND
        upcoming = (n, start_year + n)
    return Anniversaries(past, upcoming)
