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


# --- lessons 01-02 ---


def _array_cases(count: int, seed: int, strided: bool) -> list[dict]:
    """Random (x, k[, stride, padding]) cases whose kernel fits the padded input."""
    import numpy as np

    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        h, w = rng.integers(1, 9, size=2)
        kh, kw = rng.integers(1, 5, size=2)
        case = {"x": rng.normal(size=(h, w)).astype("float32")}
        case["k"] = rng.normal(size=(kh, kw)).astype("float32")
        pad = int(rng.integers(0, 3)) if strided else 0
        if kh <= h + 2 * pad and kw <= w + 2 * pad:
            if strided:
                case.update(stride=int(rng.integers(1, 4)), padding=pad)
            cases.append(case)
    return cases


def _check_arrays(fn, reference, cases, hint_zh: str, hint_en: str) -> bool | None:
    """Like :func:`check_function`, comparing arrays with a float tolerance."""
    import numpy as np

    if fn is None:
        return verdict(None)
    for case in cases:
        expected = reference(**case)
        shapes = ", ".join(
            f"{k}={v.shape}" if hasattr(v, "shape") else f"{k}={v!r}" for k, v in case.items()
        )
        try:
            got = fn(**case)
        except NotImplementedError:
            return verdict(None)
        except Exception as err:  # noqa: BLE001 - shown to the learner
            return verdict(
                False,
                f"{hint_zh}\n  输入 {shapes} 时出错：{type(err).__name__}: {err}",
                f"{hint_en}\n  For {shapes} it raised {type(err).__name__}: {err}",
            )
        if got is None:
            return verdict(None)
        got = np.asarray(got.numpy() if hasattr(got, "numpy") else got, dtype="float64")
        if got.shape != expected.shape:
            return verdict(
                False,
                f"{hint_zh}\n  输入 {shapes}：输出形状应为 {expected.shape}，得到 {got.shape}。",
                f"{hint_en}\n  For {shapes}: the output shape should be {expected.shape}, "
                f"got {got.shape}.",
            )
        if not np.allclose(got, expected, rtol=1e-4, atol=1e-4):
            worst = float(np.abs(got - expected).max())
            return verdict(
                False,
                f"{hint_zh}\n  输入 {shapes}：形状正确，但数值最多相差 {worst:.3g}。",
                f"{hint_en}\n  For {shapes}: the shape is right but values differ by up "
                f"to {worst:.3g}.",
            )
    return verdict(True)


def check_corr2d(fn: Callable | None, count: int = 30, seed: int | None = None) -> bool | None:
    """Check a learner's ``fn(x, k)`` against Paddle's conv2d on random arrays (lesson 01).

    Examples
    --------
    >>> from course_utils.kernels import corr2d
    >>> _ = check_corr2d(corr2d, count=5)
    ✅ ...
    """
    from .kernels import conv2d

    return _check_arrays(
        fn,
        lambda x, k: conv2d(x, k),
        _array_cases(count, random.randrange(10**6) if seed is None else seed, strided=False),
        "输出是 (H − Kh + 1) × (W − Kw + 1)；out[i, j] = (x[i:i+Kh, j:j+Kw] * k).sum()。",
        "The output is (H - Kh + 1) x (W - Kw + 1); out[i, j] = (x[i:i+Kh, j:j+Kw] * k).sum().",
    )


def _edge_images(rng, horizontal: bool, n: int = 12):
    """An n x n image with one random step edge: rows (horizontal) or columns."""
    import numpy as np

    where = int(rng.integers(3, n - 3))
    low, high = sorted(rng.uniform(0, 1, size=2))
    high += 0.5  # a clear step
    line = np.where(np.arange(n) < where, low, high)
    image = line[:, None] if horizontal else line[None, :]
    return np.broadcast_to(image, (n, n)).astype("float32")


