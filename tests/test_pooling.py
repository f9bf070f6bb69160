"""Tests for course_utils/pooling.py: the NumPy reference agrees with Paddle."""

import itertools

from course_utils import sizes
from course_utils.pooling import MODES, check_pool_args, output_size_text, pool2d, pool2d_numpy

import numpy as np
import paddle
import paddle.nn.functional as F
import pytest
from numpy.testing import assert_allclose

CONFIGS = [
    (k, s, p)
    for k, s, p in itertools.product([1, 2, 3, 4], [None, 1, 2, 3], [0, 1, 2])
    if p <= k // 2
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("k", "stride", "padding"), CONFIGS)
def test_numpy_reference_matches_paddle(mode, k, stride, padding):
    """pool2d_numpy equals paddle's max_pool2d/avg_pool2d on a random batch"""
    rng = np.random.default_rng(k * 100 + (stride or 0) * 10 + padding)
    x = rng.normal(size=(2, 3, 7, 9)).astype(np.float32)
    expected = pool2d(x, k, stride, padding, mode)
    got = pool2d_numpy(x, k, stride, padding, mode)
    assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("k", "stride", "padding"), CONFIGS)
def test_pool2d_calls_paddle_with_the_same_arguments(k, stride, padding):
    """pool2d returns exactly what paddle.nn.functional gives for the same arguments"""
    x = np.random.default_rng(0).normal(size=(1, 2, 8, 6)).astype(np.float32)
    tensor = paddle.to_tensor(x)
    assert_allclose(
        pool2d(x, k, stride, padding, "max"),
        F.max_pool2d(tensor, k, stride=stride, padding=padding).numpy(),
    )
    assert_allclose(
        pool2d(x, k, stride, padding, "avg"),
        F.avg_pool2d(tensor, k, stride=stride, padding=padding).numpy(),
    )


@pytest.mark.parametrize("exclusive", [True, False])
def test_exclusive_average_matches_paddle(exclusive):
    """with padding, both ways of averaging agree with Paddle's exclusive flag"""
    x = np.random.default_rng(1).uniform(size=(5, 6)).astype(np.float32)
    expected = F.avg_pool2d(
        paddle.to_tensor(x[None, None]), 3, stride=2, padding=1, exclusive=exclusive
    ).numpy()[0, 0]
    assert_allclose(pool2d_numpy(x, 3, 2, 1, "avg", exclusive=exclusive), expected, rtol=1e-6)
    assert_allclose(pool2d(x, 3, 2, 1, "avg", exclusive=exclusive), expected, rtol=1e-6)


def test_exclusive_average_ignores_padding():
    """a corner window over ones averages to 1 when padding is excluded, less when not"""
    ones = np.ones((4, 4))
    assert pool2d_numpy(ones, 2, 2, 1, "avg")[0, 0] == 1.0
    assert pool2d_numpy(ones, 2, 2, 1, "avg", exclusive=False)[0, 0] == 0.25


@pytest.mark.parametrize("shape", [(6, 8), (3, 6, 8), (2, 3, 6, 8)])
@pytest.mark.parametrize("fn", [pool2d, pool2d_numpy])
def test_output_keeps_leading_dimensions(shape, fn):
    """2-D, 3-D and 4-D inputs keep their leading dimensions (channels in = channels out)"""
    out = fn(np.zeros(shape), 2)
    assert out.shape == shape[:-2] + (3, 4)
    assert out.dtype == np.float32


@pytest.mark.parametrize("seed", range(5))
def test_output_shape_matches_sizes(seed):
    """the output shape is pool_output_size applied to the height and the width"""
    rng = np.random.default_rng(seed)
    h, w, k = rng.integers(4, 20), rng.integers(4, 20), rng.integers(1, 5)
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, k // 2 + 1))
    out = pool2d_numpy(np.zeros((h, w)), k, stride, padding)
    assert out.shape == (
        sizes.pool_output_size(h, k, stride, padding),
        sizes.pool_output_size(w, k, stride, padding),
    )


def test_accepts_a_paddle_tensor():
    """a Paddle tensor is accepted as input"""
    x = paddle.arange(16, dtype="float32").reshape([4, 4])
    assert pool2d_numpy(x, 2).tolist() == [[5.0, 7.0], [13.0, 15.0]]


@pytest.mark.parametrize("fn", [pool2d, pool2d_numpy])
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"k": 2, "stride": 0}, ValueError, "`stride` must be a positive int, got 0"),
        ({"k": 0}, ValueError, "`k` must be a positive int"),
        (
            {"k": 2, "padding": -1},
            ValueError,
            r"`padding` must be a non-negative int \(>= 0\), got -1",
        ),
        ({"k": 2, "padding": 2}, ValueError, "at most half the window"),
        ({"k": 9}, ValueError, "larger than the padded input"),
        ({"k": 2, "mode": "median"}, ValueError, "`mode` must be 'max'"),
        ({"k": 2, "mode": None}, TypeError, "`mode` must be the string 'max'"),
        ({"k": 2.5}, TypeError, "`k` must be an int"),
        ({"k": 2, "exclusive": "yes"}, TypeError, "`exclusive` must be True or False"),
    ],
)
def test_bad_arguments_raise_bilingual_errors(fn, kwargs, error, match):
    """each bad argument raises early, naming it, in both languages"""
    with pytest.raises(error, match=match) as info:
        fn(np.zeros((4, 4)), **kwargs)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


@pytest.mark.parametrize("x", [np.zeros(4), np.zeros((1, 1, 1, 4, 4)), [["a", "b"]]])
def test_bad_input_array_is_refused(x):
    """an input that is not a 2-D to 4-D numeric array is refused"""
    with pytest.raises((TypeError, ValueError), match="`x` must be"):
        pool2d_numpy(x, 1)


def test_check_pool_args_fills_in_the_stride():
    """stride None becomes the window size, as in Paddle"""
    assert check_pool_args(8, 8, 4) == (4, 4, 0, "max", (2, 2))


def test_output_size_text_shows_the_numbers():
    """the formula text contains the numbers and the result for both axes"""
    from course_utils.i18n import set_language

    set_language("en")
    text = output_size_text(7, 9, 3, 2, 1)
    assert "floor((7 + 2×1 − 3) / 2) + 1 = 4" in text
    assert "floor((9 + 2×1 − 3) / 2) + 1 = 5" in text
