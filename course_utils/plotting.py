"""Plot helpers: readable text in both languages, image grids (lesson 01 on).

Plot text uses a CJK font when one is installed; otherwise Chinese would
render as empty boxes, so :func:`label` falls back to English.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .i18n import get_language

# Fonts that cover Simplified Chinese, in order of preference.
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
_cjk_font: str | None | bool = False  # False: not looked up yet


def cjk_font() -> str | None:
    """Name of an installed font that covers Chinese, or None.

    Once found, the font is put first in matplotlib's sans-serif list.
    """
    global _cjk_font
    if _cjk_font is False:
        import matplotlib
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        _cjk_font = next((name for name in CJK_FONTS if name in installed), None)
        if _cjk_font:
            matplotlib.rcParams["font.sans-serif"] = [
                _cjk_font,
                *matplotlib.rcParams["font.sans-serif"],
            ]
            matplotlib.rcParams["axes.unicode_minus"] = False
    return _cjk_font


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


def figure_png(fig, dpi: int = 80) -> bytes:
    """The figure as PNG bytes, for an ipywidgets ``Image`` (the widgets of lessons 01-09)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
