"""Refresh the chart's schema and default values kept here, from a clone of the chart's repository.

    python deploy/z2jh/chart/refresh.py PATH/TO/zero-to-jupyterhub-k8s 4.4.0

Reads ``jupyterhub/values.schema.yaml`` and ``jupyterhub/values.yaml`` at the given tag
(``git show``, the clone's work tree is not touched) and writes

- ``values.schema.json``: the schema as the packaged chart ships it, for Helm's own check
  (the ``description`` texts dropped, the rules unchanged);
- ``values.json``: the chart's default values (comments dropped), which Helm merges with a
  config file before it checks the result against the schema;
- ``VERSION``: the tag and the commit they came from.

Needs PyYAML (in the course environment).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def without_descriptions(node):
    """The schema without its ``description`` keywords (a property *named* description stays)."""
    if isinstance(node, list):
        return [without_descriptions(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept = {}
    for key, value in node.items():
        if key == "description" and isinstance(value, str):
            continue
        if key == "properties" and isinstance(value, dict):
            kept[key] = {name: without_descriptions(sub) for name, sub in value.items()}
        else:
            kept[key] = without_descriptions(value)
    return kept


def show(repo: Path, tag: str, path: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), "show", f"{tag}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def main(repo: str, tag: str) -> None:
    git_dir = Path(repo)
    if (git_dir / ".git").exists():
        git_dir = git_dir / ".git"
    schema = yaml.safe_load(show(git_dir, tag, "jupyterhub/values.schema.yaml"))
    values = yaml.safe_load(show(git_dir, tag, "jupyterhub/values.yaml"))
    commit = subprocess.run(
        ["git", "--git-dir", str(git_dir), "rev-list", "-n", "1", tag],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (HERE / "values.schema.json").write_text(
        json.dumps(without_descriptions(schema), indent=1, sort_keys=True) + "\n"
    )
    (HERE / "values.json").write_text(json.dumps(values, indent=1, sort_keys=True) + "\n")
    (HERE / "VERSION").write_text(f"{tag} {commit}\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
