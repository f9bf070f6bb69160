"""Kernels, cross-correlation and sliding windows (lessons 01 and 02).

Pure computations, no Jupyter: the widgets in ``course_utils.widgets`` and the
tests call these functions directly.

Public names
------------
PRESETS
    Named kernels (identity, blurs, sharpen, Sobel, Laplacian, emboss, the
    diagonal detector), NumPy float32 arrays (lesson 01).
PRESET_LABELS
    Bilingual ``(zh, en)`` display names of the presets.
corr2d
    Cross-correlation in plain NumPy, no padding, stride 1 (lesson 01).
pad2d
    Zero padding of a 2-D array (lesson 02).
conv2d
    The same operation computed by ``paddle.nn.functional.conv2d``, with
    stride and padding, checked first (lessons 01 and 02).
parse_kernel
    Text entries (from a widget grid) to a float kernel (lesson 01).
window_steps
    Every window position with its products and sum (lesson 02).
output_size_formula
    The output-size formula written out with numbers (lesson 02).
display_range
    A colour scale that shows what a kernel does to an image (lesson 01).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

from .i18n import bilingual
from .sizes import conv_output_size
from .validate import MAX_ELEMENTS
from .validate import array as _array
from .validate import flag as _flag
from .validate import integer as _integer
from .validate import type_error as _type_error

__all__ = [
    "PRESETS",
    "PRESET_LABELS",
    "WindowStep",
    "conv2d",
    "corr2d",
    "display_range",
    "output_size_formula",
    "pad2d",
    "parse_kernel",
    "window_steps",
]


def _kernel(rows: list[list[float]]) -> np.ndarray:
    return np.array(rows, dtype=np.float32)


#: Largest stride or padding (a side of the largest image the course accepts).
MAX_SIDE = 4096
#: Most window positions :func:`window_steps` lists (a 256 x 256 output).
MAX_STEPS = 256 * 256

_GAUSS_1D = np.array([1, 4, 6, 4, 1], dtype=np.float32)

#: Named kernels used by lesson 01 and the kernel explorer.
PRESETS: dict[str, np.ndarray] = {
    "identity": _kernel([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "box_blur": np.full((3, 3), 1 / 9, dtype=np.float32),
    "gaussian": _kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
    "gaussian_5x5": np.outer(_GAUSS_1D, _GAUSS_1D) / 256,
    "sharpen": _kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "sobel_x": _kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "laplacian": _kernel([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "emboss": _kernel([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    "diagonal": _kernel([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]),
}

#: Display names (zh, en) of the presets, in the same order.
PRESET_LABELS: dict[str, tuple[str, str]] = {
    "identity": ("恒等", "identity"),
    "box_blur": ("均值模糊", "box blur"),
    "gaussian": ("高斯模糊 3×3", "Gaussian blur 3x3"),
    "gaussian_5x5": ("高斯模糊 5×5", "Gaussian blur 5x5"),
    "sharpen": ("锐化", "sharpen"),
    "sobel_x": ("Sobel x（竖直边缘）", "Sobel x (vertical edges)"),
    "sobel_y": ("Sobel y（水平边缘）", "Sobel y (horizontal edges)"),
    "laplacian": ("拉普拉斯", "Laplacian"),
    "emboss": ("浮雕", "emboss"),
    "diagonal": ("对角线检测", "diagonal detector"),
}


# ---------------------------------------------------------------------------
# Argument checks (private)
# ---------------------------------------------------------------------------


def _as_2d(value: object, name: str) -> np.ndarray:
    """`value` as a finite 2-D float32 array (TypeError/ValueError naming `name`)."""
    return _array(value, name, ndim=2)


def _output_shape(
    shape: tuple[int, int],
    kshape: tuple[int, int],
    stride: int,
    padding: int,
    names: tuple[str, str] = ("x", "k"),
) -> tuple[int, int]:
    """Checked output shape: stride and padding first, then the kernel's fit.

    `names` are the parameter names of the input and the kernel, for messages.
    """
    if isinstance(padding, (str, tuple, list)):
        raise TypeError(
            bilingual(
                f"这里的 `padding` 必须是一个非负整数（每侧相同），收到 {padding!r}。",
                f"`padding` must be one non-negative int here (the same on every side), "
                f"got {padding!r}.",
            )
        )
    stride = _integer(stride, "stride", low=1, high=MAX_SIDE)
    padding = _integer(padding, "padding", low=0, high=MAX_SIDE)
    padded = (shape[0] + 2 * padding, shape[1] + 2 * padding)
    if padded[0] * padded[1] > MAX_ELEMENTS:
        raise ValueError(
            bilingual(
                f"`padding`（{padding}）太大：填充后的输入有 {padded[0]}×{padded[1]} 个元素，"
                f"最多允许 {MAX_ELEMENTS} 个。",
                f"`padding` ({padding}) is too large: the padded input would be "
                f"{padded[0]}x{padded[1]}, more than {MAX_ELEMENTS} elements.",
            )
        )
    image, kernel = names
    if kshape[0] > padded[0] or kshape[1] > padded[1]:
        raise ValueError(
            bilingual(
                f"卷积核 `{kernel}`（{kshape[0]}×{kshape[1]}）比填充后的输入 `{image}`"
                f"（{padded[0]}×{padded[1]}，填充 {padding}）还大，一个位置也放不下；"
                "请增加填充或使用更小的卷积核。",
                f"kernel larger than the padded input: the kernel `{kernel}` is "
                f"{kshape[0]}x{kshape[1]} but the input `{image}` padded by {padding} is "
                f"{padded[0]}x{padded[1]}; use more padding or a smaller kernel.",
            )
        )
    return (
        conv_output_size(shape[0], kshape[0], padding=padding, stride=stride),
        conv_output_size(shape[1], kshape[1], padding=padding, stride=stride),
    )


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def corr2d(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Cross-correlation of `x` with `k` in NumPy (no padding, stride 1).

    Introduced in lesson 01. Output ``[i, j]`` is the sum of the elementwise
    products of `k` with the window of `x` whose top-left corner is
    ``(i, j)``; the output is ``(H - Kh + 1) x (W - Kw + 1)``.

    Parameters
    ----------
    x : array_like, 2-D
        The input.
    k : array_like, 2-D
        The kernel, not larger than `x`.

    Returns
    -------
    numpy.ndarray
        float32 array of shape ``(H - Kh + 1, W - Kw + 1)``.

    Raises
    ------
    TypeError
        If `x` or `k` is not numeric.
    ValueError
        If an array is not 2-D, is empty, holds NaN/inf, or `k` is larger
        than `x`.

    Examples
    --------
    >>> corr2d(np.arange(9).reshape(3, 3), np.ones((2, 2)))
    array([[ 8., 12.],
           [20., 24.]], dtype=float32)
    """
    x = _as_2d(x, "x")
    k = _as_2d(k, "k")
    h_out, w_out = _output_shape(x.shape, k.shape, 1, 0)
    kh, kw = k.shape
    out = np.zeros((h_out, w_out), dtype=np.float32)
    for i in range(h_out):
        for j in range(w_out):
            out[i, j] = (x[i : i + kh, j : j + kw] * k).sum()
    return out


