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


def _describe(case: dict) -> str:
    """A case for a message: arrays by shape, networks by class name, numbers by value."""
    parts = []
    for key, value in case.items():
        if hasattr(value, "shape"):
            parts.append(f"{key}.shape={tuple(value.shape)}")
        elif isinstance(value, (bool, int, float, str, tuple, list, type(None))):
            parts.append(f"{key}={value!r}")
        else:
            parts.append(f"{key}={type(value).__name__}")
    return ", ".join(parts)


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
        args = _describe(case)
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


def _check_arrays(
    fn, reference, cases, hint_zh: str, hint_en: str, rtol: float = 1e-4, atol: float = 1e-4
) -> bool | None:
    """Like :func:`check_function`, comparing arrays with a float tolerance."""
    import numpy as np

    if fn is None:
        return verdict(None)
    for case in cases:
        expected = reference(**case)
        shapes = _describe(case)
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
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
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


# --- lesson 05 ---
# LeNet variants and counting mistakes. Paddle is imported inside the functions.


def random_lenet_cases(count: int = 8, seed: int | None = None) -> list[dict]:
    """Random (c1, c2, h1, h2) LeNet variants: conv channels and hidden widths (lesson 05).

    Examples
    --------
    >>> sorted(random_lenet_cases(1, seed=0)[0])
    ['c1', 'c2', 'h1', 'h2']
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    return [
        {
            "c1": int(rng.integers(1, 17)),
            "c2": int(rng.integers(1, 33)),
            "h1": int(rng.integers(8, 129)),
            "h2": int(rng.integers(8, 97)),
        }
        for _ in range(count)
    ]


def lenet_variant(c1: int, c2: int, h1: int, h2: int):
    """LeNet-5 (ReLU, max pooling), conv channels c1, c2, hidden widths h1, h2 (lesson 05)."""
    from paddle import nn

    return nn.Sequential(
        nn.Conv2D(1, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2D(2, 2),
        nn.Conv2D(c1, c2, 5), nn.ReLU(), nn.MaxPool2D(2, 2),
        nn.Flatten(),
        nn.Linear(c2 * 5 * 5, h1), nn.ReLU(),
        nn.Linear(h1, h2), nn.ReLU(),
        nn.Linear(h2, 10),
    )  # fmt: skip


def check_lenet_param_count(fn: Callable | None) -> bool | None:
    """Check ``fn(c1, c2, h1, h2)`` against the parameters of a Paddle LeNet variant (lesson 05).

    Examples
    --------
    >>> _ = check_lenet_param_count(lambda c1, c2, h1, h2: (
    ...     c1 * 26 + c2 * (c1 * 25 + 1) + h1 * (c2 * 25 + 1) + h2 * (h1 + 1) + 10 * (h2 + 1)))
    ✅ ...
    """
    if fn is None:
        return verdict(None)
    from .train import count_parameters

    return check_function(
        _returning(fn, int),
        lambda **case: count_parameters(lenet_variant(**case)),
        random_lenet_cases(),
        "卷积层：C_out×(C_in×5×5+1)；第二个汇聚后是 C2×5×5 个特征；全连接层：输出×(输入+1)。",
        "Conv: C_out*(C_in*5*5 + 1); after the second pooling there are C2*5*5 features; "
        "linear: out*(in + 1).",
    )


def check_lenet_class(make: Callable | None, count: int = 4) -> bool | None:
    """Check a Layer class ``make(c1, c2, h1, h2)`` by output shape and parameters (lesson 05).

    Examples
    --------
    >>> _ = check_lenet_class(lenet_variant, count=2)
    ✅ ...
    """
    if make is None:
        return verdict(None)
    import paddle

    from .train import count_parameters

    for case in random_lenet_cases(count):
        args = ", ".join(f"{k}={v}" for k, v in case.items())
        try:
            network = make(**case)
            if network is None:
                return verdict(None)
            x = paddle.randn([3, 1, 28, 28])
            shape = list(network(x).shape)
            got = count_parameters(network)
        except NotImplementedError:
            return verdict(None)
        except Exception as err:  # noqa: BLE001 - shown to the learner
            return verdict(
                False,
                f"输入 {args} 时出错：{type(err).__name__}: {err}",
                f"For {args} it raised {type(err).__name__}: {err}",
            )
        expected = count_parameters(lenet_variant(**case))
        if shape != [3, 10] or got != expected:
            return verdict(
                False,
                f"输入 {args}：输出形状应为 [3, 10]、参数 {expected} 个，得到 {shape}、{got} 个。",
                f"For {args}: expected output shape [3, 10] and {expected} parameters, "
                f"got {shape} and {got}.",
            )
    return verdict(True)


def check_misclassified_count(fn: Callable | None, count: int = 20) -> bool | None:
    """Check ``fn(labels, predictions, digit)`` -> images of `digit` predicted wrongly (lesson 05).

    Examples
    --------
    >>> _ = check_misclassified_count(lambda y, p, d: int(((y == d) & (p != d)).sum()))
    ✅ ...
    """
    if fn is None:
        return verdict(None)
    import numpy as np

    def reference(labels, predictions, digit):
        return int(((labels == digit) & (predictions != digit)).sum())

    def answer(labels, predictions, digit):  # positional: the learner may name them otherwise
        return fn(labels.copy(), predictions.copy(), digit)

    rng = np.random.default_rng()
    cases = []
    for _ in range(count):
        n = int(rng.integers(20, 200))
        labels = rng.integers(0, 10, n)
        predictions = np.where(rng.random(n) < 0.7, labels, rng.integers(0, 10, n))
        cases.append({"labels": labels, "predictions": predictions, "digit": int(rng.integers(10))})
    return check_function(
        answer,
        reference,
        cases,
        "只数真实标签是 `digit`、而预测不是 `digit` 的图像。",
        "Count only images whose true label is `digit` and whose prediction is not.",
    )


# --- lesson 07 ---
# Inception blocks: channel counts and multiply-adds. Paddle is imported inside the functions.


def inception_pool_passthrough(in_channels: int, widths: tuple[int, ...]):
    """An Inception variant whose pool branch has no 1x1 convolution (lesson 07, exercise 1).

    Branches 1-3 are those of ``models.Inception`` with widths
    ``(w1, w2, w3)``; branch 4 is only a 3x3 max pooling (stride 1,
    padding 1), so it passes all `in_channels` channels through.

    Examples
    --------
    >>> import paddle
    >>> block = inception_pool_passthrough(5, (2, 3, 4))
    >>> list(block(paddle.zeros([1, 5, 6, 6])).shape)  # 2 + 3 + 4 + 5 channels
    [1, 14, 6, 6]
    """
    from paddle import nn

    from .models import Inception

    block = Inception(in_channels, (*widths, 1))
    block.branch4 = nn.MaxPool2D(3, stride=1, padding=1)
    return block


def random_inception_cases(count: int = 8, seed: int | None = None) -> list[dict]:
    """Random (in_channels, widths of three branches) cases (lesson 07).

    Examples
    --------
    >>> [len(case["widths"]) for case in random_inception_cases(3, seed=0)]
    [3, 3, 3]
    """
    rng = random.Random(seed)
    return [
        {"in_channels": rng.randint(1, 40), "widths": tuple(rng.randint(1, 32) for _ in range(3))}
        for _ in range(count)
    ]


def check_inception_channels(fn: Callable | None) -> bool | None:
    """Check ``fn(in_channels, widths)`` -> channels of the pool-passthrough block (lesson 07).

    The reference builds :func:`inception_pool_passthrough` with random
    sizes and reads the channel count of a real forward pass.

    Examples
    --------
    >>> _ = check_inception_channels(lambda in_channels, widths: sum(widths) + in_channels)
    ✅ ...
    """
    if fn is None:
        return verdict(None)
    import paddle

    def reference(in_channels, widths):
        block = inception_pool_passthrough(in_channels, widths)
        return int(block(paddle.zeros([1, in_channels, 5, 5])).shape[1])

    return check_function(
        _returning(fn, int),
        reference,
        random_inception_cases(),
        "四个分支的输出沿通道拼接；汇聚不改变通道数，所以第 4 个分支输出的通道数等于输入的通道数。",
        "The four branch outputs are concatenated along the channels; pooling keeps the "
        "channel count, so branch 4 outputs as many channels as the block's input.",
    )


def inception_conv_macs(in_channels: int, widths: tuple[int, ...], size: int, bottleneck: bool):
    """Multiply-adds of the convolutions of ``models.Inception`` on a size x size map (lesson 07).

    Counted on the real block with :func:`course_utils.sizes.network_costs`
    (pooling and ReLU rows left out).

    Examples
    --------
    >>> inception_conv_macs(10, (16, 24, 24, 24), 12, bottleneck=True)
    3693312
    """
    from .models import Inception
    from .sizes import network_costs

    block = Inception(in_channels, tuple(widths), bottleneck=bottleneck)
    rows = network_costs(block, (in_channels, size, size))
    return sum(row.macs for row in rows if row.kind == "Conv2D")


def check_inception_macs(fn: Callable | None) -> bool | None:
    """Check ``fn(in_channels, widths, size)`` -> (with, without bottlenecks) (lesson 07).

    Both numbers are the multiply-adds of the block's convolutions on a
    ``size x size`` map (every branch keeps the size; biases, pooling and
    ReLU not counted), recomputed on the real blocks with
    :func:`inception_conv_macs` for random sizes.

    Examples
    --------
    >>> from course_utils.sizes import conv_macs
    >>> def cost(in_channels, widths, size):
    ...     w1, w2, w3, w4 = widths
    ...     def m(c_in, c_out, k):
    ...         return conv_macs(c_in, c_out, k, size, size)
    ...     shared = m(in_channels, w1, 1) + m(w3, w3, 3) + m(in_channels, w4, 1)
    ...     with_1x1 = (shared + m(in_channels, w2, 1) + m(w2, w2, 5)
    ...                 + m(in_channels, w3, 1) + m(w3, w3, 3))
    ...     return with_1x1, shared + m(in_channels, w2, 5) + m(in_channels, w3, 3)
    >>> _ = check_inception_macs(cost)
    ✅ ...
    """
    if fn is None:
        return verdict(None)

    def reference(in_channels, widths, size):
        return tuple(
            inception_conv_macs(in_channels, widths, size, bottleneck=flag)
            for flag in (True, False)
        )

    rng = random.Random()
    cases = [
        {
            "in_channels": rng.randint(1, 64),
            "widths": tuple(rng.randint(1, 32) for _ in range(4)),
            "size": rng.randint(1, 14),
        }
        for _ in range(6)
    ]
    return check_function(
        _returning(fn, tuple),
        reference,
        cases,
        "每个卷积的乘加次数是 C_in×K×K×C_out×H×W（第 03 课，`cu.conv_macs`）；"
        "所有分支都保持 size×size。有瓶颈时把 1×1 卷积也算上；没有瓶颈时，"
        "5×5 和第一个 3×3 卷积直接作用在 in_channels 个通道上。",
        "Each convolution costs C_in*K*K*C_out*H*W multiply-adds (lesson 03, `cu.conv_macs`); "
        "every branch keeps size x size. With bottlenecks count the 1x1 convolutions too; "
        "without, the 5x5 and the first 3x3 convolution act on all in_channels channels.",
    )


# --- lesson 08 ---
# Residual and dense blocks. Paddle is imported inside the functions.


def _run_block(make: Callable, args: dict, x):
    """``make(**args)(x)``; returns (output, error text or None)."""
    try:
        block = make(**args)
        out = block(x)
    except NotImplementedError:
        raise
    except Exception as err:  # noqa: BLE001 - shown to the learner
        return None, f"{type(err).__name__}: {err}"
    return out, None


def random_block_cases(count: int = 6, seed: int | None = None) -> list[dict]:
    """Random (in_channels, growth, layers, batch, size) cases for a block (lesson 08).

    Examples
    --------
    >>> sorted(random_block_cases(1, seed=0)[0])
    ['batch', 'growth', 'in_channels', 'layers', 'size']
    """
    rng = random.Random(seed)
    return [
        {
            "in_channels": rng.randint(1, 8),
            "growth": rng.randint(1, 6),
            "layers": rng.randint(1, 4),
            "batch": rng.randint(1, 3),
            "size": rng.randint(3, 9),
        }
        for _ in range(count)
    ]


def check_dense_block(make: Callable | None, count: int = 6) -> bool | None:
    """Check a DenseNet-style block class ``make(in_channels, growth, layers)`` (lesson 08).

    The block must keep the height and width, output
    ``in_channels + growth * layers`` channels, and start its output with
    the input unchanged (``concat([x, f1, f2, ...])`` along the channels).

    Examples
    --------
    >>> import paddle
    >>> class Dense(paddle.nn.Layer):
    ...     def __init__(self, in_channels, growth, layers):
    ...         super().__init__()
    ...         self.convs = paddle.nn.LayerList(
    ...             [paddle.nn.Conv2D(in_channels + i * growth, growth, 3, padding=1)
    ...              for i in range(layers)])
    ...     def forward(self, x):
    ...         for conv in self.convs:
    ...             x = paddle.concat([x, paddle.nn.functional.relu(conv(x))], axis=1)
    ...         return x
    >>> _ = check_dense_block(Dense)
    ✅ ...
    """
    if make is None:
        return verdict(None)
    import numpy as np
    import paddle

    for case in random_block_cases(count):
        args = {k: case[k] for k in ("in_channels", "growth", "layers")}
        shape = [case["batch"], case["in_channels"], case["size"], case["size"]]
        x = paddle.randn(shape)
        text = ", ".join(f"{k}={v}" for k, v in args.items())
        try:
            out, error = _run_block(make, args, x)
        except NotImplementedError:
            return verdict(None)
        if error is not None:
            return verdict(False, f"\n  {text}：出错 {error}", f"\n  {text}: raised {error}")
        if out is None:
            return verdict(None)
        expected = [shape[0], case["in_channels"] + case["growth"] * case["layers"], *shape[2:]]
        if list(out.shape) != expected:
            return verdict(
                False,
                f"输出形状不对。\n  {text}，输入 {shape}：期望 {expected}，得到 {list(out.shape)}。"
                "每一层增加 growth 个通道，并和之前的所有通道拼接。",
                f"Wrong output shape.\n  {text}, input {shape}: expected {expected}, "
                f"got {list(out.shape)}. Each layer adds `growth` channels and is "
                "concatenated with all the channels before it.",
            )
        if not np.allclose(out.numpy()[:, : shape[1]], x.numpy(), atol=1e-6):
            return verdict(
                False,
                f"\n  {text}：输出的前 {shape[1]} 个通道应该就是输入本身"
                "（先放输入，再拼接新通道）。",
                f"\n  {text}: the first {shape[1]} output channels should be the input "
                "itself (the input first, then the new channels).",
            )
    return verdict(True)


def _shortcut_reference_params(in_channels: int, out_channels: int) -> int:
    """Parameters of conv3x3 in->out, conv3x3 out->out and a 1x1 shortcut in->out."""
    from .sizes import conv_params

    return (
        conv_params(in_channels, out_channels, 3)
        + conv_params(out_channels, out_channels, 3)
        + conv_params(in_channels, out_channels, 1)
    )


def check_projection_residual(make: Callable | None, count: int = 6) -> bool | None:
    """Check a residual block with a 1x1 shortcut, ``make(in_channels, out_channels)`` (lesson 08).

    ``y = relu(conv1x1(x) + F(x))`` with ``F`` = conv3x3-relu-conv3x3
    (padding 1): the output has `out_channels` channels and the input's
    height and width, no negative value, and the parameters of the three
    convolutions (with biases).

    Examples
    --------
    >>> import paddle
    >>> from paddle import nn
    >>> class Block(nn.Layer):
    ...     def __init__(self, in_channels, out_channels):
    ...         super().__init__()
    ...         self.conv1 = nn.Conv2D(in_channels, out_channels, 3, padding=1)
    ...         self.conv2 = nn.Conv2D(out_channels, out_channels, 3, padding=1)
    ...         self.shortcut = nn.Conv2D(in_channels, out_channels, 1)
    ...     def forward(self, x):
    ...         f = self.conv2(nn.functional.relu(self.conv1(x)))
    ...         return nn.functional.relu(self.shortcut(x) + f)
    >>> _ = check_projection_residual(Block)
    ✅ ...
    """
    if make is None:
        return verdict(None)
    import paddle

    rng = random.Random()
    for _ in range(count):
        args = {"in_channels": rng.randint(1, 8), "out_channels": rng.randint(1, 12)}
        shape = [rng.randint(1, 3), args["in_channels"], rng.randint(3, 9), rng.randint(3, 9)]
        text = ", ".join(f"{k}={v}" for k, v in args.items())
        try:
            out, error = _run_block(make, args, paddle.randn(shape))
        except NotImplementedError:
            return verdict(None)
        if error is not None:
            return verdict(False, f"\n  {text}：出错 {error}", f"\n  {text}: raised {error}")
        if out is None:
            return verdict(None)
        expected = [shape[0], args["out_channels"], *shape[2:]]
        if list(out.shape) != expected:
            return verdict(
                False,
                f"输出形状不对。\n  {text}，输入 {shape}：期望 {expected}，"
                f"得到 {list(out.shape)}。",
                f"Wrong output shape.\n  {text}, input {shape}: expected {expected}, "
                f"got {list(out.shape)}.",
            )
        if float(out.min()) < 0:
            return verdict(
                False,
                f"\n  {text}：输出有负数；相加之后还要经过 ReLU。",
                f"\n  {text}: the output has negative values; apply ReLU after the addition.",
            )
        params = sum(int(p.size) for p in make(**args).parameters())
        want = _shortcut_reference_params(**args)
        if params != want:
            return verdict(
                False,
                f"\n  {text}：期望 {want} 个参数，得到 {params}。"
                "需要两个 3×3 卷积和一个 1×1 捷径卷积（都带偏置）。",
                f"\n  {text}: expected {want} parameters, got {params}. "
                "Use two 3x3 convolutions and one 1x1 shortcut convolution (all with biases).",
            )
    return verdict(True)


# --- lesson 06 ---
# Batch normalization. Paddle is imported inside the functions.


def _bn_reference(x, gamma, beta, eps):
    import paddle
    import paddle.nn.functional as F

    c = x.shape[1]
    out = F.batch_norm(
        paddle.to_tensor(x),
        paddle.zeros([c]),
        paddle.ones([c]),
        weight=paddle.to_tensor(gamma),
        bias=paddle.to_tensor(beta),
        epsilon=eps,
        training=True,
    )
    return out.numpy()


def check_batch_norm_forward(fn: Callable | None, count: int = 10) -> bool | None:
    """Check ``fn(x, gamma, beta, eps)`` (training-mode BN in NumPy) against Paddle (lesson 06).

    `x` has shape (N, C, H, W); `gamma` and `beta` have C values. The answer
    must match ``paddle.nn.functional.batch_norm(..., training=True)``.

    Examples
    --------
    >>> def bn(x, gamma, beta, eps):
    ...     mean, var = x.mean((0, 2, 3), keepdims=True), x.var((0, 2, 3), keepdims=True)
    ...     return gamma[:, None, None] * (x - mean) / (var + eps) ** 0.5 + beta[:, None, None]
    >>> _ = check_batch_norm_forward(bn)
    ✅ ...
    """
    import warnings

    import numpy as np

    def reference(x, gamma, beta, eps):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="When training, we now always track")
            return _bn_reference(x, gamma, beta, eps)

    rng = np.random.default_rng()
    cases = []
    for _ in range(count):
        n, c, h, w = (int(v) for v in rng.integers(2, 6, size=4))
        x = rng.normal(rng.normal(0, 3), rng.uniform(0.5, 4), size=(n, c, h, w)).astype("float32")
        gamma = rng.uniform(0.5, 2, size=c).astype("float32")
        beta = rng.normal(size=c).astype("float32")
        cases.append({"x": x, "gamma": gamma, "beta": beta, "eps": float(rng.choice([1e-5, 0.1]))})
    return _check_arrays(
        fn,
        reference,
        cases,
        "每个通道在批量和所有位置 (N, H, W) 上求均值和有偏方差（除以个数），"
        "再 γ·(x − 均值)/√(方差 + eps) + β。",
        "For each channel take the mean and the biased variance (divide by the count) over "
        "the batch and all positions (N, H, W), then gamma * (x - mean) / sqrt(var + eps) + beta.",
    )


def check_batch_norm_param_count(fn: Callable | None) -> bool | None:
    """Check ``fn(c)`` -> (trained, statistics) against ``paddle.nn.BatchNorm2D(c)`` (lesson 06).

    Examples
    --------
    >>> _ = check_batch_norm_param_count(lambda c: (2 * c, 2 * c))
    ✅ ...
    """
    if fn is None:
        return verdict(None)

    def reference(c):
        import paddle

        params = paddle.nn.BatchNorm2D(c).parameters()
        trained = sum(int(p.size) for p in params if not p.stop_gradient)
        return (trained, sum(int(p.size) for p in params) - trained)

    rng = random.Random()
    return check_function(
        _returning(fn, lambda got: tuple(int(v) for v in got)),
        reference,
        [{"c": rng.randint(1, 512)} for _ in range(10)],
        "每个通道有可训练的 γ 和 β，外加两个统计量：滑动均值和滑动方差。",
        "Each channel has a trained gamma and beta, plus two statistics: the running mean "
        "and the running variance.",
    )


# --- lesson 09 ---


def random_saliency_cases(count: int = 4, seed: int | None = None) -> list[dict]:
    """Random small float64 conv networks and images for saliency checks (lesson 09)."""
    import numpy as np
    import paddle
    from paddle import nn

    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        c, size, classes = int(rng.integers(1, 4)), int(rng.choice([6, 8, 10])), 4
        paddle.seed(int(rng.integers(0, 2**31)))
        net = nn.Sequential(
            nn.Conv2D(c, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2D(2, 2),
            nn.Flatten(), nn.Linear(3 * (size // 2) ** 2, classes),
        )  # fmt: skip
        net.to(dtype="float64")
        image = rng.standard_normal((c, size, size))
        cases.append({"network": net, "image": image, "class_index": int(rng.integers(0, classes))})
    return cases


def check_saliency(fn: Callable | None, count: int = 4) -> bool | None:
    """Check ``fn(network, image, class_index)`` -> (H, W) saliency against ``viz.saliency``."""
    from .viz import saliency

    return _check_arrays(
        fn,
        saliency,
        random_saliency_cases(count),
        "期望 |梯度| 在通道上的最大值，形状 (H, W)：先取绝对值，再在通道维上取最大值。",
        "Expected |gradient| maxed over channels, shape (H, W): take the absolute value, "
        "then the maximum over the channel axis.",
        rtol=1e-5,
        atol=1e-8,
    )


def check_worst_occlusion(
    answer, network, image, class_index: int, patch: int, stride: int, value: float = 0.0
) -> bool | None:
    """Check that `answer` = (top, left) is the patch position that lowers the probability most.

    Recomputes the occlusion heat map with ``viz.occlusion`` (lesson 09).
    """
    from .viz import occlusion

    if answer is None:
        return verdict(None)
    heat = occlusion(network, image, class_index, patch, stride, value)
    try:
        top, left = (int(v) for v in answer)
    except (TypeError, ValueError):
        top, left = -1, -1
    valid = top % stride == 0 and left % stride == 0
    i, j = top // stride, left // stride
    ok = valid and 0 <= i < heat.shape[0] and 0 <= j < heat.shape[1]
    ok = bool(ok and heat[i, j] >= heat.max() - 1e-6)
    return verdict(
        ok,
        f"答案应是图块左上角的像素坐标 (top, left)，是步幅 {stride} 的倍数；"
        f"概率下降最多的位置不是 {answer!r}。看看热力图中最亮的格子。",
        f"The answer is the patch's top-left pixel (top, left), a multiple of the stride "
        f"{stride}; the largest drop is not at {answer!r}. Look for the brightest cell of the "
        "heat map.",
    )
