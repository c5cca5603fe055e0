"""The download folder's LICENSE and README: what a person finds beside the dumps.

LICENSE names the licence (a setting), the publisher and the attribution the licence asks
for; README says what each file is, how to check the checksums and how to cite. Both are
plain UTF-8 text from templates, with nothing from the clock: the same store and settings
give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader

from twinkg.licences import attribution, licence

from .description import Release
from .files import ExportFile
from .metadata import DatasetInfo

LICENSE = "LICENSE"
README = "README"
LICENSE_TITLE = "licence and attribution (plain text)"
README_TITLE = "what these files are, how to verify and cite them (plain text)"


def _env() -> Environment:
    # Plain text: nothing to escape (and escaping would garble titles with '&' or quotes).
    return Environment(loader=PackageLoader("twinkg.export", "templates"), autoescape=False,
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def _english(texts: dict[str, str]) -> str:
    return texts.get("en") or next(iter(texts.values()))


def write_license(out: Path, release: Release, info: DatasetInfo) -> Path:
    lic = licence(info.license)
    title = _english(info.title)
    text = _env().get_template("LICENSE.txt").render(
        title=title, licence=lic, publisher=info.publisher_name(), dataset=release.dataset.value,
        release=release.build_version,
        attribution=attribution(info.publisher_name(), title, lic, release.dataset.value))
    (out / LICENSE).write_text(text, encoding="utf-8")
    return out / LICENSE


def write_readme(out: Path, release: Release, info: DatasetInfo, files: list[ExportFile]) -> Path:
    """README listing ``files`` and itself."""
    lic = licence(info.license)
    listed = [(f.name, f.title, f.media_type + (f", {f.compression}" if f.compression else "")) for f in files]
    listed.append((README, README_TITLE, "text/plain"))
    title = _english(info.title)
    text = _env().get_template("README.txt").render(
        title=title, description=_english(info.description), info=info, release=release, files=listed,
        licence=lic, attribution=attribution(info.publisher_name(), title, lic, release.dataset.value),
        width=max(len(name) for name, _, _ in listed))
    (out / README).write_text(text, encoding="utf-8")
    return out / README
