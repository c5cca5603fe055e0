"""The web servers' Accept rules (compiled regexes) choose what the live negotiation chooses."""

from __future__ import annotations

import random
import re

import pytest

from twinkg.errors import TwinkgError
from twinkg.export.accept_rules import (NOT_ACCEPTABLE, compile_rules, composite_rules, decide,
                                       decide_by_composite, decide_in_steps, first_params, media_patterns, ordered,
                                       tier_tests)
from twinkg.negotiation import DATASET, ENTITY, ONTOLOGY, SHAPES, VOID, negotiate

from accept_headers import ALL

OFFERED = {"entity": ENTITY, "ontology": ONTOLOGY, "shapes": SHAPES, "void": VOID, "dataset": DATASET}


def live(accept, offered) -> str:
    try:
        return negotiate(accept, offered).file_extension
    except TwinkgError as error:
        assert error.status == 406
        return NOT_ACCEPTABLE


def random_headers(offered, count: int, seed: int) -> list[str]:
    """Headers built from the offered types, their aliases, wildcards and types nobody offers,
    with q-values of at most one decimal, parameters, spacing and case as clients vary them."""
    rng = random.Random(seed)
    types = sorted({o.media_type for o in offered} | {"application/xhtml+xml", "text/*", "application/*",
                                                      "*/*", "*", "text/n3", "application/json", "image/webp",
                                                      "application/xml", "text/plain", "application/n-quads"})
    qs = ["", "", "", ";q=1", ";q=1.0", ";q=0", ";q=0.0", ";q=.5", *(f";q=0.{d}" for d in range(1, 10)),
          ";q=0.05", ";q=0.001"]
    headers = []
    for _ in range(count):
        ranges = []
        for _ in range(rng.randint(1, 6)):
            media = rng.choice(types)
            if rng.random() < 0.1:
                media = media.upper()
            extra = rng.choice(["", "", ";charset=utf-8", "; profile=x", ";level=1"])
            q = rng.choice(qs)
            if rng.random() < 0.2:
                q = q.replace(";", " ; ").replace("=", " = ")
            ranges.append(media + (extra + q if rng.random() < 0.5 else q + extra))
        headers.append(rng.choice([",", ", ", " ,"]).join(ranges))
    return headers


PATTERNS = media_patterns(*OFFERED.values())
FORMS = ["rules", "steps", "composite"]


def deciders(offered):
    """The flat rules, the same ranking in steps (Apache's .htaccess) and the steps as nginx's
    chained maps (the ranges of all offered lists, as the generated nginx-http.conf has them)."""
    rules = compile_rules(offered)
    return {"rules": lambda accept: decide(accept, offered, rules),
            "steps": lambda accept: decide_in_steps(accept, offered),
            "composite": lambda accept: decide_by_composite(accept, offered, PATTERNS)}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", OFFERED)
def test_rules_agree_with_live_for_real_clients_and_reproducers(name, form):
    offered = OFFERED[name]
    decider = deciders(offered)[form]
    disagree = {client: (decider(accept), live(accept, offered))
                for client, accept in ALL.items() if decider(accept) != live(accept, offered)}
    assert disagree == {}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", OFFERED)
def test_rules_agree_with_live_for_random_headers(name, form):
    offered = OFFERED[name]
    decider = deciders(offered)[form]
    headers = random_headers(offered, 3000, seed=13)
    disagree = [(h, decider(h), live(h, offered)) for h in headers if decider(h) != live(h, offered)]
    assert disagree[:5] == []
    # the sample covers every choice, refusals included
    assert {live(h, offered) for h in headers} == {o.file_extension for o in offered} | {NOT_ACCEPTABLE}


@pytest.mark.parametrize("accept, expected", [
    ("text/turtle;q=0, text/html", "html"),
    ("application/rdf+xml, text/turtle;q=0.5", "rdf"),
    ("text/n3", NOT_ACCEPTABLE),
    ("application/json", NOT_ACCEPTABLE),
    ("", "html"),
    (None, "html"),
    (",", NOT_ACCEPTABLE),
    ("TEXT/TURTLE", "ttl"),
    ("text/html;q=0.2, text/html;q=0.9, text/turtle;q=0.5", "ttl"),  # the first of a type listed twice counts
    ("application/xhtml+xml", "html"),  # the alias, named
    ("text/*;q=0.5, */*", "nt"),  # */* reaches the application/* types only (N-Triples first)
])
def test_the_issue_s_reproducers_and_edge_cases(accept, expected):
    assert decide(accept, ENTITY) == decide_in_steps(accept, ENTITY) == decide_by_composite(accept, ENTITY, PATTERNS) \
        == expected == live(accept, ENTITY)


def test_residual_difference_second_decimal():
    """Documented: q-values equal in the first decimal tie; the offered order decides."""
    accept = "application/ld+json;q=0.85, application/n-triples;q=0.8"
    assert live(accept, ENTITY) == "jsonld"
    assert decide(accept, ENTITY) == decide_in_steps(accept, ENTITY) == decide_by_composite(accept, ENTITY, PATTERNS) \
        == "nt"


def test_the_regexes_suit_nginx_and_apache():
    """No space, quote, brace or backslash escape that the servers' config parsers would
    change (``\\\\``, ``\\t``…), and each compiles."""
    patterns = [first_params(m) for m in PATTERNS] + [t for _, t in tier_tests()]
    for offered in OFFERED.values():
        patterns += [pattern for pattern, _ in composite_rules(offered, PATTERNS)]
        flat = [pattern for pattern, _ in ordered(offered)]
        # nginx: a map's captures would overwrite those of the location that reads the map
        assert all(re.compile(pattern).groups == 0 for pattern in flat)
        patterns += flat
    for pattern in patterns:
        if True:
            re.compile(pattern)
            assert not re.search(r"[\s\"'{}]|\\[\\tnr\"']", pattern), pattern
            assert len(pattern) < 8000  # Apache's configuration lines are limited to 8 KiB
