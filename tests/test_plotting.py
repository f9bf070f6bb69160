"""Tests for course_utils.plotting: plot text never renders as empty boxes."""

from pathlib import Path

from course_utils import fonts, i18n, plotting

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


# --- the shipped CJK font -----------------------------------------------------------------


@pytest.fixture
def only_matplotlib_fonts(monkeypatch):
    """matplotlib sees only its own fonts (as on a machine without a system CJK font).

    The font manager's list is restricted to the fonts inside matplotlib, the
    font lookup is done afresh, and rcParams are restored afterwards.
    """
    from matplotlib import font_manager

    own = Path(matplotlib.get_data_path()).resolve()
    own_fonts = [
        f for f in font_manager.fontManager.ttflist if own in Path(f.fname).resolve().parents
    ]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", own_fonts)
    font_manager.fontManager._findfont_cached.cache_clear()
    monkeypatch.setattr(fonts, "_cjk_font", False)
    with matplotlib.rc_context():
        yield
    font_manager.fontManager._findfont_cached.cache_clear()
    fonts._cjk_font = False


def test_the_course_ships_a_cjk_font():
    """the pinned font package is installed and holds Noto Sans CJK SC"""
    path = plotting.shipped_font_path()
    assert path is not None, "mplfonts (requirements.txt) is not installed"
    assert path.stat().st_size > 1_000_000


def test_shipped_font_is_used_without_any_system_cjk_font(only_matplotlib_fonts):
    """with only matplotlib's own fonts, the shipped font is registered and joins the family list"""
    assert not any("CJK" in f.name for f in matplotlib.font_manager.fontManager.ttflist)
    assert plotting.cjk_font() == "Noto Sans CJK SC"
    assert matplotlib.rcParams["font.family"] == [plotting.LATIN_FONT, "Noto Sans CJK SC"]
    i18n.set_language("zh")
    assert plotting.label("卷积核", "kernel") == "卷积核"


@pytest.mark.parametrize(
    "title",
    [
        "卷积核 −1 的响应",  # the minus sign U+2212 next to Chinese
        "⌊(5 + 2×1 − 3) / 2⌋ + 1 = 3（输出大小）",  # the floor brackets and full-width brackets
        "步幅 stride=2，填充 padding=1：Sobel x",  # Latin, digits and Chinese punctuation
    ],
)
def test_chinese_title_with_minus_draws_every_glyph(only_matplotlib_fonts, title):
    """a Chinese title with "−1" renders with no missing-glyph warning (no empty boxes)"""
    import warnings

    from matplotlib.figure import Figure

    assert plotting.cjk_font()
    fig = Figure(figsize=(4, 2))
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_xlabel(plotting.label("输入边长", "input side"))
    ax.plot([-1, 1], [-2, 2])  # tick labels with "−"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plotting.figure_png(fig)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing


def test_font_status_names_the_shipped_font(only_matplotlib_fonts):
    """lesson 00's environment check says which font draws Chinese and where it comes from"""
    i18n.set_language("zh")
    assert "Noto Sans CJK SC" in plotting.font_status()
    assert "mplfonts" in plotting.font_status()


def test_without_the_shipped_font_a_system_font_or_english(only_matplotlib_fonts, monkeypatch):
    """no shipped font and no system font: label falls back to English, font_status says why"""
    monkeypatch.setattr(fonts, "shipped_font_path", lambda: None)
    assert plotting.cjk_font() is None
    i18n.set_language("zh")
    assert plotting.label("卷积核", "kernel") == "kernel"
    assert "mplfonts" in plotting.font_status()


def test_show_figure_sizes_the_picture_to_the_png():
    """a widget picture is shown at the pixel size of its PNG (never stretched)"""
    import ipywidgets as w
    from matplotlib.figure import Figure

    picture = w.Image(format="png")
    plotting.show_figure(picture, Figure(figsize=(3, 1.5)), dpi=100)
    assert plotting.png_size(picture.value) == (300, 150)
    assert (picture.width, picture.height) == ("300", "150")
    assert picture.layout.width == "300px"


def test_importing_matplotlib_after_course_utils_registers_the_font():
    """import course_utils loads no matplotlib, yet the first figure already has the font list"""
    import subprocess
    import sys

    code = (
        "import sys, course_utils\n"
        "assert 'matplotlib' not in sys.modules\n"
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"  # created before any course_utils plot helper runs
        "print(ax.title.get_fontfamily())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["['DejaVu", "Sans',", "'Noto", "Sans", "CJK", "SC']"]


def test_label_puts_the_languages_on_two_lines_when_asked(monkeypatch):
    """`sep="\\n"` gives two-line titles in bilingual mode, one language otherwise."""
    monkeypatch.setattr(plotting, "cjk_font", lambda: "Noto Sans CJK SC")
    i18n.set_language("both")
    assert plotting.label("卷积核", "kernel", sep="\n") == "卷积核\nkernel"
    i18n.set_language("zh")
    assert plotting.label("卷积核", "kernel", sep="\n") == "卷积核"
    i18n.reset_language()
