"""The one case runner behind every exercise check (lesson 00 on).

A check hands the learner's answer to :func:`run` with the exercise's id,
a function that makes the test cases from a seeded random generator, and a
*trial*: a function that tests the answer on one case and returns ``None``
when the answer passes or a ``(zh, en)`` pair that says what is wrong.
The runner does everything else, the same way for every exercise:

- an answer that is still ``None``, an empty function (the student copy's
  ``pass``) or raises ``NotImplementedError`` is *not done yet*;
- an answer that is the course's own reference (or calls it) is refused:
  the learner is asked to write it;
- the learner's code runs only through :func:`learner`, so an exception it
  raises becomes a ❌ with the exception shown, never a traceback, and a
  bug in the reference still surfaces as a real error;
- answers are compared as plain data (:func:`plain`), built by this module
  from the answer's numbers, so a list, a tuple, an array and a tensor of the
  same numbers are equal, NumPy and Python ints are equal, and an object with
  lying comparison methods decides nothing;
- random cases come from a seed fixed per exercise (and per assignment with
  ``COURSE_CHECK_SEED``); a failure names the seed and the case.

Modes, read once from the environment the process started with (so a
student's notebook cannot change them by assigning to ``os.environ``):
learner mode prints ✅ / ❌ / ⏳ with a hint; with ``COURSE_STRICT_CHECKS=1``
(CI) or ``COURSE_GRADING=1`` (nbgrader) a check that is not right raises
``AssertionError``; ``COURSE_QUIET_CHECKS=1`` prints nothing (otter-grader
compares outputs).
"""

from __future__ import annotations

import copy
import math
import numbers
import os
import types
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..i18n import t

NOT_DONE = ("还没有完成", "not done yet")


@dataclass(frozen=True)
class Mode:
    """How checks report: raise when not right (strict), print nothing (quiet)."""

    strict: bool
    quiet: bool
    seed: str


def initial_environment() -> dict[str, str]:
    """The environment this process started with, whatever its code changed since.

    On Linux it is read from ``/proc/self/environ``, which assignments to
    ``os.environ`` do not touch; elsewhere it is ``os.environ`` as it is now.
    """
    try:
        with open("/proc/self/environ", "rb") as f:
            pairs = [item.split(b"=", 1) for item in f.read().split(b"\0") if b"=" in item]
        return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}
    except OSError:
        return dict(os.environ)


def _mode_from_environment(env: dict[str, str] | None = None) -> Mode:
    env = initial_environment() if env is None else env
    grading = env.get("COURSE_GRADING", "").strip().lower() in ("1", "true", "yes", "on")
    return Mode(
        strict=grading or env.get("COURSE_STRICT_CHECKS", "").strip() == "1",
        quiet=env.get("COURSE_QUIET_CHECKS", "").strip() == "1",
        seed=env.get("COURSE_CHECK_SEED", "").strip(),
    )


# Read once, from the environment the kernel started with: a notebook that changes
# os.environ (before or after importing the course) cannot change how checks report.
_MODE = _mode_from_environment()


class Verdict:
    """The result of a check: true only when the answer is right.

    It shows nothing more in a notebook (the verdict line is already
    printed), so a check cell does not end with a stray ``True``.
    """

    __slots__ = ("ok", "message")

    def __init__(self, ok: bool | None, message: str):
        self.ok, self.message = ok, message

    def __bool__(self) -> bool:
        return self.ok is True

    def __repr__(self) -> str:
        return f"Verdict({self.ok!r})"

    def _ipython_display_(self) -> None:
        """Display nothing: the check has printed its verdict."""


def _report(ok: bool | None, zh: str = "", en: str = "") -> Verdict:
    """Print the verdict line (unless quiet) and raise in strict mode when not right."""
    if ok is None:
        message = t(
            f"⏳ {NOT_DONE[0]}：把答案写在标注的地方，再运行这个单元格。",
            f"⏳ {NOT_DONE[1].capitalize()}: write your answer where marked and run the "
            "cell again.",
            sep="\n",
        )
    elif ok:
        message = t("✅ 正确！", "✅ Correct!", sep="\n")
    else:
        message = t(f"❌ 还不对。{zh}", f"❌ Not yet right. {en}", sep="\n")
    if not _MODE.quiet:
        print(message)
    if _MODE.strict and ok is not True:
        raise AssertionError(message)
    return Verdict(ok, message)


def verdict(ok: bool | None, hint_zh: str = "", hint_en: str = "") -> Verdict:
    """Report a verdict decided by a lesson's own check (right, wrong or None: not done)."""
    return _report(ok, hint_zh, hint_en)


# ---------------------------------------------------------------- answers as plain data


class AnswerTypeError(Exception):
    """The answer is not made of numbers (or strings): it cannot be compared."""


