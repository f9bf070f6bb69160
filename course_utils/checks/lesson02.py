"""Exercise checks of lesson 02 (padding and stride)."""

from __future__ import annotations

from ..kernels import conv2d, corr2d
from ..sizes import conv_output_size, same_padding
from .lesson01 import _paddle_conv2d, array_cases
from .runner import Verdict, close_to, equal_to, run


def check_conv2d_strided(fn) -> Verdict:
    """Check ``fn(x, k, stride, padding)`` against Paddle's conv2d on random cases (lesson 02).

    Examples
    --------
    >>> import numpy as np
    >>> def mine(x, k, stride, padding):
    ...     x = np.pad(x, padding)
    ...     h = (x.shape[0] - k.shape[0]) // stride + 1
    ...     w = (x.shape[1] - k.shape[1]) // stride + 1
    ...     return np.array([[(x[i * stride:i * stride + k.shape[0],
    ...                         j * stride:j * stride + k.shape[1]] * k).sum()
    ...                       for j in range(w)] for i in range(h)])
    >>> _ = check_conv2d_strided(mine)
    ✅ ...
    """
    return run(
        "02.conv2d_strided",
        fn,
        close_to(lambda x, k, stride, padding: conv2d(x, k, stride=stride, padding=padding)),
        lambda rng: array_cases(rng, strided=True),
        (
            "先在四周各填充 padding 个 0，再让窗口每次移动 stride 步。",
            "Pad `padding` zeros on every side first, then move the window `stride` steps at "
            "a time.",
        ),
        forbidden=(corr2d, conv2d, _paddle_conv2d()),
    )


def _tf_cases(rng, count: int = 50) -> list[dict]:
    cases = []
    while len(cases) < count:
        n, k, s = int(rng.integers(1, 65)), int(rng.integers(1, 8)), int(rng.integers(1, 5))
        if k <= n:
            cases.append({"n": n, "k": k, "stride": s, "mode": str(rng.choice(["same", "valid"]))})
    return cases


def check_tf_output_size(fn) -> Verdict:
    """Check ``fn(n, k, stride, mode)`` for TensorFlow-style 'same'/'valid' (lesson 02).

    Examples
    --------
    >>> import math
    >>> def size(n, k, stride, mode):
    ...     return math.ceil((n if mode == "same" else n - k + 1) / stride)
    >>> _ = check_tf_output_size(size)
    ✅ ...
    """
    return run(
        "02.tf_output_size",
        fn,
        equal_to(lambda n, k, stride, mode: conv_output_size(n, k, padding=mode, stride=stride)),
        _tf_cases,
        (
            "两种模式都向上取整：'same' 只看输入长度和步幅，'valid' 只数卷积核完全放得下的位置。",
            "Both modes round up: 'same' depends only on the input length and the stride; "
            "'valid' counts only the positions where the whole kernel fits.",
        ),
        forbidden=(conv_output_size,),
    )


def check_same_padding(fn) -> Verdict:
    """Check ``fn(k)`` -> (before, after) padding that keeps the size at stride 1 (lesson 02).

    Examples
    --------
    >>> _ = check_same_padding(lambda k: ((k - 1) // 2, k - 1 - (k - 1) // 2))
    ✅ ...
    """
    return run(
        "02.same_padding",
        fn,
        equal_to(same_padding),
        [{"k": k} for k in range(1, 13)],
        (
            "输出长度是 n + 前 + 后 − k + 1；要它等于 n，总填充是多少？"
            "分不均时多出的那个放在后面。",
            "The output length is n + before + after - k + 1; what total makes it n? When it "
            "cannot be split evenly, the extra one goes after.",
        ),
        forbidden=(same_padding,),
    )
