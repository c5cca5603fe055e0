"""How a request to the SPARQL endpoint picks its answer format: by ``?format=`` or by
``Accept``, among the formats of twinkg/formats.py (the table, with their names)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from twinkg.errors import TwinkgError
from twinkg.formats import GRAPH_FORMATS, RESULT_FORMATS, aliases, base_type, by_name, listed_names
from twinkg.negotiation import negotiate, not_acceptable


@dataclass(frozen=True)
class Choice:
    """The format for each kind of answer; None where the request accepts none of them."""
    results: object | None
    graph: object | None


#: The answer formats of each query form (twinkg.query_inspect.query_form names them).
FORMATS_OF_FORM = {"select": RESULT_FORMATS, "ask": RESULT_FORMATS,
                   "construct": GRAPH_FORMATS, "describe": GRAPH_FORMATS}


def unknown_format(format_param: str, form: str | None) -> TwinkgError:
    """400 for a ``format`` that names no format, listing those of the query's form (all of
    them when the form is not known, e.g. for a text that is not a query)."""
    offered = FORMATS_OF_FORM.get(form, RESULT_FORMATS + GRAPH_FORMATS)
    names = dict.fromkeys(n for f in offered for n in listed_names(f))
    for_form = f" for {form.upper()} queries" if form in FORMATS_OF_FORM else ""
    return TwinkgError(f"unknown format {format_param!r}{for_form}; use one of {', '.join(names)} "
                       "or a media type", 400)


@lru_cache(maxsize=256)  # clients send few distinct Accept headers; negotiation is pure
def choose(accept: str | None, format_param: str | None, form: str | None = None) -> Choice:
    """By ``?format=`` when given (400 if unknown, naming the formats of the query ``form``),
    else by ``Accept`` (406 if nothing fits)."""
    if format_param:
        choice = Choice(by_name(format_param, RESULT_FORMATS), by_name(format_param, GRAPH_FORMATS))
        if choice.results is None and choice.graph is None:
            raise unknown_format(format_param, form)
        return choice
    results = graph = None
    try:
        results = negotiate(accept, RESULT_FORMATS, base_type, aliases)
    except TwinkgError:
        pass
    try:
        graph = negotiate(accept, GRAPH_FORMATS, base_type, aliases)
    except TwinkgError:
        pass
    if results is None and graph is None:
        raise not_acceptable(RESULT_FORMATS + GRAPH_FORMATS)
    return Choice(results, graph)

