"""Grading a folder without nbgrader: points per check cell that ran without error."""

from __future__ import annotations

import csv
import io

from course_utils import grade

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook


def lesson(first: str, second: str, second_check: str = "assert y == 2") -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_code_cell(f"x = None\n### BEGIN SOLUTION\n{first}\n### END SOLUTION"),
            new_code_cell("assert x == 1", metadata={"tags": ["points-2"]}),
            new_code_cell(f"y = None\n### BEGIN SOLUTION\n{second}\n### END SOLUTION"),
            new_code_cell(second_check, metadata={"tags": ["points-3"]}),
        ]
    )


@pytest.mark.notebook
def test_scores_come_from_check_cells_and_edited_checks_are_restored(tmp_path, capsys):
    """a passing check scores its points, a failing one 0; --source undoes an edited check"""
    teacher, submitted = tmp_path / "source", tmp_path / "submitted"
    for folder in (teacher, submitted / "ana", submitted / "bo"):
        folder.mkdir(parents=True)
    nbformat.write(lesson("x = 1", "y = 2"), teacher / "01_x.ipynb")
    nbformat.write(lesson("x = 1", "y = 5"), submitted / "ana" / "01_x.ipynb")
    nbformat.write(lesson("x = 0", "y = 5", second_check="pass"), submitted / "bo" / "01_x.ipynb")

    def scores(*extra):
        assert grade.main([str(submitted), "--kernel", "python3", *extra]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        return {
            row["notebook"].split("/")[-2]: (row["score"], row["ex1"], row["ex2"]) for row in rows
        }

    assert scores() == {"ana": ("2", "2", "0"), "bo": ("3", "0", "3")}
    assert scores("--source", str(teacher)) == {"ana": ("2", "2", "0"), "bo": ("0", "0", "0")}


def test_an_empty_folder_is_reported(tmp_path, capsys):
    """no notebook to grade: exit status 1 and a message in both languages"""
    assert grade.main([str(tmp_path)]) == 1
    assert "没有找到" in capsys.readouterr().err
