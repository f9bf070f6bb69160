"""Drawing pad (lesson 10): draw a digit with the mouse, watch the network read it.

The logic lives in plain functions that tests call without Jupyter:
:func:`course_utils.deploy.render_strokes` turns strokes (lists of points) into an ink image,
:func:`course_utils.deploy.digit_steps` turns that into the network's input,
and :func:`drawing_pad_figure` draws every step with the ten class
probabilities (also the static picture for readers without widgets).
:class:`DrawingPad` is a thin view: an ``ipycanvas`` canvas that records the
mouse, a clear button, a message and the picture, updated after each stroke.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..deploy.export import softmax
from ..deploy.preprocess import BOX, BRUSH, FIELD, PAD_SIZE, DigitSteps, digit_steps, render_strokes
from ..i18n import bilingual, t
from ..plotting import cjk_font, figure_png, label

__all__ = ["DrawingPad", "drawing_pad", "drawing_pad_figure"]


def drawing_pad_figure(steps: DigitSteps | None, probabilities=None):
    """The steps from drawing to input, and the class probabilities, in one figure.

    Panels: the drawing with the crop box; the crop padded to a square;
    scaled to 20x20; placed in 28x28 with the centre of mass (+) at the
    centre; the normalised input; the ten probabilities. With ``steps=None``
    (an empty canvas) the panels are empty and the figure says "draw a digit".

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from ..validate import array, instance

    if steps is not None:
        instance(steps, "steps", DigitSteps, "digit_steps 的结果", "a result of digit_steps")
    if probabilities is not None:
        probabilities = array(probabilities, "probabilities", ndim=1, dtype="float64")
        if probabilities.shape != (10,) or probabilities.min() < 0:
            raise ValueError(
                bilingual(
                    f"`probabilities` 必须是 10 个非负数，收到形状 {probabilities.shape}。",
                    f"`probabilities` must be 10 non-negative numbers, got shape "
                    f"{probabilities.shape}.",
                )
            )
    cjk_font()
    fig = Figure(figsize=(12, 2.8), layout="constrained")
    grid = fig.add_gridspec(1, 7)
    axes = [fig.add_subplot(grid[0, i]) for i in range(5)]
    bars = fig.add_subplot(grid[0, 5:])
    titles = [
        label("1 画的数字和裁剪框", "1 drawing, crop box", sep="\n"),
        label("2 裁剪并补成正方形", "2 cropped, square", sep="\n"),
        label(f"3 缩放到 {BOX}×{BOX}", f"3 scaled to {BOX}x{BOX}", sep="\n"),
        label(f"4 {FIELD}×{FIELD}，质心居中", f"4 {FIELD}x{FIELD}, centre of mass", sep="\n"),
        label("5 归一化（网络输入）", "5 normalised (input)", sep="\n"),
    ]
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    digits = np.arange(10)
    if steps is None:
        for ax in axes:
            ax.imshow(np.zeros((FIELD, FIELD)), cmap="gray", vmin=0, vmax=1)
        bars.bar(digits, np.zeros(10))
        fig.suptitle(label("画一个数字", "draw a digit"), fontsize=11)
    else:
        top, left, bottom, right = steps.box
        axes[0].imshow(steps.ink, cmap="gray", vmin=0, vmax=1)
        axes[0].add_patch(
            Rectangle((left - 0.5, top - 0.5), right - left, bottom - top, fill=False, ec="tab:red")
        )
        axes[1].imshow(steps.square, cmap="gray", vmin=0, vmax=1)
        axes[2].imshow(steps.scaled, cmap="gray", vmin=0, vmax=1)
        axes[3].imshow(steps.centred, cmap="gray", vmin=0, vmax=1)
        row, col = steps.centre
        axes[3].plot(col + steps.offset[1], row + steps.offset[0], "+", color="tab:red", ms=10)
        shown = axes[4].imshow(steps.tensor[0, 0], cmap="gray")
        fig.colorbar(shown, ax=axes[4], shrink=0.7)
        if probabilities is not None:
            probs = np.asarray(probabilities, dtype=np.float64).reshape(-1)
            colours = ["tab:blue"] * 10
            colours[int(probs.argmax())] = "tab:orange"
            bars.bar(digits, probs, color=colours)
            best = int(probs.argmax())
            p = f"{probs[best]:.2f}"
            fig.suptitle(label(f"预测：{best}（概率 {p}）", f"prediction: {best} (p = {p})"))
    bars.set_xticks(digits)
    bars.set_ylim(0, 1)
    bars.set_title(label("6 十个类别的概率", "6 probability of each digit", sep="\n"), fontsize=8)
    return fig


