"""The contributor's tools: pre-commit hooks that exist and agree with the committed files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]
BIN = Path(sys.executable).parent


def hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_pre_commit_config_is_valid():
    """pre-commit accepts the configuration, and every hook runs a tool of the .venv"""
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(ROOT / ".pre-commit-config.yaml")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    for hook in hooks():
        tool = hook["entry"].split()[0].removeprefix(".venv/bin/")
        assert (BIN / tool).exists(), f"{hook['id']}: {tool} is not installed by make setup"


def test_committed_notebooks_are_already_stripped(tmp_path):
    """the strip-outputs hook would change no committed notebook"""
    copies = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", copies)
    subprocess.run(
        [str(BIN / "nbstripout"), "--keep-id", *map(str, copies.glob("*.ipynb"))], check=True
    )
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        assert (copies / path.name).read_bytes() == path.read_bytes(), path.name
