"""Tests for course_utils.checks: verdicts, strict mode, random cases."""

import pytest

from course_utils import checks, i18n, sizes


def right(n, k, padding, stride):
    return (n + 2 * padding - k) // stride + 1


def forgot_padding(n, k, padding, stride):
    return (n - k) // stride + 1


def not_done(n, k, padding, stride):
    pass


def raises_not_implemented(n, k, padding, stride):
    raise NotImplementedError


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("fn", "expected", "text"),
    [
        (right, True, "Correct"),
        (forgot_padding, False, "expected"),
        (not_done, None, "not done yet"),
        (raises_not_implemented, None, "not done yet"),
        (None, None, "not done yet"),
        (lambda n, k, padding, stride: 1 / 0, False, "ZeroDivisionError"),
    ],
)
def test_check_conv_output_size_verdicts(capsys, fn, expected, text):
    """right, wrong, unanswered and crashing answers each get their verdict."""
    assert checks.check_conv_output_size(fn) is expected
    assert text.lower() in capsys.readouterr().out.lower()


def test_wrong_answer_shows_a_failing_case(capsys):
    """a wrong answer is shown next to the expected value for one case."""
    checks.check_conv_output_size(forgot_padding)
    out = capsys.readouterr().out
    assert "For n=" in out and "floor((n + 2p - k) / s) + 1" in out


@pytest.mark.parametrize("fn", [forgot_padding, not_done])
def test_strict_mode_raises(monkeypatch, fn):
    """with COURSE_STRICT_CHECKS=1 a wrong or missing answer raises AssertionError."""
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        checks.check_conv_output_size(fn)


def test_random_cases_are_valid_and_varied():
    """random cases are valid for conv_output_size and cover padding and stride."""
    cases = checks.random_conv_cases(200, seed=1)
    for case in cases:
        sizes.conv_output_size(**case)  # raises on an impossible case
    assert {c["padding"] for c in cases} >= {0, 1, 2, 3}
    assert {c["stride"] for c in cases} >= {1, 2, 3, 4}


def test_chinese_verdict(capsys):
    """the verdict follows the language setting."""
    i18n.set_language("zh")
    checks.check_conv_output_size(right)
    assert capsys.readouterr().out.strip() == "✅ 正确！"
