"""The built website (make site) served on localhost, and headless Chromium to read it.

Chromium and Playwright come as for tests/browser (Debian's chromium, never a download);
without them the tests skip, or fail under COURSE_REQUIRE_BROWSER=1 (make test-site).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.conftest import browser, chromium_path, shot  # noqa: F401 (fixtures)
from processes import static_server

REPO = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("COURSE_SITE_DIR", REPO / "build" / "site"))


@pytest.fixture(scope="session")
def site() -> str:
    """Base URL of build/site served by a local HTTP server (stopped at the end)."""
    if not (SITE / "zh" / "index.html").is_file():
        pytest.fail(f"no website in {SITE}: run make site first", pytrace=False)
    with static_server(SITE) as url:
        yield url


@pytest.fixture
def page(browser) -> Iterator[object]:  # noqa: F811 (the browser fixture above)
    """A fresh page that records console errors, page errors and failed requests."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.set_default_timeout(30_000)
    new_page = context.new_page()
    new_page.problems = []
    new_page.on(
        "console",
        lambda m: (
            new_page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        ),
    )
    new_page.on("pageerror", lambda e: new_page.problems.append(f"page error: {e}"))
    new_page.on("requestfailed", lambda r: new_page.problems.append(f"request failed: {r.url}"))
    new_page.on(
        "response",
        lambda r: (
            new_page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
        ),
    )
    try:
        yield new_page
    finally:
        context.close()
