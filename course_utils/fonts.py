"""The font that draws Chinese in plots (lesson 00 reports it; every plot uses it).

Chinese in plots needs a font that covers it. The course ships one: the pinned
``mplfonts`` package carries Noto Sans CJK SC (SIL Open Font License 1.1).
:func:`cjk_font` registers it with matplotlib and sets a fallback list of
families, so that Latin letters, digits and signs such as "−" and "⌊" come
from matplotlib's DejaVu Sans and Chinese from the CJK font. Without
``mplfonts`` an installed system CJK font is used; without any,
:func:`course_utils.plotting.label` falls back to English rather than draw
empty boxes.

When: importing ``course_utils`` does not import matplotlib. It calls
:func:`register_when_matplotlib_loads`, which registers the font right after
matplotlib is first imported (by a lesson, a widget or a plot helper), so that
every figure, including the first, is created with the fallback list. If
matplotlib is already loaded, the font is registered at once.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .i18n import bilingual, t

__all__ = [
    "CJK_FONTS",
    "LATIN_FONT",
    "SHIPPED_FONT",
    "cjk_font",
    "font_status",
    "register_when_matplotlib_loads",
    "shipped_font_path",
]

#: The shipped font: (package, file inside it). Noto Sans CJK SC, SIL OFL 1.1.
SHIPPED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
#: matplotlib's own font, first in the fallback list: Latin, digits, "−", "⌊⌋".
LATIN_FONT = "DejaVu Sans"
# System fonts that cover Simplified Chinese, in order of preference.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
)
_cjk_font: str | None | bool = False  # False: not looked up yet
_cjk_source = ""  # "shipped" or "system" once found


def shipped_font_path() -> Path | None:
    """Path of the CJK font file that the course ships, or None if its package is missing.

    The package is located without being imported.

    Examples
    --------
    >>> path = shipped_font_path()
    >>> path is None or path.name == "NotoSansCJKsc-Regular.otf"
    True
    """
    package, relative = SHIPPED_FONT
    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / relative
        if path.is_file():
            return path
    return None


def web_font(characters: str) -> bytes:
    """The shipped CJK font cut down to `characters`, as WOFF bytes (for the site and the demo).

    Raises
    ------
    RuntimeError
        The font's package (mplfonts) is not installed.
    """
    import logging
    from io import BytesIO

    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = shipped_font_path()
    if path is None:
        raise RuntimeError(
            bilingual(
                "没有安装 mplfonts（课程的中文字体）：pip install -r requirements.txt",
                "mplfonts (the course's Chinese font) is not installed: "
                "pip install -r requirements.txt",
            )
        )
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # no "GPOS pruned" lines
    font = TTFont(path)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    font.flavor = "woff"
    buffer = BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def cjk_font() -> str | None:
    """Name of the font that draws Chinese in plots, or None when there is none.

    On first call: registers the shipped font with matplotlib (else looks for
    a system CJK font) and sets ``font.family`` to ``[LATIN_FONT, that font]``,
    a fallback list: each character comes from the first family that has it.

    Examples
    --------
    >>> cjk_font() in (None, "Noto Sans CJK SC", *CJK_FONTS)
    True
    """
    global _cjk_font, _cjk_source
    if _cjk_font is False:
        import matplotlib
        from matplotlib import font_manager

        path = shipped_font_path()
        if path is not None:
            font_manager.fontManager.addfont(path)
            _cjk_font = font_manager.FontProperties(fname=path).get_name()
            _cjk_source = "shipped"
        else:
            installed = {f.name for f in font_manager.fontManager.ttflist}
            _cjk_font = next((name for name in CJK_FONTS if name in installed), None)
            _cjk_source = "system" if _cjk_font else ""
        if _cjk_font:
            matplotlib.rcParams["font.family"] = [LATIN_FONT, _cjk_font]
            matplotlib.rcParams["axes.unicode_minus"] = True  # DejaVu Sans has "−"
    return _cjk_font


def font_status() -> str:
    """One line for lesson 00's environment check: which font draws Chinese in plots.

    Examples
    --------
    >>> from course_utils.i18n import set_language, reset_language
    >>> set_language("en"); "font" in font_status()
    True
    >>> reset_language()
    """
    name = cjk_font()
    if name is None:
        return t(
            "图中的中文：没有找到中文字体，图中文字改用英文。"
            "请重新安装依赖（pip install -r requirements.txt，其中的 mplfonts 带有字体）。",
            "Chinese in plots: no CJK font found, so plots use English. Reinstall the "
            "requirements (pip install -r requirements.txt; mplfonts carries the font).",
        )
    if _cjk_source == "shipped":
        return t(
            f"图中的中文字体：{name}（课程自带，来自 mplfonts 包）",
            f"Chinese font in plots: {name} (shipped with the course, from mplfonts)",
        )
    return t(f"图中的中文字体：{name}（系统字体）", f"Chinese font in plots: {name} (system font)")


class _AfterMatplotlib:
    """A meta path finder that registers the font once matplotlib is imported, then leaves."""

    def find_spec(self, name, path=None, target=None):
        if name != "matplotlib":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            cjk_font()

        spec.loader.exec_module = exec_module
        return spec


def register_when_matplotlib_loads() -> None:
    """Register the CJK font now if matplotlib is loaded, else right after it is imported.

    Cheap: it imports nothing. Called by ``import course_utils``.
    """
    if "matplotlib" in sys.modules:
        cjk_font()
    elif not any(isinstance(finder, _AfterMatplotlib) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterMatplotlib())
