"""Plot helpers: readable text in both languages, image grids (lesson 01 on).

Chinese in plots uses the font that the course ships (see
:mod:`course_utils.fonts`); :func:`label` falls back to English only when no
CJK font exists at all, rather than draw empty boxes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import validate
from .fonts import CJK_FONTS, LATIN_FONT, SHIPPED_FONT, cjk_font, font_status, shipped_font_path
from .i18n import bilingual, get_language, t

__all__ = [
    "CJK_FONTS",
    "LATIN_FONT",
    "SHIPPED_FONT",
    "WIDGET_DPI",
    "cjk_font",
    "figure_png",
    "font_status",
    "label",
    "plot_confusion_matrix",
    "plot_history",
    "png_size",
    "shipped_font_path",
    "show_figure",
    "show_grid_values",
    "show_images",
]

#: Resolution of the pictures that widgets show; they are shown at their pixel size.
WIDGET_DPI = 100


def label(zh: str, en: str, sep: str = " / ") -> str:
    """Text for a plot: like ``t(zh, en, sep)``, but English when no CJK font exists.

    A `sep` of ``"\n"`` puts the two languages on two lines, for titles of
    small panels.

    Examples
    --------
    >>> label("卷积核", "kernel") in ("卷积核", "kernel", "卷积核 / kernel")
    True
    """
    validate.text(zh, "zh", empty=True), validate.text(en, "en", empty=True)
    validate.text(sep, "sep", empty=True)
    lang = get_language()
    if lang == "en" or cjk_font() is None:
        return en
    return zh if lang == "zh" else f"{zh}{sep}{en}"


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

    Raises
    ------
    TypeError, ValueError
        A bad argument (named in the message, in both languages).
    """
    import matplotlib.pyplot as plt

    images = _images(images)
    n = len(images)
    if titles is not None:
        titles = validate.sequence(titles, "titles", length=n)
        for i, title in enumerate(titles):
            validate.text(title, f"titles[{i}]", empty=True)
    ncols = validate.optional(ncols, "ncols", validate.integer, low=1, high=100)
    cmap = _cmap(cmap)
    size = validate.number(size, "size", 0, 50, low_open=True, high_open=True)
    suptitle = validate.optional(suptitle, "suptitle", validate.text, empty=True)
    cjk_font()
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


def _images(images) -> list[np.ndarray]:
    """`images` as a non-empty list of finite 2-D or HxWx3 / CxHxW arrays."""
    items = validate.sequence(images, "images", min_length=1, max_length=100)
    out = []
    for i, img in enumerate(items):
        name = f"images[{i}]"
        array = validate.array(img, name, ndim=(2, 3))
        if (
            array.ndim == 3
            and 1 not in (array.shape[0], array.shape[-1])
            and 3
            not in (
                array.shape[0],
                array.shape[-1],
            )
        ):
            raise ValueError(
                bilingual(
                    f"`{name}` 必须是灰度图 (H, W) 或彩色图 (H, W, 3)/(3, H, W)，"
                    f"收到形状 {array.shape}。",
                    f"`{name}` must be a grey (H, W) or colour (H, W, 3)/(3, H, W) image, "
                    f"got shape {array.shape}.",
                )
            )
        out.append(array)
    return out


def _cmap(cmap) -> str:
    """`cmap` if it names a matplotlib colour map."""
    import matplotlib

    validate.text(cmap, "cmap")
    if cmap not in matplotlib.colormaps:
        raise validate.value_error(
            "cmap",
            "matplotlib 的颜色映射名，例如 'gray'",
            "a matplotlib colour map, e.g. 'gray'",
            cmap,
        )
    return cmap


def show_grid_values(ax, grid: np.ndarray, fmt: str = "{:g}", cmap: str = "Blues") -> None:
    """Draw a small matrix on `ax` with each value written in its cell."""
    validate.array(grid, "grid", ndim=2)  # within float32's range, as everywhere
    grid = validate.array(grid, "grid", ndim=2, dtype="float64")  # written at full precision
    fmt = validate.text(fmt, "fmt")
    cmap = _cmap(cmap)
    try:  # whole numbers are passed as int, so '{:d}' works for counts
        texts = [fmt.format(int(v) if v.is_integer() else float(v)) for v in grid.flat]
    except (ValueError, IndexError, KeyError) as err:
        raise validate.value_error(
            "fmt", "一个数的格式，例如 '{:g}'", "a number format such as '{:g}'", fmt
        ) from err
    ax.imshow(grid, cmap=cmap)
    for (r, c), text in zip(np.ndindex(grid.shape), texts, strict=True):
        ax.text(c, r, text, ha="center", va="center", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_history(history, title: str | None = None):
    """Loss and accuracy per epoch, training and test, side by side (lesson 05).

    `history` is a :class:`course_utils.train.History` (or anything with
    ``column(key)``). Returns the figure.
    """
    import matplotlib.pyplot as plt

    if isinstance(history, type) or not callable(getattr(history, "column", None)):
        raise validate.type_error("history", " cu.History()", "a cu.History()", history)
    title = validate.optional(title, "title", validate.text, empty=True)
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

    cm = validate.array(cm, "cm", ndim=2, dtype="float64")
    if cm.shape[0] != cm.shape[1] or cm.shape[0] > 1000:
        raise ValueError(
            bilingual(
                f"`cm` 必须是方阵（类别数 × 类别数，最多 1000），收到形状 {cm.shape}。",
                f"`cm` must be square (classes x classes, at most 1000), got shape {cm.shape}.",
            )
        )
    if (cm < 0).any() or (cm != np.round(cm)).any():
        raise ValueError(
            bilingual(
                "`cm` 必须只含非负整数（计数）。", "`cm` must hold non-negative whole counts only."
            )
        )
    cm = cm.astype(int)
    n = cm.shape[0]
    if class_names is not None:
        class_names = validate.sequence(class_names, "class_names", length=n)
        for i, name in enumerate(class_names):
            validate.text(name, f"class_names[{i}]", empty=True)
    title = validate.optional(title, "title", validate.text, empty=True)
    cjk_font()
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

    from matplotlib.figure import Figure

    validate.instance(
        fig,
        "fig",
        Figure,
        " matplotlib 图（Figure）",
        "a matplotlib Figure",
    )
    dpi = validate.integer(dpi, "dpi", low=1, high=600)
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
