"""The package as a learner installs it: a wheel in a fresh environment, every module importable."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# Imported by course_utils only inside functions that need them, and never by a lesson
# outside Jupyter: IPython, nbclient and nbconvert come with JupyterLab (the notebook
# tools), nbgrader with the teacher's tools, google.colab only exists on Colab
# (course_utils.hosted looks for it).
OPTIONAL = {"IPython", "google", "nbclient", "nbconvert", "nbgrader"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    (found,) = out.glob("course_utils-*.whl")
    return found


def test_the_wheel_holds_every_module(wheel):
    """every .py file of course_utils, subpackages included, is in the wheel"""
    import zipfile

    inside = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
    source = {p.relative_to(ROOT).as_posix() for p in (ROOT / "course_utils").rglob("*.py")}
    assert source <= inside, sorted(source - inside)


def test_every_module_imports_from_a_fresh_environment(wheel, tmp_path):
    """installed from the wheel into a new venv, course_utils and all its modules import"""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         str(wheel)],
        check=True,
    )  # fmt: skip
    # The dependencies come from this environment, after the new one's own packages.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = (
        "import importlib, pkgutil, sys, course_utils\n"
        "assert 'paddle' not in sys.modules, 'import course_utils imported paddle'\n"
        "names = [m.name for m in pkgutil.walk_packages(course_utils.__path__, 'course_utils.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(course_utils.__file__); print(len(names))"
    )
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    location, count = done.stdout.split()
    assert location.startswith(str(env_dir)) and int(count) >= 20


def _third_party_imports() -> set[str]:
    names = set()
    for path in (ROOT / "course_utils").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"course_utils"}


def test_every_imported_package_is_a_declared_dependency():
    """what course_utils imports is a dependency or an extra in pyproject.toml (or listed here)"""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [dep for group in project.get("optional-dependencies", {}).values() for dep in group]
    declared = {
        dep.split(">")[0].split("=")[0].split("<")[0].strip().lower()
        for dep in project["dependencies"] + extras
    }
    providers = importlib.metadata.packages_distributions()
    missing = {
        name
        for name in _third_party_imports() - OPTIONAL
        if not {d.lower() for d in providers.get(name, [name])} & declared
    }
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
