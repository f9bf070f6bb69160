"""Grade a folder of submitted notebooks without nbgrader (for teachers).

Each notebook is run in grading mode (``COURSE_GRADING=1``: checks raise on
anything but a right answer, tiny data, short training); an exercise scores
its points when its check cell (tagged ``points-N``) ran without an error.
The scores are printed as CSV: one row per notebook, one column per exercise.

    python -m course_utils.grade submissions/ > scores.csv

Give it the student copies the class handed back (``make notebooks`` writes
them to ``build/notebooks/student*/``), one file per student and lesson; the
folder is searched recursively. With ``--source notebooks`` the check cells
are restored from the teacher's copy first, so an edited check cannot score.
nbgrader does more (every locked cell restored, feedback pages); see
``docs/teaching.md``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import nbformat

from .i18n import bilingual
from .nbbuild import exercises


def restore_checks(nb, teacher) -> None:
    """Put the teacher's check cells back into a submission (a student may have edited them)."""
    mine, theirs = exercises(nb), exercises(teacher)
    if len(mine) != len(theirs):
        raise ValueError(
            bilingual(
                f"提交的笔记本有 {len(mine)} 道练习，教师的有 {len(theirs)} 道：是同一课吗？",
                f"The submission has {len(mine)} exercises and the teacher's copy "
                f"{len(theirs)}: is it the same lesson?",
            )
        )
    for (_, check, _), (_, source, _) in zip(mine, theirs, strict=True):
        nb.cells[check].source = teacher.cells[source].source
        nb.cells[check].metadata.tags = list(teacher.cells[source].metadata.get("tags", []))


def grade_notebook(
    path: Path, teacher: Path | None = None, timeout: int = 300, kernel: str = "cnn-course"
) -> dict:
    """Run one notebook in grading mode; return ``{"notebook", "score", "max", "exK": points}``.

    With `teacher` (the lesson's source notebook), the check cells are first
    restored from it.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if teacher is not None:
        restore_checks(nb, nbformat.read(teacher, as_version=4))
    environment = {**os.environ, "COURSE_GRADING": "1"}
    environment.pop("COURSE_CHECKPOINT_DIR", None)  # each notebook keeps its own, beside it
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=environment)
    row = {"notebook": str(path), "score": 0, "max": 0}
    for number, (_, check, points) in enumerate(exercises(nb), start=1):
        failed = any(out.get("output_type") == "error" for out in nb.cells[check].outputs)
        row[f"ex{number}"] = 0 if failed else points
        row["score"] += row[f"ex{number}"]
        row["max"] += points
    return row


def main(argv: list[str] | None = None) -> int:
    """Command line: grade every notebook under a folder and print CSV."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.grade", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("folder", type=Path, help="folder of submitted notebooks")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("--kernel", default="cnn-course", help="Jupyter kernel to run them")
    parser.add_argument(
        "--source", type=Path, default=None, help="the lessons' source notebooks: restores checks"
    )
    args = parser.parse_args(argv)
    paths = sorted(args.folder.rglob("*.ipynb")) if args.folder.is_dir() else []
    if not paths:
        print(
            bilingual(
                f"在 {args.folder} 里没有找到笔记本（.ipynb）。",
                f"No notebook (.ipynb) found in {args.folder}.",
            ),
            file=sys.stderr,
        )
        return 1
    rows = []
    for path in paths:
        teacher = args.source / path.name if args.source else None
        rows.append(grade_notebook(path, teacher, args.timeout, args.kernel))
    columns = ["notebook", "score", "max"] + sorted(
        {k for row in rows for k in row if k.startswith("ex")}, key=lambda k: int(k[2:])
    )
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
