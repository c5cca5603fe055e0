"""``twinkg enrich``: suggestions from other datasets (Wikidata), for review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from twinkg.commands.options import BASE, DATA, options, progress, setting
from twinkg.config import load_settings
from twinkg.loaders.check import read_curated
from twinkg.loaders.enrichment import enrichment_path, write_enrichment
from twinkg.loaders.ontology import concepts
from twinkg.loaders.reconcile import reconcile
from twinkg.loaders.wikidata import ask_wikidata, wikidata_remote


@click.group()
def enrich():
    """Suggest additions to the curated data from other datasets, for review."""


@enrich.command("wikidata")
@options(DATA, BASE)
# Not --endpoint: elsewhere that is the remote store twinkg loads into and serves from.
@setting("--wikidata-endpoint", name="wikidata_endpoint", metavar="URL",
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
    progress(f"asking {settings.wikidata_endpoint} about {len(curated.of('city'))} cities")
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
