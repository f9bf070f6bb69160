"""Every source notebook in ``notebooks/`` follows the bilingual conventions."""

from pathlib import Path

from course_utils.nbbuild import check_notebook

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def test_there_are_notebooks():
    """the course has at least one source notebook to check"""
    assert NOTEBOOKS, f"no notebooks found in {NOTEBOOK_DIR} (expected 00_setup.ipynb at least)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_follows_conventions(path):
    """a source notebook is valid nbformat and check_notebook finds no problem"""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert check_notebook(nb) == []