def pad2d(x: np.ndarray, padding: int) -> np.ndarray:
    """`x` with `padding` rows/columns of zeros on every side (lesson 02).

    Examples
    --------
    >>> pad2d(np.ones((1, 2)), 1).astype(int).tolist()
    [[0, 0, 0, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    """
    x = _as_2d(x, "x")
    _output_shape(x.shape, (1, 1), 1, padding)  # checks `padding`
    return np.pad(x, int(padding))


def conv2d(image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Cross-correlate a grey image with one kernel using Paddle.

    Introduced in lesson 01 (stride and padding in lesson 02). The arguments
    are checked first, so a mistake gets a clear bilingual message instead of
    an error from inside Paddle; then ``paddle.nn.functional.conv2d`` does
    the work on a ``1 x 1 x H x W`` tensor.

    Parameters
    ----------
    image : array_like, 2-D
        The input (H x W); a Paddle tensor is accepted too.
    kernel : array_like, 2-D
        The kernel (Kh x Kw).
    stride : int, default 1
        Step between two window positions, at least 1.
    padding : int, default 0
        Zeros added on each side, at least 0.

    Returns
    -------
    numpy.ndarray
        float32 array of shape given by :func:`course_utils.conv_output_size`
        for each dimension.

    Raises
    ------
    TypeError
        If `image` or `kernel` is not numeric, or `stride`/`padding` is not
        an int.
    ValueError
        If an array is not 2-D or has NaN/inf, `stride` < 1, `padding` < 0,
        the kernel is larger than the padded image, or the output overflows
        float32 (entries such as 1e38).

    Examples
    --------
    >>> conv2d(np.arange(16).reshape(4, 4), np.ones((3, 3)), stride=1)
    array([[45., 54.],
           [81., 90.]], dtype=float32)
    >>> conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding=1).shape
    (3, 3)
    """
    image = _as_2d(image, "image")
    kernel = _as_2d(kernel, "kernel")
    shape = _output_shape(image.shape, kernel.shape, stride, padding, ("image", "kernel"))
    import paddle
    import paddle.nn.functional as F

    x = paddle.to_tensor(image[None, None])
    w = paddle.to_tensor(kernel[None, None])
    out = F.conv2d(x, w, stride=int(stride), padding=int(padding)).numpy()[0, 0]
    assert out.shape == shape, (out.shape, shape)  # sizes.py agrees with Paddle
    if not np.isfinite(out).all():
        raise ValueError(
            bilingual(
                "`image` 和 `kernel` 的数值太大：输出超出了 float32 的范围（约 3.4e38），"
                "变成了无穷大。请用更小的数。",
                "The values of `image` and `kernel` are too large: the output goes beyond the "
                "float32 range (about 3.4e38) and becomes infinite. Use smaller numbers.",
            )
        )
    return out


def parse_kernel(entries: Sequence[Sequence[object]]) -> np.ndarray:
    """Turn a grid of text entries into a float32 kernel (lesson 01).

    Each entry may be a number or a string such as ``"-1"``, ``"0.5"`` or
    ``"1/9"`` (one fraction), with spaces around it allowed.

    Parameters
    ----------
    entries : sequence of sequences
        Rows of entries, all of the same length.

    Returns
    -------
    numpy.ndarray
        float32 array of shape ``(rows, columns)``.

    Raises
    ------
    TypeError
        If `entries` is not a list of rows, or an entry is neither a number
        nor a string.
    ValueError
        If the grid is empty or ragged, or an entry is empty, not a number,
        or not between -1e6 and 1e6 (``MAX_ENTRY``); the message names the
        entry's row and column (counted from 1) and its text.

    Examples
    --------
    >>> parse_kernel([["1", " 0 "], ["-1/2", 2.5]]).tolist()
    [[1.0, 0.0], [-0.5, 2.5]]
    """
    if isinstance(entries, np.ndarray):
        entries = entries.tolist()
    if not isinstance(entries, (list, tuple)):
        raise _type_error(
            "entries", "由行组成的列表（每行是若干个输入）", "a list of rows of entries", entries
        )
    rows = []
    for r, row in enumerate(entries):
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if not isinstance(row, (list, tuple)):
            raise _type_error(f"entries[{r}]", "一行输入（列表）", "a row of entries (a list)", row)
        rows.append(list(row))
    if not rows or not rows[0]:
        raise ValueError(
            bilingual("`entries`：卷积核不能为空。", "`entries`: the kernel must not be empty.")
        )
    width = len(rows[0])
    for r, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(
                bilingual(
                    f"`entries`：卷积核每一行的元素个数必须相同：第 1 行有 {width} 个，"
                    f"第 {r} 行有 {len(row)} 个。",
                    f"`entries`: every kernel row must have the same length: row 1 has "
                    f"{width}, row {r} has {len(row)}.",
                )
            )
    out = np.zeros((len(rows), width), dtype=np.float32)
    for r, row in enumerate(rows, start=1):
        for c, entry in enumerate(row, start=1):
            out[r - 1, c - 1] = _parse_entry(entry, r, c)
    return out


def _parse_entry(entry: object, row: int, col: int) -> float:
    where_zh, where_en = f"第 {row} 行第 {col} 列", f"row {row}, column {col}"
    name = f"entries[{row - 1}][{col - 1}]"
    if isinstance(entry, np.generic):
        entry = entry.item()
    value: float | None = None
    if isinstance(entry, numbers.Real) and not isinstance(entry, bool):
        value = float(entry)
    elif isinstance(entry, str):
        text = entry.strip()
        if not text:
            raise ValueError(
                bilingual(
                    f"`{name}`：卷积核{where_zh}的输入框是空的；请填一个数，例如 0。",
                    f"`{name}`: the kernel entry at {where_en} is empty; type a number such as 0.",
                )
            )
        try:
            if text.count("/") == 1:
                num, den = text.split("/")
                value = float(num) / float(den)
            else:
                value = float(text)
        except (ValueError, ZeroDivisionError, OverflowError):
            value = None
    else:
        raise _type_error(name, "数或写着数的文字", "a number or text holding a number", entry)
    if value is None or not math.isfinite(value) or abs(value) > MAX_ENTRY:
        raise ValueError(
            bilingual(
                f"`{name}`：卷积核{where_zh}的值 {entry!r} 不是 -{MAX_ENTRY:g} 到 {MAX_ENTRY:g} "
                "之间的数；请填写如 -1、0.5 或 1/9 的数。",
                f"`{name}`: the kernel entry at {where_en} is {entry!r}, which is not a number "
                f"from -{MAX_ENTRY:g} to {MAX_ENTRY:g}; type a number such as -1, 0.5 or 1/9.",
            )
        )
    return value


#: Largest kernel entry typed as text: larger ones only turn the picture white or infinite.
MAX_ENTRY = 1e6


class WindowStep(NamedTuple):
    """One window position of a sliding window (see :func:`window_steps`)."""

    row: int
    """Output row."""
    col: int
    """Output column."""
    window: np.ndarray
    """The part of the padded input under the kernel."""
    products: np.ndarray
    """``window * kernel``, elementwise."""
    sum: float
    """The sum of `products`: the output value."""
    top: int
    """Row of the window's top-left corner in the padded input."""
    left: int
    """Column of the window's top-left corner in the padded input."""


