"""Exercise checks of lesson 00 (setup and tour)."""

from __future__ import annotations

import numpy as np

from ..sizes import conv_output_size, pool_output_size
from .runner import Verdict, equal_to, run


def random_conv_cases(rng, count: int = 50) -> list[dict]:
    """Valid random (n, k, padding, stride) cases for an output-size function.

    Examples
    --------
    >>> import numpy as np
    >>> cases = random_conv_cases(np.random.default_rng(0), 20)
    >>> all(c["k"] <= c["n"] + 2 * c["padding"] for c in cases)
    True
    """
    cases = []
    while len(cases) < count:
        n, k, p, s = (int(rng.integers(lo, hi + 1)) for lo, hi in ((1, 64), (1, 7), (0, 3), (1, 4)))
        if k <= n + 2 * p:
            cases.append({"n": n, "k": k, "padding": p, "stride": s})
    return cases


def check_conv_output_size(fn) -> Verdict:
    """Check a learner's ``fn(n, k, padding, stride)`` on random cases (lesson 00).

    Examples
    --------
    >>> def size(n, k, padding, stride):
    ...     return (n + 2 * padding - k) // stride + 1
    >>> _ = check_conv_output_size(size)
    ✅ ...
    """
    return run(
        "00.output_size",
        fn,
        equal_to(conv_output_size),
        random_conv_cases,
        (
            "先加上两侧的填充，减去卷积核大小，整除步幅（向下取整），再加 1。",
            "Add the padding on both sides, subtract the kernel size, divide by the stride "
            "rounding down, then add 1.",
        ),
        forbidden=(conv_output_size, pool_output_size),
    )


def _labels_cases(rng, count: int = 20) -> list[dict]:
    """Random label arrays, some missing digits, some empty."""
    cases = [{"labels": np.array([], dtype=int)}]
    for _ in range(count):
        digits = rng.choice(10, size=int(rng.integers(1, 11)), replace=False)
        cases.append({"labels": rng.choice(digits, size=int(rng.integers(1, 300)))})
    return cases


def check_class_counts(fn) -> Verdict:
    """Check ``fn(labels)`` -> how many labels of each digit 0-9 (lesson 00).

    Examples
    --------
    >>> _ = check_class_counts(lambda labels: [int((labels == d).sum()) for d in range(10)])
    ✅ ...
    """
    return run(
        "00.class_counts",
        fn,
        equal_to(lambda labels: np.bincount(labels, minlength=10).tolist()),
        _labels_cases,
        (
            "结果应该总是有 10 个数，按数字 0 到 9 的顺序；没有出现的数字记 0。",
            "The result always has 10 numbers, in the order of the digits 0 to 9; a digit "
            "that does not occur counts 0.",
        ),
    )
