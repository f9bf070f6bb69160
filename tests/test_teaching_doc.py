"""The teacher's guide states what the notebooks and the tools really do."""

from __future__ import annotations

import re
from pathlib import Path

from course_utils import assignments

ROOT = Path(__file__).parents[1]
GUIDE = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")


def between(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n(.*?)<!-- /{marker} -->", GUIDE, re.S)
    assert match, f"docs/teaching.md has no {marker} section"
    return match.group(1)


def test_points_table_matches_the_notebooks():
    """the guide's points table is the one the notebooks' points-N tags give"""
    expected = "\n".join(assignments.points_table(ROOT / "notebooks")) + "\n"
    assert between("points") == expected, (
        "regenerate it: python -m course_utils.assignments --points"
    )


def test_every_command_in_the_guide_exists():
    """each make target and course_utils module the guide names exists"""
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"`make ([a-z-]+)", GUIDE)):
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target}"
    for module in set(re.findall(r"python -m (course_utils\.\w+)", GUIDE)):
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module
