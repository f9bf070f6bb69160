"""Tests for ``course_utils/sizes.py``, checked against the shapes Paddle makes."""

from __future__ import annotations

import re

from course_utils.sizes import (
    conv_macs,
    conv_output_size,
    conv_params,
    network_costs,
    pool_output_size,
    receptive_field,
    same_padding,
    total_cost,
)

import numpy as np
import paddle
import paddle.nn.functional as F
import pytest

CHINESE = re.compile(r"[\u4e00-\u9fff]")
POOLS = {"max_pool2d": F.max_pool2d, "avg_pool2d": F.avg_pool2d}


# ---------------------------------------------------------------------------
# Helpers: run Paddle on a 1 x 1 x n x 1 tensor and read the output height.
# A (before, after) pair pads the height only: Paddle's list of four is
# [top, bottom, left, right].
# ---------------------------------------------------------------------------


def _paddle_padding(padding):
    if isinstance(padding, tuple):
        return [padding[0], padding[1], 0, 0]
    return padding


def paddle_conv_height(n, k, padding=0, stride=1, dilation=1):
    """Height of ``F.conv2d`` output, or None if Paddle raises."""
    x = paddle.zeros([1, 1, n, 1])
    w = paddle.zeros([1, 1, k, 1])
    try:
        out = F.conv2d(
            x,
            w,
            stride=[stride, 1],
            padding=_paddle_padding(padding),
            dilation=[dilation, 1],
        )
    except Exception:  # Paddle raises ValueError, RuntimeError, ...
        return None
    return out.shape[2]


def paddle_pool_height(pool, n, k, stride=None, padding=0, ceil_mode=False):
    """Height of a Paddle pooling output, or None if Paddle raises."""
    x = paddle.zeros([1, 1, n, 1])
    try:
        out = pool(
            x,
            kernel_size=[k, 1],
            stride=None if stride is None else [stride, 1],
            padding=_paddle_padding(padding),
            ceil_mode=ceil_mode,
        )
    except Exception:
        return None
    return out.shape[2]


def ours_or_none(func, *args, **kwargs):
    """Our result, or None if we raise ValueError."""
    try:
        return func(*args, **kwargs)
    except ValueError:
        return None


def random_padding(rng):
    """An int, a (before, after) pair, or 'same'/'valid' in either case."""
    kind = rng.integers(4)
    if kind == 0:
        return int(rng.integers(0, 4))
    if kind == 1:
        return (int(rng.integers(0, 4)), int(rng.integers(0, 4)))
    return str(rng.choice(["SAME", "same", "VALID", "valid"]))


def compare(ours, theirs, config, mismatches):
    """Record a disagreement between our size and Paddle's.

    Where we raise, Paddle must raise too or return a size that no window
    placement could give (0 or 1, from its C++ division rounding toward zero:
    see the Notes of conv_output_size). Returns True when a size was compared.
    """
    if ours is None:
        if theirs not in (None, 0, 1):
            mismatches.append((config, "we raise", theirs))
        return False
    if ours != theirs:
        mismatches.append((config, ours, theirs))
    return True


# ---------------------------------------------------------------------------
# Agreement with Paddle on random configurations
# ---------------------------------------------------------------------------


def test_conv_output_size_matches_paddle_conv2d_on_300_random_configs():
    """conv_output_size gives the height F.conv2d produces, for 300 random configs."""
    rng = np.random.default_rng(2024)
    mismatches, compared = [], 0
    for _ in range(300):
        config = dict(
            n=int(rng.integers(1, 21)),
            k=int(rng.integers(1, 8)),
            padding=random_padding(rng),
            stride=int(rng.integers(1, 5)),
            dilation=int(rng.integers(1, 4)),
        )
        ours = ours_or_none(conv_output_size, **config)
        theirs = paddle_conv_height(**config)
        compared += compare(ours, theirs, config, mismatches)
    assert not mismatches, mismatches[:5]
    assert compared > 200  # most configurations are valid ones


