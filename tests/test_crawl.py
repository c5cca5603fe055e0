"""A new reader clicking from the home page reaches every curated entity; no link is broken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from crawling import crawl
from twinkg.loaders.schema import KINDS

DATA = Path(__file__).resolve().parent.parent / "data"


def curated_pages(data: Path) -> set[str]:
    pages = set()
    for kind in KINDS:
        records = yaml.safe_load((data / kind.file).read_text(encoding="utf-8")) or []
        pages |= {f"/page/{kind.name}/{record['id']}" for record in records}
    return pages


#: A message key shown instead of its text (a key missing from server/messages.json).
RAW_KEY = re.compile(r"\b(?:nav|home|list|entity|map|search|timeline|class|classes|prop|col|error|lang)\.[a-z_.]+\b")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_entity_is_reachable_and_no_internal_link_is_broken(client, lang):
    result = crawl(client, lang=lang)
    broken = {path: (status, result.linked_from.get(path)) for path, status in result.status.items()
              if status >= 400}
    assert broken == {}
    expected = curated_pages(DATA)
    assert len(expected) > 100
    assert expected - result.pages("/page/") == set()
    # the data documents linked from pages answer too
    assert "/data/city/tours.ttl" in result.status
    untranslated = {path: RAW_KEY.findall(soup.get_text(" ")) for path, soup in result.html.items()}
    assert {path: keys for path, keys in untranslated.items() if keys} == {}
    assert {path: soup.html["lang"] for path, soup in result.html.items() if soup.html["lang"] != lang} == {}
