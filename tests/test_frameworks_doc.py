"""docs/frameworks.md: every Paddle name in its tables exists in the installed Paddle."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[1] / "docs" / "frameworks.md"
PADDLE_NAME = re.compile(r"\bpaddle(?:\.[A-Za-z_]\w*)+")


def table_rows(text: str) -> list[list[str]]:
    """The body rows of every Markdown table in `text`, as lists of cell texts."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0].startswith("用途"):  # the header row
            continue
        rows.append(cells)
    return rows


def paddle_names(cell: str) -> list[str]:
    """Dotted ``paddle.…`` names inside the code spans of a table cell."""
    return [name for span in re.findall(r"`([^`]+)`", cell) for name in PADDLE_NAME.findall(span)]


def resolve(name: str):
    """Import the longest importable module prefix of `name`, then follow attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(name)


ROWS = table_rows(DOC.read_text("utf-8"))
NAMES = sorted({name for row in ROWS for cell in row for name in paddle_names(cell)})


def test_tables_have_rows_with_five_columns():
    """every table row has purpose, PyTorch, Keras, Paddle and note columns"""
    assert len(ROWS) >= 30
    for row in ROWS:
        assert len(row) == 5, row
        assert all(row[:4]), row


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row[0])
def test_every_row_names_paddle_and_is_bilingual(row):
    """the Paddle column names at least one paddle.* call; the purpose is in both languages"""
    assert paddle_names(row[3]), row
    purpose = row[0]
    assert re.search(r"[\u4e00-\u9fff]", purpose) or purpose.isascii(), purpose


@pytest.mark.parametrize("name", NAMES)
def test_paddle_name_exists(name):
    """every paddle.* name of the tables (any column) resolves in the installed Paddle"""
    assert resolve(name) is not None


def test_the_doc_names_the_main_calls():
    """the calls lesson 05 teaches are all in the table"""
    for name in (
        "paddle.nn.Conv2D",
        "paddle.nn.MaxPool2D",
        "paddle.nn.BatchNorm2D",
        "paddle.nn.Dropout",
        "paddle.nn.Linear",
        "paddle.nn.Flatten",
        "paddle.nn.CrossEntropyLoss",
        "paddle.optimizer.Adam",
        "paddle.Model.prepare",
        "paddle.Model.fit",
        "paddle.Model.evaluate",
        "paddle.Model.predict",
        "paddle.Model.save",
        "paddle.Model.load",
        "paddle.save",
        "paddle.io.DataLoader",
        "paddle.vision.transforms.ToTensor",
        "paddle.vision.transforms.Normalize",
    ):
        assert name in NAMES, name
