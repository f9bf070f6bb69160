"""Answer keys and slides that open from disk: every script they load is local."""

from __future__ import annotations

import re

from course_utils import handouts

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


def lesson(title: str) -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell(f"# {title}"),
            new_markdown_cell("$\\lfloor x \\rfloor$"),
            new_markdown_cell("## A section"),
            new_code_cell("print(1)", outputs=[new_output("stream", name="stdout", text="1\n")]),
        ],
        metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}},
    )


@pytest.fixture
def vendor(tmp_path):
    folder = tmp_path / "node_modules"
    for name in handouts.VENDOR.values():
        (folder / name).mkdir(parents=True)
    return folder


def test_every_lesson_gets_a_key_and_slides_in_both_languages(tmp_path, vendor):
    """zh and en pages for each executed lesson, an index linking them, the scripts copied"""
    executed = tmp_path / "executed"
    for lang, title in (("zh", "卷积"), ("en", "Convolution")):
        (executed / lang).mkdir(parents=True)
        nbformat.write(lesson(title), executed / lang / "01_convolution.ipynb")
    out = tmp_path / "out"
    written = handouts.build(executed, out, vendor)
    names = sorted(p.relative_to(out).as_posix() for p in written)
    assert names == [
        "en/01_convolution.html", "en/01_convolution.slides.html",
        "zh/01_convolution.html", "zh/01_convolution.slides.html",
    ]  # fmt: skip
    index = (out / "index.html").read_text()
    assert "卷积" in index and "Convolution" in index and "zh/01_convolution.slides.html" in index
    assert all((out / "vendor" / name).is_dir() for name in handouts.VENDOR)
    for page in written:
        text = page.read_text()
        loaded = re.findall(r'(?:src|href)="(https?://[^"]+)"', text)
        loaded += re.findall(r"import\(?\s*[\"'](https?://[^\"']+)", text)
        assert loaded == [], f"{page.name} loads {loaded}"


def test_slides_start_at_the_title_and_each_section():
    """the title and every ## heading open a slide; other cells continue it"""
    types = [
        c.metadata.slideshow["slide_type"] for c in handouts.slides_notebook(lesson("T")).cells
    ]
    assert types == ["slide", "-", "slide", "-"]


def test_missing_scripts_or_lessons_are_named(tmp_path, vendor):
    """without npm packages or executed copies, the error says what to run"""
    with pytest.raises(FileNotFoundError, match="npm ci"):
        handouts.build(tmp_path, tmp_path / "out", tmp_path / "nothing")
    with pytest.raises(FileNotFoundError, match="nbexec"):
        handouts.build(tmp_path / "none", tmp_path / "out", vendor)
