"""Find the other language in what an executed single-language notebook shows.

The zh copy of a lesson should show Chinese only, apart from code and names:
its printed output, its HTML and text outputs, the text in its figures and
its widgets' labels. :func:`findings` lists every English word outside the
allow-list, cell by cell; for an en copy it lists Chinese characters instead.

What counts as code or a name, and is allowed:

- text in backticks, in quotes (a repr: ``'same'``), in ``<code>`` or ``<pre>``
  elements of HTML output, a file path, and a call or repr with its arguments
  (``Tensor(shape=[1], ...)``, ``floor(...)``);
- an operator chain (``data -> conv2d -> relu``);
- a token with a digit, an underscore or a dot inside (``conv2d``, ``28x28``,
  ``x.shape``), in camel case or capitals (``LeNet``, ``ReLU``, ``CNN``), or
  a single letter (``k``, ``s``, ``H``);
- the names and units in :data:`ALLOWED` (``Paddle``, ``NumPy``, ``px``, ...);
- the lines Paddle itself prints (:data:`PADDLE_LINES`: ``Model.fit``'s progress
  log and ``paddle.summary``'s table), which a lesson cannot translate;
- the other-language half of a :func:`course_utils.i18n.bilingual` message made
  in the same cell: errors are always in both languages, by design.

Figure text and widget states come from the capture that
:mod:`course_utils.nbexec` stores in each cell's metadata, so check a notebook
executed by it. Raw HTML in printed text (``<b>``, ``<pre>``) is reported too:
HTML is meant to be displayed, not printed.

Command line (a notebook that has not been executed is executed first)::

    python -m course_utils.langcheck build/executed/zh/01_convolution.ipynb [--lang zh]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

__all__ = [
    "ALLOWED",
    "Finding",
    "chinese_characters",
    "english_words",
    "findings",
    "html_text",
    "main",
    "report",
]

#: Names and units that may appear in a zh copy (compared case-sensitively).
ALLOWED = frozenset(
    """
    Paddle PaddlePaddle paddle NumPy numpy Python python Jupyter JupyterLab ipywidgets
    matplotlib mplfonts nbclient pip Sobel Prewitt Laplacian Gaussian Grace Hopper
    Noto Sans SC CJK MNIST CIFAR ImageNet LeNet AlexNet VGG GoogLeNet ResNet Inception
    Adam SGD Momentum ReLU Sigmoid Tanh Softmax Dropout BatchNorm
    sigmoid relu Normalize ONNX onnx onnxruntime opset Pillow
    Linear Flatten Sequential Residual Layer
    True False None nan inf NaN vs
    px dpi ms min KB MB GB KiB MiB GiB FLOPs MACs
    """.split()
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’.-]*[A-Za-z0-9]|[A-Za-z]")
_CALL = re.compile(r"\b[A-Za-z_][\w.]*\(")
_BACKTICKS = re.compile(r"`[^`\n]*`")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_MATH = re.compile(r"\$[^$\n]*\$")  # matplotlib mathtext, e.g. tick labels 10^{-2}
_PATH = re.compile(r"[\w.~-]*(?:/[\w.~-]+)+/?")
#: An operator chain, ``data -> conv2d -> relu``: the names of a graph's operators.
_CHAIN = re.compile(r"[\w.]+(?:\s*->\s*[\w.]+){2,}")
_HTML_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|pre|code|div|span|p|br|hr|table|tr|td|th|ul|ol|li|h[1-6]|a|img)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
#: Lines that Paddle itself prints (hapi's progress log, ``paddle.summary``'s table).
PADDLE_LINES = tuple(
    re.compile(pattern)
    for pattern in (
        r"^Epoch \d+/\d+$",
        r"^step \d+/\d+ \[[=>.]*\]",
        r"^The loss value printed in the log is the current step",
        r"^Eval (begin|samples)",
        r"^-*\s*Layer \(type\)\s+Input Shape\s+Output Shape\s+Param #",
        r"^(Total|Trainable|Non-trainable) params: [\d,]+$",
        r"^(Input size|Forward/backward pass size|Params size|Estimated Total Size) \(MB\):",
    )
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@dataclass(frozen=True)
class Finding:
    """One piece of output in the wrong language."""

    cell: int
    """Index of the cell in the single-language copy (from 0)."""
    where: str
    """``stdout``, ``stderr``, ``text``, ``html``, ``figure``, ``widget`` or ``html-as-text``."""
    text: str
    """The line or string, shortened to 160 characters."""
    words: tuple[str, ...]
    """The English words (zh copy) or Chinese characters (en copy) found."""


class _TextOf(HTMLParser):
    """Collect an HTML fragment's text; ``<code>``/``<pre>`` text is kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.code: list[str] = []
        self._skip = 0
        self._code = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("code", "pre", "kbd", "samp"):
            self._code += 1
        elif tag in ("br", "p", "div", "tr", "li", "pre", "h1", "h2", "h3", "table"):
            self.parts.append("\n")
        if tag == "img":
            self.parts.append(" ".join(value or "" for name, value in attrs if name == "alt"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("code", "pre", "kbd", "samp"):
            self._code = max(0, self._code - 1)
        elif tag in ("p", "div", "tr", "li", "td", "th", "option", "button", "label", "span"):
            self.parts.append("\n" if tag not in ("td", "th", "span") else " ")

    def handle_data(self, data):
        if self._skip:
            return
        (self.code if self._code else self.parts).append(data)


def html_text(fragment: str, keep_code: bool = False) -> str:
    """The text of an HTML fragment, one line per block; code dropped unless `keep_code`.

    Examples
    --------
    >>> html_text("<b>输出</b>：<code>x.shape</code><br>24")
    '输出：\\n24'
    """
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts) + ("\n" + "\n".join(parser.code) if keep_code else "")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _mask_code(text: str) -> str:
    """Blank out backtick spans, quoted strings (reprs), paths, operator chains and calls."""
    text = _PATH.sub(" ", _QUOTED.sub(" ", _BACKTICKS.sub(" ", _MATH.sub(" ", text))))
    text = _CHAIN.sub(" ", text)
    out, i = [], 0
    for match in _CALL.finditer(text):
        if match.start() < i:
            continue
        out.append(text[i : match.start()])
        depth, j = 1, match.end()
        while j < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
        out.append(" ")
        i = j
    out.append(text[i:])
    return "".join(out)


def _is_code_or_name(token: str) -> bool:
    token = token.strip("'’.-")
    return (
        len(token) <= 1
        or token in ALLOWED
        or any(ch.isdigit() or ch in "_." for ch in token)
        or bool(re.search("[a-z][A-Z]", token))
        or (token.isupper() and "-" not in token)
    )


def english_words(text: str) -> list[str]:
    """English words of `text` that are not code, names or units (see the module doc).

    Examples
    --------
    >>> english_words("输出大小 output size：24×24，用 `conv2d` 和 paddle.nn.Conv2D")
    ['output', 'size']
    >>> english_words("mean / max-pooled / strong edges")
    ['mean', 'max-pooled', 'strong', 'edges']
    >>> english_words("Tensor(shape=[2, 3], dtype=float32) 在 CPU 上，k=3，LeNet 的 ReLU")
    []
    >>> english_words("读取 /work/shared/data/mnist 中的 'same' 填充")
    []
    """
    return [w for w in _WORD.findall(_mask_code(text)) if not _is_code_or_name(w)]


def chinese_characters(text: str) -> list[str]:
    """The Chinese characters of `text`, in order, outside backticks and quoted strings (reprs).

    Examples
    --------
    >>> chinese_characters("kernel 卷积核, t('卷积', ...)")
    ['卷', '积', '核']
    """
    return _CJK.findall(_QUOTED.sub(" ", _BACKTICKS.sub(" ", text)))


def _widget_strings(state: dict, model_id: str, seen: set[str]) -> list[str]:
    """Labels and HTML text of a widget and its children, from the stored widget state."""
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    values = state[model_id].get("state", {})
    strings = [values.get(key) for key in ("description", "placeholder", "tooltip")]
    strings += list(values.get("_options_labels", []))
    if values.get("_model_name") in ("HTMLModel", "HTMLMathModel"):
        strings.append(html_text(values.get("value", "")))
    elif values.get("_model_name") == "LabelModel":
        strings.append(values.get("value"))
    for child in values.get("children", []):
        strings += _widget_strings(state, str(child).removeprefix("IPY_MODEL_"), seen)
    return [s for s in strings if isinstance(s, str) and s.strip()]


def _cell_texts(cell, widget_state: dict) -> list[tuple[str, str]]:
    """(where, text) for everything a code cell shows."""
    texts: list[tuple[str, str]] = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            texts.append((output.get("name", "stdout"), output.get("text", "")))
        elif kind == "error":
            texts.append(("error", f"{output.get('ename')}: {output.get('evalue')}"))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                model_id = data[WIDGET_VIEW].get("model_id", "")
                for text in _widget_strings(widget_state, model_id, set()):
                    texts.append(("widget", text))
            elif "text/html" in data:
                texts.append(("html", html_text(_joined(data["text/html"]))))
            elif "text/markdown" in data:
                texts.append(("text", _joined(data["text/markdown"])))
            elif "text/plain" in data and not any(k.startswith("image/") for k in data):
                texts.append(("text", _joined(data["text/plain"])))
    capture = cell.get("metadata", {}).get("course_capture", {})
    texts += [("figure", text) for text in capture.get("figure_text", [])]
    for still in capture.get("widget_stills", {}).values():
        texts.append(("widget", html_text(still)))
    return texts


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:157] + "..."


