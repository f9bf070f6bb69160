"""Offline-first MNIST and CIFAR-10 through ``paddle.vision.datasets``.

Introduced in lesson 00, used from lesson 05 on. Files are looked for in
``COURSE_DATA_DIR``, then the repository's ``data/`` folder, then Paddle's
cache (``~/.cache/paddle/dataset``); they are downloaded only when none has
them, with a timeout, into a temporary name that is renamed once the file is
complete and verified. In quick mode a fixed, class-balanced subset is used.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tarfile
import tempfile
import threading
import urllib.request
from pathlib import Path

from . import config
from .i18n import bilingual, t

MNIST_URL = "https://dataset.bj.bcebos.com/mnist/"
CIFAR10_URL = "https://dataset.bj.bcebos.com/cifar/"
DOWNLOAD_TIMEOUT = 10.0  # seconds without an answer before giving up

MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
# MD5 of the decompressed bytes: gzip wrappers differ between copies.
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte.gz": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte.gz": "27ae3e4e09519cfbb04c329615203637",
}
CIFAR10_FILE = "cifar-10-python.tar.gz"
CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip
#: The same classes in Chinese, in the same order (labels of plots in zh copies).
CIFAR10_CLASSES_ZH = (
    "飞机", "汽车", "鸟", "猫", "鹿",
    "狗", "青蛙", "马", "船", "卡车",
)  # fmt: skip


def cifar10_class_names() -> list[str]:
    """The CIFAR-10 class names in the current language (lesson 06 on), for plot labels.

    Examples
    --------
    >>> from course_utils.i18n import set_language, reset_language
    >>> set_language("zh"); cifar10_class_names()[:3]
    ['飞机', '汽车', '鸟']
    >>> set_language("en"); cifar10_class_names()[:3]
    ['airplane', 'automobile', 'bird']
    >>> reset_language()
    """
    from .plotting import label

    return [label(zh, en) for zh, en in zip(CIFAR10_CLASSES_ZH, CIFAR10_CLASSES, strict=True)]


MNIST_MEAN, MNIST_STD = (0.1307,), (0.3081,)
CIFAR10_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR10_STD = (0.2470, 0.2435, 0.2616)

# Quick mode: images per class (multiples of 10 images, batches of 100 fit).
QUICK_PER_CLASS = {"mnist": {"train": 200, "test": 50}, "cifar10": {"train": 100, "test": 50}}

# Folder names: ours, and Paddle's own cache folder for the same data set.
_PADDLE_CACHE_NAME = {"mnist": "mnist", "cifar10": "cifar"}
_verified: set[tuple[str, int, int]] = set()


class DataError(RuntimeError):
    """A data file is missing, cannot be downloaded, or is corrupt."""


def repo_data_dir() -> Path:
    """The repository's ``data/`` folder (next to the ``course_utils`` package)."""
    return Path(__file__).resolve().parents[1] / "data"


def search_dirs(dataset: str) -> list[Path]:
    """Folders searched for `dataset` (``'mnist'`` or ``'cifar10'``), in order.

    Examples
    --------
    >>> search_dirs("mnist")[-1].parts[-3:]
    ('paddle', 'dataset', 'mnist')
    """
    dirs = []
    if os.environ.get("COURSE_DATA_DIR"):
        dirs.append(Path(os.environ["COURSE_DATA_DIR"]).expanduser() / dataset)
    dirs.append(repo_data_dir() / dataset)
    dirs.append(Path.home() / ".cache" / "paddle" / "dataset" / _PADDLE_CACHE_NAME[dataset])
    return dirs


def _corrupt(path: Path, why: str) -> DataError:
    return DataError(
        bilingual(
            f"数据文件已损坏或不完整：{path}（{why}）。请删除它，再运行一次（会重新下载），"
            f"或换上一份完好的文件。",
            f"The data file {path} is corrupt or incomplete ({why}). Delete it and run "
            f"again (it will be downloaded again), or replace it with a good copy.",
        )
    )


def verify_mnist_file(path: Path, name: str | None = None) -> None:
    """Check an MNIST ``.gz`` file against the MD5 of its decompressed bytes.

    `name` is the file's MNIST name when `path` is a temporary download.

    Raises
    ------
    DataError
        If the file is truncated, not gzip, or its content differs.
    """
    try:
        with gzip.open(path, "rb") as f:
            digest = hashlib.md5(f.read()).hexdigest()
    except (OSError, EOFError) as err:
        raise _corrupt(path, str(err)) from None
    expected = MNIST_MD5[name or path.name]
    if digest != expected:
        raise _corrupt(path, f"MD5 {digest} != {expected}")


def verify_cifar10_file(path: Path, name: str | None = None) -> None:
    """Check that a CIFAR-10 archive reads to the end and has its batches.

    Raises
    ------
    DataError
        If the archive is truncated or lacks ``data_batch_*`` or ``test_batch``.
    """
    try:
        with tarfile.open(path, "r:gz") as tar:
            names = [m.name for m in tar]  # reads the whole stream
    except (OSError, EOFError, tarfile.TarError) as err:
        raise _corrupt(path, str(err)) from None
    for part in ("data_batch_1", "test_batch"):
        if not any(name.endswith(part) for name in names):
            raise _corrupt(path, f"no {part}")