@pytest.mark.parametrize("name", sorted(POOLS))
def test_pool_output_size_matches_paddle_on_200_random_configs(name):
    """pool_output_size gives Paddle's height for 200 random configs, ceil_mode both ways."""
    rng = np.random.default_rng(7)
    mismatches, compared = [], 0
    for _ in range(200):
        stride = int(rng.integers(0, 5))
        config = dict(
            n=int(rng.integers(1, 21)),
            k=int(rng.integers(1, 6)),
            stride=stride or None,  # 0 -> None, Paddle's default (= k)
            padding=random_padding(rng),
        )
        for ceil_mode in (False, True):
            ours = ours_or_none(pool_output_size, **config, ceil_mode=ceil_mode)
            theirs = paddle_pool_height(POOLS[name], **config, ceil_mode=ceil_mode)
            compared += compare(ours, theirs, (config, ceil_mode), mismatches)
    assert not mismatches, mismatches[:5]
    assert compared > 300


@pytest.mark.parametrize("name", sorted(POOLS))
def test_ceil_mode_keeps_a_last_window_that_starts_in_the_padding(name):
    """With ceil_mode Paddle keeps a last window starting in the padding (PyTorch drops it)."""
    config = dict(n=5, k=2, stride=2, padding=1, ceil_mode=True)
    assert pool_output_size(**config) == 4
    assert paddle_pool_height(POOLS[name], **config) == 4


@pytest.mark.parametrize("name", sorted(POOLS))
@pytest.mark.parametrize("ceil_mode, expected", [(False, 4), (True, 5)])
def test_same_pooling_with_ceil_mode_can_add_a_window(name, ceil_mode, expected):
    """'same' pooling gives ceil(n / stride), plus one with ceil_mode when k < stride."""
    config = dict(n=14, k=1, stride=4, padding="SAME", ceil_mode=ceil_mode)
    assert pool_output_size(**config) == expected
    assert paddle_pool_height(POOLS[name], **config) == expected


@pytest.mark.parametrize("name", sorted(POOLS))
def test_valid_padding_with_ceil_mode_is_refused_like_paddle(name):
    """padding='valid' with ceil_mode=True is refused, as Paddle refuses it."""
    with pytest.raises(ValueError, match="ceil_mode"):
        pool_output_size(6, 2, padding="valid", ceil_mode=True)
    assert paddle_pool_height(POOLS[name], 6, 2, padding="VALID", ceil_mode=True) is None


# ---------------------------------------------------------------------------
# 'same' and 'valid' padding
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 3, 5, 7, 9])
@pytest.mark.parametrize("n", [1, 2, 7, 28])
def test_same_convolution_keeps_size_for_every_odd_kernel(n, k):
    """A 'same' convolution keeps the size for every odd kernel, as does same_padding(k)."""
    assert conv_output_size(n, k, padding="same") == n
    assert conv_output_size(n, k, padding=same_padding(k)) == n


