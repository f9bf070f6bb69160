"""Fixtures for the real-hub tests (make test-hub, marker ``hub``).

``make test-hub`` builds what they need inside build/ and names it here:

- ``COURSE_HUB_VENV``: build/hub-venv, made by deploy/image/install-course-env.sh (the image's
  recipe) plus deploy/requirements-hub.txt: JupyterHub, the course, its kernel, nbgitpuller;
- ``COURSE_HUB_NODE``: build/hub-node, configurable-http-proxy from deploy/proxy's lock file;
- ``COURSE_WHEEL_DIR``: build/dist, the course's wheel (make wheel).

Without them the tests are skipped; ``COURSE_REQUIRE_HUB=1`` (set by make test-hub) turns
the skip into a failure. The hub listens on 127.0.0.1 only, and everything it started is
stopped, and checked to be gone, before the session ends.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from . import hubtools

# The hub's configuration file is read by JupyterHub, not imported by pytest's doctests.
collect_ignore = ["jupyterhub_config.py"]

REPO = Path(__file__).resolve().parents[2]
USERS = ("student01", "student02", "student03")
HUB_START_S = 90
SHUTDOWN_S = 60
REPORT = Path(os.environ.get("COURSE_HUB_REPORT", REPO / "build" / "test-hub-report.md"))


def unavailable(reason: str) -> None:
    if os.environ.get("COURSE_REQUIRE_HUB") == "1":
        pytest.fail(f"COURSE_REQUIRE_HUB=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class HubPaths:
    venv: Path
    proxy: Path
    wheel: Path


@pytest.fixture(scope="session")
def hub_paths() -> HubPaths:
    venv = Path(os.environ.get("COURSE_HUB_VENV", REPO / "build" / "hub-venv"))
    node = Path(os.environ.get("COURSE_HUB_NODE", REPO / "build" / "hub-node"))
    wheels = sorted(Path(os.environ.get("COURSE_WHEEL_DIR", REPO / "build" / "dist")).glob("*.whl"))
    proxy = node / "node_modules" / ".bin" / "configurable-http-proxy"
    if not (venv / "bin" / "jupyterhub").exists():
        unavailable(f"no JupyterHub in {venv} (make test-hub builds it)")
    if not proxy.exists():
        unavailable(f"no configurable-http-proxy in {node} (make test-hub installs it)")
    if not wheels:
        unavailable("no course wheel in build/dist (make wheel)")
    return HubPaths(venv=venv, proxy=proxy, wheel=wheels[-1])


@dataclass
class Report:
    """What the hub test measured; written to build/test-hub-report.md at the end."""

    started: float = field(default_factory=time.monotonic)
    phases: list[tuple[str, float]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def phase(self, name: str, seconds: float) -> None:
        self.phases.append((name, seconds))

    def write(self) -> str:
        total = time.monotonic() - self.started
        text = ["# make test-hub", "", *self.lines, "", "| phase | seconds |", "| --- | ---: |"]
        text += [f"| {name} | {seconds:.1f} |" for name, seconds in self.phases]
        text += [f"| **total** | **{total:.1f}** |", ""]
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text("\n".join(text))
        return "\n".join(text)


@pytest.fixture(scope="session")
def report():
    rep = Report()
    yield rep
    print("\n" + rep.write())


@dataclass
class Hub:
    url: str  # http://127.0.0.1:PORT (the proxy, what students open)
    base: Path
    password: str
    process: subprocess.Popen
    log: Path
    users: tuple[str, ...] = USERS

    def api(self, method: str, path: str, token: str | None = None, body=None, timeout=30):
        return hubtools.call(method, f"{self.url}/hub/api/{path}", token, body, timeout)

    def home(self, user: str) -> Path:
        return self.base / "homes" / user

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def stop_hub(hub: Hub, started: dict[int, str]) -> tuple[float, list[int]]:
    """Stop the hub (it stops the proxy and the culler), then anything else it started.

    Returns the seconds it took and the processes that had to be killed."""
    start = time.monotonic()
    if hub.process.poll() is None:
        os.killpg(hub.process.pid, signal.SIGTERM)
        try:
            hub.process.wait(timeout=SHUTDOWN_S / 2)
        except subprocess.TimeoutExpired:
            os.killpg(hub.process.pid, signal.SIGKILL)
            hub.process.wait(timeout=10)
    started.update(hubtools.descendants(hub.process.pid))
    deadline = time.monotonic() + 10
    left = hubtools.survivors(started)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = hubtools.survivors(started)
    hubtools.kill(left)
    return time.monotonic() - start, left


@pytest.fixture(scope="session")
def hub(hub_paths: HubPaths, report: Report, tmp_path_factory) -> Hub:
    base = tmp_path_factory.mktemp("hub")
    (base / "homes").mkdir()
    ports = {name: hubtools.free_port() for name in ("PORT", "HUB_PORT", "PROXY_API_PORT")}
    password = secrets.token_urlsafe(12)
    env = dict(os.environ)
    env.update({f"HUBTEST_{name}": str(port) for name, port in ports.items()})
    env.update(
        HUBTEST_BASE=str(base),
        HUBTEST_REPO=str(REPO),
        HUBTEST_VENV=str(hub_paths.venv),
        HUBTEST_CHP=str(hub_paths.proxy),
        HUBTEST_PASSWORD=password,
        HUBTEST_USERS=",".join(USERS),
        PATH=os.pathsep.join([str(hub_paths.venv / "bin"), env.get("PATH", "")]),
        JUPYTER_CONFIG_DIR=str(base / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(base / "jupyter-runtime"),
    )
    env.pop("COURSE_CHECKPOINT_DIR", None)  # the hub sets each student's own
    env.pop("VIRTUAL_ENV", None)
    log = base / "hub.log"
    start = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(hub_paths.venv / "bin" / "jupyterhub"),
                "-f",
                str(REPO / "tests" / "hub" / "jupyterhub_config.py"),
            ],
            cwd=base,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(
        url=f"http://127.0.0.1:{ports['PORT']}",
        base=base,
        password=password,
        process=process,
        log=log,
    )
    started: dict[int, str] = {}
    try:

        def up():
            if process.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{hub.log_tail()}")
            return hub.api("GET", "").status == 200

        try:
            hubtools.wait_for("the hub answering on its proxy", up, HUB_START_S)
        except TimeoutError as err:
            pytest.fail(f"{err}\n{hub.log_tail()}", pytrace=False)
        report.phase("hub and proxy started", time.monotonic() - start)
        version = hub.api("GET", "").json()["version"]
        report.lines.append(f"- JupyterHub {version} on {hub.url}, users: {', '.join(USERS)}")
        yield hub
    finally:
        started.update(hubtools.descendants(process.pid))
        seconds, killed = stop_hub(hub, started)
        report.phase("hub, proxy, servers and kernels stopped", seconds)
        left_ports = [p for p in ports.values() if hubtools.port_open(p)]
        report.lines.append(
            f"- shutdown: {seconds:.1f} s, processes that had to be killed: {len(killed)}, "
            f"ports still open: {left_ports or 'none'}"
        )
        (REPO / "build").mkdir(exist_ok=True)
        shutil.copy(log, REPO / "build" / "test-hub.log")
        assert seconds < SHUTDOWN_S and not left_ports, hub.log_tail()


@pytest.fixture(scope="session")
def hub_python(hub_paths: HubPaths) -> str:
    return str(hub_paths.venv / "bin" / "python")


def kubespawner_settings(python: str) -> set[str]:
    """Names of KubeSpawner's configurable settings, read in the hub's environment."""
    code = (
        "import json; from kubespawner import KubeSpawner; "
        "print(json.dumps(sorted(KubeSpawner.class_trait_names(config=True))))"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))
