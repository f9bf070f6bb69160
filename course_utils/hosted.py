"""The course on hosted notebooks (AI Studio, Colab): what their first cell does.

A hosted notebook starts without the course: no checkout, no ``course_utils``,
sometimes no data. The first cell of a hosted copy (written by
``python -m course_utils.hosted notebooks``, see :data:`FIRST_CELL`) installs
the course package with ``pip install --no-deps`` (from an uploaded wheel,
``make wheel``, or the repository's address) and then calls :func:`setup`,
which

1. tells the platform apart (:func:`detect_platform`: ``aistudio``, ``colab``
   or ``local``; ``COURSE_PLATFORM`` overrides the guess);
2. installs the package's other dependencies that are missing, and Paddle
   only when there is none: AI Studio's own (GPU) Paddle is never replaced
   (:func:`install_requirements`);
3. finds the data (an AI Studio data set, an upload, Paddle's cache) or
   downloads it from Paddle's mirrors, and points ``COURSE_DATA_DIR`` at it
   (:func:`prepare_data`);
4. sets the mode (``COURSE_QUICK``), the language, and the checkpoint folder
   (``COURSE_CHECKPOINT_DIR``: persistent ``~/work`` on AI Studio).

The image for a hub uses :func:`prepare_data` too, to bake the data in::

    python -m course_utils.hosted data --dest /srv/course-data

Importing this module is cheap (standard library only); it never imports Paddle.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .i18n import bilingual, set_language, t
from .validate import choice, flag, value_error

PLATFORMS = ("aistudio", "colab", "local")
DATASETS = ("mnist", "cifar10")
#: The Paddle release the course is written for (requirements.txt pins the same).
PADDLE_VERSION = "3.3.1"
#: Paddle's own package index for its GPU builds; the CUDA tag is appended.
PADDLE_GPU_INDEX = "https://www.paddlepaddle.org.cn/packages/stable/"
DEFAULT_CUDA = "cu126"
DISTRIBUTION = "course-utils"
_PADDLE_NAMES = {"paddlepaddle", "paddlepaddle-gpu"}
#: Seconds one pip command may take before it is given up.
PIP_TIMEOUT = 900
#: How deep under a search root data files are looked for.
_SEARCH_DEPTH = 3

Runner = Callable[[Sequence[str]], None]


def detect_platform(environ: dict | None = None, home: Path | None = None) -> str:
    """Which hosted platform this is: ``'aistudio'``, ``'colab'`` or ``'local'``.

    ``COURSE_PLATFORM`` wins when set. Colab is recognised by its
    ``COLAB_RELEASE_TAG`` variable or the ``google.colab`` module; AI Studio
    by its user's home, ``/home/aistudio``, which holds ``work/``.

    Examples
    --------
    >>> detect_platform({"COLAB_RELEASE_TAG": "release-colab_20260101"})
    'colab'
    >>> detect_platform({"COURSE_PLATFORM": "aistudio"})
    'aistudio'
    """
    environ = os.environ if environ is None else environ
    forced = environ.get("COURSE_PLATFORM", "").strip().lower()
    if forced:
        return choice(forced, "COURSE_PLATFORM", PLATFORMS)
    if "COLAB_RELEASE_TAG" in environ or _has_colab():
        return "colab"
    home = Path(environ.get("HOME", "~")).expanduser() if home is None else home
    if home.name == "aistudio" and (home / "work").is_dir():
        return "aistudio"
    return "local"


def _has_colab() -> bool:
    try:
        return importlib.util.find_spec("google.colab") is not None
    except (ImportError, ValueError):  # no google package at all
        return False


def work_dir(platform: str, home: Path | None = None) -> Path:
    """Where the course keeps its files: ``~/work`` (AI Studio keeps it), ``/content``, ``~``."""
    home = Path.home() if home is None else home
    if platform == "aistudio":
        return home / "work"
    if platform == "colab" and Path("/content").is_dir():
        return Path("/content")
    return home


def installed_paddle() -> str | None:
    """The installed Paddle distribution and version, e.g. ``'paddlepaddle-gpu 3.3.1'``, or None."""
    for name in ("paddlepaddle-gpu", "paddlepaddle"):
        try:
            return f"{name} {importlib.metadata.version(name)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    if importlib.util.find_spec("paddle") is not None:  # built from source, no metadata
        return "paddle (unknown version)"
    return None


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1).lower().replace("_", "-") if match else ""


def course_requirements() -> list[str]:
    """The installed course package's own dependencies, Paddle left out.

    Raises
    ------
    RuntimeError
        When the course package is not installed.
    """
    try:
        declared = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        raise RuntimeError(
            bilingual(
                "没有安装课程包 course-utils：先运行第一个单元格。",
                "The course package course-utils is not installed: run the first cell first.",
            )
        ) from None
    kept = []
    for requirement in declared:
        if ";" in requirement and "extra ==" in requirement:
            continue  # optional extras are not installed here
        if _requirement_name(requirement) not in _PADDLE_NAMES:
            kept.append(requirement.split(";")[0].strip())
    return kept


def has_gpu() -> bool:
    """True when ``nvidia-smi`` is present and lists a GPU (within 20 s)."""
    if shutil.which("nvidia-smi") is None:
        return False
    try:
        done = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and "GPU" in done.stdout


def paddle_install_args(gpu: bool, cuda: str = DEFAULT_CUDA) -> list[str]:
    """pip arguments for Paddle: the CPU build, or the GPU build from Paddle's index.

    Examples
    --------
    >>> paddle_install_args(False)
    ['paddlepaddle==3.3.1']
    >>> paddle_install_args(True, "cu118")[-1]
    'https://www.paddlepaddle.org.cn/packages/stable/cu118/'
    """
    if not re.fullmatch(r"cu\d{3}", cuda):
        raise value_error("cuda", "形如 cu126 的 CUDA 标记", "a CUDA tag such as cu126", cuda)
    if not gpu:
        return [f"paddlepaddle=={PADDLE_VERSION}"]
    return [f"paddlepaddle-gpu=={PADDLE_VERSION}", "-i", f"{PADDLE_GPU_INDEX}{cuda}/"]


def _pip(args: Sequence[str]) -> None:
    command = [sys.executable, "-m", "pip", "install", "--quiet", *args]
    print("$", " ".join(command[2:]), flush=True)
    subprocess.run(command, check=True, timeout=PIP_TIMEOUT)


def install_requirements(run: Runner = _pip, gpu: bool | None = None) -> list[list[str]]:
    """Install what the course needs and the platform lacks; never touch an installed Paddle.

    The package's dependencies other than Paddle go to pip with their own
    lower bounds, so pip keeps every version the platform already has that
    satisfies them. Paddle is installed (the pinned release, the GPU build
    when a GPU is seen) only when no Paddle at all is installed. Returns the
    pip argument lists that were run.
    """
    done = []
    others = course_requirements()
    if others:
        run(others)
        done.append(others)
    if installed_paddle() is None:
        args = paddle_install_args(has_gpu() if gpu is None else gpu)
        run(args)
        done.append(args)
    importlib.invalidate_caches()
    return done


def _data_names(dataset: str) -> list[str]:
    from . import data

    if dataset == "mnist":
        return [name for pair in data.MNIST_FILES.values() for name in pair]
    return [data.CIFAR10_FILE]


def data_roots(platform: str, home: Path | None = None) -> list[Path]:
    """Folders searched for data files, in order (each down to 3 levels).

    ``COURSE_DATA_DIR``, the working folder, AI Studio's mounted data sets
    (``~/data``), ``~/work``, Colab's ``/content`` and Paddle's cache.
    """
    home = Path.home() if home is None else home
    roots = []
    if os.environ.get("COURSE_DATA_DIR"):
        roots.append(Path(os.environ["COURSE_DATA_DIR"]).expanduser())
    roots += [Path.cwd(), home / "data", home / "work"]
    if platform == "colab":
        roots.append(Path("/content"))
    roots.append(home / ".cache" / "paddle" / "dataset")
    unique = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return unique


def _find(name: str, roots: Iterable[Path]) -> Path | None:
    for root in roots:
        if not root.is_dir():
            continue
        level = [root]
        for _ in range(_SEARCH_DEPTH + 1):
            for folder in level:
                if (folder / name).is_file():
                    return folder / name
            level = [p for folder in level for p in sorted(_subdirs(folder))]
    return None


def _subdirs(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []


def prepare_data(
    dest: str | os.PathLike,
    datasets: Iterable[str] = DATASETS,
    download: bool = True,
    roots: Iterable[Path] | None = None,
) -> dict[str, str]:
    """Gather the data files under `dest` (as ``dest/mnist/...``) and set ``COURSE_DATA_DIR``.

    A file already under `dest` is kept; one found elsewhere (see
    :func:`data_roots`) is linked into `dest`; a missing one is downloaded
    from Paddle's mirrors and verified (``course_utils.data.fetch``) when
    `download`. Returns ``{"mnist/NAME": "found" | "linked" | "downloaded" | "missing"}``.

    Raises
    ------
    ValueError
        For an unknown data set name.
    course_utils.data.DataError
        When a download fails or a file is corrupt.
    """
    from . import data

    download = flag(download, "download")
    dest = Path(dest).expanduser().resolve()
    datasets = [choice(d, "datasets", DATASETS) for d in datasets]
    roots = list(data_roots("local") if roots is None else roots)
    os.environ["COURSE_DATA_DIR"] = str(dest)
    report = {}
    for dataset in datasets:
        folder = dest / dataset
        for name in _data_names(dataset):
            key = f"{dataset}/{name}"
            if (folder / name).is_file():
                report[key] = "found"
                continue
            found = _find(name, [r for r in roots if r.resolve() != dest])
            if found is not None:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).symlink_to(found.resolve())
                report[key] = "linked"
            elif download:
                base = data.MNIST_URL if dataset == "mnist" else data.CIFAR10_URL
                verify = data.verify_mnist_file if dataset == "mnist" else data.verify_cifar10_file
                path = data.fetch(dataset, name, base, verify)
                report[key] = "downloaded" if path.parent == folder else "found"
            else:
                report[key] = "missing"
    return report


def setup(
    quick: bool | None = None,
    lang: str | None = None,
    datasets: Iterable[str] = DATASETS,
    install: bool = True,
    download: bool = True,
) -> dict:
    """Everything the first cell of a hosted notebook does after installing the package.

    Parameters
    ----------
    quick : bool, optional
        Quick mode (``COURSE_QUICK``); None leaves the setting as it is.
    lang : {'zh', 'en', 'both'}, optional
        Language of the course's messages; None leaves it as it is.
    datasets : iterable of {'mnist', 'cifar10'}
        The data sets this notebook uses (found, or downloaded when `download`).
    install : bool
        Install missing dependencies (:func:`install_requirements`).
    download : bool
        Download data files that are found nowhere (from Paddle's mirrors).

    Returns
    -------
    dict
        What was found and done: platform, paddle, data, mode, checkpoints.
    """
    if quick is not None:
        os.environ["COURSE_QUICK"] = "1" if flag(quick, "quick") else "0"
    if lang is not None:
        set_language(lang)
    platform = detect_platform()
    home = Path.home()
    base = work_dir(platform, home)
    installs = install_requirements() if flag(install, "install") else []
    dest = Path(os.environ.get("COURSE_DATA_DIR") or base / "course-data")
    data_report = prepare_data(dest, datasets, download, data_roots(platform, home))
    if platform != "local" and not os.environ.get("COURSE_CHECKPOINT_DIR"):
        os.environ["COURSE_CHECKPOINT_DIR"] = str(base / "course-checkpoints")
    if platform == "colab":
        try:  # ipywidgets 8 on Colab needs its custom widget manager
            from google.colab import output  # type: ignore[import-not-found]

            output.enable_custom_widget_manager()
        except ImportError:
            pass
    from .config import describe_mode

    summary = {
        "platform": platform,
        "paddle": installed_paddle(),
        "installed": installs,
        "data_dir": os.environ["COURSE_DATA_DIR"],
        "data": data_report,
        "checkpoints": os.environ.get("COURSE_CHECKPOINT_DIR", ""),
        "mode": describe_mode(),
    }
    names = {"aistudio": "AI Studio", "colab": "Colab", "local": t("本机", "this machine")}
    missing = ", ".join(k for k, v in data_report.items() if v == "missing")
    print(f"{t('平台', 'Platform')}: {names[platform]}")
    print(f"Paddle: {summary['paddle'] or t('未安装', 'not installed')}")
    print(f"{t('数据', 'Data')}: {summary['data_dir']}")
    if missing:
        print(t(f"缺少的数据文件：{missing}", f"Missing data files: {missing}"))
    if summary["checkpoints"]:
        print(f"{t('检查点', 'Checkpoints')}: {summary['checkpoints']}")
    print(summary["mode"])
    _warn_old_paddle(summary["paddle"])
    return summary


def _warn_old_paddle(paddle: str | None) -> None:
    version = (paddle or "").split(" ")[-1]
    major = version.split(".")[0]
    if major.isdigit() and int(major) < 3:
        print(
            bilingual(
                f"注意：这里的 Paddle 是 {version}，课程需要 3.3 或更新的版本。"
                f"在 AI Studio 上新建项目时请选择 PaddlePaddle 3 的环境。",
                f"Note: this Paddle is {version}; the course needs 3.3 or newer. "
                f"On AI Studio, pick a PaddlePaddle 3 environment when creating the project.",
            )
        )


# ------------------------------------------------------------ hosted copies of notebooks

#: The first cell's code; ``{package}`` and ``{datasets}`` are filled in per notebook.
FIRST_CELL = """\
# 在 AI Studio 或 Colab 上先运行本单元格 · On AI Studio or Colab, run this cell first
COURSE_PACKAGE = {package!r}  # 课程包：上传的 wheel 或仓库地址 · uploaded wheel or repository
QUICK = False  # True = 快速模式 · quick mode
import glob, importlib.util, os, subprocess, sys
if importlib.util.find_spec("course_utils") is None:
    wheels = [w for p in ("*.whl", "~/work/*.whl", "~/data/*/*.whl", "/content/*.whl")
              for w in glob.glob(os.path.expanduser(p)) if "course_utils-" in w]
    source = sorted(wheels)[-1] if wheels else COURSE_PACKAGE
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", source], check=True)
    importlib.invalidate_caches()
from course_utils import hosted
hosted.setup(quick=QUICK, datasets={datasets!r})
"""

FIRST_CELL_ZH = (
    "**在 AI Studio 或 Colab 上学习？** 先运行下面的单元格：它安装课程包（不会重装平台自带的 "
    "Paddle），找到或下载数据，并设置运行模式。在自己的电脑或学校的 JupyterHub 上可以跳过。"
)
FIRST_CELL_EN = (
    "**On AI Studio or Colab?** Run the cell below first: it installs the course package "
    "(the platform's own Paddle is never reinstalled), finds or downloads the data, and sets "
    "the mode. On your own computer or your school's JupyterHub, skip it."
)
FIRST_CELL_TAG = "hosted-setup"


def _uses(nb, dataset: str) -> bool:
    call = {"mnist": "mnist(", "cifar10": "cifar10("}[dataset]
    return any(c.cell_type == "code" and call in c.source for c in nb.cells)


def _languages(nb) -> str:
    tags = {tag for c in nb.cells for tag in c.get("metadata", {}).get("tags", [])}
    if {"lang-zh", "lang-en"} <= tags:
        return "both"
    prose = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return "zh" if re.search("[\u4e00-\u9fff]", prose) else "en"


def add_first_cell(nb, package: str):
    """Return a copy of notebook `nb` that starts with the hosted first cell.

    The prose follows the notebook's languages (a ``lang-zh``/``lang-en``
    pair in a bilingual notebook); the code asks only for the data sets the
    notebook uses. A notebook that already has the cell gets it replaced.
    """
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if FIRST_CELL_TAG not in c.get("metadata", {}).get("tags", [])]
    datasets = tuple(d for d in DATASETS if _uses(nb, d))
    lang = _languages(nb)
    cells = []
    if lang in ("both", "zh"):
        tags = [FIRST_CELL_TAG] + (["lang-zh"] if lang == "both" else [])
        cells.append(nbformat.v4.new_markdown_cell(FIRST_CELL_ZH, metadata={"tags": tags}))
    if lang in ("both", "en"):
        tags = [FIRST_CELL_TAG] + (["lang-en"] if lang == "both" else [])
        cells.append(nbformat.v4.new_markdown_cell(FIRST_CELL_EN, metadata={"tags": tags}))
    code = FIRST_CELL.format(package=package, datasets=datasets)
    cells.append(nbformat.v4.new_code_cell(code, metadata={"tags": [FIRST_CELL_TAG]}))
    if (nb.nbformat, nb.get("nbformat_minor", 0)) < (4, 5):
        for cell in cells:  # cell ids came with nbformat 4.5
            cell.pop("id", None)
    nb.cells = cells + nb.cells
    return nb


def write_hosted_copies(src: str | os.PathLike, out: str | os.PathLike, package: str) -> list[Path]:
    """Write a copy of every notebook in `src` with the first cell added, into `out`."""
    import nbformat

    src, out = Path(src), Path(out)
    paths = sorted(src.glob("*.ipynb"))
    if not paths:
        raise value_error("src", "含有笔记本的文件夹", "a folder that holds notebooks", str(src))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = add_first_cell(nbformat.read(path, as_version=4), package)
        nbformat.validate(nb)
        nbformat.write(nb, out / path.name)
        written.append(out / path.name)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m course_utils.hosted {notebooks,data} ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.hosted",
        description="Hosted notebooks and data / 在线平台的笔记本与数据",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    nbs = sub.add_parser("notebooks", help="copies with the first cell / 加上第一个单元格的副本")
    nbs.add_argument("--src", default="build/notebooks/student", help="folder of notebooks")
    nbs.add_argument("--out", default="build/notebooks/hosted")
    nbs.add_argument(
        "--package",
        required=True,
        help="what pip installs when no wheel was uploaded, e.g. git+https://.../cnn-course.git",
    )
    dat = sub.add_parser("data", help="find or download the data into a folder / 准备数据")
    dat.add_argument("--dest", required=True, type=Path)
    dat.add_argument("--datasets", nargs="*", default=list(DATASETS))
    dat.add_argument("--no-download", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "notebooks":
        for path in write_hosted_copies(args.src, args.out, args.package):
            print(path)
        return 0
    report = prepare_data(args.dest, args.datasets, not args.no_download)
    print(json.dumps(report, indent=1))
    return 1 if "missing" in report.values() else 0


if __name__ == "__main__":
    sys.exit(main())
