"""Offline-first MNIST and CIFAR-10, decoded once into memory (lesson 00 on).

Files are looked for in ``COURSE_DATA_DIR``, then the repository's ``data/``
folder, then Paddle's cache (``~/.cache/paddle/dataset``), the same files
``paddle.vision.datasets`` reads; they are downloaded only when none has them,
with a timeout, into a temporary name that is renamed once the file is
complete and verified.

Each file is decoded once per process with vectorised NumPy and normalised
like ``ToTensor`` + ``Normalize``; the datasets are ``paddle.io.Dataset``
objects over those arrays, so an epoch spends its time training, not decoding
images one by one. In quick mode a fixed, class-balanced subset is used (and
an even smaller one in grading mode).

The files are verified as they are read: MNIST by the MD5 of its decompressed
bytes; CIFAR-10 by the published MD5 of the official archive, or, for any
other archive (an offline stand-in), by reading it to the end with the gzip
CRC checked, requiring every batch and checking shapes and labels. CIFAR's
batches are pickles: they are read with an unpickler that builds only NumPy
arrays, lists and numbers, so a crafted archive cannot run code.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import pickle
import re
import tarfile
import tempfile
import threading
import urllib.request
import zlib
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
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"  # the official archive, as published
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

# Quick mode: images per class; grading mode (nbgrader) uses far fewer.
QUICK_PER_CLASS = {"mnist": {"train": 200, "test": 50}, "cifar10": {"train": 100, "test": 50}}
GRADING_PER_CLASS = {"mnist": {"train": 20, "test": 10}, "cifar10": {"train": 20, "test": 10}}

# Folder names: ours, and Paddle's own cache folder for the same data set.
_PADDLE_CACHE_NAME = {"mnist": "mnist", "cifar10": "cifar"}


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
    from .validate import choice

    dataset = choice(dataset, "dataset", tuple(_PADDLE_CACHE_NAME))
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


def _unreadable(path: Path, err: OSError) -> DataError:
    return DataError(
        bilingual(
            f"无法读取数据文件 {path}（{err.strerror or err}）：请检查它的权限，或者把它复制到"
            "一个你能读的文件夹，再用 COURSE_DATA_DIR 指向那里。",
            f"The data file {path} cannot be read ({err.strerror or err}): check its "
            "permissions, or copy it to a folder you can read and point COURSE_DATA_DIR there.",
        )
    )


def _gunzip(path: Path) -> bytes:
    """The decompressed bytes of a gzip file, the CRC checked; DataError otherwise."""
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except PermissionError as err:
        raise _unreadable(path, err) from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise _corrupt(path, str(err) or type(err).__name__) from None
    except OSError as err:
        raise _unreadable(path, err) from None


def _mnist_bytes(path: Path, name: str | None = None) -> bytes:
    """Decompress an MNIST file and check the MD5 of its content."""
    raw = _gunzip(path)
    digest, expected = hashlib.md5(raw).hexdigest(), MNIST_MD5[name or path.name]
    if digest != expected:
        raise _corrupt(path, f"MD5 {digest} != {expected}")
    return raw


def verify_mnist_file(path: Path, name: str | None = None) -> None:
    """Check an MNIST ``.gz`` file against the MD5 of its decompressed bytes.

    `name` is the file's MNIST name when `path` is a temporary download.

    Raises
    ------
    DataError
        If the file is truncated, not gzip, unreadable, or its content differs.
    """
    _mnist_bytes(path, name)


def parse_idx(raw: bytes, path: Path | str = "IDX"):
    """An IDX file's content (MNIST's format) as a NumPy uint8 array.

    Examples
    --------
    >>> parse_idx(bytes([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9])).tolist()
    [[7, 9]]
    """
    import numpy as np

    from .validate import instance
    from .validate import path as _path

    raw = instance(raw, "raw", (bytes, bytearray), "字节串（bytes）", "bytes")
    path = _path(path, "path")
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] != 0x08:
        raise _corrupt(Path(path), "not an IDX file of bytes")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    if len(raw) - offset != int(np.prod(dims)):
        raise _corrupt(Path(path), f"{len(raw) - offset} bytes for shape {dims}")
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(dims)


class _BatchUnpickler(pickle.Unpickler):
    """Builds NumPy arrays, lists, dicts, strings and numbers only: nothing can run."""

    ALLOWED = {
        ("_codecs", "encode"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a CIFAR batch")
        return super().find_class(module, name)


def _cifar_batch(path: Path, member: str, blob: bytes) -> dict:
    try:
        batch = _BatchUnpickler(io.BytesIO(blob), encoding="bytes").load()
    except Exception as err:  # noqa: BLE001 - any failure means a bad member
        raise _corrupt(path, f"{member}: {type(err).__name__}: {err}") from None
    if not isinstance(batch, dict):
        raise _corrupt(path, f"{member}: not a CIFAR batch")
    return {k.decode() if isinstance(k, bytes) else k: v for k, v in batch.items()}


def _cifar_arrays_checked(path: Path, batch: dict, member: str):
    import numpy as np

    images, labels = batch.get("data"), batch.get("labels")
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8 or images.ndim != 2:
        raise _corrupt(path, f"{member}: `data` is not a uint8 image array")
    labels = np.asarray(labels)
    if images.shape[1] != 3 * 32 * 32 or labels.shape != (len(images),):
        raise _corrupt(path, f"{member}: shapes {images.shape} and {labels.shape}")
    if labels.dtype.kind not in "iu" or labels.min(initial=0) < 0 or labels.max(initial=0) > 9:
        raise _corrupt(path, f"{member}: labels outside 0-9")
    return images.reshape(-1, 3, 32, 32), labels.astype("int64")


@functools.lru_cache(maxsize=2)
def _read_cifar10(path: Path, size: int, mtime: int):
    """Every batch of a CIFAR-10 archive, checked; ``(train, test, official)``."""
    import numpy as np

    digest, batches = hashlib.md5(), {}
    try:
        with open(path, "rb") as raw:
            hashing = _Hashing(raw, digest)
            with gzip.GzipFile(fileobj=hashing, mode="rb") as gz:
                with tarfile.open(fileobj=gz, mode="r|") as tar:
                    for member in tar:
                        name = member.name.rsplit("/", 1)[-1]
                        if member.isfile() and re.fullmatch(r"data_batch_\d+|test_batch", name):
                            batches[name] = tar.extractfile(member).read()
                while gz.read(1 << 20):  # to the end, so the CRC is checked
                    pass
            while hashing.read(1 << 20):
                pass
    except PermissionError as err:
        raise _unreadable(path, err) from None
    except (EOFError, zlib.error, gzip.BadGzipFile, tarfile.TarError) as err:
        raise _corrupt(path, str(err) or type(err).__name__) from None
    except OSError as err:
        raise _unreadable(path, err) from None
    numbers = sorted(int(n[11:]) for n in batches if n.startswith("data_batch_"))
    wanted = [f"data_batch_{i}" for i in range(1, max(numbers, default=1) + 1)]
    wanted += ["test_batch"]
    missing = [n for n in wanted if n not in batches]
    if missing:
        raise _corrupt(path, "missing " + ", ".join(missing))
    arrays = [_cifar_arrays_checked(path, _cifar_batch(path, n, batches[n]), n) for n in wanted]
    train = tuple(np.concatenate([part[i] for part in arrays[:-1]]) for i in (0, 1))
    return train, arrays[-1], digest.hexdigest() == CIFAR10_MD5


class _Hashing(io.RawIOBase):
    """A read-only file that updates `digest` with every byte read through it."""

    def __init__(self, raw, digest):
        self.raw, self.digest = raw, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.digest.update(memoryview(buffer)[:n])
        return n


def verify_cifar10_file(path: Path, name: str | None = None) -> None:
    """Check a CIFAR-10 archive: read to the end with every batch checked.

    Raises
    ------
    DataError
        If the archive is truncated, altered, unreadable, or lacks a batch.
    """
    stat = path.stat()
    _read_cifar10(path, stat.st_size, stat.st_mtime_ns)


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
    """Return a local path to `name`, downloading (and verifying) it only if needed.

    A local file is returned as it is: the loaders verify it as they read it.

    Raises
    ------
    DataError
        If the file is missing and cannot be downloaded, or the download is corrupt.
    """
    for folder in search_dirs(dataset):
        path = folder / name
        if path.is_file():
            return path
    url = base_url + name
    dest = search_dirs(dataset)[0] / name
    timeout = config.env_number("COURSE_DOWNLOAD_TIMEOUT", DOWNLOAD_TIMEOUT, 0.1)
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
    from .validate import labels as _labels
    from .validate import positive

    labels = _labels(labels, "labels")
    per_class = positive(per_class, "per_class")
    taken: dict[int, int] = {}
    chosen = []
    for i, label in enumerate(labels):
        label = int(label)
        if taken.get(label, 0) < per_class:
            taken[label] = taken.get(label, 0) + 1
            chosen.append(i)
    return chosen


def _check_mode(mode: object) -> str:
    from .validate import choice

    return choice(mode, "mode", ("train", "test"))


def _normalised(images, mean, std):
    """uint8 images (N, C, H, W) as float32, scaled to [0, 1] then normalised per channel."""
    import numpy as np

    out = images.astype(np.float32)
    out *= 1 / 255
    out -= np.asarray(mean, np.float32).reshape(1, -1, 1, 1)
    out /= np.asarray(std, np.float32).reshape(1, -1, 1, 1)
    out.flags.writeable = False  # shared by every dataset built from the same file
    return out


def _check_quick(quick: object) -> bool | None:
    from .validate import flag, optional

    return optional(quick, "quick", flag)


def _subset(images, labels, dataset: str, mode: str, quick: bool | None):
    if quick is None:
        quick = config.quick_mode()
    if not quick:
        return images, labels
    table = GRADING_PER_CLASS if config.grading_mode() else QUICK_PER_CLASS
    rows = balanced_indices(labels, table[dataset][mode])
    return images[rows], labels[rows]


@functools.lru_cache(maxsize=4)
def _mnist_arrays(images_path: Path, labels_path: Path, stamp: tuple):
    images = parse_idx(_mnist_bytes(images_path), images_path)[:, None]
    labels = parse_idx(_mnist_bytes(labels_path), labels_path).astype("int64")
    if len(images) != len(labels) or images.shape[2:] != (28, 28):
        raise _corrupt(images_path, f"{len(images)} images for {len(labels)} labels")
    return _normalised(images, MNIST_MEAN, MNIST_STD), labels


def mnist_files(mode: str = "train") -> tuple[Path, Path]:
    """Local paths of MNIST's image and label files for `mode` (downloaded if needed).

    These are the files ``paddle.vision.datasets.MNIST(image_path=..., label_path=...)``
    reads (lesson 05 shows it).
    """
    mode = _check_mode(mode)
    return tuple(fetch("mnist", n, MNIST_URL, verify_mnist_file) for n in MNIST_FILES[mode])


def mnist(mode: str = "train", quick: bool | None = None):
    """MNIST as a Paddle dataset of (1x28x28 float32 image, int64 label) pairs.

    Images are normalised with ``MNIST_MEAN`` and ``MNIST_STD``, as
    ``ToTensor`` followed by ``Normalize`` would.

    Parameters
    ----------
    mode : {'train', 'test'}
    quick : bool, optional
        Take the quick-mode subset (200 train / 50 test images per class;
        20 / 10 in grading mode); default: follow ``COURSE_QUICK``.

    Raises
    ------
    DataError
        Missing and not downloadable, unreadable, or corrupt files.
    """
    from .arraydata import ArrayDataset

    quick = _check_quick(quick)
    images_path, labels_path = mnist_files(mode)
    stamp = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in (images_path, labels_path))
    images, labels = _mnist_arrays(images_path, labels_path, stamp)
    return ArrayDataset(*_subset(images, labels, "mnist", mode, quick))


_cifar_notice_shown: set[Path] = set()


def cifar10(mode: str = "train", quick: bool | None = None):
    """CIFAR-10 as a Paddle dataset of (3x32x32 float32 image, int64 label) pairs.

    Parameters are as for :func:`mnist`; the quick-mode subset has 100 train /
    50 test images per class; class names are in ``CIFAR10_CLASSES``. An
    archive that is not the official one (an offline stand-in) is used after
    a full check, with a one-line notice saying how many images it holds.
    """
    from .arraydata import ArrayDataset

    mode = _check_mode(mode)
    quick = _check_quick(quick)
    path = fetch("cifar10", CIFAR10_FILE, CIFAR10_URL, verify_cifar10_file)
    stat = path.stat()
    train, test, official = _read_cifar10(path, stat.st_size, stat.st_mtime_ns)
    if not official and path not in _cifar_notice_shown:
        _cifar_notice_shown.add(path)
        print(
            t(
                f"注意：{path} 不是官方的 CIFAR-10 文件（MD5 不同），而是一个替代品："
                f"{len(train[0])} 张训练图像、{len(test[0])} 张测试图像。它已通过完整检查。",
                f"Note: {path} is not the official CIFAR-10 archive (its MD5 differs) but a "
                f"stand-in with {len(train[0])} training and {len(test[0])} test images. "
                "It passed a full check.",
            )
        )
    images, labels = _cifar10_normalised(path, stat.st_size, stat.st_mtime_ns, mode)
    return ArrayDataset(*_subset(images, labels, "cifar10", mode, quick))


@functools.lru_cache(maxsize=2)
def _cifar10_normalised(path: Path, size: int, mtime: int, mode: str):
    train, test, _ = _read_cifar10(path, size, mtime)
    images, labels = train if mode == "train" else test
    return _normalised(images, CIFAR10_MEAN, CIFAR10_STD), labels


def data_status() -> dict[str, Path | None]:
    """Where each data file is found locally (None when missing); never downloads."""
    wanted = [("mnist", n) for pair in MNIST_FILES.values() for n in pair]
    wanted.append(("cifar10", CIFAR10_FILE))
    found = {}
    for dataset, name in wanted:
        paths = [d / name for d in search_dirs(dataset) if (d / name).is_file()]
        found[f"{dataset}/{name}"] = paths[0] if paths else None
    return found