def window_steps(
    x: np.ndarray, k: np.ndarray, stride: int = 1, padding: int = 0
) -> Iterator[WindowStep]:
    """Every position of the sliding window, row by row (lesson 02).

    Parameters
    ----------
    x, k : array_like, 2-D
        Input and kernel.
    stride : int, default 1
        Step between positions, at least 1.
    padding : int, default 0
        Zeros on each side of `x`, at least 0.

    Yields
    ------
    WindowStep
        ``(row, col, window, products, sum, top, left)``; `sum` is the
        output value at ``(row, col)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d`, checked before the first step.

    Examples
    --------
    >>> steps = list(window_steps(np.arange(9).reshape(3, 3), np.eye(2), stride=1))
    >>> [(s.row, s.col, s.sum) for s in steps]
    [(0, 0, 4.0), (0, 1, 6.0), (1, 0, 10.0), (1, 1, 12.0)]
    """
    x = _as_2d(x, "x")
    k = _as_2d(k, "k")
    h_out, w_out = _output_shape(x.shape, k.shape, stride, padding)
    if h_out * w_out > MAX_STEPS:
        raise ValueError(
            bilingual(
                f"`x` 加上填充 `padding` 有 {h_out}×{w_out} 个窗口位置，最多 {MAX_STEPS} 个："
                "请用更小的输入、更小的填充或更大的步幅。",
                f"`x` with `padding` gives {h_out}x{w_out} window positions, at most "
                f"{MAX_STEPS}: use a smaller input, less padding or a larger stride.",
            )
        )
    return _steps(np.pad(x, int(padding)), k, int(stride), h_out, w_out)


