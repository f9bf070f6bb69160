"""Tests for course_utils/nbbuild.py: checks, language and student copies, build."""

import copy
import os
from pathlib import Path

from course_utils.nbbuild import (
    PLACEHOLDER,
    build,
    check_notebook,
    exercises,
    main,
    single_language,
    student_copy,
)

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

TOP_LEVEL_EXERCISE = """\
answer = None
### BEGIN SOLUTION
answer = conv_output_size(28, 5)
### END SOLUTION
print(answer)"""

FUNCTION_EXERCISE = '''\
def conv_output_size(size, kernel):
    """Output size of a 'valid' convolution."""
    ### BEGIN SOLUTION
    return size - kernel + 1
    ### END SOLUTION'''


def zh(text):
    return new_markdown_cell(text, metadata={"tags": ["lang-zh"]})


def en(text):
    return new_markdown_cell(text, metadata={"tags": ["lang-en"]})


def check(points=1, source="check()"):
    return new_code_cell(source, metadata={"tags": [f"points-{points}"]})


def lesson():
    """A small well-formed source notebook: three exercises, each with its check cell."""
    return new_notebook(
        cells=[
            zh("# 卷积"),
            en("# Convolution"),
            new_code_cell("import math"),
            zh("计算*输出尺寸*（output size）。"),
            en("Compute the *output size*."),
            new_code_cell(FUNCTION_EXERCISE),
            check(2, "print(conv_output_size(28, 5))"),
            new_code_cell(TOP_LEVEL_EXERCISE),
            check(1, "print(answer)"),
            new_code_cell("secret = 42", metadata={"tags": ["solution"]}),
            check(3, "print(secret)"),
        ]
    )


def test_well_formed_notebook_has_no_problem():
    """check_notebook accepts a notebook that follows every convention"""
    assert check_notebook(lesson()) == []


@pytest.mark.parametrize(
    ("cells", "index", "phrase"),
    [
        ([new_markdown_cell("# Title")], 0, "exactly one tag"),
        ([zh("# 卷积"), new_code_cell("x = 1")], 0, "not followed by a lang-en"),
        ([new_code_cell("x = 1"), en("# Convolution")], 1, "not preceded by a lang-zh"),
        ([zh("# Convolution"), en("# Convolution")], 0, "no Chinese character"),
        ([zh("# 卷积"), en("# 卷积 Convolution")], 1, "contains Chinese"),
        ([new_code_cell("1", outputs=[new_output("stream", text="1")])], 0, "outputs"),
        ([new_code_cell("1", execution_count=3)], 0, "execution count"),
        ([new_code_cell("### BEGIN SOLUTION\nx = 1"), check()], 0, "without '### END"),
        ([new_code_cell("x = 1\n### END SOLUTION")], 0, "without '### BEGIN"),
        (
            [new_code_cell("### BEGIN SOLUTION\n  ### BEGIN SOLUTION\n### END SOLUTION"), check()],
            0,
            "nested",
        ),
        ([new_code_cell("x = 1", metadata={"tags": ["solution"]})], 0, "not followed by a check"),
        ([new_code_cell("x = 1"), check()], 1, "does not follow an answer"),
        ([new_code_cell("x = 1", metadata={"tags": ["solution"]}), check(0)], 1, "N >= 1"),
    ],
    ids=[
        "untagged-markdown",
        "zh-without-en",
        "en-without-zh",
        "zh-without-chinese",
        "en-with-chinese",
        "outputs",
        "execution-count",
        "unclosed-begin",
        "end-without-begin",
        "nested-begin",
        "answer-without-check",
        "check-without-answer",
        "zero-points",
    ],
)
def test_each_problem_is_found_with_its_cell(cells, index, phrase):
    """check_notebook reports each broken convention once, naming the cell"""
    problems = check_notebook(new_notebook(cells=cells))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"cell {index}: ")
    assert phrase in problems[0]


