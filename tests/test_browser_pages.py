"""The pages in a real browser (Debian's chromium through Playwright) against `twinkg serve`."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

from helpers import ARTIFACTS, csp_violations




@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.on("pageerror", lambda e: errors.append(str(e)))
    violations = csp_violations(page)
    yield page
    own = urlsplit(live_server).netloc
    assert hosts <= {own}, f"requests to other hosts: {hosts - {own}}"
    assert errors == []
    assert violations == [], "the Content-Security-Policy blocked part of a page"
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pages-{name}.png"), full_page=True)


def test_home_city_partnership_event_photo(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Town twinning as linked data"
    shot(page, "1-home")
    page.locator("table.city-coordinates").get_by_role("link", name="Tours", exact=True).click()
    page.wait_for_url("**/page/city/tours")
    assert page.locator("h1").inner_text() == "Tours"
    shot(page, "2-city")
    page.get_by_role("link", name="Mülheim an der Ruhr – Tours").first.click()
    page.wait_for_url("**/page/partnership/muelheim-tours")
    assert "60 years: 2022" in page.locator("section[aria-labelledby=h-anniversaries]").inner_text()
    shot(page, "3-partnership")
    reception = "Reception of the citizens' groups from Tours and Kouvola at the town hall"
    page.get_by_role("link", name=reception).first.click()
    page.wait_for_url("**/page/event/reception-tours-kouvola-2022")
    shot(page, "4-event")
    page.locator("ul.photos a").first.click()
    page.wait_for_url("**/page/photo/aktionen-foto-04")
    assert page.locator("figure.photo .credit").inner_text() == "© Referat 1 | Stadt Mülheim an der Ruhr"
    shot(page, "5-photo")


def test_language_switch_is_remembered(page, live_server):
    page.goto(live_server + "/page/city/tours")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".lang-switch a").click()
    page.wait_for_url("**/page/city/tours")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("#h-partnerships").inner_text() == "Partnerschaften"
    page.goto(live_server + "/list/event")  # another page: still German
    assert page.locator("h1").inner_text() == "Ereignisse"
    shot(page, "6-german-list")
    page.locator(".lang-switch a").click()
    assert page.locator("h1").inner_text() == "Events"


def test_search_from_the_header(page, live_server):
    page.goto(live_server + "/")
    page.fill("#site-q", "oppeln")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=oppeln")
    results = page.locator("section.result-group")
    assert results.first.locator("h3").inner_text().startswith("Cities")
    shot(page, "7-search")
    results.first.get_by_role("link", name="Opole").click()
    page.wait_for_url("**/page/city/opole")


def test_map_shows_a_marker_per_city_with_coordinates(page, live_server):
    page.goto(live_server + "/map")
    page.wait_for_selector(".map.map-ready")
    expected = json.loads(page.locator(".map").get_attribute("data-markers"))
    assert len(expected) >= 9
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == len(expected)
    titles = {markers.nth(i).get_attribute("title") for i in range(markers.count())}
    assert {"Mülheim an der Ruhr", "Tours", "Darlington", "Opole"} <= titles
    shot(page, "8-map")


def test_city_page_map_and_copy_button(page, live_server):
    page.goto(live_server + "/page/city/darlington")
    page.wait_for_selector(".map.map-ready")
    assert page.locator(".leaflet-marker-icon").count() == 1
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button = page.locator("button.copy")
    assert button.is_visible()  # shown only where JavaScript runs
    button.click()
    # a locator wait (a wait_for_function string is polled with eval, which the CSP refuses)
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "https://twinkg.example.org/id/city/darlington"


def test_keyboard_reaches_the_skip_link_first(page, live_server):
    page.goto(live_server + "/page/city/tours")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_phone_width_has_no_horizontal_scroll(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for path in ("/", "/page/city/tours", "/page/event/reception-tours-kouvola-2022",
                     "/page/source/seed-aktionen", "/page/person/marc-buchholz"):
            page.goto(live_server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (path, width)
        shot(page, "9-phone-event")
    finally:
        context.close()


def test_home_map_labels_do_not_hide_each_other(page, live_server):
    # Mülheim and Opole are close at the home map's zoom: their permanent labels used to overlap.
    page.goto(live_server + "/")
    page.wait_for_selector(".map.map-ready")
    tips = page.locator(".leaflet-tooltip")
    names = [tips.nth(i).inner_text() for i in range(tips.count())]
    assert "Mülheim an der Ruhr" in names and "Opole" in names, names
    boxes = {name: tips.nth(i).bounding_box() for i, name in enumerate(names)}
    for name in ("Mülheim an der Ruhr", "Opole"):
        assert tips.nth(names.index(name)).is_visible()
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            p, q = boxes[a], boxes[b]
            apart = (p["x"] + p["width"] <= q["x"] or q["x"] + q["width"] <= p["x"]
                     or p["y"] + p["height"] <= q["y"] or q["y"] + q["height"] <= p["y"])
            assert apart, f"the labels of {a} and {b} overlap: {p} {q}"
