"""COURSE_LANG=zh make lab: JupyterLab itself in Chinese (language pack + settings default).

The Makefile puts etc/jupyter-zh on JUPYTER_CONFIG_PATH only when COURSE_LANG=zh; its
labconfig/default_setting_overrides.json makes zh_CN the default locale of
@jupyterlab/translation-extension. Nothing is written to the home folder: this test gives
the server temporary settings, runtime and config folders, as conftest.py's server has.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from .conftest import REPO, LabServer, free_port, private_lab_env, serve_lab

pytestmark = pytest.mark.browser
PLUGIN = "@jupyterlab/translation-extension:plugin"


@pytest.fixture(scope="module")
def zh_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """`COURSE_LANG=zh make lab` on a free port with a random token, in temporary folders."""
    base = tmp_path_factory.mktemp("lab-zh")
    token, port = secrets.token_hex(24), free_port()
    env = private_lab_env(base, COURSE_LANG="zh")
    env.pop("JUPYTER_CONFIG_PATH", None)
    lab_args = (
        f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
        f"--ServerApp.token={token} --LabApp.news_url=None"
    )
    command = ["make", "lab", "--no-print-directory", f"LAB_ARGS={lab_args}"]
    root = REPO / "notebooks"
    with serve_lab(command, cwd=REPO, env=env, base=base, port=port, token=token, root=root) as lab:
        yield lab


def lab_api(lab: LabServer, path: str) -> dict:
    request = urllib.request.Request(
        f"{lab.url}lab/api/{path}", headers={"Authorization": f"token {lab.token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_make_lab_passes_the_chinese_settings_only_for_zh():
    """the settings folder is added for COURSE_LANG=zh and not otherwise"""
    for lang, expected in (("zh", True), ("en", False), ("both", False)):
        dry = subprocess.run(
            ["make", "-n", "--no-print-directory", "lab", f"COURSE_LANG={lang}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert ("JUPYTER_CONFIG_PATH=" in dry and "etc/jupyter-zh" in dry) is expected, dry


def test_the_default_locale_is_chinese_and_the_pack_is_installed(zh_lab):
    """the translation plugin's default locale is zh_CN and the server has its strings"""
    plugin = lab_api(zh_lab, f"settings/{PLUGIN}")
    assert plugin["schema"]["properties"]["locale"]["default"] == "zh_CN"
    strings = lab_api(zh_lab, "translations/zh_CN")
    assert strings["data"] and "jupyterlab" in strings["data"], strings.get("message")


def test_the_menus_are_in_chinese(zh_lab, page, shot):
    """JupyterLab's menu bar reads 文件, 编辑, 运行 ... (screenshot: browser-lab-zh.png)"""
    page.goto(f"{zh_lab.url}lab?reset&token={zh_lab.token}", wait_until="domcontentloaded")
    menu = page.locator(".lm-MenuBar-itemLabel")
    menu.first.wait_for(timeout=120_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.lm-MenuBar-itemLabel')]"
        ".some(e => e.textContent.trim() === '文件')",
        timeout=60_000,
    )
    labels = [text.strip() for text in menu.all_inner_texts()]
    page.screenshot(path=shot("lab-zh"))
    assert {"文件", "编辑", "运行"} <= set(labels), labels
