"""Four kinds of student submissions made from a lesson, for nbgrader round trips.

- correct: every answer cell holds the teacher's solution;
- wrong: every solution is replaced by a plausible wrong answer (0 where a value is due);
- blank: the released notebook, untouched;
- tampering: wrong answers made of objects whose comparisons always say "equal", after
  flipping COURSE_GRADING / COURSE_STRICT_CHECKS and replacing cu.checks.verdict.
"""

from __future__ import annotations

import copy
import re

from course_utils.nbbuild import BEGIN, END, exercises

KINDS = ("correct", "wrong", "blank", "tampering")

TAMPER = """\
import os
os.environ["COURSE_GRADING"] = "0"
os.environ["COURSE_STRICT_CHECKS"] = "0"
import course_utils as cu
cu.checks.verdict = lambda *args, **kwargs: True


class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

"""


def _replace_blocks(source: str, stub) -> str:
    """Replace each BEGIN/END block by ``stub(indent, line_before)``."""
    lines = source.split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip().startswith(BEGIN):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            end = next(j for j in range(i, len(lines)) if lines[j].strip().startswith(END))
            out.append(indent + stub(indent, out[-1] if out else ""))
            i = end + 1
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def _wrong(value: str):
    def stub(indent: str, before: str) -> str:
        if indent:  # inside a function or method: return something wrong
            return f"return {value}"
        match = re.match(r"\s*(\w+)\s*=", before)
        return f"{match.group(1) if match else '_'} = {value}"

    return stub


def make(release, source, kind: str):
    """A submission of `kind` built from the released notebook and the teacher's source."""
    nb = copy.deepcopy(release)
    pairs = exercises(source)
    answers = [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert len(answers) == len(pairs), "the release and the source disagree on exercises"
    for number, (cell, (index, _, _)) in enumerate(zip(answers, pairs, strict=True)):
        teacher = source.cells[index].source
        if kind == "correct":
            cell.source = teacher
        elif kind == "wrong":
            cell.source = _replace_blocks(teacher, _wrong("0"))
        elif kind == "tampering":
            cell.source = (TAMPER if number == 0 else "") + _replace_blocks(
                teacher, _wrong("Liar()")
            )
    return nb
