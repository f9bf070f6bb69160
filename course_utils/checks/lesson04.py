"""Exercise checks of lesson 04 (pooling)."""

from __future__ import annotations

from ..pooling import pool2d, pool2d_numpy
from ..sizes import conv_output_size, pool_output_size
from .runner import Verdict, close_to, equal_to, run


def pool_cases(rng, count: int = 50) -> list[dict]:
    """Valid random (n, k, stride, padding) pooling cases, padding <= k // 2.

    Examples
    --------
    >>> import numpy as np
    >>> all(2 * c["padding"] <= c["k"] for c in pool_cases(np.random.default_rng(0), 20))
    True
    """
    cases = []
    while len(cases) < count:
        n, k, s = int(rng.integers(1, 65)), int(rng.integers(1, 7)), int(rng.integers(1, 5))
        p = int(rng.integers(0, k // 2 + 1))
        if k <= n + 2 * p:
            cases.append({"n": n, "k": k, "stride": s, "padding": p})
    return cases


def check_pool_output_size(fn) -> Verdict:
    """Check ``fn(n, k, stride, padding)`` against ``sizes.pool_output_size`` (lesson 04).

    Examples
    --------
    >>> def size(n, k, stride, padding):
    ...     return (n + 2 * padding - k) // stride + 1
    >>> _ = check_pool_output_size(size)
    ✅ ...
    """
    return run(
        "04.pool_output_size",
        fn,
        equal_to(pool_output_size),
        pool_cases,
        (
            "汇聚窗口的滑动方式和卷积核完全一样。",
            "A pooling window slides exactly like a convolution kernel.",
        ),
        forbidden=(pool_output_size, conv_output_size),
    )


def _max_pool_cases(rng, count: int = 20) -> list[dict]:
    cases = []
    for _ in range(count):
        k, stride = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        h, w = int(rng.integers(k, 13)), int(rng.integers(k, 13))
        cases.append({"x": rng.normal(size=(h, w)).astype("float32"), "k": k, "stride": stride})
    return cases


def _paddle_max_pool():
    import paddle.nn.functional as F

    return F.max_pool2d


def check_max_pool(fn) -> Verdict:
    """Check ``fn(x, k, stride)`` (2-D NumPy max pooling) against Paddle (lesson 04).

    Examples
    --------
    >>> import numpy as np
    >>> def mine(x, k, stride):
    ...     h, w = (x.shape[0] - k) // stride + 1, (x.shape[1] - k) // stride + 1
    ...     return np.array([[x[i * stride:i * stride + k, j * stride:j * stride + k].max()
    ...                       for j in range(w)] for i in range(h)])
    >>> _ = check_max_pool(mine)
    ✅ ...
    """
    return run(
        "04.max_pool",
        fn,
        close_to(lambda x, k, stride: pool2d(x, k, stride), rtol=1e-5, atol=1e-6),
        _max_pool_cases,
        (
            "输出 (i, j) 对应的窗口从输入的哪一行、哪一列开始？输出一共有几行几列？",
            "Where in the input does the window of output (i, j) start, and how many rows and "
            "columns does the output have?",
        ),
        forbidden=(pool2d, pool2d_numpy, _paddle_max_pool()),
    )
