"""A term IRI in a real browser (Debian's chromium): /ontology#City lands at City's entry."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def page(browser, live_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hosts = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    yield page
    assert hosts <= {urlsplit(live_server).netloc}, f"requests to other hosts: {hosts}"
    page.close()


@pytest.mark.parametrize("term", ["City", "partner", "kind-twin-town"])
def test_term_iri_lands_at_its_entry(page, live_server, term):
    response = page.goto(f"{live_server}/ontology#{term}")
    assert response.status == 200
    assert page.url == f"{live_server}/ontology.html#{term}"
    entry = page.locator(f"[id='{term}']")
    assert entry.is_visible()
    # the browser scrolled the entry to the top of the window
    assert abs(entry.bounding_box()["y"]) < 5


def test_download_page_links_work_in_the_browser(page, live_server):
    page.goto(f"{live_server}/download")
    assert page.locator("table.downloads a[href='/download/twinkg.ttl.gz']").count() == 1
    with page.expect_download() as info:
        page.click("a[href='/download/twinkg.nq.gz']")
    assert info.value.suggested_filename == "twinkg.nq.gz"
