"""The schema.org ``Dataset`` that dataset search engines read (Google Dataset Search), as
JSON-LD in the home and download pages: names, licence, publisher, version and one
``DataDownload`` per dump; the data catalogue, when the DCAT description (void.ttl) has one."""

from __future__ import annotations

from pyoxigraph import NamedNode, RdfFormat, Store, Variable, parse

from twinkg.server.presentation.about import About
from twinkg.server.sparqlfiles import server_query
from twinkg.server.release_files import published

#: The export's DCAT description (twinkg/export/run.py writes it).
DESCRIPTION = "void.ttl"


def _catalog(about: About, lang: str) -> dict | None:
    """The dcat:Catalog that lists the dataset (or this release) in void.ttl, if any."""
    release = published()
    key = ("schema.org catalog", lang)
    if key not in release.renderings:
        found = None
        if DESCRIPTION in release.files:
            store = Store()
            store.extend(parse(release.path(DESCRIPTION).read_bytes(), format=RdfFormat.TURTLE))
            rows = list(store.query(server_query("data-catalog"), substitutions={
                Variable("dataset"): NamedNode(about.dataset),
                Variable("version"): NamedNode(about.manifest["version_iri"])}))
            if rows:
                first = rows[0]["catalog"]
                titles = {row["title"].language or "": row["title"].value for row in rows
                          if row["catalog"] == first and row["title"] is not None}
                found = {"@type": "DataCatalog", "@id": first.value}
                if titles:
                    found["name"] = about.text(titles, lang)
        release.renderings[key] = found
    return release.renderings[key]


def dataset_jsonld(about: About, lang: str, site: str) -> dict | None:
    """``site``: the address the pages are served at (ends in ``/``); None without an export."""
    manifest = about.manifest
    if manifest is None:
        return None
    publisher = {"@type": "Organization", "name": about.text(about.publisher, lang)}
    if about.publisher_iri:
        publisher["@id"] = about.publisher_iri
    document = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": about.dataset,
        "name": about.text(about.title, lang),
        "description": about.text(about.description, lang),
        "url": site,
        "identifier": manifest["version_iri"],
        "license": about.licence.iri,
        "creator": publisher,
        "publisher": publisher,
        "keywords": about.keywords.get(lang) or about.keywords.get("en", []),
        "version": manifest["version"],
        "dateModified": manifest["issued"],
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "name": f["title"], "encodingFormat": f["media_type"],
             "contentUrl": f"{site}download/{f['name']}"}
            for f in manifest["files"] if f["role"] == "dump"],
    }
    catalog = _catalog(about, lang)
    if catalog:
        document["includedInDataCatalog"] = catalog
    return document