def _steps(padded, k, stride, h_out, w_out) -> Iterator[WindowStep]:
    kh, kw = k.shape
    for i in range(h_out):
        for j in range(w_out):
            top, left = i * stride, j * stride
            window = padded[top : top + kh, left : left + kw]
            products = window * k
            yield WindowStep(i, j, window, products, float(products.sum()), top, left)


def output_size_formula(
    n: int, k: int, padding: int = 0, stride: int = 1, plain: bool = False
) -> str:
    """The output-size formula with the numbers filled in (lesson 02).

    With ``plain=True`` the floor is written ``floor(...)``, for plot text
    (CJK fonts lack the floor brackets).

    Raises the errors of :func:`course_utils.conv_output_size`.

    Examples
    --------
    >>> output_size_formula(5, 3, padding=1, stride=2)
    '⌊(5 + 2×1 − 3) / 2⌋ + 1 = 3'
    >>> output_size_formula(5, 3, padding=1, stride=2, plain=True)
    'floor((5 + 2×1 − 3) / 2) + 1 = 3'
    """
    padding = _integer(padding, "padding", low=0)  # one number: the formula writes 2×padding
    size = conv_output_size(n, k, padding=padding, stride=stride)
    plain = _flag(plain, "plain")
    inner = f"({n} + 2×{padding} − {k}) / {stride}"
    floor = f"floor({inner})" if plain else f"⌊{inner}⌋"
    return f"{floor} + 1 = {size}"


