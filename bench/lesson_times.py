"""Wall time of every lesson in quick, grading or full mode, next to its header's promise.

``python bench/lesson_times.py --mode quick`` (or ``make lesson-times``) executes
each notebook in a fresh kernel, in lesson order (so lesson 09 finds lesson 05's
checkpoint, as a learner's would), and writes ``bench/times-<mode>.md``: one row per
lesson with the measured seconds and the "Expected run time" line of its header.
Run it on an idle machine; nothing here is a test threshold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from run import machine, run_notebook  # noqa: E402

MODES = {  # mode: environment variables that select it
    "quick": {"COURSE_QUICK": "1"},
    "grading": {"COURSE_GRADING": "1"},
    "full": {},
}


def header_promise(path: Path) -> str:
    """The English "Expected run time" sentence of a lesson's header ('' if none).

    Examples
    --------
    >>> header_promise(ROOT / "notebooks" / "05_lenet.ipynb").startswith("**Expected run time**")
    True
    """
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if "lang-en" in cell.get("metadata", {}).get("tags", []):
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("**Expected run time**"):
                    return line
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(MODES), default="quick")
    parser.add_argument("--lessons", nargs="*", help="lesson numbers (default: all)")
    args = parser.parse_args(argv)
    for name in ("COURSE_QUICK", "COURSE_GRADING"):
        os.environ.pop(name, None)
    os.environ.update(MODES[args.mode])
    os.environ.setdefault("FLAGS_paddle_num_threads", str(os.cpu_count() or 1))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.lessons:
        paths = [p for p in paths if p.name[:2] in args.lessons]
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as checkpoints:  # a fresh learner: no checkpoints yet
        os.environ["COURSE_CHECKPOINT_DIR"] = checkpoints
        for path in paths:
            print(f"{path.name} ({args.mode}) ...", flush=True)
            seconds, error = run_notebook(path, timeout=3600)
            print(f"  {seconds:.0f} s, {error or 'ok'}", flush=True)
            failed |= error is not None
            promise = header_promise(path).removeprefix("**Expected run time**:").strip()
            rows.append(f"| {path.stem} | {seconds:.0f} | {error or 'ok'} | {promise} |")
    lines = [
        f"# Lesson run times, {args.mode} mode",
        "",
        f"Written by `bench/lesson_times.py --mode {args.mode}` on {dt.date.today().isoformat()}: "
        "each lesson in a fresh kernel, in order, starting with no checkpoints.",
        "",
        *machine(),
        "",
        "| lesson | measured (s) | result | the header says |",
        "| --- | ---: | --- | --- |",
        *rows,
        "",
    ]
    out = ROOT / "bench" / f"times-{args.mode}.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
