"""Tests for site/build.py's preparation steps (fast: no Sphinx, no kernel)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from course_utils import nbexec

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("course_site_build", REPO / "site" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


@pytest.mark.parametrize(
    ("lang", "title", "other"), [("zh", "# 术语表", "Glossary"), ("en", "# Glossary", "术语表")]
)
def test_glossary_page_is_in_one_language_apart_from_its_table(lang, title, other):
    """the glossary's title and intro follow the edition; the zh/en table is kept whole"""
    page = build.glossary_page(lang)
    assert page.startswith(title + "\n") and other not in page.splitlines()[0]
    assert "| 卷积 | convolution |" in page
    prose = [line for line in page.splitlines()[1:] if line and not line.startswith("|")]
    assert prose and all(build.re.search("[\u4e00-\u9fff]", p) for p in prose) == (lang == "zh")


def test_widgets_become_stills_and_the_language_cell_is_hidden():
    """a widget view becomes its captured still with a note; no widget state remains"""
    view = {build.WIDGET_VIEW: {"model_id": "m1", "version_major": 2}, "text/plain": "VBox()"}
    widget = new_code_cell("w", outputs=[new_output("display_data", data=view)])
    widget.metadata[nbexec.CAPTURE_KEY] = {"widget_stills": {"m1": "<img src='data:x'>"}}
    setter = new_code_cell("cu.set_language('zh')", metadata={"tags": ["set-language"]})
    nb = new_notebook(cells=[new_markdown_cell("# 标题"), setter, widget])
    nb.metadata.widgets = {"state": {}}
    site = build.site_notebook(nb, "zh")
    html = site.cells[2].outputs[0]["data"]["text/html"]
    assert "course-widget-still" in html and "<img src='data:x'>" in html and "Jupyter" in html
    assert "remove-cell" in site.cells[1].metadata.tags
    assert "widgets" not in site.metadata and "widgets" in nb.metadata  # the input is kept


def test_index_page_lists_every_lesson_and_the_glossary():
    """each edition's index has a table of contents of the lessons, then the glossary"""
    page = build.index_page("en", ["00_setup", "10_deployment"])
    assert "00_setup\n10_deployment" in page and "glossary" in page and "quick mode" in page
