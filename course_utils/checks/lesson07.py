"""Exercise checks of lesson 07 (GoogLeNet)."""

from __future__ import annotations

from .runner import Verdict, equal_to, run


def _pool_passthrough(in_channels: int, widths: tuple[int, ...]):
    """The reference: an Inception block whose pool branch is a bare 3x3 max pooling."""
    from paddle import nn

    from ..models import Inception

    block = Inception(in_channels, (*widths, 1))
    block.branch4 = nn.MaxPool2D(3, stride=1, padding=1)
    return block


def inception_cases(rng, count: int = 8) -> list[dict]:
    """Random (in_channels, widths of three branches) cases.

    Examples
    --------
    >>> import numpy as np
    >>> [len(c["widths"]) for c in inception_cases(np.random.default_rng(0), 3)]
    [3, 3, 3]
    """
    return [
        {
            "in_channels": int(rng.integers(1, 41)),
            "widths": tuple(int(w) for w in rng.integers(1, 33, size=3)),
        }
        for _ in range(count)
    ]


def check_inception_channels(fn) -> Verdict:
    """Check ``fn(in_channels, widths)`` -> channels of the pool-passthrough block (lesson 07).

    The reference builds the block with random sizes and reads the channel
    count of a real forward pass.

    Examples
    --------
    >>> _ = check_inception_channels(lambda in_channels, widths: sum(widths) + in_channels)
    ✅ ...
    """
    import paddle

    def reference(in_channels, widths):
        block = _pool_passthrough(in_channels, widths)
        return int(block(paddle.zeros([1, in_channels, 5, 5])).shape[1])

    return run(
        "07.inception_channels",
        fn,
        equal_to(reference),
        inception_cases,
        (
            "四个分支的输出沿通道拼接；汇聚会不会改变通道数？",
            "The four branch outputs are concatenated along the channels; does pooling change "
            "the number of channels?",
        ),
        forbidden=(_pool_passthrough,),
    )


def inception_conv_macs(in_channels: int, widths, size: int, bottleneck: bool) -> int:
    """Multiply-adds of the convolutions of ``models.Inception`` on a size x size map.

    Counted on the real block with :func:`course_utils.sizes.network_costs`
    (pooling and ReLU rows left out).

    Examples
    --------
    >>> inception_conv_macs(10, (16, 24, 24, 24), 12, bottleneck=True)
    3693312
    """
    from ..models import Inception
    from ..sizes import network_costs

    block = Inception(in_channels, tuple(widths), bottleneck=bottleneck)
    rows = network_costs(block, (in_channels, size, size))
    return sum(row.macs for row in rows if row.kind == "Conv2D")


def check_inception_macs(fn) -> Verdict:
    """Check ``fn(in_channels, widths, size)`` -> (with, without bottlenecks) (lesson 07).

    Both numbers are the multiply-adds of the block's convolutions on a
    ``size x size`` map, recomputed on the real blocks for random sizes.

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

    def reference(in_channels, widths, size):
        return tuple(
            inception_conv_macs(in_channels, widths, size, bottleneck=flag)
            for flag in (True, False)
        )

    def cases(rng):
        return [
            {
                "in_channels": int(rng.integers(1, 65)),
                "widths": tuple(int(w) for w in rng.integers(1, 33, size=4)),
                "size": int(rng.integers(1, 15)),
            }
            for _ in range(6)
        ]

    return run(
        "07.inception_macs",
        fn,
        equal_to(reference),
        cases,
        (
            "每个卷积的乘加次数是 C_in×K×K×C_out×H×W（第 03 课，`cu.conv_macs`）；"
            "所有分支都保持 size×size。"
            "没有瓶颈时，5×5 和第一个 3×3 卷积直接作用在输入的全部通道上。",
            "Each convolution costs C_in*K*K*C_out*H*W multiply-adds (lesson 03, `cu.conv_macs`); "
            "every branch keeps size x size. Without bottlenecks the 5x5 and the first 3x3 "
            "convolution act on all the input channels.",
        ),
        forbidden=(inception_conv_macs,),
    )
