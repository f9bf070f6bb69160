"""Exercise checks of lesson 03 (channels and 1x1 convolution)."""

from __future__ import annotations

from ..sizes import conv_macs, conv_params
from .runner import Verdict, equal_to, run


def channel_cases(rng, count: int = 12) -> list[dict]:
    """Random (c_in, c_out, k) cases for a convolution layer.

    Examples
    --------
    >>> import numpy as np
    >>> sorted(channel_cases(np.random.default_rng(0), 1)[0])
    ['c_in', 'c_out', 'k']
    """
    return [
        {
            "c_in": int(rng.integers(1, 17)),
            "c_out": int(rng.integers(1, 17)),
            "k": int(rng.integers(1, 8)),
        }
        for _ in range(count)
    ]


def _paddle_conv(c_in: int, c_out: int, k: int):
    import paddle

    return paddle.nn.Conv2D(c_in, c_out, k)


def check_conv_weight_shape(fn) -> Verdict:
    """Check ``fn(c_in, c_out, k)`` against the weight shape of ``paddle.nn.Conv2D`` (lesson 03).

    Examples
    --------
    >>> _ = check_conv_weight_shape(lambda c_in, c_out, k: [c_out, c_in, k, k])
    ✅ ...
    """
    return run(
        "03.weight_shape",
        fn,
        equal_to(lambda c_in, c_out, k: list(_paddle_conv(c_in, c_out, k).weight.shape)),
        channel_cases,
        (
            "一个卷积层为每个输出通道准备一叠卷积核，每叠对每个输入通道各有一个 K×K 的核；"
            "Paddle 先写输出通道。",
            "A convolution layer holds one stack of kernels per output channel, each with one "
            "K x K kernel per input channel; Paddle puts the output channels first.",
        ),
    )


def check_conv_param_count(fn) -> Verdict:
    """Check ``fn(c_in, c_out, k)`` against the parameters of ``paddle.nn.Conv2D`` (lesson 03).

    Examples
    --------
    >>> _ = check_conv_param_count(lambda c_in, c_out, k: c_out * c_in * k * k + c_out)
    ✅ ...
    """

    def reference(c_in, c_out, k):
        return sum(int(p.size) for p in _paddle_conv(c_in, c_out, k).parameters())

    return run(
        "03.param_count",
        fn,
        equal_to(reference),
        channel_cases,
        (
            "数一数权重张量的元素个数，别忘了每个输出通道还有一个偏置。",
            "Count the elements of the weight tensor, and do not forget the one bias per "
            "output channel.",
        ),
        forbidden=(conv_params,),
    )


def _bottleneck_cases(rng, count: int = 30) -> list[dict]:
    return [
        {
            "c_in": int(rng.integers(1, 257)),
            "c_mid": int(rng.integers(1, 65)),
            "c_out": int(rng.integers(1, 129)),
            "k": int(rng.choice([1, 3, 5, 7])),
            "h": int(rng.integers(1, 65)),
            "w": int(rng.integers(1, 65)),
        }
        for _ in range(count)
    ]


def check_bottleneck_macs(fn) -> Verdict:
    """Check ``fn(c_in, c_mid, c_out, k, h, w)`` -> (direct, with 1x1 first) (lesson 03).

    Both convolutions keep the ``h x w`` size ('same' padding); biases are not counted.

    Examples
    --------
    >>> def cost(c_in, c_mid, c_out, k, h, w):
    ...     return (h * w * c_in * k * k * c_out,
    ...             h * w * c_in * c_mid + h * w * c_mid * k * k * c_out)
    >>> _ = check_bottleneck_macs(cost)
    ✅ ...
    """

    def reference(c_in, c_mid, c_out, k, h, w):
        direct = conv_macs(c_in, c_out, k, h, w)
        return (direct, conv_macs(c_in, c_mid, 1, h, w) + conv_macs(c_mid, c_out, k, h, w))

    return run(
        "03.bottleneck_macs",
        fn,
        equal_to(reference),
        _bottleneck_cases,
        (
            "对每一层数一数：它有多少个输出值？每个输出值要多少次乘加？瓶颈版本有两层。",
            "For each layer, count: how many output values does it have, and how many "
            "multiply-adds does each one need? The bottleneck version has two layers.",
        ),
    )
