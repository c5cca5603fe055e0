"""``twinkg export``: the whole publication of one store build, written into a directory."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse

from twinkg.backends.mirror import local_mirror, remote_quads
from twinkg.config import Settings
from twinkg.errors import TwinkgError
from twinkg.ontology_files import ontology_bytes, ontology_store

from .citation import write_citation
from .description import Earlier, Release, describe_dataset, release_for, write_turtle
from .diff import Diff, changelog_entry, diff_exports
from .dumps import write_dumps
from .files import EXPORT_DIR, MANIFEST, ExportFile, describe, is_export, read_manifest, write_manifest
from .jsonld import build_context
from .metadata import DatasetInfo, dataset_info
from .notices import LICENSE, LICENSE_TITLE, README, README_TITLE, write_license, write_readme
from .ontodoc import write_ontology_doc
from .sparqlfiles import exists
from .vocabularies import write_vocabularies

CONTEXT = "context.jsonld"
DESCRIPTION = "void.ttl"
ONTOLOGY_HTML = "ontology.html"
CITATION = "CITATION.cff"
CHANGELOG = "CHANGELOG.md"
DIFF = "diff.json"
#: The descriptions of earlier releases: ``releases/<release>.ttl`` (listed in the manifest).
RELEASES = "releases"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"


@dataclass
class Exported:
    directory: Path
    files: list[ExportFile]
    release: Release
    version: str
    diff: Diff | None
    ontology_doc: str  # "pylode" or "template"
    info: DatasetInfo | None = None


def export_build(store, meta: dict, settings: Settings, build: Path, earlier: Iterable[Path] = (),
                 progress=lambda _: None) -> Exported:
    """The export of a store build, into ``<build>/export/`` where the server finds it; the
    changelog and diff are against the newest of the ``earlier`` builds that has an export.

    ``twinkg load`` writes it into each new build before the swap; a server in front of a
    remote store writes it into its local files of each remote version."""
    done = [b for b in earlier if is_export(b / EXPORT_DIR)]
    previous = max(done, key=lambda b: b.stat().st_mtime) / EXPORT_DIR if done else None
    return export_store(store, meta, settings, build / EXPORT_DIR, previous, progress)


def export_store(store, meta: dict, settings: Settings, out: Path, previous: Path | None = None,
                 progress=lambda _: None) -> Exported:
    """Write the publication of ``store`` (embedded, or remote) into ``out``; on any failure
    ``out`` keeps the previous export.

    Everything is written into a sibling work directory first and moved in only when complete
    (as store builds are swapped in whole).
    """
    if previous is not None:
        if not is_export(previous):
            raise TwinkgError(f"--previous {previous}: not a twinkg export (no {MANIFEST})")
        if previous.resolve() == out.resolve():
            raise TwinkgError("--previous must be another directory than the export's")
    info = dataset_info(settings)  # a broken DATASET.toml stops here, before anything is written
    release = release_for(settings, meta)
    if not isinstance(store, Store):  # remote: the export reads everything (dumps), from a local copy
        store = local_mirror(remote_quads(store, meta))
    _check_publisher(store, release, info)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        exported = _write_export(store, meta, info, release, work, previous, progress)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    out.mkdir(exist_ok=True)
    _clear_previous_run(out)
    _move_into(work, out)
    work.rmdir()
    exported.directory = out
    return exported


def _publisher_entry(release: Release, info: DatasetInfo) -> dict:
    """The publisher as pages name it: its IRI (the organization's entity) and its names."""
    if info.publisher is None:
        return {}
    return {"iri": f"{release.base_iri}id/organization/{info.publisher.organization}",
            "name": dict(info.publisher.name)}


def _check_publisher(store: Store, release: Release, info: DatasetInfo) -> None:
    """The publisher's IRI is its organization's entity IRI: the store must have it."""
    if info.publisher is None:
        return
    iri = NamedNode(f"{release.base_iri}id/organization/{info.publisher.organization}")
    if not exists(store, "has-organization", organization=iri):
        raise info.error("publisher.organization", f"unknown organization {info.publisher.organization!r} "
                         "(an id in organizations.yaml)")


def _write_export(store: Store, meta: dict, info, release: Release, out: Path, previous: Path | None,
                  progress) -> Exported:
    ontology = ontology_store()
    context = build_context(ontology)

    (out / CONTEXT).write_text(json.dumps({"@context": context}, indent=2, ensure_ascii=False) + "\n",
                               encoding="utf-8")
    files = write_dumps(store, out, context, progress)
    files += write_vocabularies(out, context, progress)
    files.append(describe(out / CONTEXT, "context", "JSON-LD @context (short names for tk: terms)",
                          RdfFormat.JSON_LD.media_type))
    progress(f"writing {ONTOLOGY_HTML}")
    generator = write_ontology_doc(ontology_bytes(), out / ONTOLOGY_HTML, progress)
    files.append(describe(out / ONTOLOGY_HTML, "documentation", "ontology documentation (HTML)",
                          "text/html"))

    diff, previous_version = _changes(out, previous, release, meta, files, progress)
    earlier = _keep_releases(out, previous, release, files) if previous is not None else ()
    write_citation(out / CITATION, release, info)
    files.append(describe(out / CITATION, "citation", "how to cite this release (CITATION.cff)",
                          "application/yaml"))

    progress(f"describing the dataset in {DESCRIPTION}")
    triples = describe_dataset(store, release, info, files, previous_version, earlier)
    write_turtle(triples, out / DESCRIPTION)
    files.append(describe(out / DESCRIPTION, "description", "dataset description (VoID + DCAT, Turtle)",
                          RdfFormat.TURTLE.media_type))

    write_license(out, release, info)
    files.append(describe(out / LICENSE, "license", LICENSE_TITLE, "text/plain"))
    write_readme(out, release, info, files)
    files.append(describe(out / README, "readme", README_TITLE, "text/plain"))

    write_manifest(out, files, {
        "release": release.build_version, "version": info.version,
        "version_iri": release.version_iri.value, "issued": meta["loaded_at"],
        "ontology_doc": generator,
        # what pages say about the release (footer, schema.org): the release's own words
        "dataset": {"iri": release.dataset.value, "title": info.title, "description": info.description,
                    "keywords": info.keywords, "license": info.license,
                    "publisher": _publisher_entry(release, info)},
    })
    return Exported(out, files, release, info.version, diff, generator, info)


def _changes(out: Path, previous: Path | None, release: Release, meta: dict, files: list[ExportFile],
             progress) -> tuple[Diff | None, str | None]:
    """CHANGELOG.md (the new entry above the previous export's entries) and, against a
    previous export, diff.json; returns the diff and the previous version IRI."""
    date = meta["loaded_at"][:10]
    if previous is None:
        diff, previous_version, history = None, None, ""
        entry = f"## {release.build_version} ({date})\n\nFirst release.\n"
    else:
        progress(f"comparing with {previous}")
        before = read_manifest(previous)
        previous_version = before.get("version_iri")
        diff = diff_exports(previous, out)
        (out / DIFF).write_text(json.dumps({"previous": before.get("release"), "current": release.build_version,
                                            **diff.summary(), "added": diff.added, "removed": diff.removed},
                                           indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(describe(out / DIFF, "changelog", "changes since the previous release (JSON)",
                              "application/json"))
        entry = changelog_entry(diff, release.build_version, before.get("release", "?"), date)
        old_log = previous / CHANGELOG
        # keep the previous entries, below the new one (without the old "# Changelog" title)
        history = old_log.read_text(encoding="utf-8").split("\n", 2)[-1] if old_log.exists() else ""
    (out / CHANGELOG).write_text(f"# Changelog\n\n{entry}\n{history}".rstrip() + "\n", encoding="utf-8")
    files.append(describe(out / CHANGELOG, "changelog", "changelog", "text/markdown"))
    return diff, previous_version


def _keep_releases(out: Path, previous: Path, release: Release, files: list[ExportFile]) -> tuple[Earlier, ...]:
    """The descriptions of the releases before this one, so that their IRIs (in
    dcat:previousVersion, in their CITATION.cff) keep answering: the previous export's
    void.ttl and the earlier ones it kept, each now saying which release replaces it
    (dct:isReplacedBy, and the dataset's dcat:hasCurrentVersion, point to this one)."""
    before = read_manifest(previous)
    kept = {f["name"].removeprefix(RELEASES + "/").removesuffix(".ttl"): previous / f["name"]
            for f in before.get("files", []) if f.get("role") == "release"}
    if before.get("release"):
        kept[before["release"]] = previous / DESCRIPTION
    kept.pop(release.build_version, None)  # an export against one of the same build
    earlier = []
    for name, source in sorted(kept.items()):
        if not _RELEASE_NAME.fullmatch(name) or not source.exists():
            continue
        iri = f"{release.base_iri}dataset/{name}"
        triples = _replaced(parse(source.read_bytes(), format=RdfFormat.TURTLE), NamedNode(iri), release)
        (out / RELEASES).mkdir(exist_ok=True)
        path = out / RELEASES / f"{name}.ttl"
        write_turtle(triples, path)
        files.append(replace(describe(path, "release", f"description of the earlier release {name} (Turtle)",
                                      RdfFormat.TURTLE.media_type), name=f"{RELEASES}/{name}.ttl"))
        issued = next((t.object.value for t in triples
                       if t.subject.value == iri and t.predicate.value == DCT + "issued"), None)
        earlier.append(Earlier(iri, issued))
    return tuple(earlier)


#: A release name as `twinkg load` makes them (<UTC time>-<hash>): safe as a file name.
_RELEASE_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]*")


def _replaced(quads, old: NamedNode, current: Release) -> list[Triple]:
    """An earlier release's description, pointing to the current release instead of itself."""
    stale = {DCT + "isReplacedBy", DCAT + "hasCurrentVersion"}
    triples = [Triple(q.subject, q.predicate, q.object) for q in quads if q.predicate.value not in stale]
    return triples + [Triple(old, NamedNode(DCT + "isReplacedBy"), current.version_iri),
                      Triple(current.dataset, NamedNode(DCAT + "hasCurrentVersion"), current.version_iri)]


def _clear_previous_run(out: Path) -> None:
    """Re-exporting into a directory: remove the files the last export there listed, so no
    stale file (an old diff.json) survives next to the new ones."""
    if is_export(out):
        for entry in read_manifest(out).get("files", []):
            name = Path(entry["name"])
            if name.parts and ".." not in name.parts and not name.is_absolute():
                (out / name).unlink(missing_ok=True)
        releases = out / RELEASES
        if releases.is_dir() and not any(releases.iterdir()):
            releases.rmdir()


def _move_into(work: Path, out: Path) -> None:
    """Move the finished files into ``out``; a folder (releases/) file by file, as one may be
    there already."""
    for path in work.iterdir():
        target = out / path.name
        if path.is_dir() and target.is_dir():
            _move_into(path, target)
            path.rmdir()
        else:
            os.replace(path, target)
