"""Build the course website: two complete editions, zh/ and en/, from the executed lessons.

Steps (``make site`` runs them all)::

    1. execute   every lesson's zh and en copy in quick mode (course_utils.nbexec;
                 reused from build/executed while nothing they depend on changed)
    2. prepare   build/site-src/LANG: the executed notebooks with each widget replaced
                 by a still of its first state and a note to open the notebook, the
                 set-language cell hidden; an index page; the glossary (docs/glossary.md)
    3. sphinx    sphinx-build with site/conf.py (MyST-NB, Furo) into build/site/LANG
    4. finish    build/site/index.html (choose a language), MathJax from the pinned
                 sphinx-mathjax-offline package, and the Chinese font: the shipped
                 Noto Sans CJK SC cut down to the characters the site uses

Usage::

    python site/build.py [--out build/site] [--executed build/executed] [--allow-errors]
"""

from __future__ import annotations

import argparse
import copy
import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from course_utils import nbexec
from course_utils.fonts import web_font

import nbformat

REPO = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FONT_FILE = "course-cjk.woff"
TEXT = {
    "zh": {
        "still": "交互控件：这里是它初始状态的静态图。在 Jupyter 中打开本课的笔记本即可操作"
        "（make lab，或 COURSE_LANG=zh make lab）。",
        "title": "卷积神经网络：PaddlePaddle 3 双语课程",
        "intro": "这是一门用飞桨 PaddlePaddle 3 讲授卷积神经网络的课程，共 {n} 课。"
        "每一课都是一个 Jupyter 笔记本；本站是它们执行之后的中文版。",
        "mode": "本站的输出来自快速模式（`COURSE_QUICK=1`）的一次执行：训练只用一个类别均衡的"
        "小子集跑 1 轮，所以数值和正文给出的完整模式结果不同。交互控件显示为初始状态的静态图；"
        "要动手操作，请在 JupyterLab 中打开笔记本。",
        "lessons": "课程",
        "more": "参考",
        "glossary_intro": "每个术语在全课中只用一种译法。",
    },
    "en": {
        "still": "Interactive widget: a still image of its first state. Open this lesson's "
        "notebook in Jupyter to use it (make lab).",
        "title": "Convolutional neural networks with PaddlePaddle 3",
        "intro": "A course on convolutional neural networks with PaddlePaddle 3, in {n} "
        "lessons. Each lesson is a Jupyter notebook; this site is their English edition, "
        "executed.",
        "mode": "Outputs on this site come from one run in quick mode (`COURSE_QUICK=1`): "
        "training uses a small class-balanced subset for one epoch, so numbers differ from "
        "the full-mode results quoted in the text. Widgets are shown as still images of "
        "their first state; open the notebook in JupyterLab to use them.",
        "lessons": "Lessons",
        "more": "Reference",
        "glossary_intro": "Each term has one translation throughout the course.",
    },
}


def log(message: str) -> None:
    print(message, flush=True)


# --- 1. execute ---------------------------------------------------------------------------


def execute_all(sources: list[Path], executed: Path, allow_errors: bool) -> None:
    for lang in LANGS:
        for source in sources:
            started = time.monotonic()
            path = nbexec.execute_copy(source, lang, executed, allow_errors=allow_errors)
            log(f"executed {path} ({time.monotonic() - started:.0f} s)")


# --- 2. prepare ---------------------------------------------------------------------------


def widget_still(note: str, still: str | None) -> dict:
    """A display_data output: the note, then the still (if the capture has one)."""
    body = f'<p class="course-widget-note">{html.escape(note)}</p>{still or ""}'
    return nbformat.v4.new_output(
        "display_data", data={"text/html": f'<div class="course-widget-still">{body}</div>'}
    )


def site_notebook(nb, lang: str):
    """The executed notebook as the site shows it: widgets as stills, no widget state."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # no widget manager (and no CDN) on a static page
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.setdefault("tags", [])
        if "set-language" in tags:
            tags.append("remove-cell")
        stills = cell.metadata.get(nbexec.CAPTURE_KEY, {}).get("widget_stills", {})
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
            else:
                outputs.append(widget_still(TEXT[lang]["still"], stills.get(view.get("model_id"))))
        cell.outputs = outputs
    return nb


def glossary_page(lang: str) -> str:
    """docs/glossary.md for one edition: its title and intro in that language, the table."""
    lines = (REPO / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines()
    title = lines[0].lstrip("# ").split(" · ")
    table = [line for line in lines if line.startswith("|")]
    heading = title[0] if lang == "zh" else title[-1]
    intro = [
        line
        for line in lines[1:]
        if line.strip()
        and not line.startswith("|")
        and bool(re.search("[\u4e00-\u9fff]", line)) == (lang == "zh")
        and not line.startswith("#")
    ]
    return "\n".join([f"# {heading}", "", *intro, "", *table, ""])


def index_page(lang: str, names: list[str]) -> str:
    text = TEXT[lang]
    toc = "\n".join(names)
    return f"""# {text["title"]}

{text["intro"].format(n=len(names))}

