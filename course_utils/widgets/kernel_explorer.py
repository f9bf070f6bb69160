"""The kernel explorer (lesson 01): an editable kernel on an image, live.

A thin ipywidgets view over :mod:`course_utils.kernels`. All the logic sits in
methods that the tests call without a browser (``set_preset``,
``set_entry``, ``update``); the view only wires widgets to them.

``kernel_explorer_figure`` draws the same picture once with matplotlib, for
places where widgets do not run (a static HTML page, a PDF).
"""

from __future__ import annotations

import numpy as np

from .. import images, validate
from ..i18n import bilingual, explain, t
from ..kernels import PRESET_LABELS, PRESETS, conv2d, output_size_formula, parse_kernel
from ..plotting import cjk_font, label, show_figure
from .entry import ascii_number

__all__ = [
    "IMAGE_CHOICES",
    "KernelExplorer",
    "kernel_explorer",
    "kernel_explorer_figure",
    "load_image",
]

#: Image choices: key -> (zh, en) label.
IMAGE_CHOICES: dict[str, tuple[str, str]] = {
    "photo": ("照片（Grace Hopper）", "photo (Grace Hopper)"),
    "digit": ("MNIST 手写数字", "MNIST digit"),
    "pattern": ("合成图案", "synthetic pattern"),
}
KERNEL_SIZES = (3, 5)
CUSTOM = "custom"


def _pattern(n: int = 64) -> np.ndarray:
    """A square, a disc and a diagonal line on black: edges in every direction."""
    yy, xx = np.mgrid[0:n, 0:n]
    img = np.zeros((n, n), dtype=np.float32)
    img[8:28, 8:28] = 1.0
    img[(yy - 44) ** 2 + (xx - 20) ** 2 < 12**2] = 0.6
    img[np.abs(yy - (n - 1 - xx)) <= 1] = 0.8
    return img


def load_image(choice: str) -> tuple[np.ndarray, str]:
    """The image for `choice` and a message ('' when all went well).

    A missing MNIST falls back to the synthetic pattern with a message that
    says why, instead of failing.

    Examples
    --------
    >>> load_image("pattern")[0].shape
    (64, 64)
    """
    validate.text(choice, "choice", empty=True)
    if choice == "photo":
        return images.photo(size=128), ""
    if choice == "digit":
        from ..data import DataError, mnist

        try:
            image, _ = mnist("test", quick=True)[0]
        except DataError as err:
            note = t(
                "找不到 MNIST，改用合成图案。",
                "MNIST not found; showing the synthetic pattern instead.",
            )
            return _pattern(), f"{note}\n{err}"
        return np.asarray(image, dtype=np.float32).reshape(28, 28), ""
    if choice == "pattern":
        return _pattern(), ""
    raise ValueError(
        bilingual(
            f"`choice` 必须是 {tuple(IMAGE_CHOICES)} 之一，收到 {choice!r}。",
            f"`choice` must be one of {tuple(IMAGE_CHOICES)}, got {choice!r}.",
        )
    )


def _draw(fig, image, kernel, output, title: str) -> None:
    """Input, kernel (values written) and output side by side on `fig`."""
    cjk_font()
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 0.9, 1]})
    axes[0].imshow(image, cmap="gray")
    axes[0].set_title(label("输入", "input") + f" {image.shape[0]}×{image.shape[1]}")
    vmax = float(np.abs(kernel).max()) or 1.0
    axes[1].imshow(kernel, cmap="coolwarm", vmin=-vmax, vmax=vmax)
    small = max(kernel.shape) <= 3
    for (r, c), value in np.ndenumerate(kernel):
        text = f"{value:.3g}" if small else f"{value:.2g}"
        axes[1].text(c, r, text, ha="center", va="center", fontsize=10 if small else 6.5)
    axes[1].set_title(label("卷积核", "kernel"))
    axes[2].imshow(output, cmap="gray")
    axes[2].set_title(label("输出", "output") + f" {output.shape[0]}×{output.shape[1]}")
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title)


