"""Tests for course_utils.plotting: plot text never renders as empty boxes."""

import matplotlib
import numpy as np
import pytest

from course_utils import i18n, plotting

matplotlib.use("Agg")


@pytest.mark.parametrize(
    ("lang", "font", "expected"),
    [
        ("zh", "Noto Sans CJK SC", "卷积核"),
        ("both", "Noto Sans CJK SC", "卷积核 / kernel"),
        ("en", "Noto Sans CJK SC", "kernel"),
        ("zh", None, "kernel"),
        ("both", None, "kernel"),
    ],
)
def test_label_falls_back_to_english_without_a_cjk_font(monkeypatch, lang, font, expected):
    """Chinese plot text is used only when a CJK font is installed."""
    monkeypatch.setattr(plotting, "cjk_font", lambda: font)
    i18n.set_language(lang)
    assert plotting.label("卷积核", "kernel") == expected


def test_found_cjk_font_is_installed():
    """a font reported as CJK is one matplotlib knows, or None."""
    from matplotlib import font_manager

    name = plotting.cjk_font()
    assert name is None or name in {f.name for f in font_manager.fontManager.ttflist}


def test_show_images_lays_out_a_grid():
    """show_images makes one visible axis per image, CHW tensors included."""
    images = [np.zeros((8, 8)), np.ones((3, 8, 8)), np.zeros((1, 8, 8))]
    fig = plotting.show_images(images, titles=["a", "b", "c"], ncols=2)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 4 and len(shown) == 3
    assert [ax.get_title() for ax in shown] == ["a", "b", "c"]
    matplotlib.pyplot.close(fig)