@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
def test_single_language_keeps_one_language_and_sets_it(lang, other):
    """single_language drops the other language and selects its own right after the title"""
    source = lesson()
    nb = single_language(source, lang)
    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    assert len(markdown) == 2
    assert all(cell.metadata.tags == [f"lang-{lang}"] for cell in markdown)
    setter = nb.cells[1]
    assert setter.cell_type == "code"
    assert setter.metadata.tags == ["set-language"]
    assert setter.source == f'import course_utils\ncourse_utils.set_language("{lang}")'
    shared = [cell.source for cell in source.cells if cell.cell_type == "code"]
    assert [cell.source for cell in nb.cells if cell.cell_type == "code"][1:] == shared
    assert not any(f"lang-{other}" in cell.metadata.get("tags", []) for cell in nb.cells)


def test_single_language_rejects_unknown_language():
    """single_language names `lang` when it is neither 'zh' nor 'en'"""
    with pytest.raises(ValueError, match="`lang` must be"):
        single_language(lesson(), "both")


def test_student_copy_replaces_blocks_at_their_indentation():
    """each solution block becomes the placeholder at its marker's indentation"""
    cells = student_copy(lesson()).cells
    assert cells[5].source.splitlines()[-1] == "    " + PLACEHOLDER
    assert cells[7].source == f"answer = None\n{PLACEHOLDER}\nprint(answer)"
    assert cells[9].source == PLACEHOLDER
    assert "solution" not in cells[9].metadata.tags


def test_student_copy_leaves_source_unchanged():
    """student_copy works on a copy of its input"""
    source = lesson()
    before = copy.deepcopy(source)
    student_copy(source)
    assert source == before


def test_student_function_compiles_and_returns_none():
    """the student copy of a function exercise is valid Python and returns None"""
    code = student_copy(lesson()).cells[5].source
    namespace = {}
    exec(compile(code, "<student>", "exec"), namespace)
    assert namespace["conv_output_size"](28, 5) is None


def write(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_build_writes_every_copy(tmp_path):
    """build writes the zh, en and three student copies of each notebook"""
    write(lesson(), tmp_path / "src" / "01_conv.ipynb")
    written = build(tmp_path / "src", tmp_path / "out")
    folders = ["zh", "en", "student", "student-zh", "student-en"]
    assert sorted(written) == sorted(tmp_path / "out" / f / "01_conv.ipynb" for f in folders)
    for path in written:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        text = "\n".join(cell.source for cell in nb.cells)
        assert ("BEGIN SOLUTION" in text) == (path.parent.name in ("zh", "en"))


def test_build_refuses_bad_notebook(tmp_path):
    """build raises, naming the notebook and the problem, and writes nothing"""
    write(new_notebook(cells=[en("# Convolution")]), tmp_path / "src" / "01_bad.ipynb")
    with pytest.raises(ValueError, match=r"01_bad.ipynb: cell 0: lang-en cell"):
        build(tmp_path / "src", tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("cells", "status"), [(lesson().cells, 0), ([en("# Hi")], 1)])
def test_check_cli_exit_status(tmp_path, capsys, cells, status):
    """`--check` exits 1 and prints the problems of a bad notebook, 0 otherwise"""
    write(new_notebook(cells=cells), tmp_path / "01_x.ipynb")
    assert main(["--src", str(tmp_path), "--check"]) == status
    assert ("01_x.ipynb: cell 0" in capsys.readouterr().out) == bool(status)


def output_text(cell) -> str:
    return "\n".join(
        out.get("text", "") + out.get("data", {}).get("text/plain", "")
        for out in cell.get("outputs", [])
    )


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_student_copy_executes(path, tmp_path, monkeypatch):
    """the student copy runs without error and every check cell says its exercise is not done"""
    source = nbformat.read(path, as_version=4)
    student = student_copy(source)
    target = tmp_path / path.name
    nbformat.write(student, target)
    monkeypatch.setenv("PYTHONPATH", str(ROOT), prepend=os.pathsep)  # the kernel runs in notebooks/
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)  # unanswered is fine here
    nb = nbformat.read(target, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    nbformat.write(nb, target)  # kept for inspection
    for _, check, _ in exercises(nb):
        text = output_text(nb.cells[check]).lower()
        assert "not done yet" in text or "还没有完成" in text, f"cell {check}: {text!r}"