@pytest.mark.parametrize("k", range(1, 9))
@pytest.mark.parametrize("dilation", [1, 2, 3])
def test_same_padding_keeps_size_in_paddle_for_odd_and_even_kernels(k, dilation):
    """Padding by same_padding(k, dilation) keeps the size in Paddle's conv2d."""
    before, after = same_padding(k, dilation)
    assert before + after == dilation * (k - 1)
    assert after - before in (0, 1)  # an even kernel pads one more after
    x = paddle.zeros([1, 1, 9, 9])
    w = paddle.zeros([1, 1, k, k])
    out = F.conv2d(x, w, padding=[before, after, before, after], dilation=dilation)
    assert out.shape[2:] == [9, 9]
    assert conv_output_size(9, k, padding=(before, after), dilation=dilation) == 9


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_same_padding_is_how_paddle_same_splits_the_padding(k):
    """Paddle's padding='SAME' splits the padding as same_padding does (more after)."""
    x = paddle.to_tensor(np.random.default_rng(k).normal(size=(1, 1, 11, 11)), "float32")
    w = paddle.to_tensor(np.random.default_rng(k + 1).normal(size=(1, 1, k, k)), "float32")
    before, after = same_padding(k)
    explicit = F.conv2d(x, w, padding=[before, after, before, after])
    np.testing.assert_allclose(
        F.conv2d(x, w, padding="SAME").numpy(), explicit.numpy(), rtol=1e-5, atol=1e-5
    )


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("dilation", [1, 3])
def test_same_gives_ceil_n_over_stride_whatever_the_kernel(stride, dilation):
    """'same' gives ceil(n / stride) outputs for any kernel; Paddle ignores dilation there."""
    for n in (1, 4, 9):
        for k in (1, 4, 12):
            expected = -(-n // stride)
            assert conv_output_size(n, k, "SAME", stride, dilation) == expected
            assert paddle_conv_height(n, k, "SAME", stride, dilation) == expected


@pytest.mark.parametrize("n, k, stride", [(5, 3, 1), (9, 2, 2), (20, 4, 3)])
def test_valid_is_no_padding(n, k, stride):
    """padding='valid' (any case) gives the same size as padding=0."""
    expected = conv_output_size(n, k, 0, stride)
    assert conv_output_size(n, k, "valid", stride) == expected
    assert conv_output_size(n, k, "VaLiD", stride) == expected
    assert pool_output_size(n, k, stride, "VALID") == pool_output_size(n, k, stride, 0)


def test_pool_stride_defaults_to_the_window():
    """stride=None in pool_output_size means stride = k, as in Paddle."""
    assert pool_output_size(28, 2) == pool_output_size(28, 2, stride=2) == 14
    assert pool_output_size(7, 3) == paddle_pool_height(F.max_pool2d, 7, 3) == 2


# ---------------------------------------------------------------------------
# Numbers quoted in the lessons
# ---------------------------------------------------------------------------


def test_inception_5x5_branch_costs_120_million_macs():
    """A 5x5 conv from 192 to 32 channels on 28x28 costs 120,422,400 multiply-adds."""
    assert conv_macs(192, 32, 5, 28, 28) == 120_422_400


def test_1x1_bottleneck_cuts_the_cost_to_12_million_macs():
    """A 1x1 conv to 16 channels, then the 5x5 conv, costs 12,443,648 multiply-adds."""
    total = conv_macs(192, 16, 1, 28, 28) + conv_macs(16, 32, 5, 28, 28)
    assert total == 28 * 28 * 192 * 16 + 28 * 28 * 16 * 5 * 5 * 32 == 12_443_648


def test_3x3_filter_on_25_channels_has_225_weights():
    """A 3x3 filter on 25 input channels has 225 weights."""
    assert conv_params(25, 1, 3, bias=False) == 225


def test_two_3x3_layers_see_5x5_with_fewer_weights():
    """Two stacked 3x3 convolutions see 5x5 with 18 weights instead of 25."""
    assert receptive_field([(3, 1), (3, 1)]) == 5
    two_3x3 = 2 * conv_params(1, 1, 3, bias=False)
    assert two_3x3 == 18 < conv_params(1, 1, 5, bias=False) == 25


# ---------------------------------------------------------------------------
# Parameters, multiply-adds and receptive fields against Paddle
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "c_in, c_out, k, bias",
    [
        (1, 6, 5, True),
        (3, 64, 3, True),
        (25, 1, 3, False),
        (192, 32, 5, True),
        (16, 8, (1, 3), False),
    ],
)
def test_conv_params_equals_paddle_conv2d_parameter_count(c_in, c_out, k, bias):
    """conv_params counts exactly the parameters of a paddle.nn.Conv2D."""
    layer = paddle.nn.Conv2D(c_in, c_out, k, bias_attr=None if bias else False)
    assert conv_params(c_in, c_out, k, bias=bias) == sum(p.size for p in layer.parameters())


@pytest.mark.parametrize(
    "c_in, c_out, k, h, w", [(3, 8, 3, 5, 7), (192, 16, 1, 28, 28), (4, 2, (2, 5), 3, 1)]
)
def test_conv_macs_is_weights_times_output_positions(c_in, c_out, k, h, w):
    """Multiply-adds = weights (no bias) x output positions."""
    assert conv_macs(c_in, c_out, k, h, w) == conv_params(c_in, c_out, k, bias=False) * h * w


