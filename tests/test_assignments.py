"""The nbgrader course built from the lessons: metadata, configuration, refusals."""

from __future__ import annotations

from pathlib import Path

from course_utils import assignments
from course_utils.nbbuild import exercises

import nbformat
import pytest

ROOT = Path(__file__).parents[1]


def test_every_lesson_with_exercises_becomes_an_assignment(tmp_path):
    """make assignments writes the config and one source notebook per lesson with exercises"""
    written = assignments.build(ROOT / "notebooks", tmp_path)
    lessons = [
        p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if exercises(nbformat.read(p, 4))
    ]
    assert [p.name for p in written] == [p.name for p in lessons]
    assert all(p == tmp_path / "source" / p.stem / p.name for p in written)
    config = (tmp_path / "nbgrader_config.py").read_text()
    assert 'c.Execute.kernel_name = "cnn-course"' in config
    assert 'os.environ["COURSE_GRADING"] = "1"' in config


@pytest.mark.parametrize("lang", ["both", "zh", "en"])
def test_cells_carry_nbgrader_metadata(tmp_path, lang):
    """answers are solution cells, checks locked tests with their points, the rest read-only"""
    (path,) = [p for p in assignments.build(ROOT / "notebooks", tmp_path, lang) if "05_" in p.name]
    nb = nbformat.read(path, 4)
    metas = [cell.metadata["nbgrader"] for cell in nb.cells]
    ids = [m["grade_id"] for m in metas]
    assert len(ids) == len(set(ids))
    checks = [(m["grade_id"], m["points"]) for m in metas if m["grade"]]
    assert [gid for gid, _ in checks] == [f"ex{i}-check" for i in range(1, len(checks) + 1)]
    assert all(m["locked"] for m in metas if not m["solution"])
    assert not any(m["locked"] for m in metas if m["solution"])
    assert nb.metadata.kernelspec.name == "cnn-course"
    source = nbformat.read(ROOT / "notebooks" / path.name, 4)
    assert [p for *_, p in exercises(source)] == [points for _, points in checks]


def test_a_broken_lesson_writes_nothing(tmp_path):
    """a lesson that breaks the conventions is named and nothing is written"""
    src = tmp_path / "src"
    src.mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]})]
    )
    nbformat.write(nb, src / "01_bad.ipynb")
    with pytest.raises(ValueError, match="01_bad.ipynb"):
        assignments.build(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_language_must_be_known(tmp_path):
    """an unknown language is a ValueError naming `lang`"""
    with pytest.raises(ValueError, match="`lang`"):
        assignments.build(ROOT / "notebooks", tmp_path, lang="fr")
