"""The query editor in a real browser (Debian's chromium through Playwright) against `twinkg serve`."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlsplit

import pytest
from sparql_helpers import PARTNER_CITIES

from twinkg.canned import canned_queries

pytestmark = pytest.mark.browser

from helpers import ARTIFACTS, csp_violations




@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    requested_hosts = set()
    page.on("request", lambda r: requested_hosts.add(urlsplit(r.url).netloc))
    page.requested_hosts = requested_hosts
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    violations = csp_violations(page)
    yield page
    assert violations == [], "the Content-Security-Policy blocked part of the editor"
    context.close()


def test_editor_runs_a_canned_query_tab(page, live_server):
    page.goto(live_server + "/sparql")
    tabs = page.locator(".tabsList .tab")
    tabs.first.wait_for()
    names = [t.replace("✖", "").strip() for t in tabs.all_inner_texts()]  # ✖ is the close button
    titles = [q.title for q in canned_queries().values()]
    assert [n for n in names if n and n != "+"] == titles
    page.locator(".tabsList .tab", has_text="Partner cities").click()
    tab_panel = page.locator(".tabPanel.active")
    tab_panel.locator(".yasqe_queryButton").click()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab_panel.locator(".yasr table.dataTable").wait_for(timeout=15000)
        # the 7th row (a locator wait: a wait_for_function string is polled with eval, which
        # the CSP refuses)
        tab_panel.locator(".yasr table.dataTable tbody tr").nth(6).wait_for(timeout=15000)
    finally:  # the screenshot shows what the user saw, also when the rows never came
        page.screenshot(path=str(ARTIFACTS / "editor-partner-cities.png"), full_page=True)
    cells = tab_panel.locator(".yasr table.dataTable tbody tr").all_inner_texts()
    assert len(cells) == len(PARTNER_CITIES)
    for row, (name, start) in zip(cells, PARTNER_CITIES):
        assert name in row
        if start:
            assert start in row
    assert "cousin partnership" in cells[-1]
    # the editor talks to this server only, and the page has no script errors
    assert page.requested_hosts == {urlsplit(live_server).netloc}
    assert page.errors == []


def test_query_page_in_the_browser(page, live_server):
    page.goto(live_server + "/queries/anniversaries")
    page.fill("#param-year", "2023")
    page.click("#params button[type=submit]")
    page.wait_for_url("**/queries/anniversaries?year=2023")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-anniversaries.png"), full_page=True)
    assert page.locator("#results").count() == 1
    page.fill("#param-year", "soon")
    page.click("#params button[type=submit]")
    assert "parameter 'year'" in page.locator(".error-message").inner_text()


def open_editor(page, live_server):
    page.goto(live_server + "/sparql")
    page.locator(".tabsList .tab").first.wait_for()


def run_tab(page, title: str) -> int:
    """Run the tab named ``title``; the number of result rows YASR received."""
    page.locator(".tabsList .tab", has_text=title).click()
    panel = page.locator(".tabPanel.active")
    panel.locator(".yasqe_queryButton").click()
    # The active tab's results, once they came (a fresh tab has none).
    handle = page.wait_for_function("""() => {
        const results = window.twinkgYasgui.getTab().getYasr().results;
        if (!results) return null;
        const bindings = results.getBindings && results.getBindings();
        return bindings ? {rows: bindings.length} : null;
    }""", timeout=10000)
    return handle.json_value()["rows"]


def test_every_tab_answers_as_the_api(page, live_server):
    open_editor(page, live_server)
    for query in canned_queries().values():
        with urllib.request.urlopen(f"{live_server}/queries/{query.name}.json") as response:
            expected = len(json.load(response)["results"]["bindings"])
        assert run_tab(page, query.title) == expected, query.name


def test_result_links_open_this_hosts_pages(page, live_server):
    open_editor(page, live_server)
    run_tab(page, "Partner cities")
    table = page.locator(".tabPanel.active .yasr table.dataTable")
    table.locator("tbody tr").first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor-links.png"), full_page=True)
    # Our IRIs link to this host (the base IRI is a domain the test server does not serve).
    link = table.locator("a.iri", has_text="/id/city/").first
    assert link.get_attribute("href").startswith(live_server + "/id/city/")
    # Prefixes: the datatypes are compact (xsd:gYear), and no IRI is shown in full beside one.
    text = table.inner_text()
    assert "xsd:gYear" in text and "http://www.w3.org/2001/XMLSchema#" not in text
    # < IRI > on one line: the brackets are not pushed onto lines of their own.
    cell = link.locator("xpath=ancestor::td")
    assert "\n" not in cell.inner_text().strip()
    # The table scrolls inside the editor; the page itself is not widened.
    widths = page.evaluate("""() => ({
        page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
        box: document.querySelector('.tabPanel.active .yasr .dt-container').getBoundingClientRect().width,
        editor: document.getElementById('yasgui').getBoundingClientRect().width})""")
    assert widths["page"] <= widths["viewport"]
    assert widths["box"] <= widths["editor"]
    expandable = link.locator("xpath=ancestor::div[contains(@class, 'expandable')]")
    if expandable.count():  # YASR cuts long cells short: a first click shows them whole
        expandable.click()
    with page.context.expect_page() as opened:  # YASR opens results in a new tab
        link.click()
    entity = opened.value
    entity.wait_for_load_state()
    assert urlsplit(entity.url).netloc == urlsplit(live_server).netloc
    assert urlsplit(entity.url).path.startswith("/page/city/")
    assert entity.locator("h1").inner_text().strip()


def test_canned_queries_link_opens_the_list(page, live_server):
    open_editor(page, live_server)
    page.locator("main p a", has_text="canned").click()
    page.wait_for_url(live_server + "/queries")
    assert page.locator("h1").count() == 1
    assert "text/html" in page.evaluate("document.contentType")
