"""Tests for course_utils.plotting: plot text never renders as empty boxes."""

from course_utils import i18n, plotting

import matplotlib
import numpy as np
import pytest

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


class FakeHistory:
    """Three epochs, the last one not evaluated."""

    records = [
        {"epoch": 1, "loss": 1.0, "acc": 0.6, "eval_loss": 0.9, "eval_acc": 0.7},
        {"epoch": 2, "loss": 0.5, "acc": 0.8, "eval_loss": 0.6, "eval_acc": 0.75},
        {"epoch": 3, "loss": 0.3, "acc": 0.9},
    ]

    def column(self, key):
        return [r.get(key, float("nan")) for r in self.records]


def test_plot_history_draws_train_and_test_curves_per_metric():
    """the history figure has a loss and an accuracy panel, each with train and test lines"""
    fig = plotting.plot_history(FakeHistory())
    loss_ax, acc_ax = fig.axes
    for ax, key in ((loss_ax, "loss"), (acc_ax, "acc")):
        train_line, test_line = ax.get_lines()
        np.testing.assert_array_equal(train_line.get_ydata(), FakeHistory().column(key))
        assert list(train_line.get_xdata()) == [1, 2, 3]
        assert np.isnan(test_line.get_ydata()[-1])


def test_confusion_matrix_plot_writes_every_nonzero_count():
    """each non-zero cell of the confusion matrix is labelled with its count"""
    cm = np.array([[5, 0, 1], [2, 7, 0], [0, 0, 9]])
    fig = plotting.plot_confusion_matrix(cm, ["a", "b", "c"])
    texts = sorted(int(t.get_text()) for t in fig.axes[0].texts)
    assert texts == sorted(cm[cm > 0].tolist())