def check_horizontal_edge_kernel(kernel, count: int = 20, seed: int | None = None) -> bool | None:
    """Check that `kernel` answers horizontal edges and ignores vertical ones (lesson 01).

    On random images with one horizontal step edge the output must not be all
    zero; on random images with one vertical step edge (and on flat images)
    it must be zero everywhere.

    Examples
    --------
    >>> _ = check_horizontal_edge_kernel([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])
    ✅ ...
    """
    import numpy as np

    from .kernels import conv2d

    if kernel is None:
        return verdict(None)
    try:
        k = np.asarray(kernel, dtype="float32")
        if k.ndim != 2 or k.shape[0] > 12 or k.shape[1] > 12 or not np.isfinite(k).all():
            raise ValueError(k.shape)
    except (TypeError, ValueError):
        return verdict(
            False,
            "卷积核应该是一个二维数值数组，例如 3×3。",
            "The kernel should be a 2-D array of numbers, e.g. 3x3.",
        )
    rng = np.random.default_rng(random.randrange(10**6) if seed is None else seed)
    scale = float(np.abs(k).sum()) or 1.0
    for _ in range(count):
        if np.abs(conv2d(_edge_images(rng, horizontal=False), k)).max() > 1e-4 * scale:
            return verdict(
                False,
                "它对竖直边缘（或平坦区域）也有响应：让卷积核每一列的和都为 0。",
                "It also responds to a vertical edge (or a flat area): make every "
                "column of the kernel sum to 0.",
            )
        if np.abs(conv2d(_edge_images(rng, horizontal=True), k)).max() < 1e-2 * scale:
            return verdict(
                False,
                "它看不到水平边缘：让上面几行和下面几行的权重符号相反。",
                "It does not see a horizontal edge: give the top rows and the bottom "
                "rows weights of opposite signs.",
            )
    return verdict(True)


def check_conv2d_strided(
    fn: Callable | None, count: int = 30, seed: int | None = None
) -> bool | None:
    """Check ``fn(x, k, stride, padding)`` against Paddle's conv2d on random cases (lesson 02).

    Examples
    --------
    >>> from course_utils.kernels import conv2d
    >>> _ = check_conv2d_strided(lambda x, k, stride, padding: conv2d(x, k, stride, padding))
    ✅ ...
    """
    from .kernels import conv2d

    return _check_arrays(
        fn,
        lambda x, k, stride, padding: conv2d(x, k, stride=stride, padding=padding),
        _array_cases(count, random.randrange(10**6) if seed is None else seed, strided=True),
        "先在四周各填充 padding 个 0，再让窗口每次移动 stride 步：窗口左上角在 "
        "(i·stride, j·stride)。",
        "Pad `padding` zeros on every side first, then move the window `stride` steps "
        "at a time: its top-left corner is at (i*stride, j*stride).",
    )


def check_tf_output_size(fn: Callable | None, count: int = 50) -> bool | None:
    """Check ``fn(n, k, stride, mode)`` for TensorFlow-style 'same'/'valid' (lesson 02).

    The reference is :func:`course_utils.conv_output_size` with
    ``padding=mode`` on random cases.

    Examples
    --------
    >>> import math
    >>> def size(n, k, stride, mode):
    ...     return math.ceil((n if mode == "same" else n - k + 1) / stride)
    >>> _ = check_tf_output_size(size)
    ✅ ...
    """
    rng = random.Random()
    cases = []
    while len(cases) < count:
        n, k, s = rng.randint(1, 64), rng.randint(1, 7), rng.randint(1, 4)
        if k <= n:
            cases.append({"n": n, "k": k, "stride": s, "mode": rng.choice(["same", "valid"])})
    return check_function(
        fn,
        lambda n, k, stride, mode: conv_output_size(n, k, padding=mode, stride=stride),
        cases,
        "'same' 给出 ⌈n / s⌉，'valid' 给出 ⌈(n − k + 1) / s⌉。",
        "'same' gives ceil(n / s) and 'valid' gives ceil((n - k + 1) / s).",
    )


