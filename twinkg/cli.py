"""The ``twinkg`` command line: validate, load, query, serve, enrich, export.

Each subcommand is a module of twinkg/commands/, imported only when it runs ("Lazily Loading
Subcommands" in click's documentation): ``twinkg --help`` lists them from COMMANDS without
importing Flask, pyshacl or the export.
"""

from __future__ import annotations

import importlib

import click

from twinkg import __version__
from twinkg.errors import TwinkgError
from twinkg.loaders.problems import InvalidInput

# name → (module in twinkg/commands/, the one line `twinkg --help` shows: the command's own
# first docstring line, which tests/test_cli.py checks)
COMMANDS = {
    "validate": ("validate", "Check the curated data: every problem as file:line: field: message, or counts per class."),
    "load": ("load", "Validate, then build a new store beside the served one and swap it in atomically."),
    "query": ("query", "Run QUERY: a canned query's name, a .rq file, or SPARQL text."),
    "enrich": ("enrich", "Suggest additions to the curated data from other datasets, for review."),
    "export": ("export", "Write the linked-data publication of the store into DIRECTORY."),
    "serve": ("serve", "Serve the store: SPARQL endpoint, pages and downloads on http://127.0.0.1:8000."),
}


def _fail_on_problems(exc: InvalidInput, command: str | None = None):
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    if command == "validate":  # validate never writes: say what was checked instead
        raise click.ClickException(f"{len(exc.problems)} problem(s) found in the curated data "
                                   "(YAML syntax, fields, references and SHACL shapes)")
    raise click.ClickException(f"{len(exc.problems)} problem(s) found; nothing was written")


class _Commands(click.Group):
    """Subcommands imported by name when run; domain errors become clean CLI errors at the
    edge, whatever command raised them."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"twinkg.commands.{COMMANDS[name][0]}")
        return getattr(module, name)

    def format_commands(self, ctx, formatter):
        # the one-line helps without importing every command (click's would get_command each)
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [(name, click.Command(name, help=summary).get_short_help_str(limit))
                for name, (_, summary) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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


if __name__ == "__main__":  # pragma: no cover
    main()
