"""Headless tests for the kernel explorer and the sliding-window player (lessons 01-02)."""

from __future__ import annotations

import importlib

from course_utils import data, i18n
from course_utils.kernels import PRESETS, corr2d

import matplotlib
import numpy as np
import pytest

# The modules themselves: `course_utils.widgets.kernel_explorer` is the function.
ke = importlib.import_module("course_utils.widgets.kernel_explorer")
wp = importlib.import_module("course_utils.widgets.window_player")

matplotlib.use("Agg")


def numpy_conv(x, k, stride=1, padding=0):
    """Reference: NumPy sliding windows."""
    padded = np.pad(np.asarray(x, dtype="float64"), padding)
    windows = np.lib.stride_tricks.sliding_window_view(padded, k.shape)[::stride, ::stride]
    return np.einsum("ijab,ab->ij", windows, k)


@pytest.fixture
def explorer():
    """An explorer on the synthetic pattern (no data needed), in English."""
    i18n.set_language("en")
    return ke.KernelExplorer(image="pattern", preset="identity")


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_choosing_a_preset_fills_the_grid_and_the_output(explorer, name):
    """the preset's values appear in the grid and the output is its correlation"""
    explorer.set_preset(name)
    kernel = PRESETS[name]
    assert len(explorer.entries) == kernel.shape[0]
    np.testing.assert_allclose(explorer.kernel, kernel, rtol=1e-3)
    np.testing.assert_allclose(
        explorer.output, numpy_conv(explorer.image, explorer.kernel), rtol=1e-4, atol=1e-4
    )
    assert explorer.message == ""


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), (3, 4), (4, 2)])
def test_sliders_change_the_output_and_the_size_text(explorer, stride, padding):
    """stride and padding reach conv2d, and the size text states the new size"""
    explorer.set_preset("sobel_y")
    explorer.stride.value, explorer.padding.value = stride, padding
    expected = numpy_conv(explorer.image, PRESETS["sobel_y"], stride, padding)
    np.testing.assert_allclose(explorer.output, expected, rtol=1e-4, atol=1e-4)
    h, w = expected.shape
    assert f"output size: {h}×{w}" in explorer.size_text
    assert explorer.size_text in explorer.size_html.value


def test_editing_an_entry_makes_a_custom_kernel(explorer):
    """typing into the grid switches the preset to custom and updates the output"""
    before = explorer.figure.value
    explorer.set_entry(0, 0, "-1/2")
    assert explorer.preset.value == ke.CUSTOM
    assert explorer.kernel[0, 0] == -0.5
    np.testing.assert_allclose(explorer.output, corr2d(explorer.image, explorer.kernel), atol=1e-5)
    assert explorer.figure.value != before


@pytest.mark.parametrize(("text", "match"), [("", "is empty"), ("abc", "'abc'")])
def test_a_bad_entry_keeps_the_last_good_output(explorer, text, match):
    """a bad entry shows a bilingual message and leaves output and picture alone"""
    explorer.set_preset("sharpen")
    output, picture, size = explorer.output.copy(), explorer.figure.value, explorer.size_text
    explorer.set_entry(1, 2, text)
    assert match in explorer.message and "row 2, column 3" in explorer.message
    assert "第 2 行第 3 列" in explorer.message  # errors are bilingual whatever the setting
    assert "row 2, column 3" in explorer.message_html.value
    np.testing.assert_array_equal(explorer.output, output)
    assert (explorer.figure.value, explorer.size_text) == (picture, size)
    explorer.set_entry(1, 2, "-1")  # fixing the entry clears the message
    assert explorer.message == "" and explorer.message_html.value == ""


def test_a_kernel_larger_than_the_padded_input_is_explained():
    """a 5x5 kernel on a 4x4 image: a message, and the last good output stays"""
    explorer = ke.KernelExplorer(image="pattern", preset="identity")
    explorer.image = np.ones((4, 4), dtype=np.float32)
    explorer.update()
    good = explorer.output.copy()
    explorer.set_preset("gaussian_5x5")
    assert "kernel larger than the padded input" in explorer.message
    np.testing.assert_array_equal(explorer.output, good)
    explorer.padding.value = 1  # room for the kernel now
    assert explorer.message == "" and explorer.output.shape == (2, 2)


def test_resizing_the_grid_centres_the_kernel(explorer):
    """3x3 -> 5x5 pads with zeros; 5x5 -> 3x3 keeps the centre"""
    explorer.set_preset("sobel_x")
    explorer.kernel_size.value = 5
    np.testing.assert_array_equal(explorer.kernel, np.pad(PRESETS["sobel_x"], 1))
    explorer.set_preset("gaussian_5x5")
    explorer.kernel_size.value = 3
    np.testing.assert_allclose(explorer.kernel, PRESETS["gaussian_5x5"][1:4, 1:4], rtol=1e-3)


@pytest.mark.parametrize(
    ("preset", "size", "expected"),
    [
        ("gaussian_5x5", 3, ke.CUSTOM),  # cropped: no longer the 5x5 Gaussian
        ("sobel_x", 5, ke.CUSTOM),  # zero-padded: not a preset either
        ("identity", 3, "identity"),  # unchanged
    ],
)
def test_the_preset_label_follows_a_resize(explorer, preset, size, expected):
    """after a resize the preset names the kernel in the grid (custom when none matches)"""
    explorer.set_preset(preset)
    explorer.kernel_size.value = size
    assert explorer.preset.value == expected
    assert ke.matching_preset(explorer.kernel) == expected
    assert len(explorer.entries) == size


