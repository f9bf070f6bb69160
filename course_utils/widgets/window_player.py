"""The sliding-window player (lesson 02): step a 3x3 window over a small grid.

A thin ipywidgets view over :func:`course_utils.kernels.window_steps`. The
state (padding, stride, step) lives in :class:`WindowPlayer`, whose methods the
tests call without a browser; ``window_player_figure`` draws one step with
matplotlib for places where widgets do not run.
"""

from __future__ import annotations

import numpy as np

from .. import validate
from ..i18n import bilingual, explain, t
from ..kernels import WindowStep, output_size_formula, pad2d, window_steps
from ..plotting import cjk_font, label, show_figure

__all__ = [
    "DEFAULT_KERNEL",
    "WindowPlayer",
    "default_grid",
    "output_so_far",
    "window_player",
    "window_player_figure",
]

#: The player's kernel: small integers, so every product is easy to check.
DEFAULT_KERNEL = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=np.float32)
#: Largest grid or kernel side the player draws (every cell is written out).
MAX_SIDE = 16
#: The sliders' ranges: padding 0-2, stride 1-3.
PADDING_RANGE, STRIDE_RANGE = (0, 2), (1, 3)


def _arrays(grid, kernel, padding) -> tuple[np.ndarray, np.ndarray]:
    """The grid and kernel, checked: 2-D, finite, at most 16 per side, the kernel fits."""
    grid = default_grid() if grid is None else validate.array(grid, "grid", ndim=2)
    kernel = DEFAULT_KERNEL if kernel is None else validate.array(kernel, "kernel", ndim=2)
    for name, array in (("grid", grid), ("kernel", kernel)):
        if max(array.shape) > MAX_SIDE:
            raise ValueError(
                bilingual(
                    f"`{name}` 每边最多 {MAX_SIDE} 格（每一格都要画出来），"
                    f"收到形状 {array.shape}。",
                    f"`{name}` may have at most {MAX_SIDE} cells per side (each cell is drawn), "
                    f"got shape {array.shape}.",
                )
            )
    padded = (grid.shape[0] + 2 * padding, grid.shape[1] + 2 * padding)
    if kernel.shape[0] > padded[0] or kernel.shape[1] > padded[1]:
        raise ValueError(
            bilingual(
                f"`kernel`（{kernel.shape[0]}×{kernel.shape[1]}）比填充 {padding} 后的 `grid`"
                f"（{padded[0]}×{padded[1]}）还大：请用更大的网格、更小的卷积核或更多填充。",
                f"`kernel` ({kernel.shape[0]}x{kernel.shape[1]}) is larger than `grid` padded "
                f"by {padding} ({padded[0]}x{padded[1]}): use a larger grid, a smaller kernel "
                "or more padding.",
            )
        )
    return grid, kernel


def default_grid(n: int = 5, seed: int = 0) -> np.ndarray:
    """An n x n grid of random integers 0..4 (float32), the same for a seed.

    Examples
    --------
    >>> default_grid(3).shape, bool((default_grid() == default_grid()).all())
    ((3, 3), True)
    """
    n = validate.integer(n, "n", low=1, high=64)
    seed = validate.integer(seed, "seed", low=0, high=2**32 - 1)
    return np.random.default_rng(seed).integers(0, 5, size=(n, n)).astype(np.float32)


def output_so_far(steps, shape: tuple[int, int], step: int) -> np.ndarray:
    """The output with steps ``0..step`` filled in and NaN elsewhere.

    Examples
    --------
    >>> steps = list(window_steps(np.ones((3, 3)), np.ones((2, 2))))
    >>> output_so_far(steps, (2, 2), 1).tolist()
    [[4.0, 4.0], [nan, nan]]
    """
    steps = validate.sequence(steps, "steps", min_length=1)
    if not all(isinstance(s, WindowStep) for s in steps):
        raise validate.type_error(
            "steps", " window_steps(...) 的列表", "a list from window_steps(...)", steps
        )
    shape = validate.shape(shape, "shape", ndim=2)
    step = validate.integer(step, "step", low=0, high=len(steps) - 1)
    if any(s.row >= shape[0] or s.col >= shape[1] for s in steps):
        raise validate.value_error(
            "shape", "能放下所有步骤的输出形状", "an output shape that holds every step", shape
        )
    out = np.full(shape, np.nan, dtype=np.float32)
    for s in steps[: step + 1]:
        out[s.row, s.col] = s.sum
    return out


