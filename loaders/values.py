"""Parsing of single curated values: dates, slugs, language tags, IRIs."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

XSD = "http://www.w3.org/2001/XMLSchema#"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ValueProblem(ValueError):
    """A value that cannot be used; the message says why."""


def parse_date(value) -> tuple[str, str, tuple[int, int, int]]:
    """``"2024"``, ``"1962-05"`` or ``"2024-04-12"`` → (lexical form, XSD datatype, sort key).

    The datatype keeps the precision the source gives: gYear, gYearMonth or date.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise ValueProblem(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    m = DATE_RE.match(value.strip())
    if not m:
        raise ValueProblem(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return year, XSD + "gYear", (int(year), 0, 0)
    if not 1 <= int(month) <= 12:
        raise ValueProblem(f"impossible date {value!r}: there is no month {int(month)}")
    if day is None:
        return f"{year}-{month}", XSD + "gYearMonth", (int(year), int(month), 0)
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise ValueProblem(f"impossible date {value!r}: {exc}") from None
    return f"{year}-{month}-{day}", XSD + "date", (int(year), int(month), int(day))


def check_iri(value) -> str:
    if not isinstance(value, str):
        raise ValueProblem(f"expected an absolute http(s) IRI, got {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in ' <>"{}|\\^`'):
        raise ValueProblem(f"expected an absolute http(s) IRI, got {value!r}")
    return value
