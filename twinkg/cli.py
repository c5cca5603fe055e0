"""The ``twinkg`` command line: validate, load, query, serve."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import os
import re
import resource
import socket
import sys
from pathlib import Path

import click
from pyoxigraph import QueryBoolean, QuerySolutions

from twinkg import __version__, formats
from twinkg.canned import ParamError, canned_queries, single_values
from twinkg.config import SETTING_NAMES, env_for, granian_options, load_settings
from twinkg.errors import TwinkgError
from twinkg.export.run import export_store
from twinkg.export.site import write_site
from twinkg.loaders.check import read_curated
from twinkg.loaders.enrichment import enrichment_path, write_enrichment
from twinkg.loaders.ontology import concepts
from twinkg.loaders.pipeline import load as run_load
from twinkg.loaders.pipeline import validate_data
from twinkg.loaders.problems import InvalidInput
from twinkg.loaders.reconcile import reconcile
from twinkg.loaders.wikidata import ask_wikidata, wikidata_remote
from twinkg.progress import Progress
from twinkg.server import create_app
from twinkg.server.execution.recycle import SUPERVISOR_ENV
from twinkg.server.wsgi import preload
from twinkg.store import dataset_meta, open_store, run_query

RESULT_FORMATS = {formats.command_name(f): f for f in formats.RESULT_FORMATS}
GRAPH_FORMATS = {formats.command_name(f): f for f in formats.COMMAND_LINE_GRAPH_FORMATS}


def _env(name: str) -> str:
    """The environment variable of setting ``name``: the one twinkg/config.py reads."""
    assert name in SETTING_NAMES, name
    return f"TWINKG_{name.upper()}"


def _setting(*decls, name: str, **kw):
    """An option for setting ``name``; help shows its TWINKG_* variable (load_settings reads it
    too, with the same result: the option's value overrides it)."""
    return click.option(*decls, envvar=_env(name), show_envvar=True, **kw)


_DATA = _setting("--data", name="data_dir", type=click.Path(path_type=Path),
                 help="Curated YAML directory (default data/).")
_STORE = _setting("--store", name="store", type=click.Path(path_type=Path), help="Store path (default var/store).")
_BASE = _setting("--base-iri", name="base_iri", help="Dataset base IRI (default https://twinkg.example.org/).")
_ENDPOINT = _setting("--endpoint", name="endpoint", metavar="URL",
                     help="Use a remote SPARQL 1.1 store: its query URL (instead of --store).")
_UPDATE = _setting("--update-endpoint", name="update_endpoint", metavar="URL",
                   help="The remote store's SPARQL Update URL (needed to load into it).")
_GRAPH_STORE = _setting("--graph-store", name="graph_store", metavar="URL",
                        help="The remote store's Graph Store Protocol URL (faster loads; optional).")


def _options(*options):
    """Each command lists only the options it uses (issue 16); applied top to bottom."""
    def apply(f):
        for option in reversed(options):
            f = option(f)
        return f
    return apply


def _settings(data=None, store=None, base_iri=None, endpoint=None, update_endpoint=None, graph_store=None,
              **extra):
    return load_settings(data_dir=data, store=store, base_iri=base_iri, endpoint=endpoint,
                         update_endpoint=update_endpoint, graph_store=graph_store, **extra)


def _fail_on_problems(exc: InvalidInput, command: str | None = None):
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    if command == "validate":  # validate never writes: say what was checked instead
        raise click.ClickException(f"{len(exc.problems)} problem(s) found in the curated data "
                                   "(YAML syntax, fields, references and SHACL shapes)")
    raise click.ClickException(f"{len(exc.problems)} problem(s) found; nothing was written")


def _progress(message: str) -> None:
    click.echo(f"… {message}", err=True)


def _print_counts(counts: dict[str, int]) -> None:
    width = max(map(len, counts), default=0)
    for cls, n in counts.items():
        click.echo(f"  {cls:<{width}}  {n:>5}")


class _Commands(click.Group):
    """Domain errors become clean CLI errors at the edge, whatever command raised them."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InvalidInput as exc:
            _fail_on_problems(exc, ctx.invoked_subcommand)
        except TwinkgError as exc:
            raise click.ClickException(exc.message) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="twinkg")
def main():
    """twinkg: the town-twinning knowledge graph.

    Curated YAML in data/ is checked, turned into RDF, validated with SHACL, loaded into an
    embedded Oxigraph store and served as linked data with a SPARQL 1.1 endpoint.

    Every setting can also be given in the environment as TWINKG_<NAME> (each option's help
    names its variable; the full list is in twinkg/config.py); an option given wins.
    """


@main.command()
@_options(_DATA, _BASE)
def validate(data, base_iri):
    """Check the curated data: every problem as file:line: field: message, or counts per class."""
    settings = _settings(data, None, base_iri)
    result = validate_data(settings, Progress())  # counts and rates on a terminal only
    click.echo(f"{settings.data_dir}: 0 problems; {len(result.built.quads)} statements")
    _print_counts(result.counts)


@main.command()
@_options(_DATA, _STORE, _BASE, _ENDPOINT, _UPDATE, _GRAPH_STORE)
def load(data, store, base_iri, **remote):
    """Validate, then build a new store beside the served one and swap it in atomically."""
    settings = _settings(data, store, base_iri, **remote)
    validated, info, seconds = run_load(settings, Progress())  # counts and rates on a terminal only
    where = settings.endpoint or settings.store
    click.echo(f"loaded {where} (version {info.version}) in {seconds:.2f} s: "
               f"{len(validated.built.quads)} data statements")
    _print_counts(validated.counts)


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


@main.command(cls=_QueryCommand)
@_options(_STORE, _BASE, _ENDPOINT)
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
    settings = _settings(None, store, base_iri, **remote)
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


@main.group()
def enrich():
    """Suggest additions to the curated data from other datasets, for review."""


@enrich.command("wikidata")
@_options(_DATA, _BASE)
# Not --endpoint: elsewhere that is the remote store twinkg loads into and serves from.
@_setting("--wikidata-endpoint", name="wikidata_endpoint", metavar="URL",
          help="The Wikidata-compatible SPARQL endpoint to ask (default https://query.wikidata.org/sparql).")
@click.option("--output", type=click.Path(path_type=Path),
              help="The enrichment file (default <data>/enrichment/wikidata.yaml).")
@click.option("--report", type=click.Path(path_type=Path),
              help="Where to write the reconciliation report too (default var/wikidata-reconciliation.md).")
def enrich_wikidata(data, base_iri, wikidata_endpoint, output, report):
    """Ask Wikidata about the curated cities; write suggestions to review and a reconciliation report.

    \b
    For each city: its QID (curated, else by name, country and type), coordinates (P625),
    country (P17), population (P1082, latest, with its date), official website (P856),
    native label (P1705), labels in languages the curated data lacks, and its twinned bodies
    (P190) with start and end (P580/P582). Nothing curated is changed: set `accept: true` on
    the suggestions to keep in the enrichment file, then run `twinkg load`.
    """
    settings = load_settings(data_dir=data, base_iri=base_iri, wikidata_endpoint=wikidata_endpoint)
    curated = read_curated(settings.data_dir, {k: set(v) for k, v in concepts().items()})
    retrieved = dt.datetime.now(dt.timezone.utc)
    _progress(f"asking {settings.wikidata_endpoint} about {len(curated.of('city'))} cities")
    found = ask_wikidata(settings, curated, wikidata_remote(settings))
    path = output or enrichment_path(settings)
    n = write_enrichment(path, settings, curated, found, settings.wikidata_endpoint, retrieved)
    text = reconcile(curated, found, settings.wikidata_endpoint, retrieved.strftime("%Y-%m-%dT%H:%M:%SZ")).text()
    report = report or Path("var") / "wikidata-reconciliation.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")
    click.echo(text)
    click.echo(f"wrote {n} suggestions to {path} (review them: accept: true) and the report to {report}",
               err=True)


@main.command()
@_options(_DATA, _STORE, _BASE, _ENDPOINT)
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--previous", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A previous export: write a changelog entry and a diff against it.")
@click.option("--site", "site", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the whole site as static files into this directory.")
def export(data, store, base_iri, directory, previous, site, **remote):
    """Write the linked-data publication of the store into DIRECTORY.

    Dumps (N-Quads, TriG, Turtle, N-Triples, JSON-LD, RDF/XML; gzip, with SHA256SUMS), the
    ontology and shapes, the VoID + DCAT description, the ontology documentation,
    CITATION.cff and a changelog. With --site, the pages, data documents and downloads as
    static files, with .htaccess and nginx-http.conf + nginx.conf answering as the live server (SITE.md).
    """
    if directory is None and site is None:
        raise click.UsageError("give a DIRECTORY, --site DIR, or both")
    settings = _settings(data, store, base_iri, **remote)
    if directory is not None:
        source, meta = open_store(settings), dataset_meta(settings)
        result = export_store(source, meta, settings, directory, previous, _progress)
        click.echo(f"exported version {result.version} (release {result.release.build_version}) "
                   f"to {directory}: {len(result.files)} files")
        if result.diff is not None:
            click.echo(f"  since {previous}: {len(result.diff.added)} triples added, "
                       f"{len(result.diff.removed)} removed")
    if site is not None:
        _export_site(settings, site)


def _export_site(settings, site: Path) -> None:
    if not settings.store.exists():
        raise TwinkgError(f"no store at {settings.store}: run `twinkg load` first")
    result = write_site(create_app(settings), site, progress=_progress)
    if result.failures:
        for url, status in sorted(result.failures.items()):
            click.echo(f"{url}: {status}", err=True)
        raise TwinkgError(f"{len(result.failures)} address(es) could not be written as static files")
    click.echo(f"wrote the static site to {site}: {result.page_count} pages, {len(result.files)} files, "
               f"{len(result.redirects)} forwarding pages (see {site / 'SITE.md'})")


def _refuse_a_port_in_use(host: str, port: int) -> None:
    """Fail before granian starts if another process listens on ``host:port``.

    Granian binds with SO_REUSEPORT, so a second server on a port in use would start without
    complaint and the kernel would split the requests between the two (and their datasets).
    A bind without SO_REUSEPORT fails while anyone listens there. SO_REUSEADDR lets a port that
    a stopped server left in TIME_WAIT count as free, as granian's own bind does. (A server that
    binds between this check and granian's start is not caught: there is no lock on a port.)
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise TwinkgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} on {host} is in use (another `twinkg serve`?): stop that "
                                f"server or choose another --port") from None
            raise TwinkgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


