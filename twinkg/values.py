"""Parsing of single curated values: dates, slugs, language tags, IRIs."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode

XSD = "http://www.w3.org/2001/XMLSchema#"

# ASCII digits only ([0-9], not \d, which takes any script's digits) and \Z, not $, which
# would let a trailing newline through into an IRI or a literal.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LANG_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*\Z")
QID_RE = re.compile(r"^Q[1-9][0-9]*\Z")
DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


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


#: The precision of a curated date, by its datatype (the value of tk:…Precision).
PRECISION = {XSD + "gYear": "year", XSD + "gYearMonth": "month", XSD + "date": "day"}


def date_bounds(value) -> tuple[str, str, str]:
    """A curated date → (earliest, latest, precision): the first and last xsd:date it can
    mean, so that a range filter over plain dates finds "2024" and "2024-09" too."""
    _, datatype, (year, month, day) = parse_date(value)
    if datatype == XSD + "date":
        first = last = dt.date(year, month, day)
    elif datatype == XSD + "gYearMonth":
        first = dt.date(year, month, 1)
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return first.isoformat(), last.isoformat(), PRECISION[datatype]


def is_language_tag(value) -> bool:
    """A BCP 47 tag of the form LANG_RE allows that pyoxigraph also takes (it checks the
    subtags' grammar: 'de-12' has the right shape but is no tag)."""
    if not isinstance(value, str) or not LANG_RE.match(value):
        return False
    try:
        Literal("", language=value)
    except ValueError:
        return False
    return True


def check_iri(value) -> str:
    """An absolute http(s) IRI that pyoxigraph takes as it is: what passes here never fails
    later as a NamedNode (bad %-escapes, ports, brackets, control characters)."""
    expected = f"expected an absolute http(s) IRI, got {value!r}"
    if not isinstance(value, str):
        raise ValueProblem(expected)
    try:
        parts = urlsplit(value)
        NamedNode(value)
    except ValueError as exc:  # its reason, unless it quotes a control character (repr shows it)
        raise ValueProblem(f"{expected} ({exc})" if str(exc).isprintable() else expected) from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueProblem(expected)
    return value
