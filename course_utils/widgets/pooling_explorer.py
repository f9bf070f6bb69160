"""Pooling explorer (lesson 04): max or average pooling, live.

The logic lives in plain functions that tests call without Jupyter:

- :func:`sample_grid` and :func:`source_image` give the inputs;
- :func:`pooling_result` pools one input and describes the output size;
- :func:`pooling_figure` draws an input next to its pooled output (also the
  static fallback when widgets do not render).

:class:`PoolingExplorer` is a thin ipywidgets view over them: a toggle for
max/average, sliders for window, stride and padding, and a choice between a
small integer grid (values written in the cells) and the photo. Bad
settings show a bilingual message and leave the last good picture in place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import validate
from ..i18n import explain, t
from ..plotting import cjk_font, label, show_figure
from ..pooling import MODES, output_size_text, pool2d

__all__ = [
    "SOURCES",
    "WINDOW_RANGE",
    "STRIDE_RANGE",
    "PADDING_RANGE",
    "PoolingExplorer",
    "pooling_explorer",
    "pooling_figure",
    "pooling_result",
    "sample_grid",
    "source_image",
]

SOURCES = ("grid", "photo")
WINDOW_RANGE = (1, 8)
STRIDE_RANGE = (1, 6)
PADDING_RANGE = (0, 3)


def sample_grid(n: int = 6, seed: int = 3) -> np.ndarray:
    """A small ``n x n`` grid of integers 0-9 to pool by hand.

    Examples
    --------
    >>> g = sample_grid(); g.shape, g.min() >= 0, g.max() <= 9
    ((6, 6), np.True_, np.True_)
    """
    n = validate.integer(n, "n", low=1, high=64)
    seed = validate.integer(seed, "seed", low=0, high=2**32 - 1)
    return np.random.default_rng(seed).integers(0, 10, size=(n, n)).astype(np.float32)


def source_image(source: str) -> np.ndarray:
    """The input for `source`: ``'grid'`` (6x6 integers) or ``'photo'`` (grey, 96 px).

    Raises
    ------
    ValueError
        If `source` is not one of :data:`SOURCES`.
    """
    validate.text(source, "source", empty=True)
    if source == "grid":
        return sample_grid()
    if source == "photo":
        from ..images import photo

        return photo(grey=True, size=96)
    from ..i18n import bilingual

    raise ValueError(
        bilingual(
            f"`source` 必须是 {SOURCES} 之一，收到 {source!r}。",
            f"`source` must be one of {SOURCES}, got {source!r}.",
        )
    )


@dataclass
class PoolingResult:
    """A pooled input: the input, the output and the output-size text."""

    image: np.ndarray
    output: np.ndarray
    mode: str
    k: int
    stride: int
    padding: int
    size_text: str


def pooling_result(
    image: np.ndarray, mode: str = "max", k: int = 2, stride: int | None = None, padding: int = 0
) -> PoolingResult:
    """Pool `image` with Paddle and describe the output size.

    Raises the errors of :func:`course_utils.pooling.check_pool_args`.

    Examples
    --------
    >>> r = pooling_result(np.arange(16.0).reshape(4, 4), "max", 2)
    >>> r.output.tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    image = validate.array(image, "image", ndim=2)
    stride = k if stride is None else stride
    output = pool2d(image, k, stride=stride, padding=padding, mode=mode)
    text = output_size_text(image.shape[0], image.shape[1], k, stride, padding)
    return PoolingResult(image, output, mode, k, stride, padding, text)


def _mode_name(mode: str) -> str:
    return (
        label("最大汇聚", "max pooling") if mode == "max" else label("平均汇聚", "average pooling")
    )


def _draw(ax, image: np.ndarray, title: str, low: float, high: float) -> None:
    """Draw `image` on the colour scale [low, high]; small grids get their values."""
    if image.size <= 100:
        ax.imshow(image, cmap="Blues", vmin=low, vmax=high)
        for (r, c), value in np.ndenumerate(image):
            dark = (value - low) > 0.6 * (high - low)
            ax.text(
                c,
                r,
                f"{value:.3g}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if dark else "black",
            )
    else:
        ax.imshow(image, cmap="gray", vmin=low, vmax=high)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{title}\n{image.shape[0]}x{image.shape[1]}", fontsize=10)


