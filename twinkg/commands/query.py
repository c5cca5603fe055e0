"""``twinkg query``: a canned query, a .rq file or SPARQL text, as a table or a format."""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import click
from pyoxigraph import QueryBoolean, QuerySolutions

from twinkg import formats
from twinkg.canned import ParamError, canned_queries, single_values
from twinkg.commands.options import BASE, ENDPOINT, STORE, options, settings_of
from twinkg.errors import TwinkgError
from twinkg.store import dataset_meta, open_store, run_query

RESULT_FORMATS = {formats.command_name(f): f for f in formats.RESULT_FORMATS}
GRAPH_FORMATS = {formats.command_name(f): f for f in formats.COMMAND_LINE_GRAPH_FORMATS}


def _table(results: QuerySolutions) -> str:
    columns = [v.value for v in results.variables]
    rows = [["" if s[c] is None else s[c].value for c in columns] for s in results]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths]), *map(line, rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


class _QueryCommand(click.Command):
    """``query --help`` ends with the canned queries, read from queries/*.rq when help is asked."""

    def format_epilog(self, ctx, formatter):
        rows = []
        for name, canned in canned_queries().items():
            params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in canned.params)
            rows.append((name, canned.title + (f" (--param {params})" if params else "")))
        with formatter.section("Canned queries"):
            formatter.write_dl(rows)
        super().format_epilog(ctx, formatter)


@click.command(cls=_QueryCommand)
@options(STORE, BASE, ENDPOINT)
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a canned query (repeatable, once per parameter).")
@click.option("--format", "fmt", type=click.Choice(["table", *RESULT_FORMATS, *GRAPH_FORMATS]),
              help="Output format: table (default), csv, tsv, json or xml for SELECT and ASK; "
                   "turtle (default) or ntriples for CONSTRUCT and DESCRIBE.")
def query(store, base_iri, query, params, fmt, **remote):
    """Run QUERY: a canned query's name, a .rq file, or SPARQL text.

    \b
    Examples:
      twinkg query partner-cities
      twinkg query anniversaries --param year=2022 --format csv
      twinkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    settings = settings_of(None, store, base_iri, **remote)
    pairs = []
    for p in params:
        name, sep, value = p.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {p!r}", param_hint="--param")
        pairs.append((name.strip(), value))
    try:
        given = single_values(pairs)
    except ParamError as exc:
        raise click.BadParameter(exc.message, param_hint="--param") from None
    known = canned_queries()
    canned = known.get(query)
    if canned:
        # its IRI defaults name the entities of the base the store was loaded with
        canned = canned_queries(dataset_meta(settings).get("base_iri", settings.base_iri))[query]
        text, bindings = canned.text, canned.bindings(given)
    else:
        if given:
            raise TwinkgError(f"--param works with canned queries only; known: {', '.join(known)}")
        text, bindings = _query_text(query, known), None
    _emit(run_query(open_store(settings), text, bindings), fmt)


def _query_text(query: str, known: dict) -> str:
    """A .rq file's text, or the SPARQL given; a lone word is a canned query's name mistyped."""
    if query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise TwinkgError(f"no such query file: {query}")
        return path.read_text(encoding="utf-8")
    if re.fullmatch(r"[\w.-]+", query.strip()):
        close = difflib.get_close_matches(query, list(known), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise TwinkgError(f"unknown canned query '{query}'{hint}; known: {', '.join(known)}")
    return query


def _write(data: bytes) -> None:
    """Serializers may end without a newline (JSON does): a shell prompt would follow it."""
    sys.stdout.buffer.write(data if not data or data.endswith(b"\n") else data + b"\n")


def _emit(results, fmt: str | None) -> None:
    """Write the results in ``fmt`` (None: the query form's default); a format of the other
    query form is refused, never silently replaced by another one."""
    if isinstance(results, (QueryBoolean, QuerySolutions)):
        if fmt in GRAPH_FORMATS:
            raise TwinkgError(f"--format {fmt} is for CONSTRUCT/DESCRIBE; use table, csv, tsv, json or xml")
        if fmt in (None, "table"):
            click.echo(("true" if bool(results) else "false") if isinstance(results, QueryBoolean)
                       else _table(results))
        else:
            _write(results.serialize(format=RESULT_FORMATS[fmt]))
    else:
        if fmt is not None and fmt not in GRAPH_FORMATS:
            raise TwinkgError(f"--format {fmt} is for SELECT/ASK; use turtle or ntriples")
        _write(results.serialize(format=GRAPH_FORMATS[fmt or "turtle"]))
    sys.stdout.flush()