@pytest.mark.parametrize(
    ("typed", "shown", "value"),
    [
        ("－1", "-1", -1.0),  # full-width hyphen-minus from a Chinese input method
        ("1／9", "1/9", 1 / 9),  # full-width slash
        ("0。5", "0.5", 0.5),  # ideographic full stop
        ("１", "1", 1.0),  # full-width digit: read before, now also shown as read
        ("−２．５", "-2.5", -2.5),  # minus sign, full-width digits and point
    ],
)
def test_full_width_entries_are_read_and_shown_in_ascii(explorer, typed, shown, value):
    """a Chinese input method's full-width number is accepted and the entry shows it as read"""
    explorer.set_entry(0, 1, typed)
    assert explorer.entries[0][1].value == shown
    assert explorer.message == ""
    assert explorer.kernel[0, 1] == pytest.approx(value, rel=1e-6)


def test_image_choices_and_missing_mnist(no_local_data, monkeypatch):
    """the digit falls back to the pattern with a message when MNIST is missing"""
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT", 0.01)
    monkeypatch.setattr(data, "_open_url", _refuse)
    explorer = ke.KernelExplorer(image="pattern")
    explorer.image_choice.value = "digit"
    assert "MNIST" in explorer.message
    assert explorer.image.shape == (64, 64)
    explorer.image_choice.value = "photo"
    assert explorer.message == "" and explorer.image.shape == (128, 109)


def _refuse(url, timeout):
    raise OSError("offline")


def test_the_digit_comes_from_mnist(shared_data):
    """with the offline data the digit is a 28x28 MNIST test image"""
    image, message = ke.load_image("digit")
    assert image.shape == (28, 28) and message == ""


def test_css_hooks_for_browser_tests(explorer):
    """the output, size text, preset and entries carry stable CSS classes"""
    assert "kernel-explorer-output" in explorer.figure._dom_classes
    assert "kernel-explorer-size" in explorer.size_html._dom_classes
    assert "kernel-explorer-preset" in explorer.preset._dom_classes
    assert all("kernel-entry" in e._dom_classes for row in explorer.entries for e in row)
    assert bytes(explorer.figure.value).startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in explorer._repr_mimebundle_()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pictures_are_shown_at_their_pixel_size(lang):
    """each widget's picture is as wide on the page as its PNG (no blurry stretching)"""
    from course_utils.plotting import png_size

    pool = importlib.import_module("course_utils.widgets.pooling_explorer")
    i18n.set_language(lang)
    for picture in (
        ke.KernelExplorer(image="pattern").figure,
        wp.WindowPlayer().figure,
        pool.PoolingExplorer().picture,
    ):
        width, height = png_size(bytes(picture.value))
        assert (picture.width, picture.height) == (str(width), str(height))
        assert picture.layout.width == f"{width}px" and 400 <= width <= 900


def test_widget_labels_follow_the_language():
    """labels are Chinese with set_language('zh')"""
    i18n.set_language("zh")
    explorer = ke.kernel_explorer(image="pattern")
    assert explorer.stride.description == "步幅"
    assert explorer.size_text.startswith("输出大小")


def test_the_static_figure(explorer):
    """the fallback figure has input, kernel and output panels"""
    import matplotlib.pyplot as plt

    fig = ke.kernel_explorer_figure("pattern", "laplacian", stride=2, padding=1)
    assert len(fig.axes) == 3
    plt.close(fig)
    with pytest.raises(ValueError, match="choice"):
        ke.load_image("lena")


# --- the sliding-window player ---------------------------------------------


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 0), (1, 1), (2, 1), (3, 2), (2, 2)])
def test_player_steps_fill_the_output(stride, padding):
    """stepping to the last position fills the whole output with Paddle's values"""
    i18n.set_language("en")
    player = wp.window_player()
    player.set(padding=padding, stride=stride)
    expected = numpy_conv(player.grid, player.kernel, stride, padding)
    assert len(player.steps) == expected.size == player.step.max + 1
    assert player.step.value == 0 and np.isnan(player.output).sum() == expected.size - 1
    player.go_to(player.step.max)
    np.testing.assert_allclose(player.output, expected)
    h, w = expected.shape
    assert player.size_text.startswith(f"output size: {h}×{w}")
    assert f"= {h}" in player.size_text and f"({expected.size} positions)" in player.size_text


def test_player_current_step_shows_window_products_and_sum():
    """the current step's window, products and sum are consistent"""
    player = wp.WindowPlayer(grid=np.arange(16).reshape(4, 4), padding=1, stride=2)
    player.go_to(3)
    s = player.current
    assert (s.row, s.col, s.top, s.left) == (1, 1, 2, 2)
    np.testing.assert_array_equal(s.products, s.window * player.kernel)
    assert s.sum == s.products.sum() == player.output[1, 1]
    before = player.figure.value
    player.go_to(0)
    assert player.figure.value != before


def test_player_static_figure():
    """the fallback figure has four panels and accepts a step past the end"""
    import matplotlib.pyplot as plt

    fig = wp.window_player_figure(stride=2, padding=1, step=99)
    assert len(fig.axes) == 4
    plt.close(fig)