{text["mode"]}

```{{toctree}}
:maxdepth: 1
:caption: {text["lessons"]}

{toc}
```

```{{toctree}}
:maxdepth: 1
:caption: {text["more"]}

glossary
```
"""


def prepare(lang: str, sources: list[Path], executed: Path, src_root: Path) -> Path:
    folder = src_root / lang
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    names = []
    for source in sources:
        nb = nbformat.read(executed / lang / source.name, as_version=4)
        nbformat.write(site_notebook(nb, lang), folder / source.name)
        names.append(source.stem)
    (folder / "index.md").write_text(index_page(lang, names), encoding="utf-8")
    (folder / "glossary.md").write_text(glossary_page(lang), encoding="utf-8")
    return folder


# --- 3. sphinx ----------------------------------------------------------------------------


def sphinx(lang: str, src: Path, out: Path) -> None:
    env = dict(os.environ, COURSE_SITE_LANG=lang)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-E",
        "-c",
        str(REPO / "site"),
        "-d",
        str(src.parent / f".doctrees-{lang}"),
        str(src),
        str(out / lang),
    ]
    subprocess.run(command, check=True, env=env)


# --- 4. finish ----------------------------------------------------------------------------

_USED = re.compile(r"[^\x00-\x7f]")


def site_characters(out: Path) -> str:
    """Every non-ASCII character in the built pages, scripts and search indexes."""
    chars: set[str] = set()
    for path in out.rglob("*"):
        if path.suffix in (".html", ".js", ".css") and path.is_file():
            chars.update(_USED.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return "".join(sorted(chars))


def write_font(out: Path) -> Path:
    """The shipped CJK font cut down to the characters of the site, as WOFF (zlib)."""
    try:
        data = web_font(site_characters(out))
    except RuntimeError as err:
        raise SystemExit(str(err)) from None
    target = out / "_fonts" / FONT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    for lang in LANGS:
        shutil.copy(target, out / lang / "_static" / FONT_FILE)
    return target


def copy_mathjax(out: Path) -> None:
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("sphinx-mathjax-offline is not installed: pip install -r requirements.txt")
    script = Path(spec.submodule_search_locations[0]) / "static" / "mathjax" / "tex-svg.js"
    for lang in LANGS:
        target = out / lang / "_static" / "mathjax"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(script, target / "tex-svg.js")


def landing_page(out: Path, titles: dict[str, str]) -> None:
    links = "\n".join(
        f'    <li><a href="{lang}/index.html" lang="{"zh-CN" if lang == "zh" else "en"}">'
        f"{html.escape(titles[lang])}</a></li>"
        for lang in LANGS
    )
    (out / "index.html").write_text(
        f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(titles["zh"])} · {html.escape(titles["en"])}</title>
  <link rel="icon" href="zh/_static/favicon.svg">
  <link rel="preload" href="_fonts/{FONT_FILE}" as="font" type="font/woff" crossorigin>
  <style>
    @font-face {{ font-family: "Course Noto Sans CJK SC"; src: url("_fonts/{FONT_FILE}");
                 font-weight: 100 900; unicode-range: U+2E80-9FFF, U+FF00-FFEF; }}
    body {{ font-family: "Course Noto Sans CJK SC", Helvetica, Arial, sans-serif;
           max-width: 40em; margin: 4em auto; padding: 0 1em; line-height: 1.6; }}
    li {{ font-size: 1.3em; margin: 0.5em 0; }}
  </style>
</head>
<body>
  <h1>中文 · English</h1>
  <ul>
{links}
  </ul>
</body>
</html>
""",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--src", default=REPO / "notebooks", type=Path)
    parser.add_argument("--executed", default=REPO / "build" / "executed", type=Path)
    parser.add_argument("--out", default=REPO / "build" / "site", type=Path)
    parser.add_argument(
        "--allow-errors", action="store_true", help="publish notebooks whose cells failed"
    )
    args = parser.parse_args(argv)
    sources = sorted(args.src.glob("[0-9][0-9]_*.ipynb"))
    if not sources:
        raise SystemExit(f"no lessons in {args.src}")
    started = time.monotonic()
    execute_all(sources, args.executed, args.allow_errors)
    log(f"executed {len(sources)} lessons x {len(LANGS)} languages")
    src_root = args.out.parent / "site-src"
    if args.out.exists():
        shutil.rmtree(args.out)
    for lang in LANGS:
        folder = prepare(lang, sources, args.executed, src_root)
        sphinx(lang, folder, args.out)
        log(f"built {args.out / lang}")
    shutil.rmtree(args.out / "jupyter_execute", ignore_errors=True)  # MyST-NB's copies
    copy_mathjax(args.out)
    font = write_font(args.out)
    log(f"font subset {font} ({font.stat().st_size // 1024} KiB)")
    landing_page(args.out, {lang: TEXT[lang]["title"] for lang in LANGS})
    pages = sorted(p.relative_to(args.out) for p in args.out.glob("*/*.html"))
    log(f"{len(pages)} pages in {args.out} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