def findings(nb, lang: str = "zh") -> list[Finding]:
    """Everything in the outputs of the executed `lang` copy `nb` that is in the other language.

    Parameters
    ----------
    nb : NotebookNode
        A single-language copy executed by :mod:`course_utils.nbexec` (figure
        text and widget stills come from its capture).
    lang : {'zh', 'en'}
        The copy's language: a zh copy is searched for English words, an en
        copy for Chinese characters.

    Returns
    -------
    list of Finding
        One per offending line (text outputs) or string (figures, widgets),
        without repeats.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"`lang` must be 'zh' or 'en', got {lang!r}")
    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        capture = cell.get("metadata", {}).get("course_capture", {})
        other_halves = [pair[1 if lang == "zh" else 0] for pair in capture.get("bilingual", [])]
        for where, text in _cell_texts(cell, state):
            if where in ("stdout", "stderr", "text"):
                tags = _HTML_TAG.findall(text)
                if tags:
                    found.append(Finding(index, "html-as-text", _shorten(text), tuple(tags)))
                    text = _HTML_TAG.sub(" ", text)
            for half in other_halves:
                text = text.replace(half, " ")
            for line in text.splitlines() if where != "figure" else [text]:
                if any(pattern.match(line.strip()) for pattern in PADDLE_LINES):
                    continue
                bad = english_words(line) if lang == "zh" else chinese_characters(line)
                key = (where, line)
                if bad and key not in seen:
                    seen.add(key)
                    found.append(Finding(index, where, _shorten(line), tuple(bad)))
    return found


def report(found: list[Finding], name: str = "") -> str:
    """Findings as readable lines: ``NAME cell N [where] words | text``."""
    return "\n".join(
        f"{name} cell {f.cell} [{f.where}] {', '.join(dict.fromkeys(f.words))} | {f.text}"
        for f in found
    )


def main(argv: list[str] | None = None) -> int:
    """Check notebooks; print the findings; exit status 1 if there are any."""
    import nbformat

    parser = argparse.ArgumentParser(prog="python -m course_utils.langcheck", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("paths", nargs="+", help="executed (or to execute) zh or en copies")
    parser.add_argument("--lang", choices=["zh", "en"], help="default: the parent folder's name")
    args = parser.parse_args(argv)
    total = 0
    for path in map(Path, args.paths):
        lang = args.lang or path.parent.name
        nb = nbformat.read(path, as_version=4)
        if not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"):
            from .nbexec import execute

            nb = execute(nb, cwd=Path("notebooks") if Path("notebooks").is_dir() else path.parent)
        found = findings(nb, lang)
        total += len(found)
        if found:
            print(report(found, path.name))
        print(f"{path}: {len(found)}", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
