"""Tests for ``course_utils/kernels.py`` against Paddle and NumPy references."""

from __future__ import annotations

from course_utils.kernels import (
    PRESET_LABELS,
    PRESETS,
    conv2d,
    corr2d,
    display_range,
    output_size_formula,
    pad2d,
    parse_kernel,
    window_steps,
)
from course_utils.sizes import conv_output_size

import numpy as np
import paddle
import paddle.nn.functional as F
import pytest

RNG = np.random.default_rng(0)
SHAPES = [((6, 6), (3, 3)), ((5, 8), (2, 4)), ((7, 3), (7, 1)), ((1, 1), (1, 1)), ((9, 9), (5, 5))]


def paddle_conv(x, k, stride=1, padding=0):
    """The reference: paddle.nn.functional.conv2d on 1 x 1 x H x W tensors."""
    xt = paddle.to_tensor(np.asarray(x, dtype="float32")[None, None])
    kt = paddle.to_tensor(np.asarray(k, dtype="float32")[None, None])
    return F.conv2d(xt, kt, stride=stride, padding=padding).numpy()[0, 0]


def numpy_conv(x, k, stride=1, padding=0):
    """A second, independent reference with NumPy's sliding_window_view."""
    padded = np.pad(np.asarray(x, dtype="float64"), padding)
    windows = np.lib.stride_tricks.sliding_window_view(padded, k.shape)[::stride, ::stride]
    return np.einsum("ijab,ab->ij", windows, k)


@pytest.mark.parametrize(("xshape", "kshape"), SHAPES)
def test_corr2d_matches_paddle(xshape, kshape):
    """the NumPy cross-correlation equals Paddle's conv2d on random arrays"""
    x, k = RNG.normal(size=xshape), RNG.normal(size=kshape)
    np.testing.assert_allclose(corr2d(x, k), paddle_conv(x, k), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("xshape", "kshape"), SHAPES)
@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 0), (1, 1), (2, 1), (3, 2)])
def test_conv2d_matches_numpy_and_sizes(xshape, kshape, stride, padding):
    """conv2d agrees with a NumPy reference and its shape with conv_output_size"""
    x, k = RNG.normal(size=xshape), RNG.normal(size=kshape)
    out = conv2d(x, k, stride=stride, padding=padding)
    np.testing.assert_allclose(out, numpy_conv(x, k, stride, padding), rtol=1e-4, atol=1e-4)
    assert out.shape == tuple(
        conv_output_size(n, m, padding=padding, stride=stride)
        for n, m in zip(xshape, kshape, strict=True)
    )
    assert out.dtype == np.float32


def test_conv2d_accepts_a_paddle_tensor():
    """a Paddle tensor is as good as an array"""
    x = paddle.rand([5, 5])
    np.testing.assert_allclose(
        conv2d(x, np.ones((3, 3))), corr2d(x.numpy(), np.ones((3, 3))), rtol=1e-5
    )


def test_the_diagonal_worked_example():
    """a 6x6 image with a diagonal gives 3 top-left, -1 next to it, 2x2 at stride 2"""
    x = np.zeros((6, 6))
    x[[0, 1, 2, 2], [0, 1, 2, 3]] = 1  # a diagonal, and one pixel right of its end
    out = conv2d(x, PRESETS["diagonal"])
    assert out.shape == (4, 4)
    assert (out[0, 0], out[0, 1]) == (3, -1)
    assert conv2d(x, PRESETS["diagonal"], stride=2).shape == (2, 2)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_are_float32_squares_with_labels(name):
    """every preset is a square odd float32 kernel with zh and en labels"""
    k = PRESETS[name]
    assert k.dtype == np.float32 and k.ndim == 2 and k.shape[0] == k.shape[1] in (3, 5)
    zh, en = PRESET_LABELS[name]
    assert zh and en.isascii()


