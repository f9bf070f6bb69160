"""A class on a real JupyterHub on this machine (make test-hub).

Three students log in through the hub's REST API, start their servers, get the student
notebooks through the nbgitpuller link a teacher would hand out (and keep their own edits
when the teacher updates the notebooks), run the student copy of lesson 01 on the course's
kernel, and cannot see each other's checkpoints. Only 127.0.0.1 is used; every wait has a
deadline; the session fixture stops everything and checks that it is gone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

from course_utils import hub as hublinks

import nbformat
import pytest
import yaml

from . import hubtools
from .conftest import REPO, kubespawner_settings

pytestmark = pytest.mark.hub

KERNEL = "cnn-course"
FOLDER = "cnn-course"
CHECKPOINTS = "course-checkpoints"  # deploy/tljh/cnn-course.py
SERVER_START_S = 120
PULL_S = 60
CELL_S = 300
NOT_DONE = ("not done yet", "还没有完成")
# Run in each student's kernel after the lesson: save a checkpoint the way lessons 05-08 do
# (into COURSE_CHECKPOINT_DIR) and report the kernel's and the server's peak memory.
PROBE = """\
import json, os, resource
import paddle
folder = os.path.join(os.environ["COURSE_CHECKPOINT_DIR"], "hub-test")
os.makedirs(folder, exist_ok=True)
paddle.save({"w": paddle.ones([2])}, os.path.join(folder, "model.pdparams"))
status = open(f"/proc/{os.getppid()}/status").read()
server_kb = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM")))
print("PROBE", json.dumps({
    "checkpoints": os.environ["COURSE_CHECKPOINT_DIR"],
    "data": os.environ.get("COURSE_DATA_DIR"),
    "threads": os.environ.get("FLAGS_paddle_num_threads"),
    "quick": os.environ.get("COURSE_QUICK"),
    "kernel_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "server_mb": server_kb / 1024,
}))
"""


def student_copies(out: Path) -> Path:
    """Build the student copies with the course's own builder; return the bilingual folder."""
    done = subprocess.run(
        [sys.executable, "-m", "course_utils.nbbuild", "--src", "notebooks", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out / "student"


def publish(src: Path, only: list[str], upstream: Path, message: str) -> str:
    """Publish the named student notebooks to branch `student` of `upstream`."""
    staging = upstream.parent / "staging"
    if staging.exists():
        subprocess.run(["rm", "-rf", str(staging)], check=True, timeout=30)
    staging.mkdir()
    for name in only:
        (staging / name).write_bytes((src / name).read_bytes())
    commit = hublinks.publish_student_branch(staging, upstream, "student", message)
    assert commit, "nothing published"
    return commit


def login(hub, user: str) -> str:
    """Log in through the REST API (the authenticator checks the password); return a token."""
    reply = hub.api(
        "POST",
        f"users/{user}/tokens",
        body={"auth": {"username": user, "password": hub.password}, "note": "hub test"},
    )
    assert reply.status in (200, 201), (reply.status, reply.body)
    token = reply.json()["token"]
    assert hub.api("GET", "user", token).json()["name"] == user
    return token


def start_servers(hub, tokens: dict[str, str]) -> dict[str, float]:
    """Ask for every student's server at once; wait until each is ready."""
    start = time.monotonic()
    for user, token in tokens.items():
        reply = hub.api("POST", f"users/{user}/server", token)
        assert reply.status in (201, 202), (user, reply.status, reply.body)
    ready: dict[str, float] = {}

    def all_ready():
        for user, token in tokens.items():
            if user not in ready:
                server = hub.api("GET", f"users/{user}", token).json()["servers"].get("")
                if server and server.get("ready"):
                    ready[user] = time.monotonic() - start
        return len(ready) == len(tokens)

    try:
        hubtools.wait_for("all servers ready", all_ready, SERVER_START_S, every=1)
    except TimeoutError as err:
        pytest.fail(f"{err}\n{hub.log_tail()}", pytrace=False)
    return ready


def user_api(hub, user: str, token: str, method: str, path: str, body=None):
    return hubtools.call(method, f"{hub.url}/user/{user}/api/{path}", token, body)


def follow_link(hub, link: str, user: str) -> str:
    """Log in with the form and open the link in a browser session; return where it lands."""
    browser = hubtools.Browser(hub.url)
    browser.log_in(user, hub.password)
    parts = urlsplit(link)
    url, status, page = browser.open(f"{hub.url}{parts.path}?{parts.query}")
    assert status == 200, (url, status)
    assert b"nbgitpuller" in page.lower() or b"git-pull" in page, page[:300]
    return url


def pull(hub, user: str, token: str, upstream: Path) -> list[dict]:
    """What the nbgitpuller page does after the link: stream the pull until it is done."""
    query = f"repo={quote(str(upstream), safe='')}&branch=student&targetpath={FOLDER}"
    events = hubtools.event_stream(f"{hub.url}/user/{user}/git-pull/api?{query}", token, PULL_S)
    assert events and events[-1].get("phase") == "finished", events[-3:]
    return events


def read_notebook(hub, user: str, token: str, path: str):
    reply = user_api(hub, user, token, "GET", f"contents/{quote(path)}?content=1")
    assert reply.status == 200, (path, reply.status)
    return nbformat.from_dict(reply.json()["content"])


def run_lesson(hub, user: str, token: str, path: str) -> dict:
    """Run the notebook's code cells, then the probe, on the course kernel of `user`."""
    nb = read_notebook(hub, user, token, path)
    reply = user_api(
        hub,
        user,
        token,
        "POST",
        "sessions",
        {"path": path, "type": "notebook", "name": path, "kernel": {"name": KERNEL}},
    )
    assert reply.status == 201, (reply.status, reply.body)
    kernel = reply.json()["kernel"]
    assert kernel["name"] == KERNEL
    ws = f"ws://127.0.0.1:{urlsplit(hub.url).port}/user/{user}/api/kernels/{kernel['id']}/channels"
    sources = [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    start = time.monotonic()
    run = hubtools.run_cells(ws, token, [*sources, PROBE], CELL_S)
    seconds = time.monotonic() - start
    probe = next(
        (json.loads(line[6:]) for line in run.text.splitlines() if line.startswith("PROBE ")), None
    )
    return {"user": user, "run": run, "cells": len(sources), "seconds": seconds, "probe": probe}


def test_a_class_of_three_on_one_hub(hub, report, tmp_path):
    """Three students log in, pull the notebooks, run lesson 01 and keep their checkpoints apart."""
    src = student_copies(tmp_path / "notebooks")
    lesson = sorted(p.name for p in src.glob("01_*.ipynb"))[0]
    upstream = tmp_path / "upstream"
    subprocess.run(["git", "init", "-q", "--initial-branch=student", str(upstream)], check=True)
    publish(src, [sorted(p.name for p in src.glob("00_*.ipynb"))[0], lesson], upstream, "first")

    # Log in through the REST API, start the three servers together.
    start = time.monotonic()
    tokens = {user: login(hub, user) for user in hub.users}
    report.phase("3 logins through the REST API", time.monotonic() - start)
    start = time.monotonic()
    ready = start_servers(hub, tokens)
    report.phase("3 servers started (together)", time.monotonic() - start)
    report.lines.append(
        "- servers ready after: " + ", ".join(f"{u} {s:.1f} s" for u, s in sorted(ready.items()))
    )

    # The teacher's link, followed as each student's browser would; then the pull itself.
    start = time.monotonic()
    link = hublinks.pull_link(hub.url, str(upstream), "student", lesson, FOLDER)
    for user, token in tokens.items():
        landed = follow_link(hub, link, user)
        assert f"/user/{user}/git-pull" in landed
        pull(hub, user, token, upstream)
        assert (hub.home(user) / FOLDER / lesson).is_file()
    report.phase("nbgitpuller link followed and pulled, 3 students", time.monotonic() - start)

    # A student's edit survives the teacher's update of the same notebook.
    start = time.monotonic()
    first = hub.users[0]
    mine = read_notebook(hub, first, tokens[first], f"{FOLDER}/{lesson}")
    code = next(c for c in mine.cells if c.cell_type == "code")
    code.source += "\n# my own note / 我的笔记"
    reply = user_api(
        hub,
        first,
        tokens[first],
        "PUT",
        f"contents/{quote(f'{FOLDER}/{lesson}')}",
        {"type": "notebook", "format": "json", "content": mine},
    )
    assert reply.status == 200, reply.body
    teacher = nbformat.read(src / lesson, as_version=4)
    title = next(c for c in teacher.cells if c.cell_type == "markdown")
    title.source += "\n\n(updated by the teacher / 老师更新)"
    nbformat.write(teacher, src / lesson)
    lesson02 = sorted(p.name for p in src.glob("02_*.ipynb"))[0]
    names = [sorted(p.name for p in src.glob("00_*.ipynb"))[0], lesson, lesson02]
    publish(src, names, upstream, "update")
    pull(hub, first, tokens[first], upstream)
    merged = read_notebook(hub, first, tokens[first], f"{FOLDER}/{lesson}")
    nbformat.validate(merged)
    assert any("# my own note / 我的笔记" in c.source for c in merged.cells)
    assert any("(updated by the teacher / 老师更新)" in c.source for c in merged.cells)
    assert (hub.home(first) / FOLDER / lesson02).is_file()
    report.phase("teacher update pulled, student edit kept", time.monotonic() - start)

    # Lesson 01 (student copy) on the course kernel, the three students at once.
    start = time.monotonic()
    with ThreadPoolExecutor(len(tokens)) as pool:
        runs = list(
            pool.map(lambda u: run_lesson(hub, u, tokens[u], f"{FOLDER}/{lesson}"), hub.users)
        )
    report.phase("lesson 01 run by 3 students (together)", time.monotonic() - start)
    for result in runs:
        run, probe, user = result["run"], result["probe"], result["user"]
        assert not run.errors, f"{user}: {run.errors[0].error}\n{run.errors[0].source[:500]}"
        assert any(word in run.text for word in NOT_DONE), "the exercise checks did not run"
        assert probe, f"{user}: no probe output"
        assert probe["checkpoints"] == str(hub.home(user) / CHECKPOINTS)
        assert probe["quick"] == "1"
        report.lines.append(
            f"- {user}: lesson 01 {result['cells']} code cells, no errors, checks say "
            f"'not done yet', {result['seconds']:.1f} s; kernel peak {probe['kernel_mb']:.0f} MB, "
            f"server peak {probe['server_mb']:.0f} MB; checkpoints in {probe['checkpoints']}; "
            f"FLAGS_paddle_num_threads={probe['threads']}"
        )

    # Each student's checkpoints are in their own home, and out of the others' reach.
    homes = {r["probe"]["checkpoints"] for r in runs}
    assert len(homes) == len(runs)
    alice, bob = hub.users[0], hub.users[1]
    own = user_api(hub, alice, tokens[alice], "GET", f"contents/{CHECKPOINTS}/hub-test")
    assert own.status == 200  # what JupyterLab's file browser asks for
    assert [f["name"] for f in own.json()["content"]] == ["model.pdparams"]
    others = user_api(hub, bob, tokens[alice], "GET", f"contents/{CHECKPOINTS}/hub-test")
    assert others.status == 403, (others.status, others.body[:200])
    escape = user_api(
        hub, alice, tokens[alice], "GET", "contents/" + quote(f"../{bob}/{CHECKPOINTS}", safe="")
    )
    assert escape.status in (403, 404), (escape.status, escape.body[:200])
    assert hub.api("POST", f"users/{bob}/server", tokens[alice]).status in (403, 404)
    report.lines.append(
        f"- isolation: {alice}'s token on {bob}'s server: HTTP {others.status}; "
        f"{alice}'s files API on ../{bob}/{CHECKPOINTS}: HTTP {escape.status}"
    )

    # Stop the servers through the hub.
    start = time.monotonic()
    for user, token in tokens.items():
        assert hub.api("DELETE", f"users/{user}/server", token).status in (202, 204)

    def all_stopped():
        return all(not hub.api("GET", f"users/{u}", t).json()["servers"] for u, t in tokens.items())

    hubtools.wait_for("all servers stopped", all_stopped, 60, every=0.5)
    report.phase("3 servers stopped through the hub", time.monotonic() - start)


def test_wrong_password_gets_no_token(hub):
    """The REST login goes through the authenticator: a wrong password is refused."""
    user = hub.users[-1]
    reply = hub.api(
        "POST", f"users/{user}/tokens", body={"auth": {"username": user, "password": "wrong"}}
    )
    assert reply.status == 403


def test_profile_overrides_are_kubespawner_settings(hub_python):
    """Every kubespawner_override key in the Z2JH profiles names a KubeSpawner setting."""
    config = yaml.safe_load((REPO / "deploy" / "z2jh" / "config.yaml").read_text())
    settings = kubespawner_settings(hub_python)
    for profile in config["singleuser"]["profileList"]:
        unknown = set(profile.get("kubespawner_override", {})) - settings
        assert not unknown, f"{profile['display_name']}: {sorted(unknown)}"
