"""The case runner behind every check: verdicts, plain data, tampering, seeds, modes."""

from __future__ import annotations

import functools
import os

import course_utils as cu
from course_utils import i18n
from course_utils.checks import runner
from course_utils.checks.runner import Mode

import numpy as np
import paddle
import pytest


@pytest.fixture(autouse=True)
def _learner_mode(monkeypatch):
    monkeypatch.setattr(runner, "_MODE", Mode(strict=False, quiet=False, seed=""))
    i18n.set_language("en")


def right(n, k, padding, stride):
    return (n + 2 * padding - k) // stride + 1


def todo(n, k, padding, stride):
    pass


def unfinished(n, k, padding, stride):
    raise NotImplementedError


@pytest.mark.parametrize(
    ("answer", "ok", "text"),
    [
        (right, True, "Correct"),
        (lambda n, k, padding, stride: (n - k) // stride + 1, False, "expected"),
        (todo, None, "not done yet"),
        (None, None, "not done yet"),
        (
            lambda n, k, padding, stride: (_ for _ in ()).throw(NotImplementedError),
            None,
            "not done",
        ),
        (lambda n, k, padding, stride: 1 / 0, False, "ZeroDivisionError"),
        (lambda n, k, padding, stride: [n].clear(), False, "forget `return`"),
        (lambda n, k, padding, stride: "12", False, "expected"),
        (lambda n, k, padding, stride: {1: 2}, False, "made of numbers"),
    ],
)
def test_every_kind_of_answer_gets_a_verdict(capsys, answer, ok, text):
    """right, wrong, unanswered, crashing, None-returning and odd-typed answers each get theirs"""
    assert cu.checks.check_conv_output_size(answer).ok is ok
    assert text.lower() in capsys.readouterr().out.lower()


def test_a_function_returning_none_is_told_so(capsys):
    """a function that runs but returns None hears about `return`, not about an exception"""
    cu.checks.check_conv_output_size(lambda n, k, padding, stride: [n].clear())
    out = capsys.readouterr().out
    assert "did you forget `return`" in out and "_Refused" not in out


def test_a_failure_names_the_case_and_the_seed(capsys):
    """a wrong answer is reported with the failing case and the seed of the random cases"""
    cu.checks.check_conv_output_size(lambda n, k, padding, stride: n)
    out = capsys.readouterr().out
    seed = runner.case_seed("00.output_size")
    assert "Case 1 (n=" in out and f"random seed {seed}" in out


def test_cases_are_seeded_per_exercise_and_assignment(monkeypatch):
    """the same exercise gets the same seed; COURSE_CHECK_SEED changes it per assignment"""
    assert runner.case_seed("01.corr2d") == runner.case_seed("01.corr2d")
    assert runner.case_seed("01.corr2d") != runner.case_seed("02.same_padding")
    before = runner.case_seed("01.corr2d")
    monkeypatch.setattr(runner, "_MODE", Mode(strict=False, quiet=False, seed="class-2026"))
    assert runner.case_seed("01.corr2d") != before


@pytest.mark.parametrize(
    "value",
    [[3, 4], (3, 4), np.array([3, 4]), np.array([3.0, 4.0]), paddle.to_tensor([3, 4]),
     [np.int64(3), np.float32(4.0)]],
)  # fmt: skip
def test_plain_data_of_the_same_numbers_is_equal(value):
    """lists, tuples, arrays, tensors and NumPy scalars of the same numbers compare equal"""
    assert runner.same(runner.plain(value), (3, 4))


class LyingInt(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


@pytest.mark.parametrize("liar", [Liar(), LyingInt(-1), [Liar(), Liar()]])
def test_lying_comparison_methods_decide_nothing(liar):
    """an answer whose __eq__/__ne__ always agree is judged by the numbers it holds"""
    assert cu.checks.check_conv_output_size(lambda n, k, padding, stride: liar).ok is False


def test_changing_the_environment_after_import_changes_nothing(monkeypatch):
    """the mode is read once: flipping COURSE_STRICT_CHECKS in a notebook does not help"""
    monkeypatch.setattr(runner, "_MODE", Mode(strict=True, quiet=False, seed=""))
    monkeypatch.setitem(os.environ, "COURSE_STRICT_CHECKS", "0")
    monkeypatch.setitem(os.environ, "COURSE_GRADING", "0")
    with pytest.raises(AssertionError):
        cu.checks.check_conv_output_size(lambda n, k, padding, stride: 0)


def test_replacing_verdict_changes_nothing(monkeypatch):
    """a student who replaces cu.checks.verdict still fails a wrong answer in strict mode"""
    monkeypatch.setattr(runner, "_MODE", Mode(strict=True, quiet=False, seed=""))
    monkeypatch.setattr(cu.checks, "verdict", lambda *args, **kwargs: True)
    monkeypatch.setattr(runner, "verdict", lambda *args, **kwargs: True)
    with pytest.raises(AssertionError):
        cu.checks.check_conv_output_size(lambda n, k, padding, stride: 0)


@pytest.mark.parametrize("answer", [todo, None, right])
def test_strict_mode_raises_on_anything_but_right(monkeypatch, answer):
    """in strict (CI) or grading mode, not done and wrong both raise AssertionError"""
    monkeypatch.setattr(runner, "_MODE", Mode(strict=True, quiet=False, seed=""))
    if answer is right:
        assert cu.checks.check_conv_output_size(answer)
    else:
        with pytest.raises(AssertionError):
            cu.checks.check_conv_output_size(answer)


def test_quiet_mode_prints_nothing(monkeypatch, capsys):
    """with COURSE_QUIET_CHECKS=1 (otter-grader) a check prints nothing and returns its verdict"""
    monkeypatch.setattr(runner, "_MODE", Mode(strict=False, quiet=True, seed=""))
    assert bool(cu.checks.check_conv_output_size(right)) is True
    assert capsys.readouterr().out == ""


def test_mode_comes_from_the_environment():
    """COURSE_GRADING and COURSE_STRICT_CHECKS make checks strict; COURSE_QUIET_CHECKS quiet"""
    assert runner._mode_from_environment({}) == Mode(strict=False, quiet=False, seed="")
    grading = {"COURSE_GRADING": "1", "COURSE_QUIET_CHECKS": "1", "COURSE_CHECK_SEED": "7"}
    assert runner._mode_from_environment(grading) == Mode(strict=True, quiet=True, seed="7")
    assert runner._mode_from_environment({"COURSE_STRICT_CHECKS": "1"}).strict


def test_the_mode_ignores_changes_made_by_the_notebook(monkeypatch):
    """assigning to os.environ, before or after import, does not change the mode read"""
    import subprocess
    import sys

    code = (
        "import os; os.environ['COURSE_GRADING'] = '0'; os.environ.pop('COURSE_STRICT_CHECKS')\n"
        "from course_utils.checks import runner; print(runner._MODE.strict)"
    )
    env = {**os.environ, "COURSE_STRICT_CHECKS": "1", "COURSE_GRADING": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr


def test_verdict_shows_nothing_more_in_a_notebook():
    """a check cell does not echo True/False: the Verdict displays nothing in IPython"""
    result = cu.checks.check_conv_output_size(right)
    assert result.ok is True and bool(result) and result._ipython_display_() is None


def test_both_languages_on_two_lines(capsys):
    """in 'both' mode the verdict is a Chinese line and an English line"""
    i18n.set_language("both")
    cu.checks.check_conv_output_size(right)
    assert capsys.readouterr().out.splitlines() == ["✅ 正确！", "✅ Correct!"]


def test_chinese_verdict(capsys):
    """the verdict follows the language setting"""
    i18n.set_language("zh")
    cu.checks.check_conv_output_size(right)
    assert capsys.readouterr().out.strip() == "✅ 正确！"


# ---------------------------------------------------------------- the course's own answer


def test_the_library_function_is_refused(capsys):
    """handing in cu.conv_output_size itself asks the learner to write it"""
    assert cu.checks.check_conv_output_size(cu.conv_output_size).ok is False
    assert "write the exercise with your own code" in capsys.readouterr().out


def wraps_library(n, k, padding, stride):
    return cu.conv_output_size(n, k, padding, stride)


def wraps_through_package(x, k):
    return cu.kernels.corr2d(x, k)


def test_wrappers_and_aliases_of_the_reference_are_refused():
    """a lambda, a function, a partial or a module path that calls the reference is refused"""
    alias = cu.conv_output_size
    for answer in (
        alias,
        wraps_library,
        lambda n, k, padding, stride: alias(n, k, padding, stride),
        functools.partial(cu.conv_output_size),
    ):
        assert cu.checks.check_conv_output_size(answer).ok is False
    assert cu.checks.check_corr2d(wraps_through_package).ok is False


def test_paddle_functions_that_are_the_exercise_are_refused():
    """the batch-norm exercise refuses paddle's own batch_norm"""
    import paddle.nn.functional as F

    def uses_paddle(x, gamma, beta, eps):
        c = x.shape[1]
        return F.batch_norm(
            paddle.to_tensor(x), paddle.zeros([c]), paddle.ones([c]),
            weight=paddle.to_tensor(gamma), bias=paddle.to_tensor(beta), epsilon=eps,
            training=True,
        ).numpy()  # fmt: skip

    assert cu.checks.check_batch_norm_forward(uses_paddle).ok is False


def test_a_learner_function_with_the_same_name_is_not_refused():
    """only the course's object is refused, not a learner's own function of the same name"""

    def conv_output_size(n, k, padding, stride):
        return (n + 2 * padding - k) // stride + 1

    def answer(n, k, padding, stride):
        return conv_output_size(n, k, padding, stride)

    assert cu.checks.check_conv_output_size(answer).ok is True


def test_is_unanswered_sees_student_copies():
    """an empty function or a network class with an empty forward is not done yet"""

    class Net(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            pass

        def forward(self, x):
            pass

    def partial_answer(x):
        y = x + 1  # noqa: F841 - started, but returns nothing
        return None

    assert runner.is_unanswered(Net) and runner.is_unanswered(todo)
    assert not runner.is_unanswered(partial_answer) and not runner.is_unanswered(right)