def paddle_receptive_field(layers, length=64):
    """Span of input pixels that one middle output depends on, via autograd."""
    x = paddle.ones([1, 1, length, 1])
    x.stop_gradient = False
    y = x
    for layer in layers:
        k, stride, dilation = (*layer, 1)[:3]
        w = paddle.ones([1, 1, k, 1])
        y = F.conv2d(y, w, stride=[stride, 1], dilation=[dilation, 1])
    y[0, 0, y.shape[2] // 2, 0].backward()
    touched = np.flatnonzero(x.grad.numpy()[0, 0, :, 0])
    return int(touched[-1] - touched[0] + 1)


@pytest.mark.parametrize(
    "layers",
    [
        [(3, 1)],
        [(3, 1), (3, 1)],
        [(3, 1), (2, 2), (3, 1)],
        [(5, 2), (3, 2), (3, 1)],
        [(3, 1, 1), (3, 1, 2), (3, 1, 4)],
        [(7, 2), (3, 2), (3, 1, 2)],
    ],
)
def test_receptive_field_matches_autograd_in_paddle(layers):
    """receptive_field equals the input span one output's gradient reaches in Paddle."""
    assert receptive_field(layers) == paddle_receptive_field(layers)


def test_receptive_field_of_no_layers_is_one_pixel():
    """An empty stack sees exactly one pixel."""
    assert receptive_field([]) == 1


# ---------------------------------------------------------------------------
# Argument types
# ---------------------------------------------------------------------------


def test_numpy_ints_and_integral_floats_are_accepted():
    """numpy integers and floats such as 3.0 are accepted as sizes."""
    assert conv_output_size(np.int64(6), np.int32(3), (np.int64(1), 1), np.uint8(1)) == 6
    assert pool_output_size(np.int16(9), 3.0, ceil_mode=np.bool_(True)) == 3
    assert conv_params(np.int64(3), 4, [np.int64(3), 3], bias=np.True_) == 112
    assert receptive_field([(np.int64(3), np.int64(1))]) == 3


# ---------------------------------------------------------------------------
# One case per error branch; every message is bilingual
# ---------------------------------------------------------------------------

ERROR_CASES = [
    # (function, args, kwargs, exception, pattern in the message)
    (conv_output_size, (0, 3), {}, ValueError, r"`n` must be a positive int, got 0"),
    (conv_output_size, (5, -1), {}, ValueError, r"`k` must be a positive int, got -1"),
    (
        conv_output_size,
        (5, 3),
        {"stride": 0},
        ValueError,
        r"`stride` must be a positive int, got 0",
    ),
    (conv_output_size, (5, 3), {"dilation": 0}, ValueError, r"`dilation` must be a positive int"),
    (
        conv_output_size,
        (5, 3),
        {"padding": -1},
        ValueError,
        r"`padding` must be a non-negative int",
    ),
    (
        conv_output_size,
        (5, 3),
        {"padding": (1, -2)},
        ValueError,
        r"`padding\[1\] \(after\)` must be",
    ),
    (
        conv_output_size,
        (5, 3),
        {"padding": "full"},
        ValueError,
        r"`padding` must be .*'same' or 'valid', got 'full'",
    ),
    (
        conv_output_size,
        (5, 3),
        {"padding": (1, 2, 3)},
        ValueError,
        r"`padding` as a pair must have exactly 2 items",
    ),
    (conv_output_size, (3, 5), {}, ValueError, r"kernel larger than the padded input"),
    (conv_output_size, (3, 3), {"dilation": 2}, ValueError, r"spans 5 positions .* has only 3"),
    (conv_output_size, (2.5, 3), {}, TypeError, r"`n` must be an int, got 2.5"),
    (conv_output_size, (5, True), {}, TypeError, r"`k` must be an int, not a bool"),
    (conv_output_size, (5, 3), {"stride": "2"}, TypeError, r"`stride` must be an int"),
    (conv_output_size, (5, 3), {"padding": {1, 2}}, TypeError, r"`padding` must be an int"),
    (pool_output_size, (4, 0), {}, ValueError, r"`k` must be a positive int, got 0"),
    (
        pool_output_size,
        (4, 2),
        {"stride": -3},
        ValueError,
        r"`stride` must be a positive int, got -3",
    ),
    (
        pool_output_size,
        (4, 2),
        {"padding": -1},
        ValueError,
        r"`padding` must be a non-negative int",
    ),
    (
        pool_output_size,
        (3, 5),
        {"ceil_mode": True},
        ValueError,
        r"kernel larger than the padded input",
    ),
    (
        pool_output_size,
        (4, 2),
        {"padding": "valid", "ceil_mode": True},
        ValueError,
        r"`ceil_mode` must be False",
    ),
    (
        pool_output_size,
        (4, 2),
        {"ceil_mode": 1},
        TypeError,
        r"`ceil_mode` must be True or False, got 1",
    ),
    (same_padding, (0,), {}, ValueError, r"`k` must be a positive int, got 0"),
    (
        same_padding,
        (3,),
        {"dilation": -1},
        ValueError,
        r"`dilation` must be a positive int, got -1",
    ),
    (conv_params, (0, 8, 3), {}, ValueError, r"`c_in` must be a positive int, got 0"),
    (conv_params, (3, 0, 3), {}, ValueError, r"`c_out` must be a positive int, got 0"),
    (conv_params, (3, 8, (3,)), {}, ValueError, r"`k` as a pair must have exactly 2 items"),
    (conv_params, (3, 8, (3, 0)), {}, ValueError, r"`k\[1\] \(kw\)` must be a positive int, got 0"),
    (conv_params, (3, 8, 3), {"bias": "yes"}, TypeError, r"`bias` must be True or False"),
    (conv_macs, (3, 8, 3, 0, 5), {}, ValueError, r"`h_out` must be a positive int, got 0"),
    (conv_macs, (3, 8, 3, 5, -5), {}, ValueError, r"`w_out` must be a positive int, got -5"),
    (
        receptive_field,
        ([(3,)],),
        {},
        ValueError,
        r"`layers\[0\]` must have at least 2 items and at most 3",
    ),
    (
        receptive_field,
        ([(3, 1), (3, 0)],),
        {},
        ValueError,
        r"`layers\[1\] stride` must be a positive int, got 0",
    ),
    (receptive_field, ([(3, 1), 3],), {}, TypeError, r"`layers\[1\]` must be a list or a tuple"),
    (receptive_field, (5,), {}, TypeError, r"`layers` must be a list"),
]


@pytest.mark.parametrize(
    "func, args, kwargs, error, pattern",
    ERROR_CASES,
    ids=[f"{case[0].__name__}-{case[4][:30]}" for case in ERROR_CASES],
)
def test_bad_argument_raises_a_bilingual_error(func, args, kwargs, error, pattern):
    """Each bad argument raises early; the message names it in English and Chinese."""
    with pytest.raises(error, match=pattern) as excinfo:
        func(*args, **kwargs)
    assert CHINESE.search(str(excinfo.value))


def test_kernel_too_large_message_suggests_a_fix():
    """The kernel-too-large message gives both sizes and suggests a fix."""
    with pytest.raises(ValueError) as excinfo:
        conv_output_size(4, 7, padding=1)
    message = str(excinfo.value)
    assert "spans 7 positions" in message and "only 6" in message
    assert "more padding or a smaller kernel" in message
    assert "填充" in message and "卷积核" in message


# ---------------------------------------------------------------------------
# Whole-network counter (lesson 07): network_costs and total_cost
# ---------------------------------------------------------------------------


def _summary(network, input_shape):
    """paddle.summary's dictionary for one input of that shape (its table is not printed)."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return paddle.summary(network, (1, *input_shape))


def _bn_network():
    """A small network with batch normalization, pooling and dropout."""
    nn = paddle.nn
    return nn.Sequential(
        nn.Conv2D(1, 6, 3, padding=1), nn.BatchNorm2D(6), nn.ReLU(), nn.MaxPool2D(2),
        nn.Conv2D(6, 8, 3), nn.BatchNorm2D(8), nn.ReLU(), nn.AdaptiveAvgPool2D(1),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(8, 10),
    )  # fmt: skip


def _networks():
    from course_utils import models

    return {
        "lenet": (lambda: models.LeNet(), (1, 28, 28)),
        "batchnorm": (_bn_network, (1, 12, 12)),
        "googlenet_mini": (lambda: models.GoogLeNetMini(), (1, 28, 28)),
    }


@pytest.mark.parametrize("key", ["lenet", "batchnorm", "googlenet_mini"])
def test_total_params_agree_with_paddle_summary(key):
    """The params column sums to paddle.summary's trainable count (= its total without BN)."""
    make, shape = _networks()[key]
    network = make()
    params, _ = total_cost(network, shape)
    summary = _summary(network, shape)
    assert params == int(summary["trainable_params"])
    if key != "batchnorm":
        assert params == int(summary["total_params"])


def test_batchnorm_counts_gamma_and_beta_and_one_mac_per_element():
    """A BatchNorm2D row has 2*C params (not the running statistics) and one MAC per element."""
    rows = network_costs(_bn_network(), (1, 12, 12))
    bn = [row for row in rows if row.kind == "BatchNorm2D"]
    assert [row.params for row in bn] == [12, 16]
    assert [row.macs for row in bn] == [6 * 12 * 12, 8 * 4 * 4]


def test_rows_follow_call_order_with_output_shapes():
    """One row per leaf layer in call order, with Paddle's output shapes and the pool convention."""
    rows = network_costs(_bn_network(), (1, 12, 12))
    assert [row.kind for row in rows] == [
        "Conv2D", "BatchNorm2D", "ReLU", "MaxPool2D", "Conv2D", "BatchNorm2D", "ReLU",
        "AdaptiveAvgPool2D", "Flatten", "Dropout", "Linear",
    ]  # fmt: skip
    assert rows[3].output_shape == (1, 6, 6, 6) and rows[3].macs == 6 * 6 * 6 * 4
    assert rows[7].output_shape == (1, 8, 1, 1) and rows[7].macs == 8 * 4 * 4
    assert rows[-1].macs == 8 * 10 and rows[-1].params == 90
    assert all(row.macs == 0 for row in rows if row.kind in ("ReLU", "Flatten", "Dropout"))


def test_lenet_conv_rows_equal_conv_macs():
    """LeNet's convolution rows give conv_macs() of their sizes."""
    from course_utils import models

    convs = [row for row in network_costs(models.LeNet(), (1, 28, 28)) if row.kind == "Conv2D"]
    assert [row.output_shape for row in convs] == [(1, 6, 28, 28), (1, 16, 10, 10)]
    assert [row.macs for row in convs] == [conv_macs(1, 6, 5, 28, 28), conv_macs(6, 16, 5, 10, 10)]


def test_random_conv_rows_agree_with_conv_macs():
    """On random Conv2D configurations the row's MACs equal conv_macs of Paddle's output size."""
    rng = np.random.default_rng(7)
    for _ in range(30):
        c_in, c_out = (int(v) for v in rng.integers(1, 9, size=2))
        k, stride, pad = int(rng.integers(1, 6)), int(rng.integers(1, 3)), int(rng.integers(0, 3))
        h, w = int(rng.integers(k, 14)), int(rng.integers(k, 14))
        layer = paddle.nn.Conv2D(c_in, c_out, k, stride=stride, padding=pad)
        (row,) = network_costs(layer, (c_in, h, w))
        h_out = conv_output_size(h, k, padding=pad, stride=stride)
        w_out = conv_output_size(w, k, padding=pad, stride=stride)
        assert row.output_shape == (1, c_out, h_out, w_out)
        assert row.macs == conv_macs(c_in, c_out, k, h_out, w_out)
        assert row.params == conv_params(c_in, c_out, k)


def test_grouped_conv_divides_by_groups():
    """A grouped convolution costs 1/groups of the full one."""
    (row,) = network_costs(paddle.nn.Conv2D(8, 8, 3, padding=1, groups=4), (8, 6, 6))
    assert row.macs == conv_macs(8, 8, 3, 6, 6) // 4


def test_training_mode_is_restored_and_hooks_removed():
    """network_costs leaves the network in its previous mode and without hooks."""
    network = _bn_network()
    network.train()
    network_costs(network, (1, 12, 12))
    assert network.training and all(layer.training for layer in network.sublayers())
    assert all(not layer._forward_post_hooks for layer in network.sublayers())
    network.eval()
    network_costs(network, (1, 12, 12))
    assert not network.training


@pytest.mark.parametrize(
    "shape, error, pattern",
    [
        ("1x28x28", TypeError, r"`input_shape` must be a list or a tuple"),
        (5, TypeError, r"`input_shape` must be a list or a tuple"),
        ((), ValueError, r"`input_shape` must have at least 1 item"),
        ((1, 0, 28), ValueError, r"`input_shape\[1\]` must be an int from 1 to 4096, got 0"),
        ((1, 2.5, 28), TypeError, r"`input_shape\[1\]` must be an int"),
    ],
)
def test_bad_input_shape_raises_a_bilingual_error(shape, error, pattern):
    """A bad input_shape raises before any forward pass; the message is bilingual."""
    for func in (network_costs, total_cost):
        with pytest.raises(error, match=pattern) as excinfo:
            func(paddle.nn.ReLU(), shape)
        assert CHINESE.search(str(excinfo.value))
