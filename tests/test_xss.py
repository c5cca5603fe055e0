"""Untrusted text from the curated data is shown escaped on every page where it appears."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from crawling import crawl

PAYLOAD = "<script>alert(1)</script>\"'&"
MINI = __import__("pathlib").Path(__file__).resolve().parent / "fixtures" / "mini"


def _inject(data, file: str, record_id: str, edit) -> None:
    path = data / file
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    for record in records:
        if record["id"] == record_id:
            edit(record)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    from twinkg.config import load_settings
    from twinkg.loaders.pipeline import load
    from twinkg.server import create_app

    root = tmp_path_factory.mktemp("xss")
    data = root / "data"
    shutil.copytree(MINI, data)
    _inject(data, "cities.yaml", "alpha", lambda r: r.update(name={"de": "Alpha" + PAYLOAD, "en": "Alpha" + PAYLOAD}))
    _inject(data, "people.yaml", "erika-muster", lambda r: r.update(name="Erika" + PAYLOAD))
    _inject(data, "media.yaml", "photo-1", lambda r: r.update(caption={"de": "Foto" + PAYLOAD},
                                                               credit="© Credit" + PAYLOAD))
    _inject(data, "events.yaml", "visit-2022", lambda r: r.update(
        title={"de": "Besuch" + PAYLOAD}, description={"de": "Text" + PAYLOAD}))
    settings = load_settings(data_dir=data, store=root / "store")
    load(settings)
    return create_app(settings, {"TESTING": True}).test_client()


def _check_scripts(path, soup) -> None:
    for script in soup.find_all("script"):
        text = script.string or ""
        if script.get("type") == "application/ld+json":
            # escaped by tojson: the payload cannot end the element; it parses back intact
            assert "</script" not in text.lower() and "<script" not in text.lower(), path
            json.loads(text)
        else:
            assert "alert(1)" not in text, path
            assert script.get("src", "").startswith("/static/"), path


def test_payload_is_text_everywhere(xss_client):
    result = crawl(xss_client)
    assert all(status < 400 for status in result.status.values()), result.status
    shown_on = set()
    for path, soup in result.html.items():
        _check_scripts(path, soup)
        # no event-handler attribute was created from the payload
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.startswith("on"), (path, tag.name, name)
        if PAYLOAD in soup.get_text():
            shown_on.add(path)
        for element in soup.find_all(attrs={"data-markers": True}):
            names = {m["name"] for m in json.loads(element["data-markers"])}
            if any(PAYLOAD in n for n in names):
                assert "Alpha" + PAYLOAD in names
    expected = {"/page/city/alpha", "/page/person/erika-muster", "/page/photo/photo-1",
                "/page/event/visit-2022", "/list/city", "/list/person", "/list/photo", "/list/event", "/"}
    assert expected <= shown_on


def test_jsonld_carries_the_payload_as_data(xss_client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(xss_client.get("/page/city/alpha").data, "html.parser")
    doc = json.loads(soup.find("script", type="application/ld+json").string)
    assert {"@value": "Alpha" + PAYLOAD, "@language": "de"} in doc["name"]


def test_search_echoes_the_query_escaped(xss_client):
    from bs4 import BeautifulSoup

    response = xss_client.get("/search", query_string={"q": PAYLOAD}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find("input", id="q")["value"] == PAYLOAD
    _check_scripts("/search", soup)
    # the words of the payload match the injected names, shown as text
    assert "Alpha" + PAYLOAD in soup.find(class_="results").get_text()