@pytest.mark.parametrize("name", ["box_blur", "gaussian", "gaussian_5x5", "sharpen", "identity"])
def test_smoothing_presets_keep_a_flat_image(name):
    """blur, sharpen and identity kernels sum to 1, so a flat image stays flat"""
    np.testing.assert_allclose(conv2d(np.full((7, 7), 0.5), PRESETS[name]), 0.5, rtol=1e-5)


@pytest.mark.parametrize("name", ["sobel_x", "sobel_y", "laplacian"])
def test_edge_presets_ignore_a_flat_image(name):
    """edge detectors sum to 0, so a flat image gives 0"""
    np.testing.assert_allclose(conv2d(np.full((7, 7), 0.5), PRESETS[name]), 0, atol=1e-6)


def test_the_diagonal_preset():
    """the diagonal detector is 1 on the diagonal and -1 elsewhere"""
    k = PRESETS["diagonal"]
    assert (np.diag(k) == 1).all() and (k[~np.eye(3, dtype=bool)] == -1).all()


# --- errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"stride": 0}, ValueError, "stride"),
        ({"padding": -1}, ValueError, "padding"),
        ({"stride": 1.5}, TypeError, "stride"),
        ({"padding": "same"}, TypeError, "padding"),
        ({"padding": (1, 0)}, TypeError, "padding"),
        ({"kernel": np.ones((5, 5))}, ValueError, "kernel larger than the padded input"),
        ({"kernel": np.ones((7, 1)), "padding": 0}, ValueError, "padded input"),
        ({"kernel": [["a", "b"], ["c", "d"]]}, TypeError, "kernel"),
        ({"kernel": np.ones((3, 3), dtype=object)}, TypeError, "kernel"),
        ({"kernel": np.ones(3)}, ValueError, "2-D"),
        ({"image": np.ones((4, 4, 3))}, ValueError, "image"),
        ({"kernel": [[np.nan]]}, ValueError, "NaN"),
        ({"image": np.ones((0, 3))}, ValueError, "elements"),
    ],
)
def test_conv2d_errors_are_bilingual(kwargs, error, match):
    """bad input raises early with a message in both languages naming the problem"""
    args = {"image": np.ones((4, 4)), "kernel": np.ones((3, 3)), **kwargs}
    with pytest.raises(error, match=match) as info:
        conv2d(**args)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_a_kernel_that_fits_thanks_to_padding_is_fine():
    """a 5x5 kernel on a 4x4 image works once padding 1 makes room"""
    assert conv2d(np.ones((4, 4)), np.ones((5, 5)), padding=1).shape == (2, 2)


# --- parse_kernel ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"), [("1", 1.0), (" -2 ", -2.0), ("0.25", 0.25), ("1/4", 0.25), ("1e-1", 0.1)]
)
def test_parse_kernel_reads_numbers_and_fractions(text, value):
    """an entry may be an int, a float, a fraction or scientific notation"""
    assert parse_kernel([[text, "0"]])[0, 0] == pytest.approx(value)


@pytest.mark.parametrize(
    ("entries", "match"),
    [
        ([["1", ""], ["0", "0"]], "row 1, column 2 is empty"),
        ([["1", "0"], ["x", "0"]], "row 2, column 1 is 'x'"),
        ([["1", "0"], ["0", "1/0"]], "row 2, column 2"),
        ([["inf"]], "row 1, column 1"),
        ([["1", "0"], ["1"]], "same length"),
        ([], "empty"),
    ],
)
def test_parse_kernel_names_the_bad_entry(entries, match):
    """a bad entry raises ValueError naming its row and column, in both languages"""
    with pytest.raises(ValueError, match=match) as info:
        parse_kernel(entries)
    assert "卷积核" in str(info.value)


