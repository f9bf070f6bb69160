"""Max and average pooling: a from-scratch reference and the Paddle version.

Introduced in lesson 04 (pooling). Both functions take the same arguments,
check them the same way and return NumPy arrays, so a lesson (or a test) can
put them side by side:

- :func:`pool2d_numpy` slides the window with two Python loops;
- :func:`pool2d` calls ``paddle.nn.functional.max_pool2d`` / ``avg_pool2d``.

Rules (checked before any computation, with bilingual messages):

- `mode` is ``'max'`` or ``'avg'``;
- `k` and `stride` are positive ints (``stride=None`` means ``stride = k``);
- `padding` is a non-negative int, at most ``k // 2``. Paddle itself accepts
  more, but then a window can lie wholly in the padding: max pooling returns
  the float32 minimum (about -3.4e38) there and average pooling NaN. PyTorch
  refuses such padding; so do we;
- the window must fit at least once in the padded input.

Average pooling follows Paddle's default ``exclusive=True``: a window that
overlaps the padding is averaged over its *real* pixels only (padding is not
counted). Pass ``exclusive=False`` to divide by ``k * k`` instead, counting
the padding as zeros.
"""

from __future__ import annotations

import numpy as np

from .i18n import bilingual, t
from .kernels import output_size_formula
from .sizes import pool_output_size
from .validate import array as _array
from .validate import flag as _flag
from .validate import integer as _as_int
from .validate import positive as _positive
from .validate import type_error as _type_error

__all__ = ["MODES", "pool2d_numpy", "pool2d", "check_pool_args", "output_size_text"]

MODES = ("max", "avg")


def _mode(mode: object) -> str:
    if not isinstance(mode, str):
        raise _type_error("mode", "字符串 'max' 或 'avg'", "the string 'max' or 'avg'", mode)
    key = mode.strip().lower()
    if key not in MODES:
        raise ValueError(
            bilingual(
                f"`mode` 必须是 'max'（最大汇聚）或 'avg'（平均汇聚），收到 {mode!r}。",
                f"`mode` must be 'max' (max pooling) or 'avg' (average pooling), got {mode!r}.",
            )
        )
    return key


def _as_array(x: object) -> np.ndarray:
    """`x` as a finite float32 array of 2 to 4 dimensions."""
    return _array(x, "x", ndim=(2, 3, 4))


def check_pool_args(
    height: int,
    width: int,
    k: int,
    stride: int | None = None,
    padding: int = 0,
    mode: str = "max",
) -> tuple[int, int, int, str, tuple[int, int]]:
    """Check pooling arguments for an input of ``height x width``.

    Returns
    -------
    tuple
        ``(k, stride, padding, mode, (h_out, w_out))`` with `stride`
        filled in (``None`` becomes `k`) and `mode` lower-cased.

    Raises
    ------
    TypeError
        If a size is not an integer.
    ValueError
        If `mode` is unknown, `k` or `stride` is not positive, `padding` is
        negative or larger than ``k // 2``, or the window does not fit in
        the padded input.

    Examples
    --------
    >>> check_pool_args(6, 6, 2)
    (2, 2, 0, 'max', (3, 3))
    >>> check_pool_args(5, 7, 3, stride=2, padding=1, mode="AVG")
    (3, 2, 1, 'avg', (3, 4))
    """
    height = _positive(height, "height")
    width = _positive(width, "width")
    mode = _mode(mode)
    k = _as_int(k, "k")
    stride = k if stride is None else _as_int(stride, "stride")
    padding = _as_int(padding, "padding")
    h_out = pool_output_size(height, k, stride=stride, padding=padding)
    w_out = pool_output_size(width, k, stride=stride, padding=padding)
    if padding > k // 2:
        raise ValueError(
            bilingual(
                f"`padding` 最多是窗口大小的一半（k // 2 = {k // 2}），收到 {padding}。"
                "填充更多时，有的窗口只覆盖填充：Paddle 不会报错，但最大汇聚会得到 "
                "-3.4e38、平均汇聚会得到 NaN。",
                f"`padding` must be at most half the window (k // 2 = {k // 2}), "
                f"got {padding}. With more, some windows see only padding: Paddle "
                "does not refuse, but max pooling returns -3.4e38 there and average "
                "pooling NaN.",
            )
        )
    return k, stride, padding, mode, (h_out, w_out)


