"""The built site on a phone, in dark mode and in print: charts fit a 390 px viewport, follow
the colour scheme, and print shows the addresses behind external links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pagesserver import serve_pages
from test_publish import axe_report

BASE = "/sourcebook-demo/"
CHART_PAGES = ("", "timeline/")


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", BASE) as url:
        yield url


def rgb(css: str) -> tuple[int, ...]:
    """(r, g, b) of a computed colour such as "rgb(24, 23, 21)"."""
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def luminance(css: str) -> float:
    """Relative luminance (WCAG) of a computed colour."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("path", CHART_PAGES)
def test_no_chart_overflows_a_phone_viewport(browser, site_url, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    charts = page.locator("figure.chart")
    assert charts.count() >= 1
    for i in range(charts.count()):
        for box in page.evaluate(
            """el => [el, ...el.querySelectorAll('svg, table')]
                 .filter(e => e.getClientRects().length)
                 .map(e => { const r = e.getBoundingClientRect();
                             return [r.left, r.right]; })""",
            charts.nth(i).element_handle(),
        ):
            assert box[0] >= 0 and box[1] <= 390, (path, box)
        # The figures are still there to read: a visible table or drawing inside the figure.
        assert charts.nth(i).locator("table, svg").filter(visible=True).count() >= 1
    page.close()


@pytest.mark.parametrize("path", CHART_PAGES)
def test_dark_mode_darkens_page_and_charts(browser, site_url, path):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + path)
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert luminance(body) < 0.05, body
    background = page.locator("figure.chart svg .chart-bg").first
    assert background.is_visible()
    fill = background.evaluate("el => getComputedStyle(el).fill")
    assert rgb(fill) != (255, 255, 255) and luminance(fill) < 0.05, fill
    # No mark of the chart stays a white slab either.
    fills = page.evaluate("""() => [...document.querySelectorAll(
        'figure.chart svg rect, figure.chart svg circle')].map(e => getComputedStyle(e).fill)""")
    assert fills and all(rgb(f) != (255, 255, 255) for f in fills), fills
    context.close()


def test_print_shows_the_address_of_an_external_link(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "topics/s-400/")
    link = page.locator("a.original-link").first
    href = link.get_attribute("href")
    assert href and href.startswith("http")
    after = "el => getComputedStyle(el, '::after').content"
    assert href not in link.evaluate(after)  # on screen: no address
    page.emulate_media(media="print")
    assert href in link.evaluate(after)
    internal = page.locator('main a[href^="../"]').first
    assert internal.evaluate(after) in ("none", "normal", "")
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violations_in_dark_mode(browser, site_url, width):
    context = browser.new_context(color_scheme="dark", viewport={"width": width, "height": 900})
    report = axe_report(context, site_url, ("", "timeline/", "topics/s-400/",
                                            "topics/defence-ties/",
                                            "sources/000_0a8abdfef13416d9/", "data/"))
    context.close()
    assert report == {}