def _verify(path: Path, verify) -> None:
    """Run `verify` once per file version in this process."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _verified:
        verify(path)
        _verified.add(key)


def _open_url(url: str, timeout: float):
    """``urlopen`` with a hard deadline, name lookup included."""
    box: dict = {}

    def target():
        try:
            box["response"] = urllib.request.urlopen(url, timeout=timeout)
        except BaseException as err:  # noqa: BLE001 - handed to the caller
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"no answer from {url} in {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["response"]


def download(url: str, dest: Path, verify, timeout: float = DOWNLOAD_TIMEOUT) -> Path:
    """Download `url` to `dest` via a temporary file, verify it, then rename.

    An interrupted or corrupt download leaves nothing at `dest` and no
    temporary file behind.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, _open_url(url, timeout) as response:
            while chunk := response.read(1 << 20):
                out.write(chunk)
        verify(tmp, dest.name)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _missing(dataset: str, name: str, url: str, err: Exception) -> DataError:
    folder = search_dirs(dataset)[0]
    where = "\n".join(f"  - {d}" for d in search_dirs(dataset))
    return DataError(
        bilingual(
            f"找不到数据文件 {name}，下载也失败了（{err}）。\n"
            f"请在有网络的机器上下载 {url}，放到文件夹 {folder}/ 中，"
            f"或设置环境变量 COURSE_DATA_DIR 指向含有 {dataset}/{name} 的文件夹。"
            f"\n查找过的文件夹：\n{where}",
            f"The data file {name} was not found and could not be downloaded ({err}).\n"
            f"Download {url} on a machine with internet access and put it in {folder}/, "
            f"or set COURSE_DATA_DIR to a folder that holds {dataset}/{name}."
            f"\nFolders searched:\n{where}",
        )
    )


def fetch(dataset: str, name: str, base_url: str, verify) -> Path:
    """Return a verified local path to `name`, downloading it only if needed.

    Raises
    ------
    DataError
        If the file is corrupt, or missing and cannot be downloaded.
    """
    for folder in search_dirs(dataset):
        path = folder / name
        if path.is_file():
            _verify(path, verify)
            return path
    url = base_url + name
    dest = search_dirs(dataset)[0] / name
    timeout = float(os.environ.get("COURSE_DOWNLOAD_TIMEOUT", DOWNLOAD_TIMEOUT))
    print(t(f"正在下载 {url} …", f"Downloading {url} …"))
    try:
        return download(url, dest, verify, timeout)
    except DataError:
        raise
    except (OSError, ValueError) as err:  # URLError and timeouts are OSErrors
        raise _missing(dataset, name, url, err) from None


def balanced_indices(labels, per_class: int) -> list[int]:
    """The first `per_class` indices of each class, in file order.

    Examples
    --------
    >>> balanced_indices([0, 1, 0, 1, 0, 1], 2)
    [0, 1, 2, 3]
    """
    taken: dict[int, int] = {}
    chosen = []
    for i, label in enumerate(labels):
        label = int(label)
        if taken.get(label, 0) < per_class:
            taken[label] = taken.get(label, 0) + 1
            chosen.append(i)
    return chosen


def _check_mode(mode: str) -> None:
    if mode not in ("train", "test"):
        raise ValueError(
            bilingual(
                f"mode 必须是 'train' 或 'test'，收到 {mode!r}。",
                f"`mode` must be 'train' or 'test', got {mode!r}.",
            )
        )


def _normalize(mean, std):
    from paddle.vision import transforms as T

    return T.Compose([T.ToTensor(), T.Normalize(mean=list(mean), std=list(std))])


def _maybe_subset(ds, labels, dataset: str, mode: str, quick: bool | None):
    import paddle

    if quick is None:
        quick = config.quick_mode()
    if not quick:
        return ds
    return paddle.io.Subset(ds, balanced_indices(labels, QUICK_PER_CLASS[dataset][mode]))


def mnist(mode: str = "train", transform=None, quick: bool | None = None):
    """MNIST as a Paddle dataset of (1x28x28 float image, int64 label) pairs.

    Parameters
    ----------
    mode : {'train', 'test'}
    transform : callable, optional
        Applied to each PIL image; default: ``ToTensor`` then normalise with
        ``MNIST_MEAN`` and ``MNIST_STD``.
    quick : bool, optional
        Take the quick-mode subset (200 train / 50 test images per class);
        default: follow ``COURSE_QUICK``.

    Raises
    ------
    DataError
        Missing and not downloadable, or corrupt files.
    """
    from paddle.vision.datasets import MNIST

    _check_mode(mode)
    images, labels = (fetch("mnist", n, MNIST_URL, verify_mnist_file) for n in MNIST_FILES[mode])
    ds = MNIST(
        image_path=str(images),
        label_path=str(labels),
        mode=mode,
        transform=transform or _normalize(MNIST_MEAN, MNIST_STD),
        download=False,
    )
    return _maybe_subset(ds, (int(y[0]) for y in ds.labels), "mnist", mode, quick)


def cifar10(mode: str = "train", transform=None, quick: bool | None = None):
    """CIFAR-10 as a Paddle dataset of (3x32x32 float image, int64 label) pairs.

    Parameters are as for :func:`mnist`; the quick-mode subset has 100 train /
    50 test images per class; class names are in ``CIFAR10_CLASSES``.
    """
    from paddle.vision.datasets import Cifar10

    _check_mode(mode)
    path = fetch("cifar10", CIFAR10_FILE, CIFAR10_URL, verify_cifar10_file)
    ds = Cifar10(
        data_file=str(path),
        mode=mode,
        transform=transform or _normalize(CIFAR10_MEAN, CIFAR10_STD),
        download=False,
    )
    return _maybe_subset(ds, (label for _, label in ds.data), "cifar10", mode, quick)


def data_status() -> dict[str, Path | None]:
    """Where each data file is found locally (None when missing); never downloads."""
    wanted = [("mnist", n) for pair in MNIST_FILES.values() for n in pair]
    wanted.append(("cifar10", CIFAR10_FILE))
    found = {}
    for dataset, name in wanted:
        paths = [d / name for d in search_dirs(dataset) if (d / name).is_file()]
        found[f"{dataset}/{name}"] = paths[0] if paths else None
    return found
