"""Tests for course_utils.langcheck and the capture that nbexec stores (the language check)."""

from __future__ import annotations

from course_utils import langcheck, nbexec

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mean / max-pooled / strong edges", ["mean", "max-pooled", "strong", "edges"]),
        ("stride=2, padding=1", ["stride", "padding"]),
        ("输出大小：24×24", []),
        ("用 `paddle.nn.Conv2D` 和 conv2d，x.shape 是 [1, 28, 28]", []),
        ("Tensor(shape=[2, 3], dtype=float32, place=Place(cpu))", []),
        ("LeNet 在 MNIST 上，ReLU 激活，CPU 线程数 2，k=3，H 和 W", []),
        ("floor((6 + 2×1 − 3) / 1) + 1 = 6", []),
        ("数据在 /work/shared/data/mnist/t10k-images-idx3-ubyte.gz", []),
        ("填充方式 'same' 与 'valid'", []),
        ("$\\mathdefault{10^{-2}}$", []),
        ("图中的中文字体：Noto Sans CJK SC（课程自带，来自 mplfonts 包）", []),
    ],
)
def test_english_words_outside_code_names_and_units(text, expected):
    """prose words are found; code, names, units, paths, reprs and math are not"""
    assert langcheck.english_words(text) == expected


def test_html_text_keeps_prose_and_drops_code():
    """HTML output is read as text; <code> and <pre> hold code"""
    assert langcheck.html_text("<b>输出</b> size<pre>x = 1</pre>") == "输出 size"
    assert "x = 1" in langcheck.html_text("<pre>x = 1</pre>", keep_code=True)


def _executed(cells, captures=None, widget_state=None):
    """A notebook as nbexec leaves it: outputs, captures in cell metadata, widget state."""
    nb = new_notebook(cells=[new_markdown_cell("# 标题")])
    for i, outputs in enumerate(cells):
        cell = new_code_cell("pass", outputs=outputs)
        if captures and i in captures:
            cell.metadata[nbexec.CAPTURE_KEY] = captures[i]
        nb.cells.append(cell)
    if widget_state:
        nb.metadata.widgets = {langcheck.WIDGET_STATE: {"state": widget_state}}
    return nb


def test_findings_cover_prints_html_figures_and_widgets():
    """each kind of output is searched, with the cell index and the offending words"""
    view = {"model_id": "box", "version_major": 2, "version_minor": 0}
    state = {
        "box": {"state": {"_model_name": "VBoxModel", "children": ["IPY_MODEL_slider"]}},
        "slider": {"state": {"_model_name": "IntSliderModel", "description": "输入 n / input n"}},
    }
    nb = _executed(
        [
            [new_output("stream", name="stdout", text="均值 mean: 0.3\n步幅 2\n")],
            [new_output("display_data", data={"text/html": "<b>输出 output</b>"})],
            [new_output("display_data", data=view_bundle(view))],
            [],
        ],
        captures={3: {"figure_text": ["stride=1, padding=0", "输入 5×5", "−1"]}},
        widget_state=state,
    )
    found = langcheck.findings(nb, "zh")
    summary = [(f.cell, f.where, f.words) for f in found]
    assert summary == [
        (1, "stdout", ("mean",)),
        (2, "html", ("output",)),
        (3, "widget", ("input",)),
        (4, "figure", ("stride", "padding")),
    ]
    assert "cell 4 [figure] stride, padding | stride=1, padding=0" in langcheck.report(found)


def view_bundle(view):
    return {langcheck.WIDGET_VIEW: view, "text/plain": "VBox(...)"}


def test_html_printed_as_text_is_reported():
    """raw HTML in printed output is a finding of its own"""
    nb = _executed([[new_output("stream", name="stdout", text="输出：<b>26</b>\n")]])
    found = langcheck.findings(nb, "zh")
    assert [(f.where, f.words) for f in found] == [("html-as-text", ("<b>", "</b>"))]


def test_the_english_half_of_a_bilingual_error_is_allowed():
    """errors are bilingual by design: their English half made in the same cell is allowed"""
    message = "`k` 必须是正整数，收到 0。\n`k` must be a positive int, got 0."
    pair = message.split("\n")
    printed = [new_output("stream", name="stdout", text=message + "\n")]
    assert langcheck.findings(_executed([printed]), "zh")  # without the capture: English
    assert not langcheck.findings(_executed([printed], {0: {"bilingual": [pair]}}), "zh")


def test_en_copies_are_searched_for_chinese():
    """the reverse check: Chinese characters in an en copy's output"""
    nb = _executed([[new_output("stream", name="stdout", text="output size 24\n输出大小 24\n")]])
    assert [f.words for f in langcheck.findings(nb, "en")] == [("输", "出", "大", "小")]
    with pytest.raises(ValueError, match="lang"):
        langcheck.findings(nb, "fr")


def test_a_real_kernel_run_captures_figure_text_widgets_and_errors(tmp_path):
    """nbexec runs a notebook with the capture hook: what figures and widgets show is checked"""
    code = [
        "import course_utils as cu\ncu.set_language('zh')",
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\nax.set_title('stride=1, 输入 −1')\nplt.show()",
        "import ipywidgets as w\nw.IntSlider(description=cu.t('步幅', 'stride'))",
        "from course_utils.i18n import bilingual\nprint(bilingual('错误', 'an error'))",
        "print('<b>粗体</b>')",
    ]
    nb = new_notebook(cells=[new_markdown_cell("# 测试"), *map(new_code_cell, code)])
    source = tmp_path / "lesson.ipynb"
    nbformat.write(nb, source)
    path = nbexec.execute_copy(source, "zh", tmp_path / "executed")
    executed = nbformat.read(path, as_version=4)
    capture = executed.cells[3].metadata[nbexec.CAPTURE_KEY]
    assert "stride=1, 输入 −1" in capture["figure_text"]
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert outputs and not any(nbexec.MIME in o.get("data", {}) for o in outputs)
    stills = executed.cells[4].metadata[nbexec.CAPTURE_KEY]["widget_stills"]
    assert "步幅" in next(iter(stills.values()))
    found = {(f.cell, f.where): f.words for f in langcheck.findings(executed, "zh")}
    assert found == {(3, "figure"): ("stride",), (6, "html-as-text"): ("<b>", "</b>")}
    again = nbexec.execute_copy(source, "zh", tmp_path / "executed")  # reused, not rerun
    assert again == path and nbformat.read(again, as_version=4) == executed
