"""Checks for exercises: recompute the answer or test it on random cases.

Introduced in lesson 00. A check prints one bilingual verdict and returns
``True`` (right), ``False`` (wrong) or ``None`` (not done yet: the answer is
still ``None``, as in a student copy). With ``COURSE_STRICT_CHECKS=1`` (set by
the tests on the teacher's notebooks) a wrong or missing answer raises
``AssertionError`` so that CI notices.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable

from .i18n import t
from .sizes import conv_output_size

NOT_DONE = ("还没有完成", "not done yet")


def _strict() -> bool:
    return os.environ.get("COURSE_STRICT_CHECKS", "") == "1"


def verdict(ok: bool | None, hint_zh: str = "", hint_en: str = "") -> bool | None:
    """Print the verdict for an exercise and return `ok`.

    Parameters
    ----------
    ok : bool or None
        True when right, False when wrong, None when not attempted.
    hint_zh, hint_en : str
        What to look at when the answer is wrong.
    """
    if ok is None:
        message = t(
            f"⏳ {NOT_DONE[0]}：把答案写在标注的地方，再运行这个单元格。",
            f"⏳ {NOT_DONE[1].capitalize()}: "
            "write your answer where marked and run the cell again.",
        )
    elif ok:
        message = t("✅ 正确！", "✅ Correct!")
    else:
        message = t(f"❌ 还不对。{hint_zh}", f"❌ Not yet right. {hint_en}")
    print(message)
    if _strict() and not ok:
        raise AssertionError(message)
    return ok


def check_function(
    fn: Callable | None,
    reference: Callable,
    cases: Iterable[dict],
    hint_zh: str = "",
    hint_en: str = "",
) -> bool | None:
    """Compare ``fn(**case)`` with ``reference(**case)`` on every case.

    A missing function, or one that returns None or raises
    ``NotImplementedError``, counts as not done; the first case that differs
    (or raises) is shown with the expected value.
    """
    if fn is None:
        return verdict(None)
    for case in cases:
        expected = reference(**case)
        args = ", ".join(f"{k}={v!r}" for k, v in case.items())
        try:
            got = fn(**case)
        except NotImplementedError:
            return verdict(None)
        except Exception as err:  # noqa: BLE001 - shown to the learner
            got = f"{type(err).__name__}: {err}"
        if got is None:
            return verdict(None)
        if got != expected:
            return verdict(
                False,
                f"{hint_zh}\n  输入 {args}：期望 {expected!r}，得到 {got!r}。",
                f"{hint_en}\n  For {args}: expected {expected!r}, got {got!r}.",
            )
    return verdict(True)


def random_conv_cases(count: int = 50, seed: int | None = None) -> list[dict]:
    """Random valid (n, k, padding, stride) cases for an output-size function.

    Examples
    --------
    >>> all(c["k"] <= c["n"] + 2 * c["padding"] for c in random_conv_cases(20, seed=0))
    True
    """
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        n, k, p, s = rng.randint(1, 64), rng.randint(1, 7), rng.randint(0, 3), rng.randint(1, 4)
        if k <= n + 2 * p:
            cases.append({"n": n, "k": k, "padding": p, "stride": s})
    return cases


def check_conv_output_size(fn: Callable | None) -> bool | None:
    """Check a learner's ``fn(n, k, padding, stride)`` on random cases (lesson 00).

    Examples
    --------
    >>> def size(n, k, padding, stride):
    ...     return (n + 2 * padding - k) // stride + 1
    >>> _ = check_conv_output_size(size)
    ✅ ...
    """
    return check_function(
        fn,
        conv_output_size,
        random_conv_cases(),
        "公式是 ⌊(n + 2p − k) / s⌋ + 1：先加上两侧的填充，减去卷积核大小，整除步幅，再加 1。",
        "The formula is floor((n + 2p - k) / s) + 1: add the padding on both sides, "
        "subtract the kernel size, divide by the stride rounding down, then add 1.",
    )
