"""Headless tests for the feature-map explorer (course_utils/widgets/feature_maps.py)."""

from course_utils.models import LeNet
from course_utils.widgets import FeatureMapExplorer, feature_map_explorer, feature_map_figure

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture
def images():
    """Three random 1x28x28 images."""
    return np.random.default_rng(0).standard_normal((3, 1, 28, 28)).astype("float32")


@pytest.mark.parametrize("layer, panels", [("features.0", 7), ("features.5", 17)])
def test_figure_has_the_input_and_every_map(images, layer, panels):
    """the figure shows the input plus one panel per channel (6 or 16)"""
    fig = feature_map_figure(LeNet("relu", "max"), images[0], layer)
    assert len(fig.axes) == panels


def test_unknown_layer_is_refused(images):
    """a layer that is not conv/pool raises a bilingual error naming `layer`"""
    with pytest.raises(ValueError, match="`layer` must be one of"):
        feature_map_figure(LeNet("relu", "max"), images[0], "classifier.1")


def test_explorer_redraws_when_driven(images):
    """changing the image or the layer redraws the PNG and the caption"""
    explorer = feature_map_explorer(LeNet("relu", "max"), images, labels=[7, 2, 1])
    assert isinstance(explorer, FeatureMapExplorer)
    assert list(explorer.layer.options) == ["features.0", "features.2", "features.3", "features.5"]
    first = bytes(explorer.picture.value)
    assert first.startswith(b"\x89PNG") and "7" in explorer.caption.value
    explorer.index.value = 1
    assert "2" in explorer.caption.value and bytes(explorer.picture.value) != first
    second = bytes(explorer.picture.value)
    explorer.layer.value = "features.3"
    assert bytes(explorer.picture.value) != second
