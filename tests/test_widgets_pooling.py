"""Headless tests for the pooling explorer (course_utils/widgets/pooling_explorer.py)."""

from course_utils import i18n
from course_utils.pooling import pool2d_numpy
from course_utils.widgets import PoolingExplorer
from course_utils.widgets.pooling_explorer import (
    PADDING_RANGE,
    SOURCES,
    STRIDE_RANGE,
    WINDOW_RANGE,
    pooling_explorer,
    pooling_figure,
    pooling_result,
    sample_grid,
    source_image,
)

import matplotlib
import numpy as np
import pytest
from numpy.testing import assert_allclose

matplotlib.use("Agg")

PNG_MAGIC = b"\x89PNG"


@pytest.mark.parametrize("source", SOURCES)
def test_source_image_is_a_grey_float_image(source):
    """every source is a 2-D float image"""
    image = source_image(source)
    assert image.ndim == 2 and image.dtype == np.float32


def test_unknown_source_is_refused():
    """an unknown source name raises a bilingual error naming `source`"""
    with pytest.raises(ValueError, match="`source` must be one of"):
        source_image("lena")


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pooling_result_matches_the_reference(mode):
    """pooling_result pools with Paddle and agrees with the NumPy reference"""
    grid = sample_grid()
    result = pooling_result(grid, mode, 3, 2, 1)
    assert_allclose(result.output, pool2d_numpy(grid, 3, 2, 1, mode), rtol=1e-6)
    assert result.output.shape == (3, 3)


def test_pooling_result_explains_the_size():
    """the size text shows the formula with the numbers"""
    i18n.set_language("en")
    result = pooling_result(sample_grid(), "max", 2)
    assert "floor((6 + 2×0 − 2) / 2) + 1 = 3" in result.size_text


def test_explorer_starts_with_a_picture():
    """the explorer draws a first picture and the output size at once"""
    explorer = pooling_explorer()
    assert isinstance(explorer, PoolingExplorer)
    assert bytes(explorer.picture.value).startswith(PNG_MAGIC)
    assert explorer.result.output.shape == (3, 3)
    assert explorer.message.value == ""


def test_sliders_use_the_ranges_of_the_module():
    """slider ranges come from the module constants"""
    explorer = PoolingExplorer()
    for slider, (low, high) in [
        (explorer.k, WINDOW_RANGE),
        (explorer.stride, STRIDE_RANGE),
        (explorer.padding, PADDING_RANGE),
    ]:
        assert (slider.min, slider.max) == (low, high)


def test_moving_a_slider_updates_output_and_text():
    """a new window size changes the output, the size text and the picture"""
    i18n.set_language("en")
    explorer = PoolingExplorer()
    before = explorer.picture.value
    explorer.stride.value = 1
    explorer.k.value = 3
    assert explorer.result.output.shape == (4, 4)
    assert "= 4 rows" in explorer.size_text.value
    assert explorer.picture.value != before


def test_mode_toggle_switches_to_average():
    """the mode toggle switches between max and average pooling"""
    explorer = PoolingExplorer()
    explorer.mode.value = "avg"
    assert_allclose(explorer.result.output, pool2d_numpy(sample_grid(), 2, mode="avg"))


@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"padding": 2}, "at most half the window"),
        ({"k": 6, "stride": 1, "padding": 0}, None),
    ],
)
def test_bad_values_show_a_message_and_keep_the_last_picture(changes, phrase):
    """bad settings show a bilingual message; the last good output stays in place"""
    explorer = PoolingExplorer()
    for name, value in changes.items():
        getattr(explorer, name).value = value
    if phrase is None:  # a valid setting for comparison
        assert explorer.message.value == ""
        return
    assert phrase in explorer.message.value
    assert "填充" in explorer.message.value or "`padding`" in explorer.message.value
    assert explorer.result.padding == 0  # still the last good result
    assert bytes(explorer.picture.value).startswith(PNG_MAGIC)


def test_window_larger_than_the_padded_input_shows_a_message():
    """a 7x7 window does not fit the 6x6 grid: a message, and the old result stays"""
    explorer = PoolingExplorer()
    explorer.stride.value = 1
    old = explorer.result
    explorer.k.value = 7
    assert "larger than the padded input" in explorer.message.value
    assert explorer.result is old
    explorer.padding.value = 1  # 6 + 2 = 8 rows now hold the 7x7 window
    assert explorer.message.value == ""
    assert explorer.result.output.shape == (2, 2)


def test_recovering_from_a_bad_value_clears_the_message():
    """after a bad setting, a good one clears the message and redraws"""
    explorer = PoolingExplorer()
    explorer.padding.value = 3
    assert explorer.message.value
    explorer.k.value = 6
    assert explorer.message.value == ""
    assert explorer.result.padding == 3


def test_photo_source_pools_the_photo():
    """switching to the photo pools a 96-pixel image"""
    explorer = PoolingExplorer()
    explorer.source.value = "photo"
    h, w = source_image("photo").shape
    assert explorer.result.output.shape == (h // 2, w // 2)


def test_labels_follow_the_language():
    """widget labels follow the language setting"""
    i18n.set_language("zh")
    assert PoolingExplorer().k.description == "窗口 k"
    i18n.set_language("en")
    assert PoolingExplorer().k.description == "window k"


def test_static_figure_has_input_and_both_outputs():
    """the static fallback draws the input and the max and average outputs"""
    fig = pooling_figure(sample_grid(), k=2)
    assert len(fig.axes) == 3
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert len(texts) == 9  # one value per cell of the 3x3 output
