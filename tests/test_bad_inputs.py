"""Property test: random bad values for every public function, class and widget.

For each public callable (tests/bad_inputs.py lists them with their good
arguments) and each of its parameters, Hypothesis draws values outside what
the parameter accepts: a wrong *type* must raise ``TypeError`` and a wrong
*value* ``ValueError``, with a message in both languages that names the
parameter. The test fails on any other exception, on a bad value accepted
(a result returned), and on a hang: every call runs in a worker process and
is stopped after ``CALL_TIMEOUT`` seconds. Exercise checks, given answers of
every kind in learner mode, must print a verdict and never raise, and never
pass a bad answer.

The run is seeded (``derandomize``), so it repeats. ``COURSE_BAD_INPUT_EXAMPLES``
sets the examples per parameter (default 8). The figures of a run (calls,
clear errors, other exceptions, hangs, acceptances) are printed at the end
and written to ``build/bad-inputs.json``.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import time
from collections import Counter
from pathlib import Path

import bad_inputs
import numpy as np
import pytest
from bad_inputs import BY_NAME, NO_ARGUMENTS, NOT_CALLED, TARGETS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("COURSE_BAD_INPUT_EXAMPLES", "8"))
# Seconds per call; the slowest good call takes about 2 s on 2 busy cores.
CALL_TIMEOUT = float(os.environ.get("COURSE_BAD_INPUT_TIMEOUT", "30"))
SURVEY = os.environ.get("COURSE_BAD_INPUT_SURVEY", "") == "1"  # count only, never fail

# Every search: EXAMPLES examples, the same ones every run, no time limit of Hypothesis's
# own (the worker has CALL_TIMEOUT), nothing stored between runs.
SEARCH = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

FIGURES: Counter = Counter()
BY_TARGET: dict[str, dict[str, int]] = {}
PROBLEMS: list[str] = []


class Worker:
    """A process that runs the calls; restarted after a hang or a crash."""

    def __init__(self):
        self.context = multiprocessing.get_context("spawn")
        self.start()

    def start(self) -> None:
        self.conn, child = self.context.Pipe()
        self.process = self.context.Process(target=bad_inputs.serve, args=(child,), daemon=True)
        self.process.start()
        if not self.conn.poll(180) or self.conn.recv() != "ready":
            raise RuntimeError("the bad-input worker did not start")

    def ask(self, kind: str, *args, timeout: float = CALL_TIMEOUT):
        self.conn.send((kind, args))
        try:
            if self.conn.poll(timeout):
                return self.conn.recv()
        except EOFError:
            self.restart()
            return "other", "the worker process died (a crash in native code)"
        self.restart()
        return "hang", f"no answer within {timeout:g} s"

    def restart(self) -> None:
        self.process.kill()
        self.process.join()
        self.start()

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()


@pytest.fixture(scope="module")
def worker(request):
    started = time.perf_counter()
    w = Worker()
    yield w
    w.close()
    FIGURES["seconds"] = round(time.perf_counter() - started, 1)
    summary = {"figures": dict(FIGURES), "by_target": BY_TARGET, "problems": PROBLEMS}
    out = Path(__file__).resolve().parents[1] / "build" / "bad-inputs.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=1, ensure_ascii=False), "utf-8")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        line = ", ".join(f"{k} {v}" for k, v in sorted(FIGURES.items()))
        reporter.write_line(f"\nbad inputs: {line} (details in {out})")


# ---------------------------------------------------------------- bad values, by kind

S = st.sampled_from
OBJECT, FUNCTION = ("special", "object"), ("special", "function")


def _tagged(tag: str, strategy):
    return strategy.map(lambda value: (tag, value))


def _either(types: list, values: list | None = None, type_extra=None, value_extra=None):
    """Wrong types and wrong values, each drawn as (tag, recipe)."""
    options = [_tagged("type", S(types))]
    if type_extra is not None:
        options.append(_tagged("type", type_extra))
    if values:
        options.append(_tagged("value", S(values)))
    if value_extra is not None:
        options.append(_tagged("value", value_extra))
    return st.one_of(options)


def _not_none(values: list, optional: bool) -> list:
    return [v for v in values if not (optional and v is None)]


def _int(kind):
    low, high = kind.args
    types = _not_none(
        ["3", None, 2.5, True, False, [1], 1 + 2j, math.nan, b"3", OBJECT], kind.optional
    )
    values = []
    if low is not None:
        values.append(st.integers(max_value=low - 1, min_value=low - 10**12))
        values.append(st.just(np.int64(low - 1)))
    if high is not None:
        values.append(st.integers(min_value=high + 1, max_value=high + 10**12))
    non_integral = st.floats(-1e6, 1e6).filter(lambda x: not float(x).is_integer())
    return _either(types, None, non_integral, st.one_of(values) if values else None)


def _float(kind):
    low, high, low_open = kind.args
    types = _not_none(["0.5", None, True, [0.1], 1 + 2j, b"1", OBJECT], kind.optional)
    values = [st.sampled_from([math.nan, math.inf, -math.inf])]
    if low is not None:
        values.append(st.floats(max_value=low, exclude_max=not low_open, allow_nan=False))
    if high is not None:
        values.append(st.floats(min_value=high, allow_nan=False, allow_infinity=False))
    return _either(types, None, None, st.one_of(values))


def _choice(kind):
    options = kind.args
    if all(isinstance(o, str) for o in options):
        types = _not_none([1, None, 2.5, b"max", [options[0]], OBJECT], kind.optional)
        words = st.text(max_size=12).filter(
            lambda s: s.strip().lower() not in [o.lower() for o in options]
        )
        return _either(types, ["", "nope"], None, words)
    types = _not_none(["3", None, 3.5, OBJECT], kind.optional)
    return _either(types, None, None, st.integers(-100, 100).filter(lambda n: n not in options))


def _array(kind):
    (ndims,) = kind.args
    types = _not_none(
        ["abc", None, OBJECT, [[1, "a"]], np.ones((2, 2), bool), [[1, 2], [3]],
         np.ones((2, 2), complex), {"a": 1}],
        kind.optional,
    )  # fmt: skip
    wrong = [n for n in range(0, 6) if n not in ndims]
    dims = ndims[0]

    @st.composite
    def bad_values(draw):
        what = draw(S(["ndim", "empty", "nan", "inf", "overflow"]))
        if what == "ndim":
            return np.ones((2,) * draw(S(wrong)), "float32")
        if what == "empty":
            return np.zeros((1,) * (dims - 1) + (0,), "float32")
        shape = (1,) * (dims - 2) + tuple(draw(st.integers(2, 5)) for _ in range(min(dims, 2)))
        array = np.ones(shape, "float64")
        bad = {"nan": math.nan, "inf": -math.inf, "overflow": 1e39}[what]
        array.flat[draw(st.integers(0, array.size - 1))] = bad
        return array

    return _either(types, None, None, bad_values())


def _shape(kind):
    (ndim,) = kind.args
    ndims = ndim if isinstance(ndim, tuple) else (ndim,)
    n = ndims[-1]
    good = [1, 28, 28][:n] if n <= 3 else [1] * n
    types = [28, "1,28,28", None, 2.5, [1, 28.5, 28][:n], [1, "a", 28][:n], OBJECT]
    wrong_length = [[1] * k for k in range(0, 6) if k not in ndims]
    values = [
        *wrong_length,
        [0, *good[1:]],
        [*good[:-1], -3],
        [*good[:-1], 10**5],
    ]
    return _either(types, values)


def _answer(_kind):
    plain = [
        None, 3, -1, 2.5, math.nan, math.inf, "abc", b"x", [], [1, 2], [[1, 2], [3]],
        {"a": 1}, np.array(math.nan), np.zeros((0,)), np.ones((3, 3)), (1, 2), True,
        np.ones((40, 40)), [[math.inf]],
    ]  # fmt: skip
    special = [
        "object", "bad_repr", "function", "raising", "none", "nan", "string", "huge_list",
        "returns_bad_repr", "returns_dict", "returns_bool", "wrong_arity", "not_a_layer_class",
        "layer_class_none", "layer_class_raising", "layer", "layer_class", "generator",
    ]  # fmt: skip
    return _tagged("value", S(plain + [("special", s) for s in special]))


NAN2 = np.full((2, 2), math.nan)
KINDS = {
    "int": _int,
    "float": _float,
    "choice": _choice,
    "array": _array,
    "shape": _shape,
    "answer": _answer,
    "bool": lambda k: _either(_not_none([1, 0, "yes", None, 1.0, [True], OBJECT], k.optional)),
    "text": lambda k: _either(_not_none([1, None, b"x", ["a"], 2.5, OBJECT], k.optional)),
    "pair": lambda k: _either([2.5, "3", None, [3, "a"], OBJECT], [0, -1, (3, 3, 3), (0, 3), ()]),
    "padding": lambda k: _either(
        [2.5, None, True, {"a": 1}, 1 + 2j, [1.5, 1]], [-1, "full", "", (1, 2, 3), (-1, 0)]
    ),
    "labels": lambda k: _either(
        ["abc", None, [0.5, 1], [[True]], OBJECT],
        [[-1], [[0, 1], [1, 0]], [], [math.nan]] + ([[k.args[0]]] if k.args[0] else []),
    ),
    "network": lambda k: _either(
        ["net", None, 3, np.zeros(3), FUNCTION, ("special", "model"), ("special", "layer_class")]
    ),
    "model": lambda k: _either(
        ["model", None, 3, OBJECT] + ([] if k.args[0] else [("special", "layer")])
    ),
    "dataset": lambda k: _either(
        [3, "data", None, np.zeros((3, 1, 28, 28)), {"a": 1}, OBJECT],
        [("special", "empty_dataset")],
    ),
    "path": lambda k: _either(_not_none([3, None, b"x", ["a"], OBJECT], k.optional), [""]),
    "name": lambda k: _either([3, None, b"x", ["a"]], ["", "../x", "/abs", "a/b", ".hidden"]),
    "history": lambda k: _either(
        _not_none(["h", 3, [1], None, OBJECT, ("special", "history_class")], k.optional)
    ),
    "widths": lambda k: _either(
        [3, "16,24", None, [1, 2.5, 3, 4], {"a": 1}],
        [[1, 2, 3], [1, 2, 3, 4, 5], [0, 1, 1, 1], [-1, 1, 1, 1], [10**6, 1, 1, 1]],
    ),
    "layers": lambda k: _either(
        [3, "abc", None, [3], [(3, "a")], [(3, 2.5)]], [[(3,)], [(0, 1)], [(3, 1, 1, 1)], [(3, -1)]]
    ),
    "entries": lambda k: _either(
        [3, None, "abc", [[None]], [[1 + 2j]], [["1", [2]]], [[OBJECT]]],
        [[], [[]], [["1", "2"], ["3"]], [["abc"]], [[""]], [["1e39"]], [[math.nan]], [["1/0"]]],
    ),
    "images": lambda k: _either(
        [3, None, "abc", [None], ["a"], [OBJECT]],
        [[], [np.zeros((2, 2, 2, 2))], [np.zeros((0, 3))], [NAN2], [np.zeros((2, 4, 4))]],
    ),
    "titles": lambda k: _either(
        _not_none([3, "ab", [1, 2], [None, "a"], None, OBJECT], k.optional),
        [["a"], ["a", "b", "c"]],
    ),
    "cmap": lambda k: _either([3, None, ["gray"], OBJECT], ["notacolormap", ""]),
    "cm": lambda k: _either(
        ["abc", None, [["a"]], OBJECT],
        [[[1, 2, 3]], [[-1, 0], [0, 1]], [[math.nan]], [], [1, 2]],
    ),
    "figure": lambda k: _either([3, None, "fig", OBJECT, np.zeros((2, 2))]),
    "dict": lambda k: _either([3, "abc", None, [1], OBJECT]),
    "bytes": lambda k: _either(["abc", 3, None, [1], OBJECT]),
    "image_or_choice": lambda k: _either(
        [None, b"x", OBJECT, [["a"]]], [3, "nope", np.zeros((0, 3)), NAN2, np.ones((2, 2, 2, 2))]
    ),
    "kernel_or_preset": lambda k: _either(
        [None, OBJECT, [["a"]]], [3, "nope", NAN2, np.ones((70, 70)), np.full((3, 3), 1e38)]
    ),
    "preset": lambda k: _either([3, None, ["sobel_x"], OBJECT], ["nope", ""]),
    "steps": lambda k: _either([3, None, "abc", [1, 2], OBJECT], [[]]),
    "modes": lambda k: _either([3, None, "max", [1], OBJECT], [(), ("min",)]),
    "image_list": lambda k: _either(
        [3, None, "abc", OBJECT],
        [[], [np.zeros((1, 4))], [np.full((1, 28, 28), math.nan)]],
    ),
    "label_list": lambda k: _either([3, "ab", OBJECT], [[1], [1, 2, 3]]),
    "types": lambda k: _either(["Conv2D", 3, (3,), None]),
    "exception": lambda k: _either(["abc", 3, None, OBJECT, ("special", "exception_class")]),
}


def strategy(kind):
    return KINDS[kind.name](kind)


# ---------------------------------------------------------------- the tests

PAIRS = [(t.name, p) for t in TARGETS for p in t.params]


def _record(outcome: str, detail: str, where: str) -> None:
    FIGURES["calls"] += 1
    FIGURES[outcome] += 1
    target = BY_TARGET.setdefault(where.split("(")[0].split("[")[0], {})
    target[outcome] = target.get(outcome, 0) + 1
    if outcome != "clear":
        PROBLEMS.append(f"{where}: {outcome}: {detail[:600]}")


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_good_arguments_work(worker, name):
    """every target works with its good arguments (so a bad value is what an error is about)"""
    outcome, detail = worker.ask("good", name)
    assert outcome == "ok", detail


@pytest.mark.parametrize("name, param", PAIRS, ids=[f"{n}-{p}" for n, p in PAIRS])
def test_bad_values_get_a_clear_bilingual_error(worker, name, param):
    """a bad value gets TypeError/ValueError in both languages naming the parameter, in time"""
    kind = BY_NAME[name].params[param]

    @SEARCH
    @given(strategy(kind))
    def check(drawn):
        tag, recipe = drawn
        outcome, detail = worker.ask("one", name, param, tag, recipe)
        _record(outcome, detail, f"{name}({param}={recipe!r:.80})")
        if not SURVEY:
            assert outcome == "clear", f"{param}={recipe!r:.200} ({tag}): {outcome}: {detail}"

    check()


@pytest.mark.parametrize("path", NO_ARGUMENTS)
def test_functions_without_arguments_never_raise(worker, path):
    """a public function without learner arguments runs without an exception"""
    outcome, detail = worker.ask("none", path)
    assert outcome == "ok", detail


SCENARIOS = {
    "window_player": st.lists(
        st.tuples(S(["padding", "stride", "step"]), st.integers(0, 8)), min_size=1, max_size=6
    ),
    "kernel_explorer": st.lists(
        st.tuples(
            st.integers(0, 2),
            st.integers(0, 2),
            S(["1", "-2.5", "1/9", "", "abc", "1e38", "-1e38", "1/0", "nan", "inf", "3e39"]),
        ),
        min_size=1,
        max_size=5,
    ),
    "pooling_explorer": st.lists(
        st.tuples(S(["k", "stride", "padding", "mode", "source"]), st.integers(0, 8)),
        min_size=1,
        max_size=6,
    ),
    "feature_map_explorer": st.lists(
        st.tuples(S(["index", "layer"]), st.integers(0, 3)), min_size=1, max_size=4
    ),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_widget_callbacks_show_errors_in_the_widget(worker, scenario):
    """moving a widget's controls never lets an exception escape a callback

    Settings that cannot work (a kernel larger than the padded grid, text that
    is not a number, a bad image) show a bilingual message in the widget and
    leave the last good picture.
    """

    @SEARCH
    @given(SCENARIOS[scenario])
    def check(moves):
        outcome, detail = worker.ask("scenario", scenario, moves)
        _record(outcome, detail, f"widget callbacks: {scenario}({moves})")
        if not SURVEY:
            assert outcome == "clear", f"{moves}: {outcome}: {detail}"

    check()


def test_every_public_name_is_covered():
    """every public function, class and widget method is called here or listed as not called"""
    missing = sorted(set(bad_inputs.public_names()) - set(BY_NAME) - set(NOT_CALLED))
    missing = [
        m for m in missing if not any(p.endswith(":" + m.split(".")[-1]) for p in NO_ARGUMENTS)
    ]
    assert not missing, missing
