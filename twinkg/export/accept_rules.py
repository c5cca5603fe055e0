"""The live server's content negotiation (twinkg/negotiation.py) compiled into ordered regular
expressions over the ``Accept`` header, for web servers that cannot weigh q-values.

Three forms of one ranking, each checked against ``negotiate()`` by tests/test_accept_rules.py:

* :func:`ordered`: flat ``(regex over Accept, choice)`` rules, first match wins — for any server
  that can only try regexes in order. Each regex scans the whole header, which costs: ~15 ms
  a request in an Apache ``.htaccess`` (compiled per request), up to ~120 ms in nginx for a
  7 kB header of commas. The generated configurations therefore run the other two forms:
* :func:`steps` (Apache's ``.htaccess``): each media range's tier in an environment variable,
  then the choices as string comparisons (~1.5 ms a request);
* :func:`composite_rules` (nginx's ``map`` chain): the same tiers joined into a short key, the
  choices as regexes over that key (a few ms for the worst header).

``negotiate()`` ranks each offered format by (q, specificity, -index): q of the most specific
range that names it (exact type 2, ``type/*`` 1, ``*/*`` 0; an alias such as
application/xhtml+xml counts only when named, as specificity 2), then the offered order. The
rules enumerate that ranking from the top: q tiers 1, 0.9…, 0.8…, …, 0.1…, 0.0[1-9]…,
0.00… (q=0 never matches); within a tier specificity 2, 1, 0; within those the offered order. A rule for
format F at tier T and specificity S matches when:

* S=2: the first range naming F's type exactly has its q in T; or, F's type not being named
  at all, the first range naming one of F's aliases has;
* S=1: ``type/*`` (first occurrence) has its q in T and F's type is not named anywhere;
* S=0: ``*/*`` has its q in T and neither F's type nor ``type/*`` is named anywhere.

The steps evaluate the same conditions from the tiers of the ranges (the first range naming
each type, its q tier), so they choose alike. The first matching rule gives the choice; an empty or absent header gives the default (the
first offered); a non-empty header that matches no rule is not acceptable (406).

Residual differences from ``negotiate()`` (also in the README):

* q-values that differ only in the second or third decimal fall in the same tier, where
  specificity and then the offered order decide (``a;q=0.85, b;q=0.8`` picks whichever is
  offered first; live picks ``a``);
* malformed headers: a q outside the RFC grammar (live clamps ``q=2`` to 1 and reads ``q=01``
  as 1: here only ``1`` and ``1.x`` count as 1), several ``q`` parameters in one range (live
  takes the last), commas inside quoted parameter values (live splits on every comma, so do
  the rules, but with different results for what follows).

The expressions use only what Python's ``re``, PCRE (nginx) and APR/PCRE (Apache) share:
non-capturing groups (nginx maps must not clobber a location's captures), alternation,
character classes, greedy quantifiers and lookahead. They
are matched case-insensitively (``~*``, ``[NC]``, ``re.IGNORECASE``) and contain no space,
no quote and no backslash sequence that nginx's or Apache's configuration parser would
rewrite (``\\s`` and ``\\.`` pass through both unchanged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Iterator, Sequence

from twinkg.negotiation import aliases as offer_aliases

#: What the rules give when nothing in a non-empty header is acceptable.
NOT_ACCEPTABLE = "406"
#: What an empty or absent header matches (it gets the default, the first offered).
EMPTY = r"^\s*$"

_WS = r"\s*"
#: The q-value tiers, best first: the regex of a q parameter's value in each.
Q_TIERS = (
    ("1", r"1(?:\.\d*)?"),
    *((f"0.{d}", rf"0?\.{d}\d*") for d in range(9, 0, -1)),
    ("0.0", r"0?\.0[1-9]\d*"),
    ("0.00", r"0?\.00\d*[1-9]\d*"),
)
#: A parameter that is not q (a charset, a profile, …).
_OTHER_PARAM = r";(?!\s*q\s*(?:=|;|,|$))[^,;]*"


def _params(tier: int) -> str:
    """The parameters of a range whose q falls in ``Q_TIERS[tier]`` (no q at all is q=1)."""
    q = rf";\s*q\s*=\s*(?:{Q_TIERS[tier][1]})\s*"
    middle = f"(?:{q})?" if tier == 0 else q
    return f"(?:{_OTHER_PARAM})*{middle}(?:{_OTHER_PARAM})*"


def _named(media: str) -> str:
    """``media`` (a regex) as the type of some range of the header."""
    return rf"(?:^|,){_WS}(?:{media}){_WS}(?:;|,|$)"


def _first_with_q(media: str, tier: int) -> str:
    """From the start: the first range naming ``media`` has its q in the tier.

    The ranges before it are skipped one by one (none of them may name ``media``): live
    reads the first range of a type listed twice, and so do the rules."""
    return (rf"^(?:(?!{_WS}(?:{media}){_WS}(?:;|,|$))[^,]*,)*{_WS}(?:{media}){_WS}"
            rf"{_params(tier)}(?:,|$)")


def _not_named(*media: str) -> str:
    return "".join(rf"(?!.*{_named(m)})" for m in media)


def _literal(text: str) -> str:
    """A media type as a regex: only ``.``, ``+`` and ``*`` occur in them and need escaping
    (``re.escape`` would also escape ``-`` and ``/``, which some readers take amiss)."""
    return re.sub(r"([.+*])", r"\\\1", text.lower())


def _type_pattern(media_type: str) -> str:
    return _literal(media_type)


def _wild_sub(media_type: str) -> str:
    """``text/*`` for ``text/html`` (and a bare ``text`` or ``text/``, which live reads as
    ``text/*``)."""
    return rf"{_literal(media_type.split('/', 1)[0])}(?:/\*?)?"


#: ``*/*`` (and a bare ``*``, as old Java clients send it; live reads it as ``*/*``).
_ANY = r"\*(?:/\*?)?"


@dataclass(frozen=True)
class Rule:
    pattern: str
    choice: str  # the offered format's file extension (or NOT_ACCEPTABLE)
    tier: str
    specificity: int

    def matches(self, accept: str) -> bool:
        return re.search(self.pattern, accept, re.IGNORECASE) is not None


def _choice(offer) -> str:
    return offer.file_extension


def compile_rules(offered: Sequence) -> list[Rule]:
    """The ordered rules equivalent to ``negotiate(accept, offered)`` (without the empty and
    the not-acceptable cases, which :func:`decide` adds)."""
    rules: list[Rule] = []
    for tier, (name, _) in enumerate(Q_TIERS):
        for offer in offered:
            own = _type_pattern(offer.media_type)
            exact = [f"^(?={_first_with_q(own, tier)})"]
            for alias in offer_aliases(offer):
                exact.append(f"^{_not_named(own)}(?={_first_with_q(_type_pattern(alias), tier)})")
            rules.append(Rule("|".join(exact), _choice(offer), name, 2))
        for offer in offered:
            own = _type_pattern(offer.media_type)
            rules.append(Rule(f"^{_not_named(own)}(?={_first_with_q(_wild_sub(offer.media_type), tier)})",
                              _choice(offer), name, 1))
        for offer in offered:
            own = _type_pattern(offer.media_type)
            rules.append(Rule(f"^{_not_named(own, _wild_sub(offer.media_type))}(?={_first_with_q(_ANY, tier)})",
                              _choice(offer), name, 0))
    return _merged(rules)


def _merged(rules: list[Rule]) -> list[Rule]:
    """Neighbouring rules with the same choice as one alternation (fewer lines, same order)."""
    merged: list[Rule] = []
    for rule in rules:
        if merged and merged[-1].choice == rule.choice and len(merged[-1].pattern) < 2000:
            last = merged[-1]
            merged[-1] = Rule(f"{last.pattern}|{rule.pattern}", rule.choice, last.tier, last.specificity)
        else:
            merged.append(rule)
    return merged


def decide(accept: str | None, offered: Sequence, rules: list[Rule] | None = None) -> str:
    """What a web server running the rules answers: a file extension or NOT_ACCEPTABLE."""
    if accept is None or re.search(EMPTY, accept):
        return _choice(offered[0])
    for rule in rules if rules is not None else compile_rules(offered):
        if rule.matches(accept):
            return rule.choice
    return NOT_ACCEPTABLE


# -- the same ranking in steps, for Apache ----------------------------------------------------
#
# Apache compiles every regex of a .htaccess file on every request: the flat rules above
# (some 800 long regexes for the five negotiations) cost it ~15 ms a request. The same
# ranking in steps costs a few dozen short regexes: (1) for each media range that any offered
# list mentions, the parameters of its first occurrence in the header; (2) their q tier, by
# Q_TIERS (``x``: named with q=0 or a malformed q; empty: not named); (3) per offered list,
# the ordered choices as plain string comparisons of those tiers.


@dataclass(frozen=True)
class Step:
    """One ordered choice: taken when every ``(key, tier)`` holds ("" = not named)."""
    choice: str
    conditions: tuple[tuple[str, str], ...]


NAMED_BAD_Q = "x"


def media_key(pattern: str) -> str:
    """An environment-variable-safe name for a media range's regex."""
    if pattern == _ANY:
        return "ANY"
    if pattern.endswith(r"(?:/\*?)?"):
        return re.sub(r"[^A-Za-z0-9]+", "_", pattern[:-len(r"(?:/\*?)?")]).upper() + "_ANY"
    return re.sub(r"[^A-Za-z0-9]+", "_", pattern.replace("\\", "")).upper()


@cache
def first_params(pattern: str) -> str:
    """The first range naming ``pattern``; group 1 is its parameters (possibly empty)."""
    return rf"^(?:(?!{_WS}(?:{pattern}){_WS}(?:;|,|$))[^,]*,)*{_WS}(?:{pattern}){_WS}((?:;[^,]*)?)(?:,|$)"


@cache
def tier_tests() -> tuple[tuple[str, str], ...]:
    """(tier, regex over a range's parameters), tried in order; none matching is NAMED_BAD_Q."""
    return tuple((name, f"^{_params(i)}$") for i, (name, _) in enumerate(Q_TIERS))


def _media_of(offer) -> tuple[str, list[str], str]:
    return (_type_pattern(offer.media_type), [_type_pattern(a) for a in offer_aliases(offer)],
            _wild_sub(offer.media_type))


@cache
def media_patterns(*offered_lists: Sequence) -> tuple[str, ...]:
    """Every media range the lists' steps look at, once."""
    seen: dict[str, None] = {}
    for offered in offered_lists:
        for offer in offered:
            own, aliases, wild = _media_of(offer)
            for pattern in (own, *aliases, wild, _ANY):
                seen.setdefault(pattern)
    return tuple(seen)


@cache
def steps(offered: Sequence) -> tuple[Step, ...]:
    """The ordered choices of :func:`compile_rules`, over the tiers of the media ranges."""
    result = []
    for name, _ in Q_TIERS:
        for offer in offered:
            own, aliases, _ = _media_of(offer)
            result.append(Step(_choice(offer), ((media_key(own), name),)))
            for alias in aliases:
                result.append(Step(_choice(offer), ((media_key(own), ""), (media_key(alias), name))))
        for offer in offered:
            own, _, wild = _media_of(offer)
            result.append(Step(_choice(offer), ((media_key(own), ""), (media_key(wild), name))))
        for offer in offered:
            own, _, wild = _media_of(offer)
            result.append(Step(_choice(offer), ((media_key(own), ""), (media_key(wild), ""),
                                                (media_key(_ANY), name))))
    return tuple(result)


def tiers_of(accept: str, patterns: Sequence[str]) -> dict[str, str]:
    """Steps (1) and (2), as the web server runs them: media key → tier ("" = not named)."""
    tiers = {}
    for pattern in patterns:
        found = re.search(first_params(pattern), accept, re.IGNORECASE)
        if found is None:
            tiers[media_key(pattern)] = ""
            continue
        tiers[media_key(pattern)] = next((name for name, test in tier_tests()
                                          if re.search(test, found.group(1), re.IGNORECASE)), NAMED_BAD_Q)
    return tiers


def decide_in_steps(accept: str | None, offered: Sequence) -> str:
    """What a web server running the steps answers (a file extension or NOT_ACCEPTABLE)."""
    if accept is None or re.search(EMPTY, accept):
        return _choice(offered[0])
    tiers = tiers_of(accept, media_patterns(offered))
    for step in steps(offered):
        if all(tiers[key] == tier for key, tier in step.conditions):
            return step.choice
    return NOT_ACCEPTABLE


# -- the steps as nginx maps ------------------------------------------------------------------
#
# nginx runs the steps as chained maps: one per media range (the parameters of its first
# occurrence: "p" + parameters, "" when not named), one per range for its tier, and per
# offered list one map over the tiers joined by commas ("e" first when Accept is empty), whose
# short regexes are the steps. The flat rules cost nginx up to ~120 ms for a 7 kB header of
# commas (each long regex scans the header); the steps cost a few ms.

EMPTY_FIELD = "e"


def composite_fields(patterns: Sequence[str]) -> list[str]:
    """The media keys in the order of the composite key's fields (after the empty flag)."""
    return [media_key(p) for p in patterns]


def composite_key(accept: str | None, patterns: Sequence[str]) -> str:
    """What nginx's composite map reads: ``e`` (or nothing), then each range's tier."""
    empty = EMPTY_FIELD if accept is None or re.search(EMPTY, accept) else ""
    tiers = tiers_of(accept or "", patterns)
    return ",".join([empty, *(tiers[key] for key in composite_fields(patterns))])


@cache
def composite_rules(offered: Sequence, patterns: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``(regex over the composite key, choice)``, first match wins; none is NOT_ACCEPTABLE."""
    fields = composite_fields(patterns)
    rules = [(f"^{EMPTY_FIELD},", _choice(offered[0]))]
    for step in steps(offered):
        wanted = dict(step.conditions)
        last = max(fields.index(key) for key in wanted)
        parts = [re.escape(wanted[key]) if key in wanted else "[^,]*" for key in fields[:last + 1]]
        # the fields after the last one the step reads are left out: a short regex
        rules.append(("^," + ",".join(parts) + ("$" if last == len(fields) - 1 else ","), step.choice))
    return tuple(rules)


@cache
def _compiled(offered: Sequence, patterns: Sequence[str]) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(pattern), choice) for pattern, choice in composite_rules(offered, patterns))


def decide_by_composite(accept: str | None, offered: Sequence, patterns: Sequence[str]) -> str:
    """What nginx running the composite maps answers."""
    key = composite_key(accept, patterns)
    return next((choice for pattern, choice in _compiled(offered, patterns) if pattern.search(key)), NOT_ACCEPTABLE)


def ordered(offered: Sequence) -> Iterator[tuple[str, str]]:
    """``(regex, choice)`` in the order a web server must try them, the empty header first;
    whatever matches none is NOT_ACCEPTABLE."""
    yield EMPTY, _choice(offered[0])
    for rule in compile_rules(offered):
        yield rule.pattern, rule.choice
