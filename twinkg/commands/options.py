"""What the subcommands share: the options of the settings (each showing its TWINKG_*
variable), the settings they make, and how progress and counts are printed."""

from __future__ import annotations

from pathlib import Path

import click

from twinkg.config import SETTING_NAMES, load_settings


def _env(name: str) -> str:
    """The environment variable of setting ``name``: the one twinkg/config.py reads."""
    assert name in SETTING_NAMES, name
    return f"TWINKG_{name.upper()}"


def setting(*decls, name: str, **kw):
    """An option for setting ``name``; help shows its TWINKG_* variable (load_settings reads it
    too, with the same result: the option's value overrides it)."""
    return click.option(*decls, envvar=_env(name), show_envvar=True, **kw)


DATA = setting("--data", name="data_dir", type=click.Path(path_type=Path),
               help="Curated YAML directory (default data/).")
STORE = setting("--store", name="store", type=click.Path(path_type=Path), help="Store path (default var/store).")
BASE = setting("--base-iri", name="base_iri", help="Dataset base IRI (default https://twinkg.example.org/).")
ENDPOINT = setting("--endpoint", name="endpoint", metavar="URL",
                   help="Use a remote SPARQL 1.1 store: its query URL (instead of --store).")
UPDATE = setting("--update-endpoint", name="update_endpoint", metavar="URL",
                 help="The remote store's SPARQL Update URL (needed to load into it).")
GRAPH_STORE = setting("--graph-store", name="graph_store", metavar="URL",
                      help="The remote store's Graph Store Protocol URL (faster loads; optional).")


def options(*decorators):
    """Each command lists only the options it uses (issue 16); applied top to bottom."""
    def apply(f):
        for option in reversed(decorators):
            f = option(f)
        return f
    return apply


def settings_of(data=None, store=None, base_iri=None, endpoint=None, update_endpoint=None, graph_store=None,
                **extra):
    return load_settings(data_dir=data, store=store, base_iri=base_iri, endpoint=endpoint,
                         update_endpoint=update_endpoint, graph_store=graph_store, **extra)


def progress(message: str) -> None:
    click.echo(f"… {message}", err=True)


def print_counts(counts: dict[str, int]) -> None:
    width = max(map(len, counts), default=0)
    for cls, n in counts.items():
        click.echo(f"  {cls:<{width}}  {n:>5}")
