"""The Content-Security-Policy in a real browser (Debian's chromium through Playwright): it is
enforced (an injected inline script is refused and reported, so the no-violation checks of the
other browser tests are not vacuous), and the release's HTML documentation renders under its own."""

from __future__ import annotations

import pytest

from helpers import csp_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_an_injected_inline_script_is_refused(page, live_server):
    violations = csp_violations(page)
    page.goto(live_server + "/page/city/tours")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.injected = true'; document.body.appendChild(s); }""")
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.injected === undefined")
    assert any("script-src" in v for v in violations)


def test_the_page_cannot_be_framed(page, live_server):
    violations = csp_violations(page)
    page.set_content(f'<iframe src="{live_server}/page/city/tours"></iframe>')
    page.wait_for_function("() => true")
    page.wait_for_load_state("load")
    assert any("frame-ancestors" in v for v in violations)


def test_ontology_documentation_renders_without_violations(page, live_server):
    violations = csp_violations(page)
    page.goto(live_server + "/download/ontology.html")
    assert page.locator("h1").first.inner_text()
    # its inline styles apply: pyLODE's layout differs from the browser's default
    assert page.evaluate("() => document.styleSheets.length") >= 1
    assert violations == []
