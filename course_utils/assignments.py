"""Turn the lessons into an nbgrader course that grades itself (for teachers).

``make assignments`` (or ``python -m course_utils.assignments``) writes::

    OUT/nbgrader_config.py              kernel, cell timeout, grading mode
    OUT/source/NN_name/NN_name.ipynb    every lesson that has exercises

Each exercise of a lesson is an answer cell followed by its check cell tagged
``points-N`` (see :mod:`course_utils.nbbuild`). In the nbgrader copy the answer
cell becomes an autograded answer cell, the check cell a locked autograder test
worth N points, and every other cell is read-only, so nbgrader restores it
when grading. A teacher then uses nbgrader's own commands unchanged, from OUT::

    nbgrader generate_assignment 05_lenet
    nbgrader autograde 05_lenet
    nbgrader generate_feedback 05_lenet

The configuration sets ``COURSE_GRADING=1``: checks raise on anything but a
right answer (so nbgrader gives 0 points), data subsets are tiny and training
short, so a lesson grades in about a minute on a laptop.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .i18n import bilingual
from .nbbuild import PLACEHOLDER, check_notebook, exercises, single_language

KERNEL = "cnn-course"
KERNELSPEC = {
    "name": KERNEL,
    "display_name": "Python 3 (CNN course 卷积神经网络课程)",
    "language": "python",
}
CELL_TIMEOUT = 300  # seconds per cell when grading; grading mode keeps cells far shorter

CONFIG = '''\
"""nbgrader configuration of the CNN course (written by `make assignments`)."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader
c.CourseDirectory.course_id = "cnn-course"
# The course's environment, registered by `make setup` as a Jupyter kernel.
c.Execute.kernel_name = "{kernel}"
c.Execute.timeout = {timeout}
# The student copy's placeholder: an unanswered exercise returns None ("not done yet").
c.ClearSolutions.code_stub = {{"python": "{placeholder}"}}
c.ClearSolutions.text_stub = "在这里写你的答案 / YOUR ANSWER HERE"
# Grading mode: checks raise on anything but a right answer, tiny data, short training,
# checkpoints in each submission's own folder.
os.environ["COURSE_GRADING"] = "1"
os.environ.setdefault("COURSE_CHECK_SEED", "{seed}")
{data_dir}'''


def nbgrader_notebook(nb: NotebookNode, lang: str = "both") -> NotebookNode:
    """A copy of a lesson with nbgrader's cell metadata, in one language or both.

    Answer cells are autograded answers, check cells locked tests with their
    points, every other cell read-only. Grade ids are ``exK-answer``,
    ``exK-check`` and ``cell-I``.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> answer = new_code_cell("x = None\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION")
    >>> check = new_code_cell("check(x)", metadata={"tags": ["points-2"]})
    >>> cells = nbgrader_notebook(new_notebook(cells=[answer, check])).cells
    >>> cells[1].metadata.nbgrader["points"], cells[1].metadata.nbgrader["locked"]
    (2, True)
    """
    out = copy.deepcopy(nb) if lang == "both" else single_language(nb, lang)
    out.metadata["kernelspec"] = dict(KERNELSPEC)
    answers, checks = {}, {}
    for number, (answer, check, points) in enumerate(exercises(out), start=1):
        answers[answer], checks[check] = number, (number, points)
    for index, cell in enumerate(out.cells):
        if index in answers:
            meta = _meta(f"ex{answers[index]}-answer", solution=True, locked=False)
        elif index in checks:
            number, points = checks[index]
            meta = _meta(f"ex{number}-check", grade=True, locked=True, points=points)
        else:
            meta = _meta(f"cell-{index}", locked=True)
        cell.metadata["nbgrader"] = meta
    return out


def _meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def config_text(data_dir: str | None = None, seed: str = "cnn-course") -> str:
    """The ``nbgrader_config.py`` of the course; `data_dir` becomes ``COURSE_DATA_DIR``."""
    data_line = f'os.environ.setdefault("COURSE_DATA_DIR", {data_dir!r})\n' if data_dir else ""
    return CONFIG.format(
        kernel=KERNEL,
        timeout=CELL_TIMEOUT,
        placeholder=PLACEHOLDER,
        seed=seed,
        data_dir=data_line,
    )


def build(
    src_dir: str | Path, out_dir: str | Path, lang: str = "both", data_dir: str | None = None
) -> list[Path]:
    """Write the nbgrader course: its configuration and one source assignment per lesson.

    Lessons without exercises are left out. Returns the notebooks written.

    Raises
    ------
    ValueError
        A lesson breaks the notebook conventions, or `lang` is not zh, en or both.
    """
    from .validate import choice

    lang = choice(lang, "lang", ("both", "zh", "en"))
    paths = sorted(Path(src_dir).glob("*.ipynb"))
    lessons = {path: nbformat.read(path, as_version=4) for path in paths}
    problems = [f"{p.name}: {x}" for p, nb in lessons.items() for x in check_notebook(nb)]
    if problems:
        raise ValueError(
            bilingual("源笔记本不符合格式要求：", "source notebooks break the conventions:")
            + "\n"
            + "\n".join(problems)
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(config_text(data_dir), encoding="utf-8")
    written = []
    for path, nb in lessons.items():
        if not exercises(nb):
            continue
        target = out / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbgrader_notebook(nb, lang), target)
        written.append(target)
    return written


def points_table(src_dir: str | Path) -> list[str]:
    """Markdown rows: points of each exercise and of each lesson (the teacher's guide shows it).

    Examples
    --------
    >>> points_table("notebooks")[0]
    '| 课 · lesson | 每道练习的分数 · points per exercise | 合计 · total |'
    """
    rows = [
        "| 课 · lesson | 每道练习的分数 · points per exercise | 合计 · total |",
        "| --- | --- | ---: |",
    ]
    total = 0
    for path in sorted(Path(src_dir).glob("*.ipynb")):
        points = [p for *_, p in exercises(nbformat.read(path, as_version=4))]
        if points:
            total += sum(points)
            rows.append(f"| {path.stem} | {' + '.join(map(str, points))} | {sum(points)} |")
    rows.append(f"| **合计 · total** | | **{total}** |")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m course_utils.assignments [--src] [--out] [--lang]``."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.assignments", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--src", default="notebooks", help="source notebooks folder")
    parser.add_argument("--out", default="build/nbgrader", help="nbgrader course folder")
    parser.add_argument("--lang", default="both", choices=("both", "zh", "en"))
    parser.add_argument("--data-dir", default=None, help="COURSE_DATA_DIR for grading")
    parser.add_argument("--points", action="store_true", help="print the points table only")
    args = parser.parse_args(argv)
    if args.points:
        print("\n".join(points_table(args.src)))
        return 0
    try:
        for path in build(args.src, args.out, args.lang, args.data_dir):
            print(path)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
