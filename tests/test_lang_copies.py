"""Every lesson's zh copy shows Chinese only, its en copy English only (make test-zh).

Each single-language copy is executed in quick mode by course_utils.nbexec (or
reused from build/executed when nothing it depends on changed, e.g. after
``make site``) and searched by course_utils.langcheck: printed output, HTML and
text outputs, figure text and widget labels. A failure lists every offending
line with its cell. Marked ``langcheck``: run by ``make test-zh``, not by
``make test``, until the lessons are fixed.
"""

from __future__ import annotations

import os
from pathlib import Path

from course_utils import langcheck, nbexec

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXECUTED = Path(os.environ.get("COURSE_EXECUTED_DIR", REPO / "build" / "executed"))

pytestmark = pytest.mark.langcheck


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_copy_is_in_one_language(source, lang):
    """the copy's outputs, figures and widgets hold no word of the other language"""
    path = nbexec.execute_copy(source, lang, EXECUTED)
    found = langcheck.findings(nbformat.read(path, as_version=4), lang)
    other = "English words" if lang == "zh" else "Chinese characters"
    assert not found, (
        f"{len(found)} lines with {other} in {lang}/{source.name}:\n"
        + langcheck.report(found, source.stem)
    )
