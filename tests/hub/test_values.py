"""The Zero to JupyterHub values (deploy/z2jh/config.yaml) against the chart's own schema.

Helm merges a config file into the chart's default values, then checks the result against
the chart's ``values.schema.json``; these tests do the same with the files of chart 4.4.0
kept in deploy/z2jh/chart/ (see its VERSION and LICENSE).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "z2jh" / "chart"
CHART_VERSION = "4.4.0"
CONFIG = REPO / "deploy" / "z2jh" / "config.yaml"
# What a single-user server (jupyterhub-singleuser with JupyterLab) adds to a lesson's
# kernel; make test-hub measures it (docs/deployment.md) at about 0.1 GB.
SERVER_MB = 150


def helm_merge(defaults, config):
    """Merge `config` into `defaults` the way Helm does: maps deeply, a null removes a key."""
    if not (isinstance(defaults, dict) and isinstance(config, dict)):
        return copy.deepcopy(config)
    merged = copy.deepcopy(defaults)
    for key, value in config.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def byte_size(value) -> int:
    """KubeSpawner's reading of a memory size: K, M, G, T are powers of 1024."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)", str(value))
    assert match, f"not a KubeSpawner byte size: {value!r}"
    power = " KMGT".index(match.group(2) or " ")
    return int(float(match.group(1)) * 1024**power)


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads((CHART / "values.schema.json").read_text())


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load(CONFIG.read_text())


@pytest.fixture(scope="module")
def values(config) -> dict:
    """The values Helm would check: the chart's defaults with the config merged in."""
    return helm_merge(json.loads((CHART / "values.json").read_text()), config)


def errors(schema: dict, values: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(values)]


def test_chart_files_are_the_pinned_version():
    """The schema and defaults kept here come from the chart version the config names."""
    assert (CHART / "VERSION").read_text().split()[0] == CHART_VERSION
    assert f"--version {CHART_VERSION}" in CONFIG.read_text()
    assert f"--version {CHART_VERSION}" in (REPO / "docs" / "deployment.md").read_text()
    assert "BSD 3-Clause" in (CHART / "LICENSE").read_text()


def test_chart_defaults_pass_their_own_schema(schema):
    """The check itself is sound: the chart's defaults alone pass."""
    assert errors(schema, json.loads((CHART / "values.json").read_text())) == []


def test_config_passes_the_chart_schema(schema, values):
    """deploy/z2jh/config.yaml merged into the defaults passes the chart's schema."""
    assert errors(schema, values) == []


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("singleuser", "memroy"), {"limit": "3G"}),  # a misspelt key
        (("singleuser", "cpu", "limit"), "two"),  # a wrong type
        (("cull", "enabled"), "yes"),
        (("singleuser", "storage", "type"), "nfs"),  # not one of the choices
    ],
)
def test_schema_rejects_a_broken_config(schema, values, path, bad):
    """A typo or a wrong type in the config fails the check (it is not a formality)."""
    broken = copy.deepcopy(values)
    node = broken
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad
    assert errors(schema, broken)


def test_memory_guarantee_covers_the_measured_peak(config):
    """The guarantee holds the largest full-mode kernel peak (bench/results.md) plus a server."""
    table = (REPO / "bench" / "results.md").read_text()
    header = next(line for line in table.splitlines() if "peak memory (MB)" in line)
    names = [c.strip() for c in header.split("|")]
    column = names.index("peak memory (MB)")
    rows = [[c.strip() for c in line.split("|")] for line in table.splitlines()]
    peaks = [
        float(cells[column])
        for cells in rows
        if len(cells) == len(names) and re.fullmatch(r"\d+(\.\d+)?", cells[column])
    ]
    assert peaks, "no peak memory in bench/results.md"
    need = (max(peaks) + SERVER_MB) * 2**20
    memory = config["singleuser"]["memory"]
    assert byte_size(memory["guarantee"]) >= need
    assert byte_size(memory["limit"]) >= 2 * max(peaks) * 2**20  # two kernels at once


def test_profiles_cpu_default_and_one_gpu(config):
    """Two profiles: the CPU one is the default; the GPU one asks for a GPU and its own image."""
    cpu, gpu = config["singleuser"]["profileList"]
    assert cpu.get("default") is True and "kubespawner_override" not in cpu
    override = gpu["kubespawner_override"]
    assert override["extra_resource_limits"] == {"nvidia.com/gpu": "1"}
    assert "gpu" in override["image"].split(":")[-1]
    assert override["image"].rsplit(":", 1)[0] == config["singleuser"]["image"]["name"]
    assert byte_size(override["mem_limit"]) >= byte_size(config["singleuser"]["memory"]["limit"])


def test_data_is_shared_read_only_and_checkpoints_stay_home(values):
    """The data volume is read-only where COURSE_DATA_DIR points; checkpoints are in the home."""
    single = values["singleuser"]
    env = single["extraEnv"]
    mounts = {m["name"]: m for m in single["storage"]["extraVolumeMounts"]}
    volumes = {v["name"]: v for v in single["storage"]["extraVolumes"]}
    assert mounts["course-data"]["mountPath"] == env["COURSE_DATA_DIR"]
    assert mounts["course-data"]["readOnly"] is True
    assert volumes["course-data"]["persistentVolumeClaim"]["readOnly"] is True
    home = single["storage"]["homeMountPath"]
    assert single["storage"]["type"] == "dynamic"  # one volume per student
    assert env["COURSE_CHECKPOINT_DIR"].startswith(home + "/")


def test_idle_culler_is_on(values):
    """Idle servers are stopped after an hour; users and their homes are kept."""
    cull = values["cull"]
    assert cull["enabled"] is True and cull["users"] is False
    assert 0 < cull["timeout"] <= 4 * 3600 and 0 < cull["every"] <= cull["timeout"]
