"""course_utils.hosted: what the first cell of a hosted notebook decides and does."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

from course_utils import data, hosted, nbbuild

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _keep_environment(monkeypatch):
    """prepare_data and setup set the course's variables; each test gets them back as they were."""
    for name in ("COURSE_DATA_DIR", "COURSE_CHECKPOINT_DIR", "COURSE_QUICK"):
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
        else:
            monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("environ", "home_name", "work", "expected"),
    [
        ({"COLAB_RELEASE_TAG": "release-colab_2026"}, "root", False, "colab"),
        ({}, "aistudio", True, "aistudio"),
        ({}, "aistudio", False, "local"),  # a user named aistudio, not the platform
        ({}, "someone", True, "local"),
        ({"COURSE_PLATFORM": "colab"}, "aistudio", True, "colab"),  # the override wins
        ({"COURSE_PLATFORM": " AIStudio "}, "someone", False, "aistudio"),
    ],
)
def test_platform_is_told_apart(tmp_path, environ, home_name, work, expected):
    """Colab by its variable, AI Studio by its home and work/, COURSE_PLATFORM above both."""
    home = tmp_path / home_name
    home.mkdir()
    if work:
        (home / "work").mkdir()
    assert hosted.detect_platform(environ, home) == expected


def test_unknown_platform_setting_is_refused(tmp_path):
    """A COURSE_PLATFORM that names no platform raises, naming the variable."""
    with pytest.raises(ValueError, match="COURSE_PLATFORM"):
        hosted.detect_platform({"COURSE_PLATFORM": "kaggle"}, tmp_path)


def test_paddle_pin_matches_requirements():
    """The Paddle a bare platform gets is the release requirements.txt pins."""
    pinned = re.search(r"^paddlepaddle==(\S+)", (REPO / "requirements.txt").read_text(), re.M)
    assert hosted.PADDLE_VERSION == pinned.group(1)


@pytest.mark.parametrize(
    ("gpu", "cuda", "expected"),
    [
        (False, "cu126", [f"paddlepaddle=={hosted.PADDLE_VERSION}"]),
        (
            True,
            "cu118",
            [
                f"paddlepaddle-gpu=={hosted.PADDLE_VERSION}",
                "-i",
                hosted.PADDLE_GPU_INDEX + "cu118/",
            ],
        ),
    ],
)
def test_paddle_install_arguments(gpu, cuda, expected):
    """CPU build from PyPI, GPU build from Paddle's own index for the CUDA version."""
    assert hosted.paddle_install_args(gpu, cuda) == expected


def test_bad_cuda_tag_is_refused():
    with pytest.raises(ValueError, match="`cuda`"):
        hosted.paddle_install_args(True, "12.6")


def test_course_requirements_leave_paddle_out():
    """The package's own dependencies go to pip, never Paddle (installed or not)."""
    requirements = hosted.course_requirements()
    names = {re.match(r"[A-Za-z0-9._-]+", r).group(0).lower() for r in requirements}
    assert "numpy" in names and "matplotlib" in names
    assert not names & {"paddlepaddle", "paddlepaddle-gpu"}


def test_installed_paddle_is_never_reinstalled():
    """With Paddle present (this environment has it), pip is asked for the rest only."""
    calls = []
    assert hosted.installed_paddle() is not None
    hosted.install_requirements(run=calls.append, gpu=True)
    assert calls == [hosted.course_requirements()]


def test_missing_paddle_is_installed(monkeypatch):
    """Without any Paddle, the pinned build is installed, the GPU one when a GPU is seen."""
    monkeypatch.setattr(hosted, "installed_paddle", lambda: None)
    calls = []
    hosted.install_requirements(run=calls.append, gpu=True)
    assert calls[-1] == hosted.paddle_install_args(True)


@pytest.fixture
def upload(tmp_path, shared_data) -> Path:
    """MNIST's files uploaded flat, as an AI Studio data set: ~/data/data12345/."""
    folder = tmp_path / "home" / "data" / "data12345"
    folder.mkdir(parents=True)
    for path in (shared_data / "mnist").iterdir():
        (folder / path.name).symlink_to(path.resolve())
    return folder


def test_found_files_are_linked_into_the_data_folder(tmp_path, upload, monkeypatch):
    """Files found anywhere under the roots are linked where the course looks for them."""
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    dest = tmp_path / "course-data"
    report = hosted.prepare_data(dest, ["mnist"], download=False, roots=[tmp_path / "home"])
    assert set(report.values()) == {"linked"} and len(report) == 4
    assert data.search_dirs("mnist")[0] == dest / "mnist"  # COURSE_DATA_DIR now points there
    again = hosted.prepare_data(dest, ["mnist"], download=False, roots=[tmp_path / "home"])
    assert set(again.values()) == {"found"}