# --- window_steps and the formula -----------------------------------------


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 0), (1, 1), (2, 1), (3, 2)])
def test_window_steps_rebuild_the_output(stride, padding):
    """the sums of the steps, placed at (row, col), are Paddle's output"""
    x, k = RNG.integers(0, 5, size=(5, 5)), RNG.integers(-1, 2, size=(3, 3))
    expected = paddle_conv(x, k, stride, padding)
    steps = list(window_steps(x, k, stride, padding))
    assert len(steps) == expected.size
    rebuilt = np.zeros_like(expected)
    padded = pad2d(x, padding)
    for s in steps:
        rebuilt[s.row, s.col] = s.sum
        assert (s.top, s.left) == (s.row * stride, s.col * stride)
        np.testing.assert_array_equal(s.window, padded[s.top : s.top + 3, s.left : s.left + 3])
        np.testing.assert_array_equal(s.products, s.window * k)
    np.testing.assert_allclose(rebuilt, expected)


def test_window_steps_check_arguments_before_the_first_step():
    """a bad stride raises when window_steps is called, not when iterated"""
    with pytest.raises(ValueError, match="stride"):
        window_steps(np.ones((5, 5)), np.ones((3, 3)), stride=0)


@pytest.mark.parametrize(("n", "k", "p", "s"), [(5, 3, 0, 1), (5, 3, 1, 2), (28, 5, 2, 1)])
def test_output_size_formula_ends_with_the_size(n, k, p, s):
    """the written formula ends with conv_output_size's value"""
    text = output_size_formula(n, k, p, s)
    assert text.endswith(f"= {conv_output_size(n, k, padding=p, stride=s)}")
    assert "floor(" in output_size_formula(n, k, p, s, plain=True)


# ---------------------------------------------------------------- display_range


@pytest.mark.parametrize("name", ["identity", "box_blur", "gaussian", "sharpen", "emboss"])
def test_display_range_keeps_the_image_scale_when_weights_sum_to_one(name):
    """a kernel whose weights sum to 1 is shown on the image's own scale"""
    image = RNG.uniform(0.2, 0.7, size=(12, 10))
    low, high = display_range(image, PRESETS[name])
    assert np.isclose(low, image.min()) and np.isclose(high, image.max())


@pytest.mark.parametrize("name", ["sobel_x", "sobel_y", "laplacian"])
def test_display_range_is_symmetric_when_weights_sum_to_zero(name):
    """a kernel whose weights sum to 0 gets a scale centred on 0 that covers most values"""
    image = RNG.uniform(0, 1, size=(16, 16))
    low, high = display_range(image, PRESETS[name], percentile=90)
    response = np.abs(conv2d(image, PRESETS[name]))
    assert low == -high and high > 0
    assert np.isclose((response <= high).mean(), 0.9, atol=0.02)


def test_display_range_shows_only_positive_scores_for_other_sums():
    """the diagonal detector (sum -3) is shown from 0 to its positive scores"""
    image = np.zeros((8, 8), dtype="float32")
    np.fill_diagonal(image, 1.0)  # a clean diagonal scores 3
    image[0, 7] = 1.0  # elsewhere the score is negative
    low, high = display_range(image, PRESETS["diagonal"], percentile=100)
    assert (low, high) == (0.0, 3.0)


def test_display_range_never_returns_an_empty_scale():
    """a flat image or a response with no positive value still gives vmin < vmax"""
    flat = np.full((5, 5), 0.5)
    for kernel in (PRESETS["identity"], PRESETS["sobel_x"], PRESETS["diagonal"]):
        low, high = display_range(flat, kernel)
        assert low < high


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"percentile": 0}, ValueError, "percentile"),
        ({"percentile": 101}, ValueError, "percentile"),
        ({"percentile": "99"}, TypeError, "percentile"),
        ({"image": np.ones(5)}, ValueError, "image"),
        ({"kernel": np.ones((9, 9))}, ValueError, "kernel larger"),
    ],
)
def test_display_range_refuses_bad_arguments(kwargs, error, match):
    """a bad percentile, a 1-D image or a kernel larger than the image raise, naming the problem"""
    args = {"image": np.ones((5, 5)), "kernel": PRESETS["sobel_x"], **kwargs}
    with pytest.raises(error, match=match):
        display_range(**args)