# --- lessons 03-04 ---
# Channels, 1x1 convolution and pooling. Paddle and the pooling module are
# imported inside the functions, so importing checks stays light.


def _returning(fn: Callable, convert: Callable) -> Callable:
    """Wrap `fn` so that its answer is converted (a None answer stays None)."""

    def wrapped(**case):
        got = fn(**case)
        return None if got is None else convert(got)

    return wrapped


def random_channel_cases(count: int = 12, seed: int | None = None) -> list[dict]:
    """Random (c_in, c_out, k) cases for a convolution layer (lesson 03).

    Examples
    --------
    >>> sorted(random_channel_cases(1, seed=0)[0])
    ['c_in', 'c_out', 'k']
    """
    rng = random.Random(seed)
    return [
        {"c_in": rng.randint(1, 16), "c_out": rng.randint(1, 16), "k": rng.randint(1, 7)}
        for _ in range(count)
    ]


def _paddle_conv(c_in: int, c_out: int, k: int):
    import paddle

    return paddle.nn.Conv2D(c_in, c_out, k)


def check_conv_weight_shape(fn: Callable | None) -> bool | None:
    """Check ``fn(c_in, c_out, k)`` against the weight shape of ``paddle.nn.Conv2D`` (lesson 03).

    Examples
    --------
    >>> _ = check_conv_weight_shape(lambda c_in, c_out, k: [c_out, c_in, k, k])
    ✅ ...
    """
    if fn is None:
        return verdict(None)
    return check_function(
        _returning(fn, list),
        lambda c_in, c_out, k: list(_paddle_conv(c_in, c_out, k).weight.shape),
        random_channel_cases(),
        "Paddle 的卷积权重形状是 [输出通道数, 输入通道数, 卷积核高, 卷积核宽]。",
        "Paddle stores a convolution weight as [C_out, C_in, Kh, Kw].",
    )


def check_conv_param_count(fn: Callable | None) -> bool | None:
    """Check ``fn(c_in, c_out, k)`` against the parameters of ``paddle.nn.Conv2D`` (lesson 03).

    Examples
    --------
    >>> _ = check_conv_param_count(lambda c_in, c_out, k: c_out * c_in * k * k + c_out)
    ✅ ...
    """
    if fn is None:
        return verdict(None)

    def reference(c_in, c_out, k):
        return sum(int(p.size) for p in _paddle_conv(c_in, c_out, k).parameters())

    return check_function(
        _returning(fn, int),
        reference,
        random_channel_cases(),
        "每个输出通道有 C_in×K×K 个权重，外加 1 个偏置。",
        "Each output channel has C_in*K*K weights plus one bias.",
    )


def check_bottleneck_macs(fn: Callable | None) -> bool | None:
    """Check ``fn(c_in, c_mid, c_out, k, h, w)`` -> (direct, with 1x1 first) (lesson 03).

    Both convolutions keep the ``h x w`` size ('same' padding), so each costs
    ``conv_macs(c_in, c_out, k, h, w)``; biases are not counted.

    Examples
    --------
    >>> def cost(c_in, c_mid, c_out, k, h, w):
    ...     return (h * w * c_in * k * k * c_out,
    ...             h * w * c_in * c_mid + h * w * c_mid * k * k * c_out)
    >>> _ = check_bottleneck_macs(cost)
    ✅ ...
    """
    if fn is None:
        return verdict(None)
    from .sizes import conv_macs

    def reference(c_in, c_mid, c_out, k, h, w):
        direct = conv_macs(c_in, c_out, k, h, w)
        return (direct, conv_macs(c_in, c_mid, 1, h, w) + conv_macs(c_mid, c_out, k, h, w))

    rng = random.Random()
    cases = [
        {
            "c_in": rng.randint(1, 256),
            "c_mid": rng.randint(1, 64),
            "c_out": rng.randint(1, 128),
            "k": rng.choice([1, 3, 5, 7]),
            "h": rng.randint(1, 64),
            "w": rng.randint(1, 64),
        }
        for _ in range(30)
    ]
    return check_function(
        _returning(fn, tuple),
        reference,
        cases,
        "每个输出值需要 C_in×K×K 次乘加，输出共有 C_out×H×W 个值；瓶颈版本是两层之和。",
        "Each output value needs C_in*K*K multiply-adds and there are C_out*H*W outputs; "
        "the bottleneck version is the sum over its two layers.",
    )


