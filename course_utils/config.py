"""Run mode, seeding and CPU threads (introduced in lesson 00).

- Mode: full by default; quick when ``COURSE_QUICK=1`` (the tests use it):
  a small, class-balanced subset and one epoch.
- Threads: Paddle uses one CPU thread unless told otherwise; the course uses
  all cores unless the user set ``FLAGS_paddle_num_threads``.
"""

from __future__ import annotations

import os
import random

from .i18n import t

_TRUE = ("1", "true", "yes", "on")


def quick_mode() -> bool:
    """Return True when ``COURSE_QUICK`` asks for quick mode.

    Examples
    --------
    >>> quick_mode() in (True, False)
    True
    """
    return os.environ.get("COURSE_QUICK", "").strip().lower() in _TRUE


def epochs(full: int) -> int:
    """Number of epochs to train: `full` in full mode, 1 in quick mode.

    Examples
    --------
    >>> epochs(5) == (1 if quick_mode() else 5)
    True
    """
    return 1 if quick_mode() else full


def describe_mode() -> str:
    """One line that says which mode the course runs in."""
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


def use_all_cores() -> int:
    """Let Paddle use every CPU core unless ``FLAGS_paddle_num_threads`` is set.

    Sets the environment variable (read when Paddle starts) and, if Paddle is
    already imported, the live flag. Returns the thread count in force.
    """
    if "FLAGS_paddle_num_threads" not in os.environ:
        os.environ["FLAGS_paddle_num_threads"] = str(os.cpu_count() or 1)
    threads = int(os.environ["FLAGS_paddle_num_threads"])
    import sys

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

    random.seed(seed)
    np.random.seed(seed)
    paddle.seed(seed)
