"""Peak resident memory of each lesson's kernel, to size per-student hub limits.

Runs each notebook with nbclient (one kernel per notebook, in a temporary copy of
``notebooks/``), then asks the kernel for its own peak resident set size
(``ru_maxrss``). The mode is whatever ``COURSE_QUICK`` says; ``make bench``
measures full mode for lessons 05-08 (bench/results.md).

Usage::

    COURSE_QUICK=1 .venv/bin/python deploy/measure_memory.py [--lessons 01 05] [--out FILE]

Prints one Markdown table row per lesson: lesson, mode, seconds, peak MB, result.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEAK_CELL = (
    "import resource as _r, sys as _s\n"
    "_kb = _r.getrusage(_r.RUSAGE_SELF).ru_maxrss\n"
    "print('PEAK_KB', _kb if _s.platform != 'darwin' else _kb // 1024)"
)


def measure(path: Path, timeout: int) -> tuple[float, float | None, str]:
    """Run one notebook; return (seconds, peak MB or None, 'ok' or the error)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,  # the peak is still read after a failing cell
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    failed = [
        i
        for i, c in enumerate(nb.cells)
        if any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    result = f"failed: error in cell {failed[0]}" if failed else "ok"
    peak = None
    for output in nb.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith("PEAK_KB"):
                peak = int(line.split()[1]) / 1024
    return seconds, peak, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="*", default=None, help="lesson numbers, e.g. 01 05")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument("--out", type=Path, help="also append the rows to this file")
    args = parser.parse_args(argv)
    mode = "quick" if os.environ.get("COURSE_QUICK") == "1" else "full"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "notebooks"
        shutil.copytree(ROOT / "notebooks", copy)
        paths = sorted(copy.glob("[0-9][0-9]_*.ipynb"))
        if args.lessons:
            paths = [p for p in paths if p.name[:2] in args.lessons]
        rows = [
            "| lesson | mode | seconds | kernel peak RSS (MB) | result |",
            "| --- | --- | ---: | ---: | --- |",
        ]
        print("\n".join(rows), flush=True)
        for path in paths:
            seconds, peak, result = measure(path, args.timeout)
            shown = f"{peak:.0f}" if peak is not None else "?"
            rows.append(f"| {path.stem} | {mode} | {seconds:.0f} | {shown} | {result} |")
            print(rows[-1], flush=True)
    if args.out:
        with open(args.out, "a") as out:
            out.write("\n".join(rows) + "\n")
    return 0 if all("failed" not in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
