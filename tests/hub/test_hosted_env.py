"""A hosted notebook, simulated (make test-hub): the first cell in a fresh environment.

The "platform" is a new virtual environment that already has Paddle and ipykernel (as AI
Studio has), a home folder /…/home/aistudio with work/ (how AI Studio is recognised), the
course's wheel uploaded into work/, and the data as an AI Studio data set: the files, flat,
under ~/data/data12345/. There is no checkout of the course. The hosted copy of lesson 01
runs from its first cell on; the first cell must install the wheel without touching Paddle,
find the data, and set the mode, and the lesson must then run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from course_utils import hosted

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import REPO

pytestmark = pytest.mark.hub

INSTALL_S = 600
CELL_S = 900
CHECK = """\
import json, os
import course_utils as cu
from course_utils import hosted
summary = hosted.setup(datasets=("mnist", "cifar10"), install=False, download=False)
print("HOSTED", json.dumps({
    "platform": summary["platform"],
    "data": summary["data"],
    "mnist_test": len(cu.mnist("test", quick=False)),
    "course_utils": cu.__file__,
    "checkpoints": os.environ["COURSE_CHECKPOINT_DIR"],
    "quick": os.environ["COURSE_QUICK"],
}))
"""


def pin(name: str) -> str:
    """The version requirements.txt pins for `name`."""
    text = (REPO / "requirements.txt").read_text()
    return re.search(rf"^{re.escape(name)}==(\S+)", text, re.M).group(1)


def test_first_cell_installs_the_wheel_keeps_paddle_and_lesson_01_runs(
    hub_paths, shared_data, report, tmp_path, monkeypatch
):
    """On a simulated AI Studio, the hosted lesson 01 runs from its first cell on."""
    start = time.monotonic()
    venv = tmp_path / "platform-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", f"paddlepaddle=={pin('paddlepaddle')}"]
        + [f"ipykernel=={pin('ipykernel')}"],
        check=True,
        timeout=INSTALL_S,
    )
    paddle_init = Path(
        subprocess.run(
            [python, "-c", "import importlib.util as u; print(u.find_spec('paddle').origin)"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.strip()
    )
    before = paddle_init.stat()
    report.phase("hosted: platform environment with Paddle made", time.monotonic() - start)

    # AI Studio's layout: ~/work (kept between sessions), data sets under ~/data/dataNNNNN/.
    home = tmp_path / "home" / "aistudio"
    work = home / "work"
    work.mkdir(parents=True)
    mounted = home / "data" / "data12345"
    mounted.mkdir(parents=True)
    for dataset in hosted.DATASETS:
        for path in (shared_data / dataset).iterdir():
            (mounted / path.name).symlink_to(path.resolve())
    (work / hub_paths.wheel.name).write_bytes(hub_paths.wheel.read_bytes())

    # The hosted copy of the student lesson 01 (what `python -m course_utils.hosted notebooks`
    # writes).
    src = tmp_path / "notebooks"
    subprocess.run(
        [sys.executable, "-m", "course_utils.nbbuild", "--src", "notebooks", "--out", str(src)],
        cwd=REPO,
        check=True,
        timeout=120,
        capture_output=True,
    )
    lesson = sorted((src / "student").glob("01_*.ipynb"))[0]
    nb = hosted.add_first_cell(
        nbformat.read(lesson, as_version=4), "git+https://example.invalid/not-used.git"
    )
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "QUICK = False" in first.source
    first.source = first.source.replace("QUICK = False", "QUICK = True")  # the learner's choice
    nb.cells.append(nbformat.v4.new_code_cell(CHECK))

    # A kernel of the platform's Python; the course's variables of this test run are cleared.
    kernels = tmp_path / "jupyter" / "kernels" / "hosted"
    kernels.mkdir(parents=True)
    spec = {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "hosted platform",
        "language": "python",
        "env": {
            "HOME": str(home),
            "COURSE_DATA_DIR": "",
            "COURSE_CHECKPOINT_DIR": "",
            "COURSE_QUICK": "",
            "COURSE_PLATFORM": "",
            "PYTHONNOUSERSITE": "1",
        },
    }
    (kernels / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    start = time.monotonic()
    client = NotebookClient(
        nb, timeout=CELL_S, kernel_name="hosted", resources={"metadata": {"path": str(work)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    report.phase("hosted: lesson 01 from its first cell", time.monotonic() - start)

    setup_text = "".join(o.get("text", "") for o in first.outputs)
    assert "AI Studio" in setup_text
    result = json.loads(
        next(
            line[7:]
            for o in nb.cells[-1].outputs
            for line in o.get("text", "").splitlines()
            if line.startswith("HOSTED ")
        )
    )
    assert result["platform"] == "aistudio"
    assert result["course_utils"].startswith(str(venv))  # installed from the wheel
    assert result["mnist_test"] == 10000
    assert set(result["data"].values()) == {"linked"}  # from the mounted data set
    assert result["checkpoints"] == str(work / "course-checkpoints")
    assert result["quick"] == "1"
    after = paddle_init.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    shown = subprocess.run(
        [python, "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    versions = {p["name"].lower(): p["version"] for p in json.loads(shown)}
    assert versions["paddlepaddle"] == pin("paddlepaddle") and "paddlepaddle-gpu" not in versions
    assert "matplotlib" in versions and "course-utils" in versions
    linked = sorted(p.name for p in (work / "course-data" / "mnist").iterdir())
    report.lines.append(
        f"- hosted (simulated AI Studio): wheel {hub_paths.wheel.name} installed by the first "
        f"cell, Paddle {versions['paddlepaddle']} untouched, data linked from ~/data/data12345 "
        f"({len(linked)} MNIST files + CIFAR-10), lesson 01 ran in quick mode"
    )
