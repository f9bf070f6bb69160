"""Check the bilingual source notebooks and build learner copies from them.

Every lesson has one source notebook, ``notebooks/NN_name.ipynb``. Its prose
comes in pairs of markdown cells, one tagged ``lang-zh`` and, right after it,
its English twin tagged ``lang-en``; code cells are shared. Exercise solutions
sit between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines, or fill a
code cell tagged ``solution``. Every exercise is an answer cell (the one with
the solution) followed at once by its check cell, tagged ``points-N`` with the
exercise's points (``N`` >= 1). From each source :func:`build` writes::

    OUT/zh/NAME          Chinese only
    OUT/en/NAME          English only
    OUT/student/NAME     solutions removed, both languages
    OUT/student-zh/NAME  solutions removed, Chinese only
    OUT/student-en/NAME  solutions removed, English only

Command line::

    python -m course_utils.nbbuild [--src notebooks] [--out build/notebooks] [--check]
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

from course_utils.i18n import bilingual

import nbformat
from nbformat import NotebookNode

LANG_TAGS = {"zh": "lang-zh", "en": "lang-en"}
SOLUTION_TAG = "solution"
SET_LANGUAGE_TAG = "set-language"
POINTS_TAG = re.compile(r"^points-(\d+)$")
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = "pass  # 在这里写你的答案 / YOUR CODE HERE"
_CJK = re.compile("[\u4e00-\u9fff]")


def _tags(cell: NotebookNode) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _lang(cell: NotebookNode) -> str | None:
    """``'zh'`` or ``'en'`` for a markdown cell with exactly one language tag."""
    if cell.cell_type != "markdown":
        return None
    langs = [lang for lang, tag in LANG_TAGS.items() if tag in _tags(cell)]
    return langs[0] if len(langs) == 1 else None


def is_answer_cell(cell: NotebookNode) -> bool:
    """True for a code cell that holds a solution (markers or the ``solution`` tag)."""
    return cell.cell_type == "code" and (SOLUTION_TAG in _tags(cell) or BEGIN in cell.source)


def points(cell: NotebookNode) -> int | None:
    """The points of a check cell (its ``points-N`` tag), or None for other cells."""
    found = [int(m.group(1)) for tag in _tags(cell) if (m := POINTS_TAG.match(tag))]
    return found[0] if len(found) == 1 and cell.cell_type == "code" else None


def _is_check(cell: NotebookNode) -> bool:
    return any(POINTS_TAG.match(tag) for tag in _tags(cell))


def exercises(nb: NotebookNode) -> list[tuple[int, int, int]]:
    """``(answer cell index, check cell index, points)`` for every exercise, in order.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> answer = new_code_cell("x = None\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION")
    >>> check = new_code_cell("check(x)", metadata={"tags": ["points-2"]})
    >>> exercises(new_notebook(cells=[answer, check]))
    [(0, 1, 2)]
    """
    cells = nb.cells
    return [
        (i, i + 1, points(cells[i + 1]))
        for i, cell in enumerate(cells[:-1])
        if is_answer_cell(cell) and points(cells[i + 1])
    ]


def _solution_blocks(source: str) -> list[tuple[int, int]]:
    """Line ranges ``(begin, end)`` of the solution blocks, markers included.

    Raises
    ------
    ValueError
        If the markers are nested or unbalanced.
    """
    blocks: list[tuple[int, int]] = []
    begin = None
    for n, line in enumerate(source.split("\n")):
        marker = line.strip()
        if marker.startswith(BEGIN):
            if begin is not None:
                raise ValueError(
                    bilingual(
                        f"第 {n + 1} 行：答案块嵌套",
                        f"line {n + 1}: nested {BEGIN!r}",
                    )
                )
            begin = n
        elif marker.startswith(END):
            if begin is None:
                raise ValueError(
                    bilingual(
                        f"第 {n + 1} 行：{END!r} 前面没有 {BEGIN!r}",
                        f"line {n + 1}: {END!r} without {BEGIN!r}",
                    )
                )
            blocks.append((begin, n))
            begin = None
    if begin is not None:
        raise ValueError(
            bilingual(
                f"第 {begin + 1} 行：{BEGIN!r} 没有对应的 {END!r}",
                f"line {begin + 1}: {BEGIN!r} without {END!r}",
            )
        )
    return blocks


def check_notebook(nb: NotebookNode) -> list[str]:
    """List what breaks the conventions of a source notebook.

    Parameters
    ----------
    nb : NotebookNode
        A version 4 notebook.

    Returns
    -------
    list of str
        One line per problem, starting with ``cell N:`` (N counts from 0);
        empty if the notebook follows the conventions.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> zh = new_markdown_cell("# 卷积", metadata={"tags": ["lang-zh"]})
    >>> en = new_markdown_cell("# Convolution", metadata={"tags": ["lang-en"]})
    >>> check_notebook(new_notebook(cells=[zh, en]))
    []
    >>> check_notebook(new_notebook(cells=[en]))
    ['cell 0: lang-en cell is not preceded by a lang-zh cell']
    """
    problems = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        lang = _lang(cell)
        if cell.cell_type == "markdown" and lang is None and cell.source.strip():
            problems.append(f"cell {i}: markdown cell needs exactly one tag, lang-zh or lang-en")
        if lang == "zh":
            if i + 1 == len(cells) or _lang(cells[i + 1]) != "en":
                problems.append(f"cell {i}: lang-zh cell is not followed by a lang-en cell")
            if not _CJK.search(cell.source):
                problems.append(f"cell {i}: lang-zh cell has no Chinese character")
        if lang == "en":
            if i == 0 or _lang(cells[i - 1]) != "zh":
                problems.append(f"cell {i}: lang-en cell is not preceded by a lang-zh cell")
            if _CJK.search(cell.source):
                problems.append(f"cell {i}: lang-en cell contains Chinese characters")
        if is_answer_cell(cell) and (i + 1 == len(cells) or not _is_check(cells[i + 1])):
            problems.append(
                f"cell {i}: answer cell is not followed by a check cell tagged points-N"
            )
        if _is_check(cell):
            if not points(cell):
                problems.append(f"cell {i}: a check cell needs one points-N tag with N >= 1")
            elif i == 0 or not is_answer_cell(cells[i - 1]):
                problems.append(f"cell {i}: check cell does not follow an answer cell")
            if is_answer_cell(cell):
                problems.append(f"cell {i}: a check cell must not hold a solution")
        if cell.cell_type == "code":
            if cell.get("outputs") or cell.get("execution_count") is not None:
                problems.append(f"cell {i}: code cell has outputs or an execution count")
            try:
                _solution_blocks(cell.source)
            except ValueError as error:
                message = str(error).replace("\n", " / ")
                problems.append(f"cell {i}: solution markers: {message}")
    return problems


def single_language(nb: NotebookNode, lang: str) -> NotebookNode:
    """Copy of `nb` with the prose of one language and a cell that selects it.

    The markdown cells of the other language are dropped, and a code cell
    tagged ``set-language`` that calls ``course_utils.set_language(lang)`` is
    inserted right after the first markdown cell (the title).

    Parameters
    ----------
    nb : NotebookNode
        A bilingual notebook; it is not modified.
    lang : {'zh', 'en'}
        The language to keep.

    Returns
    -------
    NotebookNode

    Raises
    ------
    ValueError
        If `lang` is not ``'zh'`` or ``'en'``.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> zh = new_markdown_cell("# 卷积", metadata={"tags": ["lang-zh"]})
    >>> en = new_markdown_cell("# Convolution", metadata={"tags": ["lang-en"]})
    >>> [c.source for c in single_language(new_notebook(cells=[zh, en]), "en").cells]
    ['# Convolution', 'import course_utils\\ncourse_utils.set_language("en")']
    """
    if lang not in LANG_TAGS:
        raise ValueError(
            bilingual(
                f"`lang` 必须是 'zh' 或 'en'，收到 {lang!r}",
                f"`lang` must be 'zh' or 'en', got {lang!r}",
            )
        )
    out = copy.deepcopy(nb)
    out.cells = [cell for cell in out.cells if _lang(cell) in (None, lang)]
    setter = nbformat.v4.new_code_cell(
        f'import course_utils\ncourse_utils.set_language("{lang}")',
        metadata={"tags": [SET_LANGUAGE_TAG]},
    )
    if out.nbformat_minor < 5:  # cell ids came with nbformat 4.5
        del setter["id"]
    first_markdown = next(
        (i for i, cell in enumerate(out.cells) if cell.cell_type == "markdown"), -1
    )
    out.cells.insert(first_markdown + 1, setter)
    return out


def _strip_solutions(source: str) -> str:
    lines = source.split("\n")
    for begin, end in reversed(_solution_blocks(source)):
        marker = lines[begin]
        indent = marker[: len(marker) - len(marker.lstrip())]
        lines[begin : end + 1] = [indent + PLACEHOLDER]
    return "\n".join(lines)


def student_copy(nb: NotebookNode) -> NotebookNode:
    """Copy of `nb` with every solution replaced by the learner placeholder.

    A solution block, markers included, becomes ``pass  # 在这里写你的答案 /
    YOUR CODE HERE`` at the indentation of its ``### BEGIN SOLUTION`` line, so
    a function returns None and a top-level answer keeps its default None.
    A code cell tagged ``solution`` becomes the placeholder alone.

    Parameters
    ----------
    nb : NotebookNode
        The source notebook; it is not modified.

    Returns
    -------
    NotebookNode

    Raises
    ------
    ValueError
        If solution markers are nested or unbalanced.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell("x = None\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION")
    >>> print(student_copy(new_notebook(cells=[cell])).cells[0].source)
    x = None
    pass  # 在这里写你的答案 / YOUR CODE HERE
    """
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        if SOLUTION_TAG in _tags(cell):
            cell.source = PLACEHOLDER
            cell.metadata.tags = [tag for tag in _tags(cell) if tag != SOLUTION_TAG]
        else:
            cell.source = _strip_solutions(cell.source)
    return out


def _clear_outputs(nb: NotebookNode) -> NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def _load(src_dir: Path) -> dict[Path, NotebookNode]:
    if not src_dir.is_dir():
        raise FileNotFoundError(
            bilingual(f"找不到笔记本目录 {src_dir}", f"notebook folder {src_dir} not found")
        )
    return {path: nbformat.read(path, as_version=4) for path in sorted(src_dir.glob("*.ipynb"))}


def _problems(notebooks: dict[Path, NotebookNode]) -> list[str]:
    return [
        f"{path.name}: {problem}"
        for path, nb in notebooks.items()
        for problem in check_notebook(nb)
    ]


def build(src_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write the single-language and student copies of every source notebook.

    Parameters
    ----------
    src_dir : str or Path
        Folder of the source notebooks (``notebooks``).
    out_dir : str or Path
        Where to write ``zh/``, ``en/``, ``student/``, ``student-zh/`` and
        ``student-en/``; folders are created as needed.

    Returns
    -------
    list of Path
        The files written, outputs cleared.

    Raises
    ------
    FileNotFoundError
        If `src_dir` is not a folder.
    ValueError
        If a source notebook fails :func:`check_notebook`; nothing is written.
    """
    notebooks = _load(Path(src_dir))
    problems = _problems(notebooks)
    if problems:
        raise ValueError(
            bilingual("源笔记本不符合格式要求：", "source notebooks break the conventions:")
            + "\n"
            + "\n".join(problems)
        )
    written = []
    for path, nb in notebooks.items():
        student = student_copy(nb)
        copies = {
            "zh": single_language(nb, "zh"),
            "en": single_language(nb, "en"),
            "student": student,
            "student-zh": single_language(student, "zh"),
            "student-en": single_language(student, "en"),
        }
        for folder, copy_nb in copies.items():
            target = Path(out_dir) / folder / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(_clear_outputs(copy_nb), target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (1 if a notebook is bad)."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.nbbuild", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--src", default="notebooks", help="source notebooks folder")
    parser.add_argument("--out", default="build/notebooks", help="output folder")
    parser.add_argument("--check", action="store_true", help="only check the sources")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = _problems(_load(Path(args.src)))
            print("\n".join(problems) or "OK")
            return 1 if problems else 0
        for path in build(args.src, args.out):
            print(path)
    except (FileNotFoundError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