def pool2d_numpy(
    x: np.ndarray,
    k: int,
    stride: int | None = None,
    padding: int = 0,
    mode: str = "max",
    exclusive: bool = True,
) -> np.ndarray:
    """Max or average pooling written with NumPy loops (the reference).

    Introduced in lesson 04. Each channel is pooled on its own, so the
    output has as many channels as the input.

    Parameters
    ----------
    x : array_like
        ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``; a Paddle tensor works.
    k : int
        Window size (a ``k x k`` window).
    stride : int or None, default None
        Step between windows; None means `k` (Paddle's default).
    padding : int, default 0
        Rows/columns added on every side, at most ``k // 2``. Padding never
        wins a max, and with `exclusive` it is left out of averages.
    mode : {'max', 'avg'}
        Max or average pooling.
    exclusive : bool, default True
        Average over the real pixels of a window only (Paddle's default);
        False divides by ``k * k``, counting the padding as zeros.

    Returns
    -------
    numpy.ndarray
        float32, same number of dimensions as `x`; the last two are
        ``pool_output_size(H, k, stride, padding)`` and the same for W.

    Raises
    ------
    TypeError, ValueError
        See :func:`check_pool_args`; also for an `x` that is not a 2-D to 4-D
        array of numbers.

    Examples
    --------
    >>> x = np.arange(16).reshape(4, 4)
    >>> pool2d_numpy(x, 2).tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    >>> pool2d_numpy(x, 2, mode="avg").tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    arr = _as_array(x)
    exclusive = _flag(exclusive, "exclusive")
    k, stride, padding, mode, (h_out, w_out) = check_pool_args(
        arr.shape[-2], arr.shape[-1], k, stride, padding, mode
    )
    # NaN marks the padding: ignored by nanmax/nanmean, a zero otherwise.
    pad = [(0, 0)] * (arr.ndim - 2) + [(padding, padding)] * 2
    padded = np.pad(arr, pad, constant_values=np.nan)
    out = np.empty(arr.shape[:-2] + (h_out, w_out), dtype=np.float32)
    for i in range(h_out):
        for j in range(w_out):
            r, c = i * stride, j * stride
            window = padded[..., r : r + k, c : c + k]
            if mode == "max":
                out[..., i, j] = np.nanmax(window, axis=(-2, -1))
            elif exclusive:
                out[..., i, j] = np.nanmean(window, axis=(-2, -1))
            else:
                out[..., i, j] = np.nansum(window, axis=(-2, -1)) / (k * k)
    return out


def pool2d(
    x: np.ndarray,
    k: int,
    stride: int | None = None,
    padding: int = 0,
    mode: str = "max",
    exclusive: bool = True,
) -> np.ndarray:
    """Max or average pooling with ``paddle.nn.functional``, as NumPy.

    Introduced in lesson 04. Same arguments, checks and result as
    :func:`pool2d_numpy`, computed by ``paddle.nn.functional.max_pool2d``
    or ``avg_pool2d`` (with the given `exclusive`, Paddle's default True).

    Examples
    --------
    >>> x = np.arange(16).reshape(4, 4)
    >>> pool2d(x, 2).tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    >>> pool2d(x, 3, stride=1, padding=1, mode="avg")[0, 0]  # (0+1+4+5) / 4 real pixels
    np.float32(2.5)
    """
    arr = _as_array(x)
    exclusive = _flag(exclusive, "exclusive")
    k, stride, padding, mode, _ = check_pool_args(
        arr.shape[-2], arr.shape[-1], k, stride, padding, mode
    )
    import paddle
    import paddle.nn.functional as F

    ndim = arr.ndim
    batch = arr.reshape((-1, 1) + arr.shape[-2:]) if ndim == 2 else arr
    batch = batch[None] if ndim == 3 else batch
    tensor = paddle.to_tensor(np.ascontiguousarray(batch))
    if mode == "max":
        out = F.max_pool2d(tensor, k, stride=stride, padding=padding)
    else:
        out = F.avg_pool2d(tensor, k, stride=stride, padding=padding, exclusive=exclusive)
    result = out.numpy()
    if ndim == 2:
        return result[0, 0]
    if ndim == 3:
        return result[0]
    return result


def output_size_text(height: int, width: int, k: int, stride: int | None, padding: int) -> str:
    """The output-size formula with the numbers filled in, for both axes.

    Raises the same errors as :func:`check_pool_args`.

    Examples
    --------
    >>> from course_utils.i18n import set_language, reset_language
    >>> set_language("en"); print(output_size_text(6, 6, 2, 2, 0)); reset_language()
    output: floor((6 + 2×0 − 2) / 2) + 1 = 3 rows, floor((6 + 2×0 − 2) / 2) + 1 = 3 columns
    """
    k, stride, padding, _, _ = check_pool_args(height, width, k, stride, padding)
    # With integer padding and no ceil mode, pooling shares lesson 02's formula.
    rows, cols = (output_size_formula(n, k, padding, stride, plain=True) for n in (height, width))
    return t(f"输出：{rows} 行，{cols} 列", f"output: {rows} rows, {cols} columns")
