"""Tests for course_utils.images: the photo and the synthetic patterns."""

from course_utils import images

import numpy as np
import pytest


@pytest.mark.parametrize(("grey", "ndim"), [(True, 2), (False, 3)])
def test_photo_is_a_real_image_in_unit_range(grey, ndim):
    """the photo has the requested channels, values in [0, 1], and real contrast."""
    img = images.photo(grey=grey, size=128)
    assert img.ndim == ndim and max(img.shape[:2]) == 128
    assert 0.0 <= img.min() < 0.2 and 0.8 < img.max() <= 1.0


def test_vertical_edge_has_one_edge():
    """the vertical edge image changes value between exactly one pair of columns."""
    img = images.vertical_edge(6, 8, 3)
    assert np.count_nonzero(np.diff(img, axis=1)[0]) == 1


def test_checkerboard_alternates():
    """neighbouring squares of the checkerboard differ."""
    board = images.checkerboard(16, 4)
    assert board[0, 0] != board[0, 4] and board[0, 0] != board[4, 0]
