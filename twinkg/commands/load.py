"""``twinkg load``."""

from __future__ import annotations

import click

from twinkg.commands.options import BASE, DATA, ENDPOINT, GRAPH_STORE, STORE, UPDATE, options, print_counts, settings_of
from twinkg.loaders.pipeline import load as run_load
from twinkg.progress import Progress


@click.command()
@options(DATA, STORE, BASE, ENDPOINT, UPDATE, GRAPH_STORE)
def load(data, store, base_iri, **remote):
    """Validate, then build a new store beside the served one and swap it in atomically."""
    settings = settings_of(data, store, base_iri, **remote)
    validated, info, seconds = run_load(settings, Progress())  # counts and rates on a terminal only
    where = settings.endpoint or settings.store
    click.echo(f"loaded {where} (version {info.version}) in {seconds:.2f} s: "
               f"{validated.statements} data statements")
    print_counts(validated.counts)
