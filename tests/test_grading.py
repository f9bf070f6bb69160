"""Real nbgrader round trips: generate, submit four kinds of answers, autograde, feedback.

`make test` grades lessons 01 and 05; `make test-grading` grades every lesson.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from course_utils import assignments
from course_utils.nbbuild import exercises

import nbformat
import pytest
from grading import submissions

ROOT = Path(__file__).parents[1]
BIN = Path(sys.executable).parent
LESSONS = sorted(
    p.stem for p in (ROOT / "notebooks").glob("*.ipynb") if exercises(nbformat.read(p, 4))
)
IN_MAKE_TEST = ("01_convolution", "05_lenet")


def nbgrader(course: Path, *args: str) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("COURSE_QUICK", None)  # grading mode decides the data sizes
    env.pop("COURSE_STRICT_CHECKS", None)  # the nbgrader config decides
    env.pop("COURSE_CHECKPOINT_DIR", None)  # each submission keeps its own
    done = subprocess.run(
        [str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def scores(course: Path, lesson: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            kind: (
                gradebook.find_submission(lesson, kind).score,
                gradebook.find_submission(lesson, kind).max_score,
            )
            for kind in submissions.KINDS
        }


@pytest.mark.notebook
@pytest.mark.grading
@pytest.mark.parametrize(
    "lesson",
    [
        pytest.param(x, marks=[] if x in IN_MAKE_TEST else [pytest.mark.grading_all])
        for x in LESSONS
    ],
)
def test_nbgrader_round_trip(lesson, tmp_path, capsys):
    """correct answers get full points; wrong, blank and tampering get 0; feedback is written"""
    course = tmp_path / "course"
    assignments.build(ROOT / "notebooks", course, data_dir=os.environ.get("COURSE_DATA_DIR"))
    for other in (course / "source").iterdir():
        if other.name != lesson:
            shutil.rmtree(other)
    source_nb = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", 4)
    nbgrader(course, "generate_assignment", lesson, "--force")
    release = nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", 4)
    for kind in submissions.KINDS:
        folder = course / "submitted" / kind / lesson
        folder.mkdir(parents=True)
        nbformat.write(submissions.make(release, source_nb, kind), folder / f"{lesson}.ipynb")
    start = time.perf_counter()
    nbgrader(course, "autograde", lesson, "--force")
    seconds = time.perf_counter() - start
    nbgrader(course, "generate_feedback", lesson, "--force")
    got = scores(course, lesson)
    total = sum(points for _, _, points in exercises(source_nb))
    with capsys.disabled():
        print(f"\n{lesson}: {got} ({seconds:.0f} s for {len(got)} submissions)")
    assert got["correct"] == (total, total)
    assert got["wrong"] == got["blank"] == got["tampering"] == (0, total)
    for kind in submissions.KINDS:
        assert (course / "feedback" / kind / lesson / f"{lesson}.html").is_file()
