"""Lesson 10's drawing pad in JupyterLab, driven with the mouse in headless Chromium.

The test runs the whole lesson with Run > Run All Cells, then draws a 7 on the pad's
ipycanvas canvas stroke by stroke: after each stroke the message and the picture change,
and the message names the prediction; the clear button brings back "draw a digit".
Screenshots go to /tmp/browser-10-pad-*.png (or COURSE_BROWSER_SHOTS).
"""

from __future__ import annotations

import re

import pytest

from .conftest import draw_stroke
from .test_lab import (
    NOTEBOOK,
    open_notebook,
    run_all_cells,
    steady_picture,
    wait_picture_change,
    wait_text_change,
)

pytestmark = pytest.mark.browser

LESSON_10 = "10_deployment.ipynb"
PAD = {
    "canvas": ".drawing-pad-canvas",
    "message": ".drawing-pad-message",
    "clear": ".drawing-pad-clear",
    "picture": ".drawing-pad-picture",
}
SIZE = 280  # the pad's canvas, in canvas pixels
SEVEN = [[(70, 60), (210, 60)], [(210, 60), (120, 235)]]


def test_drawing_pad_reads_strokes_and_clears(page, lab, shot):
    open_notebook(page, lab, LESSON_10)
    run_all_cells(page, timeout_s=600)

    def part(name: str):
        return page.locator(f"{NOTEBOOK} {PAD[name]}").first

    canvas, message, picture = part("canvas"), part("message"), part("picture")
    canvas.scroll_into_view_if_needed()
    view = canvas.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][last()]")
    assert "Draw a digit" in message.inner_text() or "画一个数字" in message.inner_text()
    view.screenshot(path=shot("10-pad-empty"))

    before_picture = steady_picture(page, picture)
    for number, stroke in enumerate(SEVEN, start=1):
        text = message.inner_text()
        draw_stroke(page, canvas.bounding_box(), stroke, SIZE, steps=15)
        if number == 1:  # the first stroke turns "draw a digit" into a prediction
            wait_text_change(page, message, text)
        # after every stroke the picture shows the new steps and probabilities
        before_picture = wait_picture_change(page, picture, before_picture)
    found = re.search(r"(?:Prediction|预测)[:：]\s*(\d)", message.inner_text())
    assert found, message.inner_text()
    view.screenshot(path=shot("10-pad-seven"))
    assert found[1] == "7", message.inner_text()

    text = message.inner_text()
    part("clear").click()
    text = wait_text_change(page, message, text)
    assert "Draw a digit" in text or "画一个数字" in text, text
    wait_picture_change(page, picture, before_picture)
    view.screenshot(path=shot("10-pad-cleared"))
