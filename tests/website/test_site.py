"""Every page of both editions of the website in headless Chromium (make test-site).

Each page must load without console errors, failed requests or broken images; every
element with Chinese text must be drawn with a font that has Chinese (the site's own
Noto Sans CJK SC subset on a machine without one: no empty boxes); the language switch
must land on the same page of the other edition; search must find lessons in both
languages. Screenshots (site-*.png in COURSE_BROWSER_SHOTS or /tmp) are for a person to
look at: a lesson in each language and a figure with Chinese and "−".
"""

from __future__ import annotations

import pytest

from .conftest import SITE

pytestmark = pytest.mark.site

PAGES = sorted(str(p.relative_to(SITE)) for p in SITE.glob("*/*.html")) or ["zh/index.html"]
LESSONS = sorted(p.stem for p in SITE.glob("zh/[0-9][0-9]_*.html")) or ["00_setup"]
# Elements whose own text has Chinese, at most 60 a page (the CDP font query is per element).
CJK_ELEMENTS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (found.length >= 60) break;
    if (el.closest('script, style, svg, .MathJax, mjx-container')) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
    if (/[\\u4e00-\\u9fff]/.test(own) && el.getClientRects().length) {
      el.setAttribute('data-cjk-check', String(found.length));
      found.push(own.trim().slice(0, 30));
    }
  }
  return found;
}"""


def open_page(page, site: str, path: str) -> None:
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready")
    # two animation frames: text that waited for the font is laid out with it
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def fonts_without_chinese(page) -> list[str]:
    """Texts of Chinese-bearing elements drawn by no font that covers Chinese."""
    texts = page.evaluate(CJK_ELEMENTS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    bad = []
    for i, text in enumerate(texts):
        node = cdp.send(
            "DOM.querySelector", {"nodeId": root, "selector": f'[data-cjk-check="{i}"]'}
        )
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        if not any(f["isCustomFont"] or "CJK" in f["familyName"] for f in fonts):
            bad.append(f"{text!r}: {[f['familyName'] for f in fonts]}")
    return bad


@pytest.mark.parametrize("path", ["index.html", *PAGES])
def test_page_loads_with_every_image_and_no_error(page, site, path):
    """no console error or failed request, every image loaded, Chinese drawn with a CJK font"""
    open_page(page, site, path)
    broken = page.evaluate(
        "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src.slice(0, 80))"
    )
    assert not broken, broken
    assert not page.problems, page.problems
    assert not fonts_without_chinese(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", [*LESSONS, "glossary", "index"])
def test_language_switch_lands_on_the_same_page(page, site, lang, name):
    """the switch on a page leads to the same page of the other edition"""
    other = "en" if lang == "zh" else "zh"
    open_page(page, site, f"{lang}/{name}.html")
    page.locator(".course-lang-switch").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url == f"{site}{other}/{name}.html"
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if other == "zh" else "en")


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("zh", "卷积", "01_convolution"),
        ("zh", "步幅", "02_padding_stride"),
        ("en", "padding", "02_padding_stride"),
        ("en", "pooling", "04_pooling"),
    ],
)
def test_search_finds_lessons_offline(page, site, lang, query, expected):
    """the built-in search works without a network, Chinese words included"""
    open_page(page, site, f"{lang}/search.html?q={query}")
    results = page.locator("#search-results li a")
    results.first.wait_for()
    links = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(expected in link for link in links), links
    assert not page.problems, page.problems


def test_widgets_are_stills_with_a_note(page, site):
    """lesson 01's kernel explorer is a picture of its first state with a note in Chinese"""
    open_page(page, site, "zh/01_convolution.html")
    still = page.locator(".course-widget-still").first
    assert "Jupyter" in still.locator(".course-widget-note").inner_text()
    assert still.locator("img").count() >= 1
    assert page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0


def test_screenshots_for_a_person(page, site, shot):
    """screenshots: a lesson in each language, and a figure with Chinese and "−" """
    for lang in ("zh", "en"):
        open_page(page, site, f"{lang}/02_padding_stride.html")
        page.screenshot(path=shot(f"site-{lang}-lesson"))
    open_page(page, site, "zh/02_padding_stride.html")
    figure = page.locator(".course-widget-still").first
    figure.scroll_into_view_if_needed()
    figure.screenshot(path=shot("site-zh-figure-minus"))
    assert "−" in figure.inner_text() or figure.locator("img").count()
