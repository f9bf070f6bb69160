"""Every lesson runs from top to bottom, quietly: no error, no warning, nothing on stderr.

Runs in the mode of the environment (quick mode and strict checks under `make test`).
Each executed notebook is kept in build/executed/both/ for inspection.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def noisy_outputs(nb) -> list[str]:
    """Cell number and text of every stderr stream or warning in an executed notebook."""
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            text = out.get("text", "") or "".join(out.get("data", {}).get("text/plain", ""))
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append(f"cell {index} (stderr): {text[:300]}")
            elif "Warning:" in text:
                found.append(f"cell {index} (warning): {text[:300]}")
    return found


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_lesson_runs_without_error_or_noise(path):
    """the lesson executes without error and writes nothing to stderr"""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        client.execute()
    finally:
        kept = ROOT / "build" / "executed" / "both" / path.name
        kept.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, kept)
    assert noisy_outputs(nb) == []


def test_noise_is_found():
    """a stderr stream and a printed warning are both reported with their cell"""

    def cell(name, text):
        return nbformat.v4.new_code_cell(
            outputs=[nbformat.v4.new_output("stream", name=name, text=text)]
        )

    nb = nbformat.v4.new_notebook(
        cells=[cell("stderr", "x"), cell("stdout", "ok"), cell("stdout", "UserWarning: y")]
    )
    found = [line.split(":")[0] for line in noisy_outputs(nb)]
    assert found == ["cell 0 (stderr)", "cell 2 (warning)"]