def random_pool_cases(count: int = 50, seed: int | None = None) -> list[dict]:
    """Random valid (n, k, stride, padding) pooling cases, padding <= k // 2 (lesson 04).

    Examples
    --------
    >>> all(2 * c["padding"] <= c["k"] for c in random_pool_cases(20, seed=0))
    True
    """
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        n, k, s = rng.randint(1, 64), rng.randint(1, 6), rng.randint(1, 4)
        p = rng.randint(0, k // 2)
        if k <= n + 2 * p:
            cases.append({"n": n, "k": k, "stride": s, "padding": p})
    return cases


def check_pool_output_size(fn: Callable | None) -> bool | None:
    """Check ``fn(n, k, stride, padding)`` against ``sizes.pool_output_size`` (lesson 04).

    Examples
    --------
    >>> def size(n, k, stride, padding):
    ...     return (n + 2 * padding - k) // stride + 1
    >>> _ = check_pool_output_size(size)
    ✅ ...
    """
    from .sizes import pool_output_size

    return check_function(
        fn,
        pool_output_size,
        random_pool_cases(),
        "汇聚的输出大小和卷积一样：⌊(n + 2p − k) / s⌋ + 1。",
        "Pooling has the same output size as convolution: floor((n + 2p - k) / s) + 1.",
    )


def check_max_pool(fn: Callable | None, count: int = 20) -> bool | None:
    """Check ``fn(x, k, stride)`` (2-D NumPy max pooling) against Paddle (lesson 04).

    `x` is a random 2-D float array; the answer must have the shape and the
    values of ``paddle.nn.functional.max_pool2d`` (no padding).

    Examples
    --------
    >>> from course_utils.pooling import pool2d_numpy
    >>> _ = check_max_pool(lambda x, k, stride: pool2d_numpy(x, k, stride))
    ✅ ...
    """
    if fn is None:
        return verdict(None)
    import numpy as np

    from .pooling import pool2d

    rng = np.random.default_rng()
    for _ in range(count):
        k, stride = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        h, w = int(rng.integers(k, 13)), int(rng.integers(k, 13))
        x = rng.normal(size=(h, w)).astype(np.float32)
        expected = pool2d(x, k, stride)
        case = f"x.shape={x.shape}, k={k}, stride={stride}"
        try:
            got = fn(x.copy(), k, stride)
        except NotImplementedError:
            return verdict(None)
        except Exception as err:  # noqa: BLE001 - shown to the learner
            return verdict(
                False,
                f"\n  输入 {case}：出错 {type(err).__name__}: {err}",
                f"\n  For {case}: raised {type(err).__name__}: {err}",
            )
        if got is None:
            return verdict(None)
        got = np.asarray(got, dtype=np.float32)
        if got.shape != expected.shape:
            return verdict(
                False,
                f"输出形状不对。\n  输入 {case}：期望形状 {expected.shape}，得到 {got.shape}。",
                f"Wrong output shape.\n  For {case}: expected {expected.shape}, got {got.shape}.",
            )
        if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
            where = tuple(int(i) for i in np.argwhere(~np.isclose(got, expected))[0])
            return verdict(
                False,
                f"数值不对。\n  输入 {case}：位置 {where} 期望 {expected[where]:.4f}，"
                f"得到 {got[where]:.4f}。窗口从 (i*stride, j*stride) 开始。",
                f"Wrong values.\n  For {case}: at {where} expected {expected[where]:.4f}, "
                f"got {got[where]:.4f}. Window (i, j) starts at (i*stride, j*stride).",
            )
    return verdict(True)
