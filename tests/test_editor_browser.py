"""The query editor in a real browser (Debian's chromium through Playwright) against `twinkg serve`."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sparql_helpers import PARTNER_CITIES

from twinkg.canned import canned_queries

pytestmark = pytest.mark.browser

from conftest import ARTIFACTS, csp_violations




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
