"""course_utils.hub: the nbgitpuller link and the student branch a teacher publishes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from course_utils import hub

import nbformat
import pytest


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A teacher's course repository with one commit on main and an uncommitted change."""
    path = tmp_path / "course"
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(path)], check=True)
    (path / "README.md").write_text("course\n")
    git(path, "add", "README.md")
    git(path, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "start")
    (path / "README.md").write_text("course, edited\n")
    return path


@pytest.fixture
def student(tmp_path: Path) -> Path:
    folder = tmp_path / "student"
    folder.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), folder / "01_convolution.ipynb")
    return folder


def test_link_round_trips_its_parameters():
    """Each part of the link reads back as given, for nbgitpuller to use."""
    link = hub.pull_link(
        "https://hub.example.edu/", "https://git.example.edu/t/cnn.git", "student", "01_x.ipynb"
    )
    parts = urlsplit(link)
    assert parts.path == "/hub/user-redirect/git-pull"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "repo": "https://git.example.edu/t/cnn.git",
        "branch": "student",
        "targetpath": hub.DEFAULT_FOLDER,
        "app": "lab",
        "subpath": "01_x.ipynb",
    }


def test_link_keeps_a_hub_prefix():
    """A hub served under a path keeps it in front of /hub/."""
    link = hub.pull_link("https://example.edu/jupyter", "https://g/r.git")
    assert link.startswith("https://example.edu/jupyter/hub/user-redirect/git-pull?")


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"hub": "hub.example.edu"}, ValueError, "hub"),
        ({"hub": 3}, TypeError, "hub"),
        ({"branch": "two words"}, ValueError, "branch"),
        ({"branch": "--upload-pack=x"}, ValueError, "branch"),
        ({"open_path": "../other/secret.ipynb"}, ValueError, "open_path"),
        ({"folder": "~/elsewhere"}, ValueError, "folder"),
        ({"repo": ""}, ValueError, "repo"),
    ],
)
def test_link_rejects_bad_parameters(kwargs, error, name):
    """A bad parameter fails early with a message that names it."""
    args = {"hub": "https://hub.example.edu", "repo": "https://g/r.git", **kwargs}
    with pytest.raises(error, match=f"`{name}`"):
        hub.pull_link(**args)


def test_publish_adds_one_commit_per_change_and_leaves_the_checkout_alone(repo, student):
    """Each publish is one commit on top of the last; the teacher's checkout is untouched."""
    status = git(repo, "status", "--porcelain")
    first = hub.publish_student_branch(student, repo, "student", "first")
    assert git(repo, "ls-tree", "--name-only", "student") == "01_convolution.ipynb"
    assert hub.publish_student_branch(student, repo, "student") is None  # nothing new
    nbformat.write(nbformat.v4.new_notebook(), student / "02_padding.ipynb")
    second = hub.publish_student_branch(student, repo, "student", "second")
    assert git(repo, "rev-parse", f"{second}^") == first
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(repo, "status", "--porcelain") == status


def test_publish_needs_notebooks_and_a_repository(tmp_path, repo, student):
    """Publishing a folder without notebooks, or into a non-repository, fails early."""
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="`src`"):
        hub.publish_student_branch(empty, repo)
    with pytest.raises(ValueError, match="`repo`"):
        hub.publish_student_branch(student, tmp_path / "nowhere")


def test_command_line_prints_the_link(capsys):
    """python -m course_utils.hub link prints one link; a bad hub exits with status 2."""
    assert hub.main(["link", "--hub", "https://h.example.edu", "--repo", "https://g/r.git"]) == 0
    assert capsys.readouterr().out.startswith("https://h.example.edu/hub/user-redirect/git-pull?")
    assert hub.main(["link", "--hub", "h.example.edu", "--repo", "https://g/r.git"]) == 2
    assert "`hub`" in capsys.readouterr().err