def kernel_explorer_figure(
    image: str | np.ndarray = "photo",
    kernel: str | np.ndarray = "sobel_x",
    stride: int = 1,
    padding: int = 0,
):
    """One static picture of what the explorer shows (lesson 01).

    Parameters
    ----------
    image : str or array
        A key of :data:`IMAGE_CHOICES` or a 2-D array.
    kernel : str or array
        A key of :data:`course_utils.kernels.PRESETS` or a 2-D array.
    stride, padding : int
        As in :func:`course_utils.kernels.conv2d`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    stride = validate.integer(stride, "stride", low=1, high=4)  # the explorer's ranges
    padding = validate.integer(padding, "padding", low=0, high=4)
    if isinstance(image, str):
        image = load_image(validate.choice(image, "image", tuple(IMAGE_CHOICES)))[0]
    else:
        image = validate.array(image, "image", ndim=2)
    if isinstance(kernel, str):
        kernel_array = PRESETS[validate.choice(kernel, "kernel", tuple(PRESETS))]
    else:
        kernel_array = validate.array(kernel, "kernel", ndim=2)
    output = conv2d(image, kernel_array, stride=stride, padding=padding)
    fig = plt.figure(figsize=(9, 3.4))
    zh, en = PRESET_LABELS[kernel] if isinstance(kernel, str) else ("", "")
    title = label(
        f"{zh}  步幅 {stride}，填充 {padding}", f"{en}  stride {stride}, padding {padding}"
    )
    _draw(fig, image, kernel_array, output, title.strip())
    fig.tight_layout()
    return fig


class KernelExplorer:
    """Kernel explorer: image choice, preset, editable kernel grid, stride, padding.

    Attributes read by tests and notebooks: ``image``, ``kernel``, ``output``
    (the last good result), ``size_text`` and ``message`` (empty, or the
    bilingual explanation of the last bad value). ``widget`` is the view.

    Examples
    --------
    >>> ex = KernelExplorer(image="pattern", preset="identity")
    >>> bool(np.allclose(ex.output, ex.image[1:-1, 1:-1]))
    True
    """

    def __init__(
        self,
        image: str = "photo",
        preset: str = "sobel_x",
        stride: int = 1,
        padding: int = 0,
    ) -> None:
        import ipywidgets as w

        validate.choice(image, "image", tuple(IMAGE_CHOICES))
        validate.choice(preset, "preset", tuple(PRESETS))
        stride = validate.integer(stride, "stride", low=1, high=4)  # the slider's range
        padding = validate.integer(padding, "padding", low=0, high=4)
        self._busy = False
        self.image, self.message = load_image(image)
        self.kernel = PRESETS[preset].copy()
        self.output = np.zeros((1, 1), dtype=np.float32)
        self.size_text = ""

        self.image_choice = w.Dropdown(
            options=[(t(*names), key) for key, names in IMAGE_CHOICES.items()],
            value=image,
            description=t("图像", "image"),
        )
        self.preset = w.Dropdown(
            options=[(t(*names), key) for key, names in PRESET_LABELS.items()]
            + [(t("自定义", "custom"), CUSTOM)],
            value=preset,
            description=t("预设", "preset"),
        )
        self.preset.add_class("kernel-explorer-preset")
        self.kernel_size = w.ToggleButtons(
            options=[(f"{n}×{n}", n) for n in KERNEL_SIZES],
            value=self.kernel.shape[0],
            description=t("大小", "size"),
        )
        self.stride = w.IntSlider(value=stride, min=1, max=4, description=t("步幅", "stride"))
        self.padding = w.IntSlider(
            value=padding,
            min=0,
            max=4,
            description=t("填充", "padding"),
            style={"description_width": "initial"},
        )
        self.grid = w.GridBox(layout=w.Layout(grid_gap="2px"))
        self.entries: list[list[w.Text]] = []
        self.figure = w.Image(format="png")
        self.figure.add_class("kernel-explorer-output")
        self.size_html = w.HTML()
        self.size_html.add_class("kernel-explorer-size")
        self.message_html = w.HTML()
        self.message_html.add_class("kernel-explorer-message")

        self._build_grid(self.kernel)
        self.image_choice.observe(self._on_image, "value")
        self.preset.observe(self._on_preset, "value")
        self.kernel_size.observe(self._on_size, "value")
        self.stride.observe(self._on_change, "value")
        self.padding.observe(self._on_change, "value")

        controls = w.VBox(
            [self.image_choice, self.preset, self.kernel_size, self.grid, self.stride, self.padding]
        )
        self.widget = w.VBox([w.HBox([controls, self.figure]), self.size_html, self.message_html])
        self.update(keep_message=True)

    # -- the view ---------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _build_grid(self, kernel: np.ndarray) -> None:
        import ipywidgets as w

        n = kernel.shape[0]
        self.entries = []
        for r in range(n):
            row = []
            for c in range(kernel.shape[1]):
                entry = w.Text(value=f"{kernel[r, c]:.4g}", layout=w.Layout(width="5.5em"))
                entry.add_class("kernel-entry")
                entry.observe(self._on_entry, "value")
                row.append(entry)
            self.entries.append(row)
        self.grid.layout.grid_template_columns = f"repeat({kernel.shape[1]}, 5.5em)"
        self.grid.children = [entry for row in self.entries for entry in row]

    def _show_kernel(self, kernel: np.ndarray) -> None:
        """Put `kernel` in the grid (rebuilt if the size changes) and update."""
        self._busy = True
        try:
            if len(self.entries) != kernel.shape[0]:
                self._build_grid(kernel)
            else:
                for (r, c), value in np.ndenumerate(kernel):
                    self.entries[r][c].value = f"{value:.4g}"
            self.kernel_size.value = kernel.shape[0]
        finally:
            self._busy = False
        self.update()

    # -- callbacks (a few lines each) -------------------------------------

    def _on_image(self, change) -> None:
        try:
            self.image, self.message = load_image(change["new"])
        except Exception as err:  # noqa: BLE001 - shown in the widget, never raised
            self._set_message(explain(err))
            return
        self.update(keep_message=True)

    def _on_preset(self, change) -> None:
        if change["new"] != CUSTOM and not self._busy:
            self._show_kernel(PRESETS[change["new"]])

    def _on_size(self, change) -> None:
        if not self._busy:
            self.resize_kernel(change["new"])

    def _on_entry(self, change) -> None:
        understood = ascii_number(change["new"])
        if understood != change["new"]:
            change["owner"].value = understood  # shown as understood; observed again
            return
        if not self._busy:
            self._busy = True
            self.preset.value = CUSTOM
            self._busy = False
            self.update()

    def _on_change(self, change) -> None:
        self.update()

    # -- the logic ----------------------------------------------------------

    def set_preset(self, name: str) -> None:
        """Choose a preset by key, as the dropdown does."""
        self.preset.value = validate.choice(name, "name", (*PRESETS, CUSTOM))

    def set_entry(self, row: int, col: int, text: str) -> None:
        """Type `text` into the grid entry at (row, col), counted from 0."""
        size = len(self.entries)
        row = validate.integer(row, "row", low=0, high=size - 1)
        col = validate.integer(col, "col", low=0, high=size - 1)
        self.entries[row][col].value = validate.text(text, "text", empty=True)

    def resize_kernel(self, n: int) -> None:
        """Switch to an n x n grid: the current kernel centred, zero-padded or cropped."""
        n = validate.choice(validate.integer(n, "n"), "n", KERNEL_SIZES)
        current = self.kernel
        m = current.shape[0]
        if n > m:
            new = np.pad(current, (n - m) // 2)
        else:
            cut = (m - n) // 2
            new = current[cut : cut + n, cut : cut + n]
        new = new.astype(np.float32)
        self._busy = True
        try:
            self.preset.value = matching_preset(new)  # the label follows the new kernel
        finally:
            self._busy = False
        self._show_kernel(new)

    def update(self, keep_message: bool = False) -> bool:
        """Recompute from the widgets; return False (and explain) on bad values.

        On a bad value the last good ``kernel``, ``output``, size text and
        picture stay as they were and ``message`` explains what is wrong.
        """
        note = self.message if validate.flag(keep_message, "keep_message") else ""
        try:
            kernel = parse_kernel([[ascii_number(e.value) for e in row] for row in self.entries])
            stride, padding = self.stride.value, self.padding.value
            output = conv2d(self.image, kernel, stride=stride, padding=padding)
        except Exception as err:  # noqa: BLE001 - shown in the widget, never raised
            self._set_message(explain(err))
            return False
        self.kernel, self.output = kernel, output
        (h, w), (kh, kw) = self.image.shape, kernel.shape
        self.size_text = (
            t("输出大小：", "output size: ")
            + f"{output.shape[0]}×{output.shape[1]}  "
            + f"[H: {output_size_formula(h, kh, padding, stride)};  "
            + f"W: {output_size_formula(w, kw, padding, stride)}]"
        )
        self.size_html.value = f"<b>{self.size_text}</b>"
        self._draw_picture()
        self._set_message(note)
        return True

    def _set_message(self, text: str) -> None:
        self.message = text
        style = "color:#b00020;white-space:pre-wrap"
        self.message_html.value = f'<div style="{style}">{_escape(text)}</div>' if text else ""

    def _draw_picture(self) -> None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6.4, 2.5))
        _draw(fig, self.image, self.kernel, self.output, "")
        fig.tight_layout()
        show_figure(self.figure, fig)


def matching_preset(kernel: np.ndarray) -> str:
    """The key of the preset equal to `kernel`, or ``"custom"``.

    Examples
    --------
    >>> matching_preset(PRESETS["sobel_y"]), matching_preset(np.ones((3, 3)))
    ('sobel_y', 'custom')
    """
    for key, preset in PRESETS.items():
        if preset.shape == kernel.shape and np.allclose(preset, kernel, atol=1e-6):
            return key
    return CUSTOM


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def kernel_explorer(**kwargs) -> KernelExplorer:
    """Create a :class:`KernelExplorer`; a notebook shows it when it is the cell's value."""
    return KernelExplorer(**kwargs)