def _figure(results: list[PoolingResult]):
    """A figure (not managed by pyplot): the input, then each output."""
    from matplotlib.figure import Figure

    cjk_font()
    fig = Figure(figsize=(3.0 * (1 + len(results)), 3.2), layout="constrained")
    axes = fig.subplots(1, 1 + len(results))
    image = results[0].image
    low, high = float(image.min()), float(image.max())
    high = high if high > low else low + 1.0
    _draw(axes[0], image, label("输入", "input"), low, high)
    for ax, r in zip(axes[1:], results, strict=True):
        title = f"{_mode_name(r.mode)} k={r.k} s={r.stride} p={r.padding}"
        _draw(ax, r.output, title, low, high)
    return fig


def pooling_figure(
    image: np.ndarray,
    k: int = 2,
    stride: int | None = None,
    padding: int = 0,
    modes: tuple[str, ...] = MODES,
):
    """One figure: `image` and its max- and/or average-pooled versions.

    The static fallback of the explorer (lesson 04). Small inputs (up to
    100 cells) are drawn with their values written in the cells.

    Returns
    -------
    matplotlib.figure.Figure
        Displayed by Jupyter when it is the last expression of a cell.
    """
    modes = validate.sequence(modes, "modes", min_length=1, max_length=len(MODES))
    for i, mode in enumerate(modes):
        validate.choice(mode, f"modes[{i}]", MODES)
    results = [pooling_result(image, mode, k, stride, padding) for mode in modes]
    return _figure(results)


class PoolingExplorer:
    """Widget view: change mode, window, stride, padding and see the result.

    Attributes a test can drive: ``mode``, ``k``, ``stride``, ``padding``,
    ``source`` (the controls), ``size_text`` and ``message`` (HTML),
    ``picture`` (an Image widget holding PNG bytes) and ``result`` (the last
    good :class:`PoolingResult`).
    """

    def __init__(self, source: str = "grid", mode: str = "max", k: int = 2, stride: int = 2):
        import ipywidgets as w

        validate.choice(source, "source", SOURCES)
        validate.choice(mode, "mode", MODES)
        k = validate.integer(k, "k", low=WINDOW_RANGE[0], high=WINDOW_RANGE[1])  # the sliders
        stride = validate.integer(stride, "stride", low=STRIDE_RANGE[0], high=STRIDE_RANGE[1])
        self.source = w.ToggleButtons(
            options=[(t("小网格", "small grid"), "grid"), (t("照片", "photo"), "photo")],
            value=source,
            description=t("输入", "input"),
        )
        self.mode = w.ToggleButtons(
            options=[(t("最大", "max"), "max"), (t("平均", "average"), "avg")],
            value=mode,
            description=t("汇聚", "pooling"),
        )
        self.k = w.IntSlider(value=k, min=WINDOW_RANGE[0], max=WINDOW_RANGE[1])
        self.k.description = t("窗口 k", "window k")
        self.stride = w.IntSlider(value=stride, min=STRIDE_RANGE[0], max=STRIDE_RANGE[1])
        self.stride.description = t("步幅 s", "stride s")
        self.padding = w.IntSlider(value=0, min=PADDING_RANGE[0], max=PADDING_RANGE[1])
        self.padding.description = t("填充 p", "padding p")
        self.size_text = w.HTML()
        self.message = w.HTML()
        self.picture = w.Image(format="png")
        self.result: PoolingResult | None = None
        for control in (self.source, self.mode, self.k, self.stride, self.padding):
            control.observe(self.update, "value")
        self.update()
        self.view = w.VBox(
            [
                self.source,
                self.mode,
                self.k,
                self.stride,
                self.padding,
                self.size_text,
                self.message,
                self.picture,
            ]
        )

    def update(self, change=None) -> bool:
        """Recompute from the controls; on bad values show why and keep the old picture."""
        import html

        try:
            image = source_image(self.source.value)
            result = pooling_result(
                image, self.mode.value, self.k.value, self.stride.value, self.padding.value
            )
        except Exception as err:  # noqa: BLE001 - a callback shows the error, never raises
            self.message.value = f"<pre style='color:#b00'>{html.escape(explain(err))}</pre>"
            return False
        self.result = result
        self.message.value = ""
        self.size_text.value = f"<code>{result.size_text}</code>"
        show_figure(self.picture, _figure([result]))
        return True

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.view)


def pooling_explorer(**kwargs) -> PoolingExplorer:
    """Create and return a :class:`PoolingExplorer` (show it as a cell's last line)."""
    return PoolingExplorer(**kwargs)
