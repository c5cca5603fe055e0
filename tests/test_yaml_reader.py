"""The fast YAML reader (libyaml's events) reads every file as PyYAML's own loader does:
the same values, types, lines of keys and items, and duplicate keys; what it leaves to
PyYAML (anchors, tags, errors…) gives PyYAML's answer, message and line included."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinkg.loaders import yamlfile

ROOT = Path(__file__).resolve().parent.parent


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (a.line, a.lines, list(a)) == (b.line, b.lines, list(b)) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return (a.line, a.lines, len(a)) == (b.line, b.lines, len(b)) and all(map(_same, a, b))
    return a == b or (a != a and b != b)  # .nan


def _both(tmp_path, text: str):
    path = tmp_path / "events.yaml"
    path.write_bytes(text.encode("utf-8"))
    return yamlfile.read_yaml(path, "data/events.yaml"), yamlfile._read_with_pyyaml(text, "data/events.yaml")


CURATED = sorted((ROOT / "data").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))


@pytest.mark.parametrize("path", CURATED, ids=lambda p: str(p.relative_to(ROOT)))
def test_curated_files_read_the_same(path):
    fast, duplicates = yamlfile._fast(path.read_bytes())  # the fast reader takes them all
    document, problems = yamlfile._read_with_pyyaml(path.read_text(encoding="utf-8"), str(path))
    assert _same(fast, document) and not duplicates and not problems


SNIPPETS = {
    "scalars": "- id: a\n  n: 12\n  f: 1.5\n  e: 1e3\n  o: 0o17\n  x: 0x1F\n  b: yes\n  no: off\n  t: ~\n"
               "  s: '12'\n  d: \"2024\"\n  sex: 1:30\n  inf: .inf\n  nan: .nan\n  empty:\n  date: 2024-01-02\n",
    "flow and block": "- {id: a, name: {de: A, en: 'B'}, list: [1, two, \"3\"]}\n- id: b\n  text: |\n    one\n"
                      "    two\n  folded: >\n    three\n    four\n  multi: plain text\n    over lines\n",
    "nested records": "- id: e\n  participants:\n    - person: p\n      role: mayor\n\n    - city: c\n"
                      "  inferred:\n    place: {de: x}\n",
    "duplicate keys": "- id: a\n  place: x\n  name: {de: A}\n  place: y\n- id: b\n  k: {a: 1, a: 2}\n",
    "null and number keys": "- ~: 1\n  1: one\n  true: t\n",
    "comments and CRLF": "# head\r\n- id: a # tail\r\n  name: {de: A}\r\n",
    "byte-order mark": "\ufeff- id: a\n",
    "empty": "",
    "comment only": "# nothing\n",
    "empty list": "[]\n",
    "explicit document": "---\n- id: a\n...\n",
    "anchors and aliases": "- &x {id: a}\n- *x\n",
    "merge key": "- base: &b {x: 1}\n  <<: *b\n",
    "tags": "- !!str 12\n- !!binary aGk=\n",
    "omap refused": "- !!omap [a: 1]\n",
    "complex key": "- ? [a, b]\n  : 1\n",
    "two documents": "- a\n---\n- b\n",
    "syntax error": "- id: a\n  country: [de\n  source: s\n",
    "bad indentation": "- id: a\n   name: b\n  source: c\n",
    "tab": "- id: a\n\tname: b\n",
    "unclosed quote": "- id: \"a\n",
    "control character": "- id: a\x07\n",
    "undefined alias": "- id: *a\n",
    "deep nesting": "x: " + "[" * 200 + "]" * 200 + "\n",
}


@pytest.mark.parametrize("text", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_snippets_read_as_pyyaml_reads_them(tmp_path, text):
    (fast, fast_problems), (document, problems) = _both(tmp_path, text)
    assert _same(fast, document)
    assert fast_problems == problems


def test_a_syntax_error_names_pyyaml_line_and_hint(tmp_path):
    (document, problems), _ = _both(tmp_path, "- id: a\n  country: [de\n  source: s\n")
    assert document is None
    assert [str(p) for p in problems] == [
        "data/events.yaml:3: YAML syntax error: expected ',' or ']', but got ':' "
        "(hint: a [list] is not closed with ']', or an item with ':' or ',' needs quotes)"]
