"""Plot helpers: readable text in both languages, image grids (lesson 01 on).

Chinese in plots needs a font that covers it. The course ships one: the pinned
``mplfonts`` package carries Noto Sans CJK SC (SIL Open Font License). The
first plot helper that runs registers it with matplotlib (importing
``course_utils`` stays cheap: no matplotlib until then) and sets a fallback
list of families, so that Latin letters, digits and signs such as "−" and "⌊"
come from matplotlib's DejaVu Sans and Chinese from the CJK font. Without
``mplfonts`` an installed system CJK font is used; without any,
:func:`label` falls back to English rather than draw empty boxes.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .i18n import get_language, t

#: The shipped font: (package, file inside it). Noto Sans CJK SC, SIL OFL 1.1.
SHIPPED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
#: matplotlib's own font, first in the fallback list: Latin, digits, "−", "⌊⌋".
LATIN_FONT = "DejaVu Sans"
# System fonts that cover Simplified Chinese, in order of preference.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
)
#: Resolution of the pictures that widgets show; they are shown at their pixel size.
WIDGET_DPI = 100

_cjk_font: str | None | bool = False  # False: not looked up yet
_cjk_source = ""  # "shipped" or "system" once found


def shipped_font_path() -> Path | None:
    """Path of the CJK font file that the course ships, or None if its package is missing.

    The package is located without being imported.

    Examples
    --------
    >>> path = shipped_font_path()
    >>> path is None or path.name == "NotoSansCJKsc-Regular.otf"
    True
    """
    package, relative = SHIPPED_FONT
    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / relative
        if path.is_file():
            return path
    return None


def cjk_font() -> str | None:
    """Name of the font that draws Chinese in plots, or None when there is none.

    On first call: registers the shipped font with matplotlib (else looks for
    a system CJK font) and sets ``font.family`` to ``[LATIN_FONT, that font]``,
    a fallback list: each character comes from the first family that has it.

    Examples
    --------
    >>> cjk_font() in (None, "Noto Sans CJK SC", *CJK_FONTS)
    True
    """
    global _cjk_font, _cjk_source
    if _cjk_font is False:
        import matplotlib
        from matplotlib import font_manager

        path = shipped_font_path()
        if path is not None:
            font_manager.fontManager.addfont(path)
            _cjk_font = font_manager.FontProperties(fname=path).get_name()
            _cjk_source = "shipped"
        else:
            installed = {f.name for f in font_manager.fontManager.ttflist}
            _cjk_font = next((name for name in CJK_FONTS if name in installed), None)
            _cjk_source = "system" if _cjk_font else ""
        if _cjk_font:
            matplotlib.rcParams["font.family"] = [LATIN_FONT, _cjk_font]
            matplotlib.rcParams["axes.unicode_minus"] = True  # DejaVu Sans has "−"
    return _cjk_font


def font_status() -> str:
    """One line for lesson 00's environment check: which font draws Chinese in plots.

    Examples
    --------
    >>> from course_utils.i18n import set_language, reset_language
    >>> set_language("en"); "font" in font_status()
    True
    >>> reset_language()
    """
    name = cjk_font()
    if name is None:
        return t(
            "图中的中文：没有找到中文字体，图中文字改用英文。"
            "请重新安装依赖（pip install -r requirements.txt，其中的 mplfonts 带有字体）。",
            "Chinese in plots: no CJK font found, so plots use English. Reinstall the "
            "requirements (pip install -r requirements.txt; mplfonts carries the font).",
        )
    if _cjk_source == "shipped":
        return t(
            f"图中的中文字体：{name}（课程自带，来自 mplfonts 包）",
            f"Chinese font in plots: {name} (shipped with the course, from mplfonts)",
        )
    return t(f"图中的中文字体：{name}（系统字体）", f"Chinese font in plots: {name} (system font)")


def label(zh: str, en: str) -> str:
    """Text for a plot: like ``t(zh, en)``, but English when no CJK font exists.

    Examples
    --------
    >>> label("卷积核", "kernel") in ("卷积核", "kernel", "卷积核 / kernel")
    True
    """
    lang = get_language()
    if lang == "en" or cjk_font() is None:
        return en
    return zh if lang == "zh" else f"{zh} / {en}"


def show_images(
    images: Sequence,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    cmap: str = "gray",
    size: float = 2.2,
    suptitle: str | None = None,
):
    """Show images in a grid and return the figure.

    `images` are 2-D (grey) or HxWx3 arrays, or Paddle tensors; titles go
    above each image. Axes are hidden.
    """
    import matplotlib.pyplot as plt

    cjk_font()
    images = [np.asarray(img.numpy() if hasattr(img, "numpy") else img) for img in images]
    n = len(images)
    ncols = ncols or min(n, 6)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            img = images[i]
            if img.ndim == 3 and img.shape[0] in (1, 3) and img.shape[-1] not in (1, 3):
                img = img.transpose(1, 2, 0)  # CHW -> HWC
            ax.imshow(img.squeeze(), cmap=cmap if img.squeeze().ndim == 2 else None)
            if titles is not None:
                ax.set_title(titles[i], fontsize=10)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def show_grid_values(ax, grid: np.ndarray, fmt: str = "{:g}", cmap: str = "Blues") -> None:
    """Draw a small matrix on `ax` with each value written in its cell."""
    grid = np.asarray(grid)
    ax.imshow(grid, cmap=cmap)
    for (r, c), value in np.ndenumerate(grid):
        ax.text(c, r, fmt.format(value), ha="center", va="center", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_history(history, title: str | None = None):
    """Loss and accuracy per epoch, training and test, side by side (lesson 05).

    `history` is a :class:`course_utils.train.History` (or anything with
    ``column(key)``). Returns the figure.
    """
    import matplotlib.pyplot as plt

    cjk_font()
    epochs = history.column("epoch")
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    panels = (("loss", label("损失", "loss")), ("acc", label("准确率", "accuracy")))
    for ax, (key, name) in zip(axes, panels, strict=True):
        ax.plot(epochs, history.column(key), "o-", label=label("训练", "train"))
        if any(np.isfinite(history.column(f"eval_{key}"))):
            ax.plot(epochs, history.column(f"eval_{key}"), "s--", label=label("测试", "test"))
        ax.set_xlabel(label("轮次", "epoch"))
        ax.set_title(name)
        ax.grid(alpha=0.3)
        ax.legend()
        if len(epochs) and max(epochs) <= 20:
            ax.set_xticks(range(1, int(max(epochs)) + 1))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(cm, class_names: Sequence[str] | None = None, title: str | None = None):
    """Draw a confusion matrix ``cm[true, predicted]`` with counts; return the figure."""
    import matplotlib.pyplot as plt

    cjk_font()
    cm = np.asarray(cm)
    n = cm.shape[0]
    names = list(class_names) if class_names is not None else [str(i) for i in range(n)]
    fig, ax = plt.subplots(figsize=(0.55 * n + 2, 0.55 * n + 1.5))
    # Log colour scale: the diagonal would otherwise hide every mistake.
    ax.imshow(np.log1p(cm), cmap="Blues")
    for (r, c), value in np.ndenumerate(cm):
        if value:
            dark = np.log1p(value) > 0.6 * np.log1p(cm.max())
            ax.text(
                c,
                r,
                str(value),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
    ax.set_xticks(range(n), names, rotation=45 if max(map(len, names)) > 2 else 0)
    ax.set_yticks(range(n), names)
    ax.set_xlabel(label("预测类别", "predicted"))
    ax.set_ylabel(label("真实类别", "true"))
    ax.set_title(title or label("混淆矩阵", "confusion matrix"))
    fig.tight_layout()
    return fig


def figure_png(fig, dpi: int = WIDGET_DPI) -> bytes:
    """The figure as PNG bytes, for an ipywidgets ``Image`` (the widgets of lessons 01-09)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels of PNG bytes (read from the header).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> png_size(figure_png(Figure(figsize=(2, 0.5)), dpi=100))
    (200, 50)
    """
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(t("不是 PNG 数据。", "not PNG data"))
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def show_figure(picture, fig, dpi: int = WIDGET_DPI) -> None:
    """Put `fig` into the ipywidgets ``Image`` `picture`, shown at its pixel size.

    The picture's width and height are set to those of the PNG, so the page
    neither stretches nor shrinks it (a stretched PNG looks blurry).
    """
    png = figure_png(fig, dpi=dpi)
    width, height = png_size(png)
    picture.value = png
    picture.width, picture.height = str(width), str(height)
    picture.layout.width, picture.layout.height = f"{width}px", f"{height}px"
    picture.layout.min_width = picture.layout.max_width = f"{width}px"
