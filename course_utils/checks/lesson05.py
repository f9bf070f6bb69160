"""Exercise checks of lesson 05 (LeNet on MNIST)."""

from __future__ import annotations

import numpy as np

from .runner import (
    Verdict,
    count_parameters,
    equal_to,
    learner,
    plain,
    run,
    run_network,
    same,
    show,
)


def lenet_cases(rng, count: int = 8) -> list[dict]:
    """Random (c1, c2, h1, h2) LeNet variants: conv channels and hidden widths.

    Examples
    --------
    >>> import numpy as np
    >>> sorted(lenet_cases(np.random.default_rng(0), 1)[0])
    ['c1', 'c2', 'h1', 'h2']
    """
    return [
        {
            "c1": int(rng.integers(1, 17)),
            "c2": int(rng.integers(1, 33)),
            "h1": int(rng.integers(8, 129)),
            "h2": int(rng.integers(8, 97)),
        }
        for _ in range(count)
    ]


def _lenet_variant(c1: int, c2: int, h1: int, h2: int):
    """The reference: LeNet-5 (ReLU, max pooling) with channels c1, c2 and hidden widths h1, h2."""
    from paddle import nn

    return nn.Sequential(
        nn.Conv2D(1, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2D(2, 2),
        nn.Conv2D(c1, c2, 5), nn.ReLU(), nn.MaxPool2D(2, 2),
        nn.Flatten(),
        nn.Linear(c2 * 5 * 5, h1), nn.ReLU(),
        nn.Linear(h1, h2), nn.ReLU(),
        nn.Linear(h2, 10),
    )  # fmt: skip


def check_lenet_param_count(fn) -> Verdict:
    """Check ``fn(c1, c2, h1, h2)`` against the parameters of a Paddle LeNet variant (lesson 05).

    Examples
    --------
    >>> _ = check_lenet_param_count(lambda c1, c2, h1, h2: (
    ...     c1 * 26 + c2 * (c1 * 25 + 1) + h1 * (c2 * 25 + 1) + h2 * (h1 + 1) + 10 * (h2 + 1)))
    ✅ ...
    """
    return run(
        "05.lenet_params",
        fn,
        equal_to(lambda **case: count_parameters(_lenet_variant(**case))),
        lenet_cases,
        (
            "卷积层：输出通道 ×（输入通道 × 5 × 5 + 1）；全连接层：输出 ×（输入 + 1）；"
            "先算出第二个汇聚层之后有多少个特征。",
            "Convolution: out channels x (in channels x 5 x 5 + 1); linear: out x (in + 1); "
            "first work out how many features leave the second pooling layer.",
        ),
        forbidden=(_lenet_variant,),
    )


def _lenet_class_trial(make, case):
    import paddle

    paddle.seed(0)
    network, out = run_network(make, case, paddle.randn([3, 1, 28, 28]))
    shape = list(out.shape)
    if shape != [3, 10]:
        return (
            f"输入 3 张 1×28×28 的图像，输出形状应为 [3, 10]，得到 {shape}。",
            f"for 3 images of 1x28x28 the output shape should be [3, 10], got {shape}.",
        )
    got, expected = count_parameters(network), count_parameters(_lenet_variant(**case))
    if got != expected:
        return (
            f"参数应有 {expected} 个，得到 {got} 个。",
            f"it should have {expected} parameters, got {got}.",
        )
    return None


def check_lenet_class(make) -> Verdict:
    """Check a Layer class ``make(c1, c2, h1, h2)`` by output shape and parameters (lesson 05).

    Examples
    --------
    >>> from paddle import nn
    >>> class Variant(nn.Layer):
    ...     def __init__(self, c1, c2, h1, h2):
    ...         super().__init__()
    ...         self.body = nn.Sequential(
    ...             nn.Conv2D(1, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2D(2, 2),
    ...             nn.Conv2D(c1, c2, 5), nn.ReLU(), nn.MaxPool2D(2, 2), nn.Flatten(),
    ...             nn.Linear(c2 * 25, h1), nn.ReLU(), nn.Linear(h1, h2), nn.ReLU(),
    ...             nn.Linear(h2, 10))
    ...     def forward(self, x):
    ...         return self.body(x)
    >>> _ = check_lenet_class(Variant)
    ✅ ...
    """
    return run(
        "05.lenet_class",
        make,
        _lenet_class_trial,
        lambda rng: lenet_cases(rng, 4),
        (
            "结构：卷积 5×5（padding=2）→ ReLU → 最大汇聚 2 → 卷积 5×5 → ReLU → 最大汇聚 2 → "
            "展平 → 三个全连接层。",
            "Structure: conv 5x5 (padding=2) -> ReLU -> max pool 2 -> conv 5x5 -> ReLU -> "
            "max pool 2 -> flatten -> three linear layers.",
        ),
        forbidden=(_lenet_variant,),
    )


def _misclassified_cases(rng, count: int = 20) -> list[dict]:
    cases = []
    for _ in range(count):
        n = int(rng.integers(20, 200))
        labels = rng.integers(0, 10, n)
        predictions = np.where(rng.random(n) < 0.7, labels, rng.integers(0, 10, n))
        cases.append({"labels": labels, "predictions": predictions, "digit": int(rng.integers(10))})
    return cases


def _misclassified_trial(fn, case):
    labels, predictions, digit = case["labels"], case["predictions"], case["digit"]
    expected = int(((labels == digit) & (predictions != digit)).sum())
    got = learner(lambda: fn(labels.copy(), predictions.copy(), digit))
    if getattr(got, "ndim", 0) > 0 or isinstance(got, (list, tuple)):
        return (
            f"应该返回一个数（个数），得到的是 {show(got)}：把掩码加起来，例如 .sum()。",
            f"return one number (the count), not {show(got)}: add the mask up, e.g. .sum().",
        )
    got = learner(lambda: plain(got))
    if same(got, expected):
        return None
    return (f"期望 {expected}，得到 {show(got)}。", f"expected {expected}, got {show(got)}.")


def check_misclassified_count(fn) -> Verdict:
    """Check ``fn(labels, predictions, digit)`` -> images of `digit` predicted wrongly (lesson 05).

    The arguments are passed by position (the learner may name them otherwise).

    Examples
    --------
    >>> _ = check_misclassified_count(lambda y, p, d: int(((y == d) & (p != d)).sum()))
    ✅ ...
    """
    return run(
        "05.misclassified",
        fn,
        _misclassified_trial,
        _misclassified_cases,
        (
            "只数真实标签是 `digit`、而预测不是 `digit` 的图像。",
            "Count only images whose true label is `digit` and whose prediction is not.",
        ),
    )
