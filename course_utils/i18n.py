"""Language setting and the ``t(zh, en)`` helper (introduced in lesson 00).

The language comes from ``COURSE_LANG`` (``zh``, ``en`` or ``both``, default
``both``) and can be changed at run time with :func:`set_language`.
"""

from __future__ import annotations

import os

LANGUAGES = ("zh", "en", "both")
_DEFAULT = "both"
_current: str | None = None


def _check(lang: str) -> str:
    from .validate import choice, text

    return choice(text(lang, "lang", empty=True).strip().lower(), "lang", LANGUAGES)


def get_language() -> str:
    """Return the current language: ``'zh'``, ``'en'`` or ``'both'``.

    Examples
    --------
    >>> get_language() in LANGUAGES
    True
    """
    if _current is not None:
        return _current
    value = os.environ.get("COURSE_LANG", "").strip()
    return _check(value) if value else _DEFAULT


def set_language(lang: str) -> None:
    """Set the language for messages and widget labels for this session.

    Raises
    ------
    TypeError
        If `lang` is not a string.
    ValueError
        If `lang` is not one of ``'zh'``, ``'en'``, ``'both'``.
    """
    global _current
    _current = _check(lang)


def reset_language() -> None:
    """Forget :func:`set_language` and follow ``COURSE_LANG`` again."""
    global _current
    _current = None


def t(zh: str, en: str, sep: str = " / ") -> str:
    """Pick the Chinese text, the English text, or both joined by `sep`.

    Examples
    --------
    >>> set_language("en"); t("卷积", "convolution")
    'convolution'
    >>> set_language("both"); t("卷积", "convolution")
    '卷积 / convolution'
    >>> reset_language()
    """
    from .validate import text

    text(zh, "zh", empty=True), text(en, "en", empty=True), text(sep, "sep", empty=True)
    lang = get_language()
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh}{sep}{en}"


def bilingual(zh: str, en: str) -> str:
    """Both languages on two lines, whatever the setting (used for errors).

    Examples
    --------
    >>> print(bilingual("步幅必须为正", "stride must be positive"))
    步幅必须为正
    stride must be positive
    """
    if type(zh) is not str or type(en) is not str:  # noqa: E721 - plain strings only
        from .validate import text

        text(zh, "zh", empty=True), text(en, "en", empty=True)
    return f"{zh}\n{en}"


def explain(error: BaseException) -> str:
    """An error as text for a widget: its own message when it carries both languages.

    The course's own errors are bilingual already; anything else (a bug, an
    error from a library) is wrapped in a bilingual line, so a widget never
    shows a message in one language only.

    Examples
    --------
    >>> print(explain(ValueError(bilingual("步幅必须为正", "stride must be positive"))))
    步幅必须为正
    stride must be positive
    >>> print(explain(KeyError("x")))
    出错了：KeyError: 'x'
    Something went wrong: KeyError: 'x'
    """
    if not isinstance(error, BaseException):
        from .validate import type_error

        raise type_error("error", "一个异常（例如 ValueError(...)）", "an exception", error)
    text = str(error)
    has_chinese = any("\u4e00" <= char <= "\u9fff" for char in text)
    if has_chinese and any("a" <= char.lower() <= "z" for char in text):
        return text
    kind = type(error).__name__
    return bilingual(f"出错了：{kind}: {text}", f"Something went wrong: {kind}: {text}")
