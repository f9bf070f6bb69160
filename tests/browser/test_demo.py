"""The draw-a-digit page of ``make demo`` in headless Chromium, opened from disk and served.

Each test draws the strokes of a known digit with the mouse, then checks that

- the page's 28x28 input is what ``course_utils.deploy.digit_steps`` makes of the same
  canvas pixels (the JavaScript preprocessing repeats the Python one);
- its outputs, probabilities and label equal Python onnxruntime's on that input
  (tolerance 1e-4), and the label is the digit drawn;
- an empty canvas (at the start, and after "clear") asks for a digit in both languages;
- nothing was requested from the network: only the page's own files.

The page is the one ``make demo`` built (``build/demo``, or ``COURSE_DEMO_DIR``);
``make test-browser`` builds it first.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlparse

from course_utils import deploy

import numpy as np
import pytest
from processes import static_server

from .conftest import REPO, draw_stroke, unavailable

pytestmark = pytest.mark.browser

SIZE = 280  # the page's canvas, in canvas pixels
SEVEN = [[(70, 60), (210, 60)], [(210, 60), (120, 235)]]
ONE = [[(150, 40), (140, 240)]]
EMPTY = ("画一个数字", "Draw a digit")


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    folder = Path(os.environ.get("COURSE_DEMO_DIR") or REPO / "build" / "demo")
    if not (folder / "index.html").is_file():
        unavailable(f"no demo page at {folder} (run make demo first)")
    return folder


@pytest.fixture(scope="session")
def session(demo_dir):
    """Python onnxruntime on the very model file the page runs."""
    return deploy.onnx_session(demo_dir / "lenet.onnx")


def open_page(page, url: str) -> tuple[list[str], list[str]]:
    """Open the page and wait until its model is ready; return the requests and JS errors."""
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.goto(url)
    page.wait_for_function(
        "document.body.dataset.state !== 'loading'", timeout=120_000, polling=200
    )
    assert page.evaluate("document.body.dataset.state") == "ready", page.inner_text("#status")
    return requests, errors


def predictions(page) -> int:
    return int(page.evaluate("Number(document.body.dataset.predictions || 0)"))


def settle(page, count: int) -> None:
    """Wait for `count` predictions in all, and for the last to finish."""
    page.wait_for_function(f"Number(document.body.dataset.predictions || 0) >= {count}")
    page.evaluate("() => window.digitDemo.idle()")


def draw(page, strokes) -> None:
    """Draw strokes (canvas coordinates) with the mouse, as a learner would."""
    box = page.locator("#pad").bounding_box()
    before = predictions(page)
    for stroke in strokes:
        draw_stroke(page, box, stroke, SIZE)
    settle(page, before + len(strokes))


def assert_asks_for_a_digit(page) -> None:
    status = page.inner_text("#status")
    assert all(text in status for text in EMPTY), status
    assert page.inner_text("#prediction") == ""
    assert page.evaluate("window.digitDemo.last()") is None


def canvas_ink(page) -> np.ndarray:
    rgba = page.evaluate(
        "() => Array.from(document.getElementById('pad').getContext('2d')"
        f".getImageData(0, 0, {SIZE}, {SIZE}).data)"
    )
    return np.asarray(rgba, dtype=np.float64).reshape(SIZE, SIZE, 4)[..., 0] / 255


LAST = """() => {
  const r = window.digitDemo.last();
  return {tensor: Array.from(r.steps.tensor), logits: r.logits, probabilities: r.probabilities,
          label: r.label, box: r.steps.box, offset: r.steps.offset};
}"""


@pytest.mark.parametrize(
    ("served", "strokes", "digit"), [("file", SEVEN, 7), ("http", ONE, 1)], ids=["file-7", "http-1"]
)
def test_page_reads_a_drawn_digit_like_python(
    page, demo_dir, session, shot, served, strokes, digit
):
    with contextlib.ExitStack() as stack:
        if served == "file":
            url = (demo_dir / "index.html").as_uri()
        else:
            url = stack.enter_context(static_server(demo_dir)) + "index.html"
        requests, errors = open_page(page, url)
        assert_asks_for_a_digit(page)
        page.screenshot(path=shot(f"demo-{served}-empty"), full_page=True)

        draw(page, strokes)
        page.screenshot(path=shot(f"demo-{served}-{digit}"), full_page=True)
        last = page.evaluate(LAST)
        ink = canvas_ink(page)

        # The page's preprocessing equals Python's on the same pixels.
        steps = deploy.digit_steps(ink)
        tensor = np.asarray(last["tensor"], dtype=np.float32).reshape(1, 1, 28, 28)
        assert tuple(last["box"]) == steps.box and tuple(last["offset"]) == steps.offset
        np.testing.assert_allclose(tensor, steps.tensor, rtol=0, atol=1e-5)

        # Python onnxruntime on the page's input gives the page's outputs and label.
        logits = session.run(None, {session.get_inputs()[0].name: tensor})[0][0]
        probabilities = deploy.softmax(logits)
        np.testing.assert_allclose(last["logits"], logits, rtol=0, atol=1e-4)
        np.testing.assert_allclose(last["probabilities"], probabilities, rtol=0, atol=1e-4)
        assert last["label"] == int(probabilities.argmax()) == digit
        assert page.inner_text("#prediction") == str(digit)
        status = page.inner_text("#status")
        assert "预测" in status and "Prediction" in status and f": {digit}" in status, status
        shown = [float(v) for v in page.locator("#bars .value").all_inner_texts()]
        np.testing.assert_allclose(shown, probabilities, atol=6e-4)  # three decimals

        # Clear: the canvas is empty again and the page asks for a digit.
        before = predictions(page)
        page.click("#clear")
        settle(page, before + 1)
        assert_asks_for_a_digit(page)
        assert canvas_ink(page).max() == 0

    assert not errors, errors
    local = {"file"} if served == "file" else {"http"}
    for address in requests:
        parsed = urlparse(address)
        assert parsed.scheme in local | {"blob", "data"}, address
        if parsed.scheme == "http":
            assert parsed.hostname == "127.0.0.1", address