def _cells(ax, grid, highlight=None, shade=None, fmt="{:g}") -> None:
    """Draw a grid of numbers; `shade` marks padding, `highlight` the window."""
    import matplotlib.patches as patches

    rows, cols = grid.shape
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_aspect("equal")
    for (r, c), value in np.ndenumerate(grid):
        face = "#e6e6e6" if shade is not None and shade[r, c] else "white"
        ax.add_patch(patches.Rectangle((c - 0.5, r - 0.5), 1, 1, fc=face, ec="#888888"))
        if not np.isnan(value):
            ax.text(c, r, fmt.format(value), ha="center", va="center", fontsize=10)
    if highlight is not None:
        top, left, h, w = highlight
        ax.add_patch(
            patches.Rectangle(
                (left - 0.5, top - 0.5), w, h, fill=False, ec="#d62728", lw=3, zorder=5
            )
        )
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _draw(fig, grid, kernel, stride, padding, step) -> None:
    """Padded input with the window, kernel, products and sum, output so far."""
    cjk_font()
    steps = list(window_steps(grid, kernel, stride, padding))
    step = min(step, len(steps) - 1)
    current = steps[step]
    h_out = max(s.row for s in steps) + 1
    w_out = max(s.col for s in steps) + 1
    padded = pad2d(grid, padding)
    shade = np.ones(padded.shape, dtype=bool)
    shade[padding : padding + grid.shape[0], padding : padding + grid.shape[1]] = False
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [padded.shape[1], 3, 3, w_out]})
    _cells(axes[0], padded, (current.top, current.left, *kernel.shape), shade)
    axes[0].set_title(label("填充后的输入", "padded input"), fontsize=10)
    _cells(axes[1], kernel)
    axes[1].set_title(label("卷积核", "kernel"), fontsize=10)
    _cells(axes[2], current.products)
    axes[2].set_title(label("逐元素乘积", "products"), fontsize=10)
    axes[2].set_xlabel(label("求和", "sum") + f" = {current.sum:g}", fontsize=11)
    _cells(axes[3], output_so_far(steps, (h_out, w_out), step), (current.row, current.col, 1, 1))
    axes[3].set_title(label("输出", "output") + f" {h_out}×{w_out}", fontsize=10)
    formula = output_size_formula(grid.shape[0], kernel.shape[0], padding, stride)
    setting = label(f"步幅 {stride}，填充 {padding}：", f"stride {stride}, padding {padding}: ")
    fig.suptitle(setting + formula, fontsize=11)


