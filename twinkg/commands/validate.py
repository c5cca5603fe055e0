"""``twinkg validate``."""

from __future__ import annotations

import click

from twinkg.commands.options import BASE, DATA, options, print_counts, settings_of
from twinkg.loaders.validation import validate_data
from twinkg.progress import Progress


@click.command()
@options(DATA, BASE)
def validate(data, base_iri):
    """Check the curated data: every problem as file:line: field: message, or counts per class."""
    settings = settings_of(data, None, base_iri)
    result = validate_data(settings, Progress())  # counts and rates on a terminal only
    click.echo(f"{settings.data_dir}: 0 problems; {result.statements} statements")
    print_counts(result.counts)