def plain(value: object) -> object:
    """The answer as builtin data: ``int``, ``float``, ``str``, ``None`` or tuples of them.

    Lists, tuples, NumPy arrays and Paddle tensors become (nested) tuples; NumPy
    scalars and int/float subclasses become exact ``int``/``float``; a float
    with a whole value becomes an ``int``. The learner's object never decides
    how it compares: only numbers read out of it are kept.

    Raises
    ------
    AnswerTypeError
        For anything else (dicts, sets, bools, other objects).

    Examples
    --------
    >>> import numpy as np
    >>> plain([np.int64(3), 4.0]) == plain((3, 4)) == plain(np.array([3, 4]))
    True
    """
    if value is None or type(value) is str:
        return value
    if type(value).__module__.startswith("paddle") and hasattr(value, "numpy"):
        value = value.numpy()
    module = type(value).__module__
    if module == "numpy" and hasattr(value, "tolist"):  # arrays and NumPy scalars
        kind = getattr(getattr(value, "dtype", None), "kind", "")
        if kind not in ("i", "u", "f"):
            raise AnswerTypeError(type(value).__name__)
        value = value.tolist()
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise AnswerTypeError(type(value).__name__)
    if isinstance(value, int):
        return int.__index__(value)  # the real value, whatever a subclass says
    if isinstance(value, float):
        number = float.__float__(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if isinstance(value, (list, tuple)):
        return tuple(
            plain(item)
            for item in (list.__iter__ if isinstance(value, list) else tuple.__iter__)(value)
        )
    raise AnswerTypeError(type(value).__name__)


def same(got: object, expected: object, rel: float = 1e-9) -> bool:
    """Compare two plain values (from :func:`plain`); floats within `rel`.

    Examples
    --------
    >>> same((1, 2.0), (1, 2)), same((1, 2), (1, 2, 3))
    (True, False)
    """
    if isinstance(expected, tuple):
        return (
            type(got) is tuple
            and len(got) == len(expected)
            and all(same(g, e, rel) for g, e in zip(got, expected, strict=True))
        )
    if type(expected) in (int, float) and type(got) in (int, float):
        return got == expected or math.isclose(got, expected, rel_tol=rel, abs_tol=rel)
    return type(got) is type(expected) and got == expected


def as_array(value: object, dtype: str = "float64"):
    """The answer as a plain NumPy array of `dtype` (via :func:`plain`, so nothing lies)."""
    import numpy as np

    data = plain(value)
    try:
        return np.array(data, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise AnswerTypeError("ragged") from err


def show(value: object, limit: int = 60) -> str:
    """A short text for a value in a hint: arrays by shape, others by repr."""
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, (int, float)):
        return f"<{type(value).__name__} shape {tuple(shape)}>"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(case: dict) -> str:
    """A case for a message: arrays by shape, networks by class name, numbers by value."""
    parts = []
    for key, value in case.items():
        if hasattr(value, "shape"):
            parts.append(f"{key}.shape={tuple(value.shape)}")
        elif isinstance(value, (bool, int, float, str, tuple, list, type(None))):
            parts.append(f"{key}={value!r}")
        else:
            parts.append(f"{key}={type(value).__name__}")
    return ", ".join(parts)


# ---------------------------------------------------------------- the learner's code


class _NotDone(Exception):
    pass


class _LearnerRaised(Exception):
    def __init__(self, error: BaseException):
        super().__init__(error)
        self.error = error


class _Refused(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def learner(run: Callable[[], object]) -> object:
    """Run the learner's code (a no-argument callable) under the runner's rules.

    ``NotImplementedError`` means not done; any other exception becomes a ❌
    that shows it; an answer that cannot be turned into plain data (an
    :class:`AnswerTypeError` raised while converting inside `run`) becomes a ❌
    that names its type.
    """
    try:
        return run()
    except (_NotDone, _Refused, _LearnerRaised):
        raise  # already judged, by a nested call
    except NotImplementedError:
        raise _NotDone from None
    except AnswerTypeError as err:
        raise _Refused(
            f"答案应该由数构成（整数、小数、列表、元组或数组），收到的是 {err}。",
            f"The answer should be made of numbers (ints, floats, lists, tuples or "
            f"arrays), got {err}.",
        ) from None
    except Exception as err:  # noqa: BLE001 - the learner's error is shown to the learner
        raise _LearnerRaised(err) from None


_EMPTY_BODIES = {
    (lambda *args, **kwargs: None).__code__.co_code,
    compile("def f():\n    pass\n", "<empty>", "exec").co_consts[0].co_code,
}


def _is_empty_function(fn: object) -> bool:
    code = getattr(fn, "__code__", None)
    return (
        isinstance(code, types.CodeType)
        and code.co_code in _EMPTY_BODIES
        and all(c is None for c in code.co_consts[:1])
    )


def is_unanswered(answer: object) -> bool:
    """True for None, an empty function, or a class whose methods are all empty bodies.

    A class counts as unanswered when its ``forward`` (for a network) is an
    empty body, as in a student copy.

    Examples
    --------
    >>> def f(x):
    ...     pass
    >>> is_unanswered(None), is_unanswered(f), is_unanswered(abs)
    (True, True, False)
    """
    if answer is None or _is_empty_function(answer):
        return True
    if isinstance(answer, type):
        forward = vars(answer).get("forward")
        return forward is not None and _is_empty_function(forward)
    return False


def _functions(answer: object) -> list[types.FunctionType]:
    """The answer if it is a function, or a class's methods."""
    if isinstance(answer, type):
        return [v for v in vars(answer).values() if isinstance(v, types.FunctionType)]
    return [answer] if isinstance(answer, types.FunctionType) else []


def _code_objects(answer: object) -> list[types.CodeType]:
    """The code of a function or of a class's methods, nested code included."""
    codes, stack = [], [f.__code__ for f in _functions(answer)]
    while stack:
        code = stack.pop()
        if isinstance(code, types.CodeType):
            codes.append(code)
            stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return codes


def uses_reference(answer: object, forbidden: Iterable[object]) -> object | None:
    """The forbidden object that `answer` is, wraps or calls by name; None if none.

    Looks at the answer itself, a ``functools.partial`` around it, and every
    global name and attribute its code uses, followed through modules up to
    three levels (``cu.checks.lesson05.reference``).
    """
    forbidden = list(forbidden)

    def hit(obj):
        return next((f for f in forbidden if obj is f), None)

    if hit(answer) is not None:
        return hit(answer)
    if hit(getattr(answer, "func", None)) is not None:  # functools.partial
        return hit(answer.func)
    names = {name for code in _code_objects(answer) for name in code.co_names}
    for fn in _functions(answer):
        scope = dict(getattr(fn, "__globals__", {}))
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=False):
            try:
                scope[name] = cell.cell_contents
            except ValueError:  # an empty cell
                continue
        names_here = names | set(fn.__code__.co_freevars)
        found = [scope[n] for n in names_here if n in scope]
        for _ in range(3):
            if any(hit(obj) is not None for obj in found):
                return next(hit(obj) for obj in found if hit(obj) is not None)
            found = [
                getattr(obj, n)
                for obj in found
                if isinstance(obj, types.ModuleType)
                for n in names
                if hasattr(obj, n)
            ]
    return None


# ---------------------------------------------------------------- the runner


def case_seed(exercise: str) -> int:
    """The seed of an exercise's random cases (``COURSE_CHECK_SEED`` varies it per assignment).

    Examples
    --------
    >>> case_seed("01.corr2d") == case_seed("01.corr2d")
    True
    """
    return zlib.crc32(f"{_MODE.seed}:{exercise}".encode())


def run(
    exercise: str,
    answer: object,
    trial: Callable[[object, dict], tuple[str, str] | None],
    cases: Callable | Iterable[dict] = ({},),
    hint: tuple[str, str] = ("", ""),
    forbidden: Iterable[object] = (),
) -> Verdict:
    """Check `answer` on every case and report one verdict.

    Parameters
    ----------
    exercise : str
        A stable id, e.g. ``"01.corr2d"``: it fixes the random cases' seed.
    answer : object
        The learner's function, class or value.
    trial : callable
        ``trial(answer, case)`` runs the learner's code through :func:`learner`
        and returns None when the answer passes the case, else ``(zh, en)``.
    cases : callable or iterable of dict
        ``cases(rng)`` with a seeded ``numpy.random.Generator``, or the cases.
    hint : (str, str)
        What to look at when the answer is wrong; never the answer itself.
    forbidden : iterable
        The course's own solutions, which the answer must not be or call.
    """
    if is_unanswered(answer):
        return _report(None)
    used = uses_reference(answer, forbidden)
    if used is not None:
        name = getattr(used, "__name__", type(used).__name__)
        return _report(
            False,
            f"这是课程自己写好的 `{name}`：请用自己的代码完成练习。",
            f"That is the course's own `{name}`: write the exercise with your own code.",
        )
    seed = case_seed(exercise) if callable(cases) else None
    if seed is not None:
        import numpy as np

        cases = cases(np.random.default_rng(seed))
    hint_zh, hint_en = hint
    for number, case in enumerate(cases, start=1):
        where = describe(case)
        try:
            problem = trial(answer, copy.deepcopy(case))
        except _NotDone:
            return _report(None)
        except _Refused as refused:
            problem = (refused.zh, refused.en)
        except _LearnerRaised as raised:
            err = raised.error
            problem = (
                f"运行时出错：{type(err).__name__}: {err}",
                f"It raised {type(err).__name__}: {err}",
            )
        if problem is not None:
            zh, en = problem
            seeded = (
                (f"；随机种子 {seed}", f"; random seed {seed}") if seed is not None else ("", "")
            )
            at_zh = f"\n  情形 {number}（{where}{seeded[0]}）" if where else ""
            at_en = f"\n  Case {number} ({where}{seeded[1]})" if where else ""
            return _report(False, f"{hint_zh}{at_zh}：{zh}", f"{hint_en}{at_en}: {en}")
    return _report(True)


# ---------------------------------------------------------------- common trials


def _returned(value: object) -> object:
    if value is None:
        raise _Refused(
            "函数返回了 None：是不是忘了写 return？",
            "The function returned None: did you forget `return`?",
        )
    return value


def equal_to(reference: Callable, convert: Callable = plain) -> Callable:
    """A trial: the answer must equal ``reference(**case)`` as plain data.

    The answer gets the case's values by position, so the learner may name the
    parameters as they like.
    """

    def trial(answer, case):
        expected = convert(reference(**copy.deepcopy(case)))
        got = learner(lambda: convert(_returned(answer(*case.values()))))
        if same(got, expected):
            return None
        return (
            f"期望 {show(expected)}，得到 {show(got)}。",
            f"expected {show(expected)}, got {show(got)}.",
        )

    return trial


def close_to(reference: Callable, rtol: float = 1e-4, atol: float = 1e-4) -> Callable:
    """A trial: the answer (called by position) must match the reference's array."""
    import numpy as np

    def trial(answer, case):
        expected = np.asarray(reference(**copy.deepcopy(case)), dtype="float64")
        got = learner(lambda: as_array(_returned(answer(*case.values()))))
        if got.shape != expected.shape:
            return (
                f"输出形状应为 {expected.shape}，得到 {got.shape}。",
                f"the output shape should be {expected.shape}, got {got.shape}.",
            )
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            worst = float(np.nanmax(np.abs(got - expected))) if np.isfinite(got).all() else math.inf
            return (
                f"形状正确，但数值最多相差 {worst:.3g}。",
                f"the shape is right but values differ by up to {worst:.3g}.",
            )
        return None

    return trial


def is_number(value: object) -> bool:
    """True for a real number that is not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# ---------------------------------------------------------------- networks


def count_parameters(network) -> int:
    """Trainable parameters of a learner's network, counted by Paddle's own method."""
    import paddle

    params = paddle.nn.Layer.parameters(network)  # a subclass cannot change the count
    return int(sum(int(math.prod(p.shape)) for p in params if not p.stop_gradient))


def run_network(make: Callable, args: dict, x) -> tuple[object, object]:
    """Build ``make(*args.values())`` and run it on `x`; return ``(network, output)``.

    A failure inside the network is reported with the output shape of every
    layer up to the one that failed, so a missing padding or a wrong channel
    count shows where the shapes stop fitting.
    """
    import paddle

    network = learner(lambda: make(*args.values()))
    if not isinstance(network, paddle.nn.Layer):
        raise _Refused(
            f"应该得到一个 paddle.nn.Layer，得到的是 {type(network).__name__}。",
            f"expected a paddle.nn.Layer, got {type(network).__name__}.",
        )
    trace: list[str] = []
    hooks = []
    for name, layer in paddle.nn.Layer.named_sublayers(network):
        if not paddle.nn.Layer.sublayers(layer):  # leaves only

            def entered(layer_, inputs, name=name):
                shape = list(inputs[0].shape) if inputs and hasattr(inputs[0], "shape") else "?"
                trace.append(f"{name} ({type(layer_).__name__}) <- {shape}")

            hooks.append(layer.register_forward_pre_hook(entered))
    try:
        out = learner(lambda: network(x))
    except _LearnerRaised as raised:
        err = raised.error
        steps = "\n    ".join(trace[-4:])
        raise _Refused(
            f"前向计算出错：{type(err).__name__}: {_key_line(err)}\n  "
            f"最后几层的输入形状：\n    {steps}",
            f"the forward pass raised {type(err).__name__}: {_key_line(err)}\n  "
            f"input shapes of the last layers:\n    {steps}",
        ) from None
    finally:
        for hook in hooks:
            hook.remove()
    if not isinstance(out, paddle.Tensor):
        raise _Refused(
            f"forward 应该返回一个张量，返回的是 {type(out).__name__}（忘了 return？）。",
            f"forward should return a tensor, it returned {type(out).__name__} "
            "(a missing `return`?).",
        )
    return network, out


def _key_line(err: BaseException) -> str:
    lines = [line for line in str(err).splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
