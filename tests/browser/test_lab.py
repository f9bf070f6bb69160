"""The course in a real browser: JupyterLab in headless Chromium, driven like a learner.

Each test opens a notebook in JupyterLab, runs it with Run > Run All Cells, then uses its
widgets with the mouse and keyboard and checks what the page shows. Run them with
``make test-browser``; conftest.py says what they need and how everything is cleaned up.
Screenshots go to /tmp/browser-*.png (or COURSE_BROWSER_SHOTS).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
PROMPT_DONE = re.compile(r"^\[\d+\]:?$")
# JupyterLab shows tracebacks as stderr outputs, like warnings; a traceback names its
# exception at the start of a line.
STDERR = f"{NOTEBOOK} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
TRACEBACK = re.compile(r"^Traceback \(most recent call last\)|^\w*(Error|Exception)\b", re.M)


# --- Driving a notebook ---------------------------------------------------------------------


def open_notebook(page, lab, notebook: str, timeout_s: float = 120) -> None:
    """Open a notebook in JupyterLab and wait until its kernel has started and is idle.

    The server's settings start the notebook's kernel by itself; should JupyterLab still ask
    with its "Select Kernel" dialog, the test answers it as a learner would.
    """
    page.goto(lab.lab_url(notebook), wait_until="domcontentloaded", timeout=timeout_s * 1000)
    page.locator(f"{NOTEBOOK} .jp-Notebook .jp-Cell").first.wait_for(timeout=timeout_s * 1000)
    select = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept", has_text="Select")
    deadline = time.monotonic() + timeout_s
    while lab.kernel_state(notebook) != "idle":
        if select.is_visible():
            select.click()
        if time.monotonic() > deadline:
            raise AssertionError(f"no idle kernel for {notebook} after {timeout_s} s")
        page.wait_for_timeout(500)
    wait_kernel_idle(page, timeout_s)


def wait_kernel_idle(page, timeout_s: float = 120) -> None:
    """Wait for the notebook's kernel status indicator to read idle."""
    page.locator(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        timeout=timeout_s * 1000
    )


def code_prompts(page) -> list[str]:
    prompts = page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
    return [text.strip() for text in prompts]


def error_texts(page) -> list[str]:
    """The tracebacks shown in the notebook's outputs (warnings left out)."""
    return [text for text in page.locator(STDERR).all_inner_texts() if TRACEBACK.search(text)]


def run_all_cells(page, timeout_s: float = 300) -> None:
    """Run > Run All Cells from the menu bar, then wait until every code cell has run.

    Fails at once with the traceback when a cell raises (JupyterLab then leaves the cells
    below it unrun), and after ``timeout_s`` when cells are still running.
    """
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
    page.locator(".lm-Menu .lm-Menu-item", has=label).click()
    page.wait_for_timeout(1000)  # let every cell show [*]
    deadline = time.monotonic() + timeout_s
    prompts: list[str] = []
    while time.monotonic() < deadline:
        errors = error_texts(page)
        assert not errors, "a cell failed:\n" + "\n".join(errors)
        prompts = code_prompts(page)
        if prompts and all(PROMPT_DONE.match(p) for p in prompts):
            wait_kernel_idle(page, max(1.0, deadline - time.monotonic()))
            errors = error_texts(page)
            assert not errors, "a cell failed:\n" + "\n".join(errors)
            return
        if "[*]:" not in prompts and "[ ]:" in prompts:
            raise AssertionError(f"Run All stopped before the end (a cell failed?): {prompts}")
        page.wait_for_timeout(500)
    raise AssertionError(f"cells not finished after {timeout_s} s; prompts: {prompts}")


def wait_text_change(page, locator, before: str, timeout_s: float = 60) -> str:
    """Wait until the element's text differs from ``before``; return the new text."""
    page.wait_for_function(
        "([el, before]) => el.innerText !== before",
        arg=[locator.element_handle(), before],
        timeout=timeout_s * 1000,
    )
    return locator.inner_text()


# --- Lesson 00: the output-size sliders -----------------------------------------------------


def test_setup_notebook_slider_updates_output_size(page, lab, shot):
    open_notebook(page, lab, "00_setup.ipynb")
    run_all_cells(page)
    page.screenshot(path=shot("00-run-all"), full_page=True)

    kernel_slider = page.locator(f"{NOTEBOOK} .widget-hslider", has_text="kernel k")
    readout = kernel_slider.locator(".widget-readout")
    handle = kernel_slider.locator(".noUi-handle")
    result = page.locator(f"{NOTEBOOK} .widget-html-content", has_text="=")
    handle.scroll_into_view_if_needed()

    # The notebook's own check cell leaves n = 28 and k = 3 behind: 28 - 3 + 1 = 26.
    text_before = result.inner_text()
    assert int(readout.inner_text()) == 3
    assert "= 26" in text_before, text_before

    handle.focus()
    handle.press("ArrowRight")
    text_after = wait_text_change(page, result, text_before)
    kernel_slider.locator("xpath=..").screenshot(path=shot("00-slider"))
    assert int(readout.inner_text()) == 4
    assert "= 25" in text_after, text_after


