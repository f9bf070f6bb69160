"""Run modes, settings from the environment, seeding and CPU threads (lesson 00).

- Mode: full by default; quick when ``COURSE_QUICK=1`` (the tests use it):
  a small, class-balanced subset and one epoch; grading when
  ``COURSE_GRADING=1`` (set by the nbgrader configuration): quick mode with
  even smaller subsets, so a whole class is graded in minutes.
- Threads: Paddle uses one CPU thread unless told otherwise; the course uses
  all cores unless the user set ``FLAGS_paddle_num_threads``.
- A setting that cannot be read warns (in both languages) and falls back to
  its default; it never stops ``import course_utils``.
"""

from __future__ import annotations

import os
import random
import warnings

from .i18n import bilingual, t

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class SettingWarning(UserWarning):
    """An environment variable of the course holds a value it cannot use."""


def _warn(name: str, value: str, rule_zh: str, rule_en: str, default) -> None:
    warnings.warn(
        bilingual(
            f"环境变量 {name}={value!r} 无法使用：它应当是{rule_zh}。改用默认值 {default}。",
            f"The environment variable {name}={value!r} cannot be used: it should be "
            f"{rule_en}. Using the default, {default}.",
        ),
        SettingWarning,
        stacklevel=3,
    )


def env_flag(name: str) -> bool:
    """Read a yes/no environment variable (``1``/``true``/``yes``/``on`` mean yes).

    Anything else than a yes or no word warns and counts as no.

    Examples
    --------
    >>> os.environ["COURSE_EXAMPLE"] = "yes"; env_flag("COURSE_EXAMPLE")
    True
    """
    from .validate import text

    value = os.environ.get(text(name, "name"), "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        _warn(name, value, " 1 或 0", "1 or 0", 0)
    return False


def env_number(name: str, default: float, low: float, integer: bool = False) -> float:
    """Read a number >= `low` from the environment; `default` when unset or unusable.

    Examples
    --------
    >>> os.environ["COURSE_EXAMPLE"] = "2.5"; env_number("COURSE_EXAMPLE", 10.0, 0.1)
    2.5
    """
    from .validate import flag, number, text

    name = text(name, "name")
    default, low = number(default, "default"), number(low, "low")
    integer = flag(integer, "integer")
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
        if not value >= low or value == float("inf"):  # also refuses NaN
            raise ValueError(raw)
    except ValueError:
        kind = ("整数", "an int") if integer else ("数", "a number")
        _warn(name, raw, f"不小于 {low:g} 的{kind[0]}", f"{kind[1]} >= {low:g}", default)
        return default
    return value


def grading_mode() -> bool:
    """Return True when ``COURSE_GRADING`` asks for grading mode (nbgrader sets it).

    Examples
    --------
    >>> grading_mode() in (True, False)
    True
    """
    return env_flag("COURSE_GRADING")


def quick_mode() -> bool:
    """Return True in quick mode (``COURSE_QUICK``), which grading mode implies.

    Examples
    --------
    >>> quick_mode() in (True, False)
    True
    """
    return env_flag("COURSE_QUICK") or grading_mode()


def epochs(full: int) -> int:
    """Number of epochs to train: `full` in full mode, 1 in quick mode.

    Examples
    --------
    >>> epochs(5) == (1 if quick_mode() else 5)
    True
    """
    from .validate import positive

    full = positive(full, "full")
    return 1 if quick_mode() else full


def describe_mode() -> str:
    """One line that says which mode the course runs in."""
    if grading_mode():
        return t(
            "评分模式（COURSE_GRADING=1）：极小的子集，训练很短，只为给练习评分。",
            "Grading mode (COURSE_GRADING=1): tiny subsets and very short training, "
            "only to grade the exercises.",
        )
    if quick_mode():
        return t(
            "快速模式（COURSE_QUICK=1）：小子集、训练 1 轮，数字仅供检查代码能否运行。",
            "Quick mode (COURSE_QUICK=1): a small subset and one epoch; "
            "the numbers only show that the code runs.",
        )
    return t(
        "完整模式：完整数据集、完整训练轮数。",
        "Full mode: the whole data set and all epochs.",
    )


def usable_cores() -> int:
    """CPU cores this process may use: its CPU affinity, capped by a container's CPU quota.

    A pod limited to 2 CPUs on a 64-core node gets 2, not 64 (cgroup v2 ``cpu.max``).

    Examples
    --------
    >>> usable_cores() >= 1
    True
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = open("/sys/fs/cgroup/cpu.max", encoding="ascii").read().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def use_all_cores() -> int:
    """Let Paddle use every usable CPU core unless ``FLAGS_paddle_num_threads`` is set.

    Sets the environment variable (read when Paddle starts) and, if Paddle is
    already imported, the live flag. A value that is not a positive int
    warns and is replaced by the core count (:func:`usable_cores`). Returns
    the thread count in force.
    """
    import sys

    cores = usable_cores()
    threads = int(env_number("FLAGS_paddle_num_threads", cores, 1, integer=True))
    os.environ["FLAGS_paddle_num_threads"] = str(threads)
    if "paddle" in sys.modules:
        sys.modules["paddle"].set_flags({"FLAGS_paddle_num_threads": threads})
    return threads


def seed_everything(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy and Paddle so runs repeat.

    Examples
    --------
    >>> seed_everything(1); a = random.random(); seed_everything(1)
    >>> a == random.random()
    True
    """
    import numpy as np
    import paddle

    from .validate import integer

    seed = integer(seed, "seed", low=0, high=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)
    paddle.seed(seed)
