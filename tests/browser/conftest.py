"""Real-browser fixtures: a private JupyterLab server and headless Chromium via Playwright.

The tests here drive JupyterLab the way a learner does (open a notebook, run all cells,
move a slider) and check what the page shows. They need two things beyond the course's
own environment:

- Debian's ``chromium`` (``apt-get install chromium``); ``COURSE_CHROMIUM`` may name
  another Chromium binary. Playwright's own browser downloads are never used.
- Playwright for Python (``pip install playwright``).

When either is missing the tests are skipped, so a plain ``pytest`` run is unaffected.
``COURSE_REQUIRE_BROWSER=1`` (set by ``make test-browser``) turns that skip into a
failure, so the browser job can never pass by testing nothing.

The server serves a temporary copy of ``notebooks/`` so that running cells never writes
outputs into the repository. Its Jupyter settings, workspaces and runtime files live in
the same temporary folder. Everything started here is stopped at the end of the session:
the kernels, the server's process group and the browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from processes import descendants, free_port, kill, survivors

REPO = Path(__file__).resolve().parents[2]

# Generous: starting the server, a kernel and running a notebook on a 2-core CPU.
SERVER_START_S = 90
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# JupyterLab settings for the private server: no news or update pop-ups, the notebook's
# kernel started without the "Select Kernel" dialog, and every cell kept in the page (no
# virtual scrolling) so that locators find cells outside the view.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless Chromium (slow)")


def unavailable(reason: str) -> None:
    """Skip, or fail when COURSE_REQUIRE_BROWSER=1 asks for the browser tests to run."""
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"COURSE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def shot_path(name: str) -> Path:
    """Where a screenshot goes: COURSE_BROWSER_SHOTS, else the temp folder (/tmp)."""
    folder = Path(os.environ.get("COURSE_BROWSER_SHOTS") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"browser-{name}.png"


@pytest.fixture
def shot():
    """shot(name) -> the path for screenshot "browser-NAME.png"."""
    return shot_path


# --- Chromium and Playwright --------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium")
    if not path or not os.access(path, os.X_OK):
        unavailable(
            "no Chromium found (install Debian's: apt-get install -y chromium, "
            "or set COURSE_CHROMIUM to a Chromium binary)"
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    """Headless Chromium with a fresh temporary profile (Playwright's launch makes one)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None:
        unavailable("Playwright for Python is not installed (pip install -r requirements.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context and page per test; a screenshot is kept when a test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)  # other work may share the CPU
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            with contextlib.suppress(Exception):
                new_page.screenshot(path=shot_path(f"{request.node.name}-failed"), full_page=True)
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _shut_down_kernels(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the server, stop its kernels (2 cores go a long way)."""
    yield
    if "lab" in request.fixturenames:
        lab_server = request.getfixturevalue("lab")
        with contextlib.suppress(Exception):
            for kernel in lab_server.api("kernels"):
                lab_server.api(f"kernels/{kernel['id']}", method="DELETE")


def draw_stroke(page, box: dict, stroke, size: int, steps: int = 12) -> None:
    """Draw one stroke with the mouse, as a learner would.

    `stroke` is a list of (x, y) in the coordinates of a `size`-pixel canvas shown in `box`
    (a Playwright bounding box).
    """
    scale_x, scale_y = box["width"] / size, box["height"] / size
    x, y = stroke[0]
    page.mouse.move(box["x"] + x * scale_x, box["y"] + y * scale_y)
    page.mouse.down()
    for x, y in stroke[1:]:
        page.mouse.move(box["x"] + x * scale_x, box["y"] + y * scale_y, steps=steps)
    page.mouse.up()


# --- JupyterLab ---------------------------------------------------------------------------


@dataclass
class LabServer:
    url: str  # http://127.0.0.1:PORT/
    token: str
    root: Path  # the served copy of notebooks/
    log: Path

    def lab_url(self, notebook: str) -> str:
        """The JupyterLab page that opens the notebook (a path inside ``root``)."""
        return f"{self.url}lab/tree/{notebook}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.url}api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernel_state(self, notebook: str) -> str | None:
        """The execution state of the notebook's kernel, or None while it has none."""
        for session in self.api("sessions"):
            if session.get("path") == notebook and session.get("kernel"):
                return session["kernel"].get("execution_state")
        return None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def stop_server(server: subprocess.Popen, lab: LabServer) -> None:
    """Shut the kernels and server down politely, then kill whatever is left."""
    started = descendants(server.pid)  # the kernels, noted before the server goes
    with contextlib.suppress(Exception):
        for kernel in lab.api("kernels"):
            lab.api(f"kernels/{kernel['id']}", method="DELETE")
    with contextlib.suppress(Exception):
        lab.api("shutdown", method="POST")
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # helpers left in the server's group
    kill(survivors(started))  # the same processes, not reused pids


def private_lab_env(base: Path, **extra: str) -> dict[str, str]:
    """The environment of a private server: its Jupyter folders and LAB_SETTINGS under `base`."""
    settings = base / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        target = settings / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    return dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        IPYTHONDIR=str(base / "ipython"),
        **extra,
    )


@contextlib.contextmanager
def serve_lab(
    command: list[str], *, cwd: Path, env: dict, base: Path, port: int, token: str, root: Path
) -> Iterator[LabServer]:
    """Run `command` (a JupyterLab server on `port`), wait until it is up, stop it at the end."""
    name = " ".join(command[:2])
    log = base / "server.log"
    with open(log, "wb") as log_file:
        server = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one at the end
        )
    lab_server = LabServer(url=f"http://127.0.0.1:{port}/", token=token, root=root, log=log)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"{name} exited early:\n{lab_server.log_tail()}", pytrace=False)
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                if "started" in lab_server.api("status"):
                    break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{name} not up in {SERVER_START_S} s:\n{lab_server.log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.5)
        yield lab_server
    finally:
        stop_server(server, lab_server)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab on a free localhost port with a random token, serving a copy of notebooks/."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(REPO / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = private_lab_env(base)
    env.setdefault("COURSE_QUICK", "1")
    token = secrets.token_hex(24)
    port = free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [
        str(jupyter) if jupyter.exists() else "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        "--LabApp.news_url=None",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    with serve_lab(command, cwd=root, env=env, base=base, port=port, token=token, root=root) as s:
        yield s