class PortInUse(click.ClickException):
    """Exit status 3 (1 is any other error): scripts can tell "port taken" from a failed start."""

    exit_code = 3


@main.command()
@_options(_DATA, _STORE, _BASE, _ENDPOINT)
@_setting("--host", name="host", help="Interface to listen on (default 127.0.0.1).")
@_setting("--port", name="port", type=int, help="Port (default 8000).")
@_setting("--workers", name="workers", type=int, help="Worker processes (default 2).")
@click.option("--load/--no-load", "do_load", default=False,
              help="Validate and load the curated data before serving (into a remote store: "
                   "give its update URL as TWINKG_UPDATE_ENDPOINT).")
@click.option("--debug", is_flag=True, help="Flask's development server with reloading (never in production).")
def serve(data, store, base_iri, host, port, workers, do_load, debug, **remote):
    """Serve the store: SPARQL endpoint, pages and downloads on http://127.0.0.1:8000."""
    settings = _settings(data, store, base_iri, host=host, port=port, workers=workers, **remote)
    _refuse_a_port_in_use(settings.host, settings.port)  # before a load that would be wasted
    if do_load:
        _, info, seconds = run_load(settings, Progress())
        click.echo(f"loaded version {info.version} in {seconds:.2f} s", err=True)
    if settings.remote:
        dataset_meta(settings)  # fail now, clearly, rather than with 503s on every page
    elif not settings.store.exists():
        raise click.ClickException(f"no store at {settings.store}: run `twinkg load` first (or serve --load)")
    # Workers rebuild the settings from the environment and open the store after the fork.
    os.environ.update(env_for(settings))
    click.echo(f"serving {settings.endpoint or settings.store} on http://{settings.host}:{settings.port}/", err=True)
    if debug:
        create_app(settings).run(settings.host, settings.port, debug=True)
        return
    # The one third-party import inside a function: granian takes ~0.2 s to import, and only
    # this command needs it (tests/test_layers.py allows library imports, not twinkg's).
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    preload()  # before granian forks: a worker that replaces another starts in ~0.1 s
    _raise_open_files_limit()
    os.environ[SUPERVISOR_ENV] = str(os.getpid())  # granian's main process is this one
    options = granian_options(settings)
    http1 = HTTP1Settings(**options.pop("http1"))
    Granian("twinkg.server.wsgi:app_from_environment", interface=Interfaces.WSGI, factory=True,
            http1_settings=http1, **options).serve()


def _raise_open_files_limit() -> None:
    """Each open connection is a file descriptor: at the usual soft limit of 1,024 a few
    hundred idle clients per worker would leave none for new connections (or the store)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else max(soft, 65536), hard))
        except (ValueError, OSError):
            pass  # keep the limit the system gave; the server still works with fewer clients


if __name__ == "__main__":  # pragma: no cover
    main()