def display_range(
    image: np.ndarray, kernel: np.ndarray, percentile: float = 99.0
) -> tuple[float, float]:
    """Colour scale ``(vmin, vmax)`` that shows what `kernel` does to `image`.

    Introduced in lesson 01, for the panels of the photo filtered by each
    preset. Letting matplotlib stretch each output from its minimum to its
    maximum hides what a kernel does: a few extreme values (often the
    artificial edges that zero padding makes at the border) squeeze the rest
    of the picture into flat grey. The scale follows instead from the sum
    of the kernel's weights, which is what the kernel returns, times b, on a
    flat area of brightness b:

    - **sum 1** (identity, blurs, sharpen, emboss): brightness is kept, so the
      output is shown on the image's own scale, ``(image.min(), image.max())``;
      what a sharpen kernel pushes beyond it is clipped;
    - **sum 0** (Sobel, Laplacian): a flat area gives 0; the scale is
      symmetric, ``±`` the `percentile`-th percentile of ``|response|``, so 0
      is the middle colour and the two signs of a change are light and dark;
    - **any other sum** (the diagonal detector's is -3): the output mostly
      follows sum x brightness; the scale runs from 0 to the `percentile`-th
      percentile of the positive values, so only the places where the
      kernel's pattern outweighs its surroundings light up.

    Percentiles are taken on ``conv2d(image, kernel)`` without padding, so
    the border does not set the scale.

    Parameters
    ----------
    image : array_like, 2-D
        The input image.
    kernel : array_like, 2-D
        The kernel, not larger than `image`.
    percentile : float, default 99.0
        Percentile in (0, 100] of the values that sets the end of the scale
        for kernels whose weights do not sum to 1.

    Returns
    -------
    tuple of float
        ``(vmin, vmax)`` with ``vmin < vmax``, for ``imshow(..., vmin=, vmax=)``.

    Raises
    ------
    TypeError
        If `image` or `kernel` is not numeric, or `percentile` is not a number.
    ValueError
        If an array is not 2-D, is empty or holds NaN/inf, the kernel is
        larger than the image, or `percentile` is outside (0, 100].

    Examples
    --------
    >>> ramp = np.tile(np.linspace(0, 1, 8, dtype=np.float32), (8, 1))
    >>> display_range(ramp, PRESETS["gaussian"])  # sum 1: the image's own scale
    (0.0, 1.0)
    >>> lo, hi = display_range(ramp, PRESETS["sobel_x"])  # sum 0: symmetric
    >>> lo == -hi and hi > 0
    True
    >>> display_range(ramp, PRESETS["diagonal"])[0]  # sum -3: positive values only
    0.0
    """
    from .validate import number

    image = _as_2d(image, "image")
    kernel = _as_2d(kernel, "kernel")
    percentile = number(percentile, "percentile", 0, 100, low_open=True)
    response = conv2d(image, kernel)
    total = float(kernel.astype(np.float64).sum())
    if math.isclose(total, 1.0, abs_tol=1e-4):
        low, high = float(image.min()), float(image.max())
    elif math.isclose(total, 0.0, abs_tol=1e-4):
        high = float(np.percentile(np.abs(response), percentile))
        low = -high
    else:
        positive = response[response > 0]
        low = 0.0
        high = float(np.percentile(positive, percentile)) if positive.size else 0.0
    if not high > low:  # a flat image or no positive value: any scale will do
        high = low + 1.0
    return low, high
