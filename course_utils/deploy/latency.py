"""Measure how long one prediction takes (lesson 10).

:func:`median_ms` times a function the plain way: a few warm-up calls (the
first calls allocate memory and pick kernels), then many timed calls, and
the median, which one slow call (another program taking the CPU) does not
move. :func:`latency_table` does it for several engines and batch sizes in
one run; :func:`latency_figure` draws the table as grouped bars.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

__all__ = ["latency_figure", "latency_table", "median_ms"]


def median_ms(fn: Callable, x, repeats: int = 20, warmup: int = 3) -> float:
    """Median time of ``fn(x)`` in milliseconds over `repeats` calls, after `warmup` calls.

    Raises
    ------
    TypeError
        `fn` is not callable.
    TypeError, ValueError
        `repeats` is not a positive int or `warmup` a non-negative int.

    Examples
    --------
    >>> median_ms(sum, [1, 2, 3], repeats=5) >= 0
    True
    """
    from ..validate import non_negative, positive, type_error

    if not callable(fn):
        raise type_error("fn", "函数", "a function", fn)
    repeats, warmup = positive(repeats, "repeats"), non_negative(warmup, "warmup")
    for _ in range(warmup):
        fn(x)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000)


def latency_table(
    engines: dict[str, Callable], inputs: dict[int, np.ndarray], repeats: int = 20
) -> dict[str, dict[int, float]]:
    """Engine name -> {batch size -> median milliseconds}, measured one after another.

    Parameters
    ----------
    engines : dict
        Name -> function that takes a float32 batch (N, 1, 28, 28).
    inputs : dict
        Batch size -> the batch to use.
    repeats : int
        Timed calls per engine and batch size.

    Examples
    --------
    >>> table = latency_table({"sum": np.sum}, {1: np.zeros((1, 1, 28, 28))}, repeats=3)
    >>> list(table), list(table["sum"])
    (['sum'], [1])
    """
    return {
        name: {size: median_ms(fn, x, repeats) for size, x in inputs.items()}
        for name, fn in engines.items()
    }


def latency_figure(table: dict[str, dict[int, float]]):
    """Grouped horizontal bars: one group per engine, one bar per batch size (milliseconds).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    from ..plotting import cjk_font, label

    cjk_font()
    names = list(table)
    sizes = sorted({size for row in table.values() for size in row})
    fig = Figure(figsize=(6.4 * len(sizes) / 1.4, 0.45 * len(names) + 1.2), layout="constrained")
    axes = fig.subplots(1, len(sizes), squeeze=False)[0]
    rows = np.arange(len(names))
    for ax, size in zip(axes, sizes, strict=True):
        values = [table[name].get(size, np.nan) for name in names]
        bars = ax.barh(rows, values, color=[f"C{i}" for i in range(len(names))])
        ax.bar_label(bars, fmt="%.3g", fontsize=8, padding=2)
        ax.set_yticks(rows, names if ax is axes[0] else [""] * len(names))
        ax.invert_yaxis()
        ax.set_xlim(0, np.nanmax(values) * 1.25)
        ax.set_xlabel(label("毫秒（中位数）", "milliseconds (median)"))
        ax.set_title(label(f"批量大小 {size}", f"batch size {size}"), fontsize=10)
    return fig