def test_missing_files_are_reported_without_download(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "repo_data_dir", lambda: tmp_path / "repo-data")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    report = hosted.prepare_data(tmp_path / "dest", ["mnist"], download=False, roots=[])
    assert set(report.values()) == {"missing"}


@pytest.fixture
def mirror(tmp_path, shared_data):
    """A stand-in for Paddle's mirror on 127.0.0.1, serving the offline MNIST files."""
    root = tmp_path / "mirror"
    shutil.copytree(shared_data / "mnist", root / "mnist")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/mnist/"
    server.shutdown()
    server.server_close()


def test_missing_files_are_downloaded_and_verified(tmp_path, mirror, monkeypatch):
    """Nothing found: the files come from the mirror, verified, into the data folder."""
    monkeypatch.setattr(data, "MNIST_URL", mirror)
    monkeypatch.setattr(data, "repo_data_dir", lambda: tmp_path / "repo-data")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    dest = tmp_path / "dest"
    report = hosted.prepare_data(dest, ["mnist"], download=True, roots=[])
    assert set(report.values()) == {"downloaded"}
    assert len(list((dest / "mnist").glob("*.gz"))) == 4


def test_unknown_data_set_is_refused(tmp_path):
    with pytest.raises(ValueError, match="`datasets`"):
        hosted.prepare_data(tmp_path, ["imagenet"], download=False, roots=[])


def notebook(prose: list[tuple[str, str]], code: str):
    nb = nbformat.v4.new_notebook()
    for text, tag in prose:
        tags = [tag] if tag else []
        nb.cells.append(nbformat.v4.new_markdown_cell(text, metadata={"tags": tags}))
    nb.cells.append(nbformat.v4.new_code_cell(code))
    return nb


def test_first_cell_keeps_a_bilingual_notebook_valid():
    """A bilingual notebook gets a zh/en prose pair and the code; the pair rule still holds."""
    nb = notebook(
        [("# 卷积", "lang-zh"), ("# Convolution", "lang-en")], "train = cu.mnist('train')"
    )
    out = hosted.add_first_cell(nb, "git+https://example.edu/cnn.git")
    assert nbbuild.check_notebook(out) == []
    assert [c.cell_type for c in out.cells[:3]] == ["markdown", "markdown", "code"]
    assert "datasets=('mnist',)" in out.cells[2].source
    compile(out.cells[2].source, "first-cell", "exec")
    again = hosted.add_first_cell(out, "other")
    assert len(again.cells) == len(out.cells)  # replaced, not added twice


def test_first_cell_follows_a_single_language_copy():
    """A Chinese-only copy gets the Chinese prose only; no data set used, none asked for."""
    out = hosted.add_first_cell(notebook([("# 卷积", "")], "x = 1"), "pkg")
    prose = [c.source for c in out.cells if c.cell_type == "markdown"]
    assert prose[0] == hosted.FIRST_CELL_ZH and len(prose) == 2
    assert "datasets=()" in out.cells[1].source


def test_hosted_copies_are_written_for_every_notebook(tmp_path):
    """python -m course_utils.hosted notebooks writes one valid copy per notebook."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("01_a.ipynb", "02_b.ipynb"):
        nbformat.write(notebook([("# 一", "lang-zh"), ("# One", "lang-en")], "1"), src / name)
    out = str(tmp_path / "out")
    assert hosted.main(["notebooks", "--src", str(src), "--out", out, "--package", "pkg"]) == 0
    for name in ("01_a.ipynb", "02_b.ipynb"):
        nbformat.validate(nbformat.read(tmp_path / "out" / name, as_version=4))


def test_setup_on_ai_studio(tmp_path, shared_data, monkeypatch, capsys):
    """On AI Studio, setup links the mounted data, keeps checkpoints in ~/work, sets the mode."""
    home = tmp_path / "aistudio"
    (home / "work").mkdir(parents=True)
    mounted = home / "data" / "data12345"
    mounted.mkdir(parents=True)
    for path in (shared_data / "mnist").iterdir():
        (mounted / path.name).symlink_to(path.resolve())
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home / "work")
    for name in (
        "COURSE_PLATFORM",
        "COURSE_DATA_DIR",
        "COURSE_CHECKPOINT_DIR",
        "COLAB_RELEASE_TAG",
    ):
        monkeypatch.delenv(name, raising=False)
    summary = hosted.setup(quick=True, lang="en", datasets=["mnist"], install=False, download=False)
    assert summary["platform"] == "aistudio"
    assert set(summary["data"].values()) == {"linked"}
    assert summary["data_dir"] == str(home / "work" / "course-data")
    assert summary["checkpoints"] == str(home / "work" / "course-checkpoints")
    assert os.environ["COURSE_QUICK"] == "1"
    shown = capsys.readouterr().out
    assert "Platform: AI Studio" in shown and "Quick mode" in shown