# --- Lesson 01: the kernel explorer ---------------------------------------------------------

LESSON_01 = "01_convolution.ipynb"
EXPLORER = {
    "figure": ".kernel-explorer-output",  # the Image widget with the matplotlib picture
    "size": ".kernel-explorer-size",  # output size and its formula
    "message": ".kernel-explorer-message",  # the explanation of a bad value
    "preset": ".kernel-explorer-preset select",
    "entry": ".kernel-entry input",  # one per cell of the kernel grid
}


def steady_picture(page, locator, timeout_s: float = 60) -> bytes:
    """A screenshot of the element once two shots 0.5 s apart agree (nothing redrawing)."""
    deadline = time.monotonic() + timeout_s
    shot = locator.screenshot()
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        again = locator.screenshot()
        if again == shot:
            return shot
        shot = again
    raise AssertionError(f"the picture kept changing for {timeout_s} s")


def wait_picture_change(page, locator, before: bytes, timeout_s: float = 60) -> bytes:
    """Wait until the element looks different from ``before``; return its new steady look."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if locator.screenshot() != before:
            after = steady_picture(page, locator, max(1.0, deadline - time.monotonic()))
            if after != before:
                return after
        page.wait_for_timeout(300)
    raise AssertionError(f"the picture did not change within {timeout_s} s")


def output_shape(size_text: str) -> tuple[int, int]:
    """The output size "H×W" that the explorer's size text starts with."""
    found = re.search(r"(\d+)×(\d+)", size_text)
    assert found, size_text
    return int(found[1]), int(found[2])


def option_index(select, contains: str) -> int:
    """The index of the one dropdown option whose label contains ``contains``."""
    # ipywidgets writes the spaces of option labels as no-break spaces.
    labels = [text.replace("\xa0", " ") for text in select.locator("option").all_inner_texts()]
    matches = [i for i, text in enumerate(labels) if contains in text]
    assert len(matches) == 1, (contains, labels)
    return matches[0]


@pytest.mark.skipif(
    not (NOTEBOOKS / LESSON_01).exists(), reason=f"notebooks/{LESSON_01} is not written yet"
)
def test_kernel_explorer_follows_preset_and_entries(page, lab, shot):
    open_notebook(page, lab, LESSON_01)
    run_all_cells(page)

    def explorer(part: str):
        return page.locator(f"{NOTEBOOK} {EXPLORER[part]}").first

    figure, size, message = explorer("figure"), explorer("size"), explorer("message")
    preset, entries = explorer("preset"), page.locator(f"{NOTEBOOK} {EXPLORER['entry']}")
    figure.scroll_into_view_if_needed()
    figure.wait_for()
    explorer_view = figure.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][last()]")
    explorer_view.screenshot(path=shot("01-explorer-start"))
    # A preset with a kernel of the other size: new picture, new output size, new grid.
    n = {9: 5, 25: 3}[entries.count()]  # the grid holds a 3x3 or a 5x5 kernel
    picture, size_text = steady_picture(page, figure), size.inner_text()
    preset.select_option(index=option_index(preset, f"Gaussian blur {n}x{n}"))
    size_after = wait_text_change(page, size, size_text)
    picture = wait_picture_change(page, figure, picture)
    explorer_view.screenshot(path=shot("01-explorer-preset"))
    # Stride 1, no padding: each output side grows or shrinks by the change of kernel size.
    (h0, w0), (h1, w1) = (output_shape(text) for text in (size_text, size_after))
    assert (h1 - h0, w1 - w0) == (8 - 2 * n,) * 2, (size_text, size_after)
    assert entries.count() == n * n

    # Typing into the grid: a new picture, and the preset becomes "custom".
    centre = entries.nth(n * n // 2)
    centre.fill("-5")
    centre.press("Enter")
    picture = wait_picture_change(page, figure, picture)
    explorer_view.screenshot(path=shot("01-explorer-entry"))
    page.wait_for_function(
        "([el, index]) => el.selectedIndex === index",
        arg=[preset.element_handle(), option_index(preset, "custom")],
    )
    assert size.inner_text() == size_after, "same kernel size, same output size"

    # A value that is not a number: an explanation, and the last good picture stays.
    centre.fill("abc")
    centre.press("Enter")
    message.locator("div").first.wait_for()
    explorer_view.screenshot(path=shot("01-explorer-bad-entry"))
    assert "abc" in message.inner_text(), message.inner_text()
    assert steady_picture(page, figure) == picture
