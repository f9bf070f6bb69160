"""Answer keys and slides for the lecture, in each language (``make handouts``).

From the executed single-language copies of the lessons (``build/executed/zh``
and ``build/executed/en``, written by :mod:`course_utils.nbexec`) it writes::

    OUT/index.html                    both languages, a link per lesson
    OUT/zh/NN_name.html               the executed lesson with its answers
    OUT/zh/NN_name.slides.html        reveal.js slides, one per section
    OUT/en/...                        the same in English
    OUT/vendor/                       reveal.js, require.js and MathJax 2 (from npm)

Everything the pages load is copied beside them, so they open from disk
without a network. Command line::

    python -m course_utils.handouts [--executed build/executed] [--out build/handouts]
                                    [--vendor handouts/node_modules]
"""

from __future__ import annotations

import argparse
import copy
import html
import shutil
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .i18n import bilingual

LANGS = ("zh", "en")
VENDOR = {  # folder in OUT/vendor: folder in node_modules
    "reveal.js": "reveal.js",
    "requirejs": "requirejs",
    "mathjax": "mathjax",
    "jquery": "jquery",
}
PAGE_URLS = {
    "mathjax_url": "../vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "require_js_url": "../vendor/requirejs/require.js",
    "jquery_url": "../vendor/jquery/dist/jquery.min.js",
    # The lessons draw no Mermaid diagram: nbconvert's loader gets a module that does nothing.
    "mermaid_js_url": "data:text/javascript,export default {initialize(){}, run(){}}",
    "mermaid_layout_elk_js_url": "",
}
REVEAL = "../vendor/reveal.js"
# The course's Chinese font (course_utils.fonts), so pages read right on a machine without one.
FONT_CSS = """<style>
@font-face { font-family: "Course CJK"; src: url("../vendor/fonts/course-cjk.otf"); }
body, .reveal, .jp-RenderedHTMLCommon, h1, h2, h3, h4, .reveal h1, .reveal h2, .reveal h3 {
  font-family: "DejaVu Sans", "Course CJK", sans-serif !important;
}
pre, code, .highlight pre, .jp-RenderedText pre {
  font-family: "DejaVu Sans Mono", "Course CJK", monospace !important;
}
</style>
"""


def slides_notebook(nb: NotebookNode) -> NotebookNode:
    """A copy whose title and every ``##`` section start a new slide; the rest follows on it.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("# T"), new_markdown_cell("text"),
    ...                          new_markdown_cell("## Section")])
    >>> [c.metadata.slideshow["slide_type"] for c in slides_notebook(nb).cells]
    ['slide', '-', 'slide']
    """
    out = copy.deepcopy(nb)
    for cell in out.cells:
        heading = cell.cell_type == "markdown" and cell.source.lstrip().startswith(("# ", "## "))
        cell.metadata["slideshow"] = {"slide_type": "slide" if heading else "-"}
    return out


def _title(nb: NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            return cell.source.lstrip()[2:].splitlines()[0].strip()
    return fallback


def export(nb: NotebookNode, target: Path) -> list[Path]:
    """Write the answer key and the slides of one executed notebook; return both paths."""
    from nbconvert import HTMLExporter, SlidesExporter

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # live widgets need a server; the outputs keep their text
    page, _ = HTMLExporter(template_name="lab", **PAGE_URLS).from_notebook_node(nb)
    slides, _ = SlidesExporter(
        reveal_url_prefix=REVEAL, reveal_theme="white", reveal_scroll=True, **PAGE_URLS
    ).from_notebook_node(slides_notebook(nb))
    key, deck = target.with_suffix(".html"), target.with_suffix(".slides.html")
    key.write_text(page.replace("</head>", FONT_CSS + "</head>", 1), encoding="utf-8")
    deck.write_text(slides.replace("</head>", FONT_CSS + "</head>", 1), encoding="utf-8")
    return [key, deck]


def build(executed: Path, out: Path, vendor: Path) -> list[Path]:
    """Write every handout and the index; copy the scripts the pages load.

    Raises
    ------
    FileNotFoundError
        No executed copy in `executed`, or the npm packages are missing from `vendor`.
    """
    missing = [name for name in VENDOR.values() if not (vendor / name).is_dir()]
    if missing:
        raise FileNotFoundError(
            bilingual(
                f"{vendor} 里缺少 {', '.join(missing)}：先在 handouts/ 里运行 npm ci。",
                f"{', '.join(missing)} missing from {vendor}: run npm ci in handouts/ first.",
            )
        )
    written, rows = [], {}
    for lang in LANGS:
        for path in sorted((executed / lang).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            (out / lang).mkdir(parents=True, exist_ok=True)
            written += export(nb, out / lang / path.stem)
            rows.setdefault(path.stem, {})[lang] = _title(nb, path.stem)
    if not written:
        raise FileNotFoundError(
            bilingual(
                f"{executed} 里没有执行过的笔记本：先运行 python -m course_utils.nbexec。",
                f"No executed notebook in {executed}: run python -m course_utils.nbexec first.",
            )
        )
    for target, source in VENDOR.items():
        shutil.copytree(vendor / source, out / "vendor" / target, dirs_exist_ok=True)
    from .fonts import shipped_font_path

    font = shipped_font_path()
    if font is not None:
        (out / "vendor" / "fonts").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(font, out / "vendor" / "fonts" / "course-cjk.otf")
    (out / "index.html").write_text(_index(rows), encoding="utf-8")
    return written


def _index(rows: dict[str, dict[str, str]]) -> str:
    items = []
    for stem, titles in rows.items():
        links = " · ".join(
            f'<a href="{lang}/{stem}.html">{html.escape(titles[lang])}</a> '
            f'(<a href="{lang}/{stem}.slides.html">{"幻灯片" if lang == "zh" else "slides"}</a>)'
            for lang in LANGS
            if lang in titles
        )
        items.append(f"<li>{links}</li>")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>讲课材料 · Handouts</title></head><body>\n"
        "<h1>讲课材料 · Handouts</h1>\n"
        "<p>每课执行过的答案版和幻灯片（快速模式运行：数字只说明代码能运行；完整模式的结果见 "
        "bench/results.md）。<br>Each lesson's executed answer key and slides (run in quick "
        "mode: the numbers only show that the code runs; full-mode results are in "
        "bench/results.md).</p>\n<ul>\n" + "\n".join(items) + "\n</ul>\n</body></html>\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.handouts", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--executed", type=Path, default=Path("build/executed"))
    parser.add_argument("--out", type=Path, default=Path("build/handouts"))
    parser.add_argument("--vendor", type=Path, default=Path("handouts/node_modules"))
    args = parser.parse_args(argv)
    try:
        written = build(args.executed, args.out, args.vendor)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(written)} handouts in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