def window_player_figure(
    grid: np.ndarray | None = None,
    kernel: np.ndarray | None = None,
    stride: int = 1,
    padding: int = 0,
    step: int = 0,
):
    """One static picture of the player at `step` (lesson 02).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    stride = validate.integer(stride, "stride", low=STRIDE_RANGE[0], high=STRIDE_RANGE[1])
    padding = validate.integer(padding, "padding", low=PADDING_RANGE[0], high=PADDING_RANGE[1])
    grid, kernel = _arrays(grid, kernel, padding)
    step = validate.integer(step, "step", low=0)  # a step past the end shows the last one
    fig = plt.figure(figsize=(10, 3.2))
    _draw(fig, grid, kernel, stride, padding, step)
    fig.tight_layout()
    return fig


class WindowPlayer:
    """Sliding-window player: padding, stride and step sliders plus Play.

    Attributes read by tests: ``steps`` (a list of
    :class:`course_utils.kernels.WindowStep`), ``current``, ``output``
    (filled so far, NaN elsewhere), ``size_text``; ``widget`` is the view.

    Examples
    --------
    >>> p = WindowPlayer(padding=1, stride=2)
    >>> len(p.steps), p.output.shape
    (9, (3, 3))
    """

    def __init__(
        self,
        grid: np.ndarray | None = None,
        kernel: np.ndarray | None = None,
        stride: int = 1,
        padding: int = 0,
    ) -> None:
        import ipywidgets as w

        stride = validate.integer(stride, "stride", low=STRIDE_RANGE[0], high=STRIDE_RANGE[1])
        padding = validate.integer(padding, "padding", low=PADDING_RANGE[0], high=PADDING_RANGE[1])
        self.grid, self.kernel = _arrays(grid, kernel, padding)
        self.message = ""
        self.padding = w.IntSlider(
            value=padding,
            min=PADDING_RANGE[0],
            max=PADDING_RANGE[1],
            description=t("填充", "padding"),
        )
        self.stride = w.IntSlider(
            value=stride, min=STRIDE_RANGE[0], max=STRIDE_RANGE[1], description=t("步幅", "stride")
        )
        self.step = w.IntSlider(value=0, min=0, max=0, description=t("第几步", "step"))
        self.play = w.Play(value=0, min=0, max=0, interval=800)
        w.jslink((self.play, "value"), (self.step, "value"))
        self.figure = w.Image(format="png")
        self.figure.add_class("window-player-output")
        self.size_html = w.HTML()
        self.size_html.add_class("window-player-size")
        self.message_html = w.HTML()
        self.message_html.add_class("window-player-message")
        self.padding.observe(self._on_setting, "value")
        self.stride.observe(self._on_setting, "value")
        self.step.observe(self._on_step, "value")
        self.widget = w.VBox(
            [
                w.HBox([self.padding, self.stride]),
                w.HBox([self.play, self.step]),
                self.figure,
                self.size_html,
                self.message_html,
            ]
        )
        self._recompute()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _on_setting(self, change) -> None:
        self._guarded(self._recompute)

    def _on_step(self, change) -> None:
        self._guarded(self.show)

    def _guarded(self, action) -> None:
        """Run a callback's work; an error is shown in the widget, never raised."""
        try:
            action()
        except Exception as err:  # noqa: BLE001 - a callback must not raise
            self._set_message(explain(err))
        else:
            if self._drawn is not None:  # a setting that cannot work keeps its message
                self._set_message("")

    def _set_message(self, text: str) -> None:
        import html

        self.message = text
        style = "color:#b00020;white-space:pre-wrap"
        self.message_html.value = f'<div style="{style}">{html.escape(text)}</div>' if text else ""

    def _recompute(self) -> None:
        """New steps for the current padding and stride; back to step 0."""
        padding, stride = self.padding.value, self.stride.value
        self._drawn = None
        steps = list(window_steps(self.grid, self.kernel, stride, padding))  # may raise: nothing
        self.steps, self._drawn = steps, (padding, stride)  # changed before it
        last = len(self.steps) - 1
        self.shape = (self.steps[-1].row + 1, self.steps[-1].col + 1)
        self.step.max = self.play.max = last
        if self.step.value == 0:
            self.show()
        self.step.value = 0  # calls show() through the observer when it changes
        h, k = self.grid.shape[0], self.kernel.shape[0]
        self.size_text = (
            t("输出大小：", "output size: ")
            + f"{self.shape[0]}×{self.shape[1]} = "
            + output_size_formula(h, k, padding, stride)
            + "  "
            + t(f"（共 {last + 1} 个位置）", f"({last + 1} positions)")
        )
        self.size_html.value = f"<b>{self.size_text}</b>"

    def set(self, padding: int | None = None, stride: int | None = None) -> None:
        """Set padding and/or stride as the sliders do."""
        padding = validate.optional(
            padding, "padding", validate.integer, low=PADDING_RANGE[0], high=PADDING_RANGE[1]
        )
        stride = validate.optional(
            stride, "stride", validate.integer, low=STRIDE_RANGE[0], high=STRIDE_RANGE[1]
        )
        if padding is not None:
            self.padding.value = padding
        if stride is not None:
            self.stride.value = stride

    def go_to(self, step: int) -> None:
        """Jump to `step` (0-based), as the step slider does."""
        self.step.value = validate.integer(step, "step", low=0, high=self.step.max)

    def show(self) -> None:
        """Redraw for the current step (of the last setting that works)."""
        if self._drawn is None:
            return  # the setting cannot work: the message says why
        self.current = self.steps[self.step.value]
        self.output = output_so_far(self.steps, self.shape, self.step.value)
        self._draw_picture()

    def _draw_picture(self) -> None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8.4, 2.7))
        padding, stride = self._drawn
        _draw(fig, self.grid, self.kernel, stride, padding, self.step.value)
        fig.tight_layout()
        show_figure(self.figure, fig)


def window_player(**kwargs) -> WindowPlayer:
    """Create a :class:`WindowPlayer`; a notebook shows it when it is the cell's value."""
    return WindowPlayer(**kwargs)