class DrawingPad:
    """Widget view: draw with the mouse on ``canvas``; the picture updates after each stroke.

    Parameters
    ----------
    predict : callable
        Takes the network's input, float32 (1, 1, 28, 28), and returns its
        10 outputs (logits); e.g. an ONNX Runtime session wrapped in a lambda.
    size, brush : int
        Canvas side and brush width in pixels.

    Attributes a test can drive: ``canvas`` (ipycanvas), ``clear_button``,
    ``message`` (HTML), ``picture`` (Image widget holding PNG bytes),
    ``strokes``, ``steps``, ``probabilities`` and ``prediction`` (None while
    the canvas is empty); :meth:`add_stroke` draws a stroke as the mouse would.
    """

    def __init__(self, predict: Callable, size: int = PAD_SIZE, brush: int = BRUSH):
        import ipywidgets as w

        from ..deploy.export import require
        from ..validate import integer, type_error

        if not callable(predict):
            raise type_error("predict", "函数", "a function", predict)
        ipycanvas = require("ipycanvas")
        self.predict = predict
        self.size = integer(size, "size", low=28, high=1024)
        self.brush = integer(brush, "brush", low=1, high=64)
        self.strokes: list[list[tuple[float, float]]] = []
        self.steps: DigitSteps | None = None
        self.probabilities: np.ndarray | None = None
        self.prediction: int | None = None
        self._drawing = False
        self.canvas = ipycanvas.Canvas(width=self.size, height=self.size)
        self.canvas.layout.width = self.canvas.layout.height = f"{self.size}px"
        self.canvas.add_class("drawing-pad-canvas")
        self.clear_button = w.Button(description=t("清除", "clear"), icon="eraser")
        self.clear_button.add_class("drawing-pad-clear")
        self.clear_button.on_click(lambda _button: self.clear())
        self.message = w.HTML()
        self.message.add_class("drawing-pad-message")
        self.picture = w.Image(format="png")
        self.picture.add_class("drawing-pad-picture")
        self.canvas.on_mouse_down(self._down)
        self.canvas.on_mouse_move(self._move)
        self.canvas.on_mouse_up(self._up)
        self.canvas.on_mouse_out(self._up)
        self._blank()
        self.update()
        self.view = w.VBox(
            [w.HBox([self.canvas, w.VBox([self.message, self.clear_button])]), self.picture]
        )

    # ---- drawing on the canvas (what the learner sees while drawing)

    def _blank(self) -> None:
        from ipycanvas import hold_canvas

        with hold_canvas():
            self.canvas.clear()
            self.canvas.fill_style = "black"
            self.canvas.fill_rect(0, 0, self.size, self.size)
            self.canvas.stroke_style = self.canvas.fill_style = "white"
            self.canvas.line_width = self.brush
            self.canvas.line_cap = self.canvas.line_join = "round"

    def _dot(self, x: float, y: float) -> None:
        self.canvas.fill_circle(x, y, self.brush / 2)

    def _down(self, x: float, y: float) -> None:
        self._drawing = True
        self.strokes.append([(x, y)])
        self._dot(x, y)

    def _move(self, x: float, y: float) -> None:
        if self._drawing:
            x0, y0 = self.strokes[-1][-1]
            self.strokes[-1].append((x, y))
            self.canvas.stroke_line(x0, y0, x, y)

    def _up(self, x: float, y: float) -> None:
        if self._drawing:
            self._drawing = False
            self.update()

    # ---- what tests and the clear button call

    def add_stroke(self, points: Sequence) -> None:
        """Draw one stroke through `points` ((x, y) pairs), then update, as the mouse would."""
        from ..validate import array

        if isinstance(points, (list, tuple)) and not points:
            return  # an empty stroke draws nothing
        xy = array(points, "points", ndim=2, dtype="float64")
        if xy.shape[1] != 2:
            raise ValueError(
                bilingual(
                    f"`points` 必须是 (x, y) 点的列表，形状 (n, 2)，收到形状 {xy.shape}。",
                    f"`points` must be a list of (x, y) points, shape (n, 2), got shape "
                    f"{xy.shape}.",
                )
            )
        points = [(float(x), float(y)) for x, y in xy]
        self._down(*points[0])
        for x, y in points[1:]:
            self._move(x, y)
        self._up(*points[-1])

    def clear(self) -> None:
        """Wipe the canvas and the strokes; the message asks for a digit again."""
        self.strokes.clear()
        self._drawing = False
        self._blank()
        self.update()

    def update(self) -> None:
        """Preprocess the strokes, run the network, redraw the picture, then the message."""
        ink = render_strokes(self.strokes, self.size, self.brush)
        self.steps = digit_steps(ink)
        if self.steps is None:
            self.probabilities = self.prediction = None
            message = f"<b>{t('画一个数字', 'Draw a digit')}</b>"
        else:
            logits = np.asarray(self.predict(self.steps.tensor), dtype=np.float64)
            self.probabilities = softmax(logits.reshape(-1))
            self.prediction = int(self.probabilities.argmax())
            p = self.probabilities[self.prediction]
            message = (
                f"<b>{t(f'预测：{self.prediction}', f'Prediction: {self.prediction}')}</b> "
                f"({t('概率', 'probability')} {p:.2f})"
            )
        # The picture first: when the message changes, the picture is already on its way.
        self.picture.value = figure_png(drawing_pad_figure(self.steps, self.probabilities))
        self.message.value = message

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.view)


def drawing_pad(predict: Callable, **kwargs) -> DrawingPad:
    """Create and return a :class:`DrawingPad` (show it as a cell's last line)."""
    return DrawingPad(predict, **kwargs)
