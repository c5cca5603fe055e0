"""A hub's page costs what any page costs: long sections are cut, and say so."""

from __future__ import annotations

import shutil

import pytest
import rdflib
import yaml
from bs4 import BeautifulSoup

from helpers import MINI

pytestmark = pytest.mark.slow  # loads a large dataset

EVENTS = 210


@pytest.fixture(scope="module")
def hub_client(tmp_path_factory):
    from twinkg.config import load_settings
    from twinkg.loaders.pipeline import load
    from twinkg.server import create_app

    root = tmp_path_factory.mktemp("hub")
    data = root / "data"
    shutil.copytree(MINI, data)
    events = yaml.safe_load((data / "events.yaml").read_text(encoding="utf-8"))
    events += [{"id": f"meeting-{i:03d}", "type": "visit", "title": {"de": f"Treffen {i:03d}"},
                "date": f"{1900 + i % 120}", "place": "alpha",
                "participants": [{"person": "erika-muster"}], "source": "example-page"}
               for i in range(EVENTS)]
    (data / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    settings = load_settings(data_dir=data, store=root / "store")
    load(settings)
    return create_app(settings, {"TESTING": True}).test_client()


def soup(client, path):
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser")


def test_city_and_person_show_the_latest_50_events_and_say_there_are_more(hub_client):
    for path, latest in (("/page/city/alpha", "2019"), ("/page/person/erika-muster", "2022")):
        section = soup(hub_client, path).find(attrs={"aria-labelledby": "h-events"})
        items = section.find("ul", class_="events").find_all("li", recursive=False)
        assert len(items) == 50
        assert latest in items[0].get_text()  # the latest first
        assert section.find(class_="more").a["href"] == "/sparql"


def test_incoming_links_are_capped_on_the_page_not_in_the_data(hub_client):
    page = soup(hub_client, "/page/source/example-page")
    incoming = page.find(attrs={"aria-labelledby": "h-incoming"})
    assert len(incoming.find("ul", class_="incoming").find_all("li")) == 200
    assert incoming.find(class_="more") is not None
    document = hub_client.get("/data/source/example-page.nt")
    g = rdflib.Graph().parse(data=document.data, format="nt")
    source = rdflib.URIRef("https://twinkg.example.org/id/source/example-page")
    assert len(set(g.subjects(rdflib.URIRef("http://purl.org/dc/terms/source"), source))) > EVENTS


def test_small_sections_are_not_marked(hub_client):
    page = soup(hub_client, "/page/event/visit-2022")
    assert page.find(class_="more") is None
