"""Exercise checks of lesson 01 (convolution)."""

from __future__ import annotations

import numpy as np

from ..kernels import conv2d, corr2d
from .runner import Verdict, as_array, close_to, learner, run


def array_cases(rng, count: int = 30, strided: bool = False) -> list[dict]:
    """Random (x, k[, stride, padding]) cases whose kernel fits the padded input (lessons 01-02).

    Examples
    --------
    >>> cases = array_cases(np.random.default_rng(0), 5, strided=True)
    >>> sorted(cases[0])
    ['k', 'padding', 'stride', 'x']
    """
    cases = []
    while len(cases) < count:
        h, w = (int(v) for v in rng.integers(1, 9, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        pad = int(rng.integers(0, 3)) if strided else 0
        if kh <= h + 2 * pad and kw <= w + 2 * pad:
            case = {
                "x": rng.normal(size=(h, w)).astype("float32"),
                "k": rng.normal(size=(kh, kw)).astype("float32"),
            }
            if strided:
                case.update(stride=int(rng.integers(1, 4)), padding=pad)
            cases.append(case)
    return cases


def _paddle_conv2d():
    import paddle.nn.functional as F

    return F.conv2d


def check_corr2d(fn) -> Verdict:
    """Check a learner's ``fn(x, k)`` against Paddle's conv2d on random arrays (lesson 01).

    Examples
    --------
    >>> def mine(x, k):
    ...     h, w = x.shape[0] - k.shape[0] + 1, x.shape[1] - k.shape[1] + 1
    ...     return np.array([[(x[i:i + k.shape[0], j:j + k.shape[1]] * k).sum()
    ...                       for j in range(w)] for i in range(h)])
    >>> _ = check_corr2d(mine)
    ✅ ...
    """
    return run(
        "01.corr2d",
        fn,
        close_to(lambda x, k: conv2d(x, k)),
        array_cases,
        (
            "输出是 (H − Kh + 1) × (W − Kw + 1)；每个位置是窗口与卷积核逐元素相乘再求和。",
            "The output is (H - Kh + 1) x (W - Kw + 1); each value is the window times the "
            "kernel, element by element, summed.",
        ),
        forbidden=(corr2d, conv2d, _paddle_conv2d()),
    )


def _edge_image(rng, horizontal: bool, n: int = 12) -> np.ndarray:
    """An n x n image with one random step edge: between rows (horizontal) or columns."""
    where = int(rng.integers(3, n - 3))
    low, high = sorted(rng.uniform(0, 1, size=2))
    line = np.where(np.arange(n) < where, low, high + 0.5)
    image = line[:, None] if horizontal else line[None, :]
    return np.broadcast_to(image, (n, n)).astype("float32")


def _edge_cases(rng, count: int = 20) -> list[dict]:
    return [
        {"vertical": _edge_image(rng, False), "horizontal": _edge_image(rng, True)}
        for _ in range(count)
    ]


def _horizontal_edge_trial(kernel, case):
    k = learner(lambda: as_array(kernel, "float32"))
    if k.ndim != 2 or not 1 <= min(k.shape) <= max(k.shape) <= 12 or not np.isfinite(k).all():
        return (
            f"卷积核应该是一个二维数值数组，例如 3×3，收到形状 {k.shape}。",
            f"The kernel should be a 2-D array of numbers, e.g. 3x3, got shape {k.shape}.",
        )
    scale = float(np.abs(k).sum()) or 1.0
    if np.abs(conv2d(case["vertical"], k)).max() > 1e-4 * scale:
        return (
            "它对竖直边缘（或平坦区域）也有响应：让卷积核每一列的和都为 0。",
            "it also responds to a vertical edge (or a flat area): make every column of the "
            "kernel sum to 0.",
        )
    if np.abs(conv2d(case["horizontal"], k)).max() < 1e-2 * scale:
        return (
            "它看不到水平边缘：让上面几行和下面几行的权重符号相反。",
            "it does not see a horizontal edge: give the top rows and the bottom rows weights "
            "of opposite signs.",
        )
    return None


def check_horizontal_edge_kernel(kernel) -> Verdict:
    """Check that `kernel` answers horizontal edges and ignores vertical ones (lesson 01).

    On random images with one horizontal step edge the output must not be all
    zero; on random images with one vertical step edge (and on flat images)
    it must be zero everywhere.

    Examples
    --------
    >>> _ = check_horizontal_edge_kernel([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])
    ✅ ...
    """
    return run("01.horizontal_edge", kernel, _horizontal_edge_trial, _edge_cases)
