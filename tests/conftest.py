"""Shared fixtures: real data from COURSE_DATA_DIR, or an isolated empty world."""

from __future__ import annotations

import os
from pathlib import Path

from course_utils import data, i18n

import pytest


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts from the language set by the environment."""
    i18n.reset_language()
    yield
    i18n.reset_language()


@pytest.fixture
def no_local_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No data anywhere: empty COURSE_DATA_DIR, repo data/ and Paddle cache."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "course"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(data, "repo_data_dir", lambda: tmp_path / "repo-data")
    return tmp_path / "course"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The offline copies of MNIST and CIFAR-10 named by COURSE_DATA_DIR."""
    folder = Path(os.environ.get("COURSE_DATA_DIR", "../shared/data"))
    if not (folder / "mnist").is_dir():
        pytest.fail(f"COURSE_DATA_DIR must name the offline data folder; got {folder}")
    return folder
