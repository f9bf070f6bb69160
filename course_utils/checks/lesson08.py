"""Exercise checks of lesson 08 (ResNet)."""

from __future__ import annotations

import numpy as np

from ..sizes import conv_params
from .runner import Verdict, count_parameters, run, run_network


def block_cases(rng, count: int = 6) -> list[dict]:
    """Random (in_channels, growth, layers, batch, size) cases for a dense block.

    Examples
    --------
    >>> sorted(block_cases(np.random.default_rng(0), 1)[0])
    ['batch', 'growth', 'in_channels', 'layers', 'size']
    """
    return [
        {
            "in_channels": int(rng.integers(1, 9)),
            "growth": int(rng.integers(1, 7)),
            "layers": int(rng.integers(1, 5)),
            "batch": int(rng.integers(1, 4)),
            "size": int(rng.integers(3, 10)),
        }
        for _ in range(count)
    ]


def _dense_trial(make, case):
    import paddle

    args = {k: case[k] for k in ("in_channels", "growth", "layers")}
    shape = [case["batch"], case["in_channels"], case["size"], case["size"]]
    paddle.seed(0)
    x = paddle.randn(shape)
    _, out = run_network(make, args, x)
    expected = [shape[0], case["in_channels"] + case["growth"] * case["layers"], *shape[2:]]
    if list(out.shape) != expected:
        return (
            f"输入形状 {shape}：输出形状应为 {expected}，得到 {list(out.shape)}。"
            "每一层增加 growth 个通道，并和之前的所有通道拼接。",
            f"for an input of shape {shape} the output shape should be {expected}, got "
            f"{list(out.shape)}. Each layer adds `growth` channels and is concatenated with "
            "all the channels before it.",
        )
    if not np.allclose(out.numpy()[:, : shape[1]], x.numpy(), atol=1e-6):
        return (
            f"输出的前 {shape[1]} 个通道应该就是输入本身（先放输入，再拼接新通道）。",
            f"the first {shape[1]} output channels should be the input itself (the input "
            "first, then the new channels).",
        )
    return None


def check_dense_block(make) -> Verdict:
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
    return run("08.dense_block", make, _dense_trial, block_cases)


def _projection_cases(rng, count: int = 6) -> list[dict]:
    cases = []
    for _ in range(count):
        c_in = int(rng.integers(1, 9))
        c_out = int(rng.choice([c for c in range(1, 13) if c != c_in]))
        size = [int(v) for v in rng.integers(3, 10, size=2)]
        cases.append(
            {
                "in_channels": c_in,
                "out_channels": c_out,
                "shape": [int(rng.integers(1, 4)), c_in, *size],
            }
        )
    return cases


def _projection_trial(make, case):
    import paddle

    args = {k: case[k] for k in ("in_channels", "out_channels")}
    shape = case["shape"]
    expected = [shape[0], args["out_channels"], *shape[2:]]
    paddle.seed(0)
    try:
        network, out = run_network(make, args, paddle.randn(shape))
    except Exception as failed:  # the runner's refusal carries (zh, en): add the two shapes
        if not hasattr(failed, "zh"):
            raise
        return (
            f"{failed.zh}\n  x 的形状是 {shape}，F(x) 应该是 {expected}：通道数不同，"
            "恒等捷径 x + F(x) 加不起来。",
            f"{failed.en}\n  x has shape {shape} and F(x) should have {expected}: the channels "
            "differ, so an identity shortcut x + F(x) cannot be added.",
        )
    if list(out.shape) != expected:
        return (
            f"输入形状 {shape}：输出形状应为 {expected}，得到 {list(out.shape)}。",
            f"for an input of shape {shape} the output shape should be {expected}, got "
            f"{list(out.shape)}.",
        )
    if float(out.min()) < 0:
        return (
            "输出有负数；相加之后还要经过 ReLU。",
            "the output has negative values; apply ReLU after the addition.",
        )
    want = (
        conv_params(args["in_channels"], args["out_channels"], 3)
        + conv_params(args["out_channels"], args["out_channels"], 3)
        + conv_params(args["in_channels"], args["out_channels"], 1)
    )
    got = count_parameters(network)
    if got != want:
        return (
            f"期望 {want} 个参数，得到 {got} 个。"
            "需要两个 3×3 卷积和一个 1×1 捷径卷积（都带偏置）。",
            f"expected {want} parameters, got {got}. Use two 3x3 convolutions and one 1x1 "
            "shortcut convolution (all with biases).",
        )
    return None


def check_projection_residual(make) -> Verdict:
    """Check a residual block with a 1x1 shortcut, ``make(in_channels, out_channels)`` (lesson 08).

    ``y = relu(conv1x1(x) + F(x))`` with ``F`` = conv3x3-relu-conv3x3
    (padding 1): the output has `out_channels` channels and the input's
    height and width, no negative value, and the parameters of the three
    convolutions (with biases). The channel counts always differ, so an
    identity shortcut cannot be added: the error shows where shapes stop fitting.

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
    return run(
        "08.projection_residual",
        make,
        _projection_trial,
        _projection_cases,
        (
            "输入和 F(x) 的通道数不同时不能直接相加：先用 1×1 卷积把 x 变成 out_channels 个通道。",
            "When x and F(x) have different channel counts they cannot be added directly: "
            "first map x to out_channels channels with a 1x1 convolution.",
        ),
    )
