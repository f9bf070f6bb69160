"""Tests for course_utils.i18n: the language setting and t()."""

from course_utils import i18n

import pytest


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "步幅"), ("en", "stride"), ("both", "步幅 / stride")],
)
def test_t_follows_the_setting(lang, expected):
    """t() returns the Chinese, the English, or both texts as the setting says."""
    i18n.set_language(lang)
    assert i18n.t("步幅", "stride") == expected


@pytest.mark.parametrize(("value", "expected"), [("en", "en"), (" ZH ", "zh"), ("", "both")])
def test_course_lang_environment_variable(monkeypatch, value, expected):
    """COURSE_LANG sets the language; empty means both."""
    monkeypatch.setenv("COURSE_LANG", value)
    assert i18n.get_language() == expected


def test_set_language_overrides_the_environment(monkeypatch):
    """set_language wins over COURSE_LANG until reset_language."""
    monkeypatch.setenv("COURSE_LANG", "en")
    i18n.set_language("zh")
    assert i18n.get_language() == "zh"
    i18n.reset_language()
    assert i18n.get_language() == "en"


@pytest.mark.parametrize("bad", ["fr", "chinese", ""])
def test_unknown_language_is_rejected_in_both_languages(bad):
    """an unknown language raises ValueError naming `lang`, in Chinese and English."""
    with pytest.raises(ValueError, match="`lang` must be one of") as err:
        i18n.set_language(bad)
    assert "`lang` 必须是" in str(err.value)


def test_bilingual_ignores_the_setting():
    """error messages carry both languages whatever the setting."""
    i18n.set_language("en")
    assert i18n.bilingual("错", "wrong") == "错\nwrong"
