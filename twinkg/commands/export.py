"""``twinkg export``: the publication of a store as files, and the static site."""

from __future__ import annotations

from pathlib import Path

import click

from twinkg.commands.options import BASE, DATA, ENDPOINT, STORE, options, progress, settings_of
from twinkg.errors import TwinkgError
from twinkg.export.run import export_store
from twinkg.export.site import write_site
from twinkg.server import create_app
from twinkg.store import dataset_meta, open_store


@click.command()
@options(DATA, STORE, BASE, ENDPOINT)
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
    settings = settings_of(data, store, base_iri, **remote)
    if directory is not None:
        source, meta = open_store(settings), dataset_meta(settings)
        result = export_store(source, meta, settings, directory, previous, progress)
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
    result = write_site(create_app(settings), site, progress=progress)
    if result.failures:
        for url, status in sorted(result.failures.items()):
            click.echo(f"{url}: {status}", err=True)
        raise TwinkgError(f"{len(result.failures)} address(es) could not be written as static files")
    click.echo(f"wrote the static site to {site}: {result.page_count} pages, {len(result.files)} files, "
               f"{len(result.redirects)} forwarding pages (see {site / 'SITE.md'})")
