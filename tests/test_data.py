"""Tests for course_utils.data: offline-first loading, downloads, corrupt files."""

from __future__ import annotations

import collections
import functools
import gzip
import http.server
import shutil
import socket
import threading
import time
from pathlib import Path

from course_utils import data

import numpy as np
import pytest


def labels_of(ds) -> collections.Counter:
    return collections.Counter(int(ds[i][1].item()) for i in range(len(ds)))


@pytest.mark.parametrize(
    ("loader", "mode", "per_class", "shape"),
    [
        (data.mnist, "train", 200, [1, 28, 28]),
        (data.mnist, "test", 50, [1, 28, 28]),
        (data.cifar10, "train", 100, [3, 32, 32]),
        (data.cifar10, "test", 50, [3, 32, 32]),
    ],
)
def test_quick_subset_is_class_balanced(shared_data, loader, mode, per_class, shape):
    """quick mode takes the same number of images of every class, with the right shape."""
    ds = loader(mode, quick=True)
    assert labels_of(ds) == {c: per_class for c in range(10)}
    image, _ = ds[0]
    assert list(image.shape) == shape


def test_full_mnist_has_the_syllabus_sizes(shared_data):
    """full MNIST has 60,000 training and 10,000 test images."""
    assert (len(data.mnist("train", quick=False)), len(data.mnist("test", quick=False))) == (
        60_000,
        10_000,
    )


def test_mnist_is_normalised(shared_data):
    """the default transform centres MNIST near mean 0, std 1."""
    ds = data.mnist("test", quick=True)
    stack = np.stack([ds[i][0] for i in range(200)])
    assert abs(stack.mean()) < 0.1 and 0.8 < stack.std() < 1.2


def test_mnist_matches_paddles_own_dataset(shared_data):
    """the in-memory MNIST equals paddle.vision.datasets.MNIST with ToTensor + Normalize"""
    from paddle.vision import transforms as T
    from paddle.vision.datasets import MNIST

    images, labels = data.mnist_files("test")
    normalize = T.Compose([T.ToTensor(), T.Normalize(data.MNIST_MEAN, data.MNIST_STD)])
    theirs = MNIST(
        image_path=str(images), label_path=str(labels), mode="test", transform=normalize,
        download=False,
    )  # fmt: skip
    ours = data.mnist("test", quick=False)
    for i in (0, 1234, 9999):
        np.testing.assert_allclose(ours[i][0], theirs[i][0].numpy(), atol=1e-6)
        assert ours[i][1].tolist() == np.asarray(theirs[i][1]).reshape(-1).tolist()


def test_grading_mode_takes_a_smaller_subset(shared_data, monkeypatch):
    """COURSE_GRADING=1 uses the grading subset, still class-balanced"""
    monkeypatch.setenv("COURSE_GRADING", "1")
    ds = data.mnist("train")
    assert labels_of(ds) == {c: data.GRADING_PER_CLASS["mnist"]["train"] for c in range(10)}


def test_quick_mode_follows_the_environment(shared_data, monkeypatch):
    """COURSE_QUICK=1 selects the subset when quick is not given."""
    monkeypatch.setenv("COURSE_QUICK", "1")
    assert len(data.mnist("test")) == 500
    monkeypatch.setenv("COURSE_QUICK", "0")
    assert len(data.mnist("test")) == 10_000


def test_course_data_dir_comes_first(tmp_path, monkeypatch):
    """COURSE_DATA_DIR is searched before the repository's data/ and Paddle's cache."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    dirs = data.search_dirs("cifar10")
    assert dirs[0] == tmp_path / "cifar10"
    assert dirs[1] == data.repo_data_dir() / "cifar10"
    assert dirs[2].name == "cifar"


def test_bad_mode_is_named():
    """an unknown mode raises ValueError naming `mode`."""
    with pytest.raises(ValueError, match="mode"):
        data.mnist("validation")


def test_balanced_indices_keep_file_order():
    """the subset is the first images of each class, in file order."""
    assert data.balanced_indices([3, 3, 1, 3, 1, 1], 2) == [0, 1, 2, 4]


# --- downloads, served from this machine ---------------------------------


class _Server:
    """A localhost HTTP server over `root`; `mode` 'ok', 'truncate' or 'hang'."""

    def __init__(self, root: Path, mode: str = "ok"):
        handler = functools.partial(_Handler, directory=str(root))
        handler.mode = mode  # type: ignore[attr-defined]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        mode = self.__class__.mode if hasattr(self.__class__, "mode") else "ok"
        if mode == "hang":
            time.sleep(5)
            return
        if mode == "truncate":
            body = Path(self.translate_path(self.path)).read_bytes()[:1000]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture
def server(shared_data, request):
    def start(mode: str):
        handler_cls = type("Handler", (_Handler,), {"mode": mode})
        srv = _Server(shared_data / "mnist")
        srv.httpd.RequestHandlerClass = functools.partial(
            handler_cls, directory=str(shared_data / "mnist")
        )
        request.addfinalizer(srv.close)
        return srv

    return start


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def test_download_verifies_and_renames(no_local_data, server, monkeypatch):
    """a download lands under its final name only once complete and verified."""
    monkeypatch.setattr(data, "MNIST_URL", server("ok").url)
    path = data.fetch("mnist", "t10k-labels-idx1-ubyte.gz", data.MNIST_URL, data.verify_mnist_file)
    assert path == no_local_data / "mnist" / "t10k-labels-idx1-ubyte.gz"
    assert leftovers(no_local_data / "mnist") == ["t10k-labels-idx1-ubyte.gz"]


def test_truncated_download_leaves_nothing(no_local_data, server, monkeypatch):
    """a truncated download raises DataError and leaves no file, partial or final."""
    monkeypatch.setattr(data, "MNIST_URL", server("truncate").url)
    with pytest.raises(data.DataError, match="corrupt"):
        data.fetch("mnist", "t10k-images-idx3-ubyte.gz", data.MNIST_URL, data.verify_mnist_file)
    assert leftovers(no_local_data / "mnist") == []


def test_silent_server_times_out(no_local_data, server, monkeypatch):
    """a server that never answers fails after the timeout, leaving no file."""
    monkeypatch.setattr(data, "MNIST_URL", server("hang").url)
    monkeypatch.setenv("COURSE_DOWNLOAD_TIMEOUT", "1")
    start = time.monotonic()
    with pytest.raises(data.DataError):
        data.mnist("test")
    assert time.monotonic() - start < 30
    assert leftovers(no_local_data / "mnist") == []


def test_no_data_and_no_network_names_file_and_folder(no_local_data, monkeypatch):
    """with no files and no network, the error names the file and the folder, in both languages."""
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(data, "MNIST_URL", f"http://127.0.0.1:{port}/")
    start = time.monotonic()
    with pytest.raises(data.DataError) as err:
        data.mnist("train")
    message = str(err.value)
    assert time.monotonic() - start < 30
    assert "train-images-idx3-ubyte.gz" in message
    assert str(no_local_data / "mnist") in message
    assert "找不到" in message and "not found" in message


@pytest.mark.parametrize("name", sorted(data.MNIST_MD5))
def test_truncated_local_mnist_file_is_reported(no_local_data, shared_data, name):
    """a truncated local MNIST file raises DataError naming it."""
    folder = no_local_data / "mnist"
    folder.mkdir(parents=True)
    blob = (shared_data / "mnist" / name).read_bytes()
    (folder / name).write_bytes(blob[: len(blob) // 2])
    with pytest.raises(data.DataError, match=name):
        data.verify_mnist_file(folder / name)


def test_altered_mnist_content_fails_checksum(no_local_data, shared_data):
    """a well-formed gzip with different bytes fails the MD5 check."""
    folder = no_local_data / "mnist"
    folder.mkdir(parents=True)
    name = "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress((shared_data / "mnist" / name).read_bytes()))
    raw[-1] ^= 1
    (folder / name).write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(data.DataError, match="MD5"):
        data.verify_mnist_file(folder / name)


def test_truncated_cifar_archive_is_reported(no_local_data, shared_data):
    """a truncated CIFAR-10 archive raises DataError instead of a tarfile traceback."""
    folder = no_local_data / "cifar10"
    folder.mkdir(parents=True)
    blob = (shared_data / "cifar10" / data.CIFAR10_FILE).read_bytes()
    (folder / data.CIFAR10_FILE).write_bytes(blob[: len(blob) // 3])
    with pytest.raises(data.DataError, match="cifar-10-python"):
        data.cifar10("test")


def test_data_status_never_downloads(no_local_data, shared_data):
    """data_status reports missing files as None and finds copied ones."""
    assert set(data.data_status().values()) == {None}
    (no_local_data / "cifar10").mkdir(parents=True)
    shutil.copy(shared_data / "cifar10" / data.CIFAR10_FILE, no_local_data / "cifar10")
    found = data.data_status()
    assert found["cifar10/cifar-10-python.tar.gz"] == no_local_data / "cifar10" / data.CIFAR10_FILE


def test_corrupt_gzip_header_is_reported(no_local_data, shared_data):
    """a file whose gzip header is broken raises DataError, not a raw zlib/gzip error"""
    folder = no_local_data / "mnist"
    folder.mkdir(parents=True)
    for name in data.MNIST_FILES["test"]:
        blob = bytearray((shared_data / "mnist" / name).read_bytes())
        blob[3] = 0xFF  # reserved flag bits: not a valid gzip header
        blob[10:20] = bytes(10)
        (folder / name).write_bytes(bytes(blob))
    with pytest.raises(data.DataError, match="corrupt"):
        data.mnist("test")


def test_unreadable_file_is_not_called_corrupt(no_local_data, shared_data, monkeypatch):
    """a permission error says to check permissions, not that the file is corrupt"""
    folder = no_local_data / "mnist"
    folder.mkdir(parents=True)
    for name in data.MNIST_FILES["test"]:
        shutil.copy(shared_data / "mnist" / name, folder / name)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(gzip, "open", denied)
    with pytest.raises(data.DataError, match="permissions") as error:
        data.mnist("test")
    assert "corrupt" not in str(error.value)


def test_bad_download_timeout_warns_and_uses_the_default(no_local_data, monkeypatch):
    """COURSE_DOWNLOAD_TIMEOUT=abc warns in both languages and falls back to the default"""
    from course_utils.config import SettingWarning

    monkeypatch.setenv("COURSE_DOWNLOAD_TIMEOUT", "abc")
    with pytest.warns(SettingWarning, match="COURSE_DOWNLOAD_TIMEOUT"):
        assert data.config.env_number("COURSE_DOWNLOAD_TIMEOUT", 10.0, 0.1) == 10.0


# --- CIFAR-10: verified to the end, pickles that cannot run code ------------------------


def _rebuild_cifar(shared_data, folder, change):
    """A copy of the CIFAR archive with each member passed through ``change(name, bytes)``.

    `change` returns the new bytes, ``(new name, bytes)``, or None to drop the member.
    """
    import io
    import tarfile

    folder.mkdir(parents=True, exist_ok=True)
    out = folder / data.CIFAR10_FILE
    with tarfile.open(shared_data / "cifar10" / data.CIFAR10_FILE, "r:gz") as src:
        with tarfile.open(out, "w:gz") as dst:
            for member in src:
                if not member.isfile():
                    dst.addfile(member)
                    continue
                name = member.name.rsplit("/", 1)[-1]
                changed = change(name, src.extractfile(member).read())
                if changed is None:
                    continue
                new_name, blob = changed if isinstance(changed, tuple) else (name, changed)
                member.name = member.name.replace(name, new_name)
                member.size = len(blob)
                dst.addfile(member, io.BytesIO(blob))
    return out


def test_cifar_stand_in_is_checked_and_announced(shared_data, capsys):
    """the offline stand-in loads with a notice that it is not the official archive"""
    data._cifar_notice_shown.clear()
    ds = data.cifar10("train", quick=False)
    assert len(ds) == 10_000 and ds[0][0].shape == (3, 32, 32)
    assert "not the official CIFAR-10 archive" in capsys.readouterr().out


def test_flipped_bytes_in_cifar_are_caught(no_local_data, shared_data):
    """a flipped byte inside the compressed archive fails the CRC or the format, clearly"""
    folder = no_local_data / "cifar10"
    folder.mkdir(parents=True)
    blob = bytearray((shared_data / "cifar10" / data.CIFAR10_FILE).read_bytes())
    blob[len(blob) // 2] ^= 0x55
    (folder / data.CIFAR10_FILE).write_bytes(bytes(blob))
    with pytest.raises(data.DataError, match="corrupt"):
        data.cifar10("test")


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        (lambda name, blob: ("data_batch_2", blob) if name == "data_batch_1" else blob,
         "data_batch_1"),
        (lambda name, blob: None if name == "test_batch" else blob, "test_batch"),
    ],
)  # fmt: skip
def test_missing_cifar_batch_is_named(no_local_data, shared_data, change, missing):
    """a gap in the training batches or a missing test batch is named, never skipped"""
    _rebuild_cifar(shared_data, no_local_data / "cifar10", change)
    with pytest.raises(data.DataError, match=f"missing {missing}"):
        data.cifar10("train")


def test_a_member_that_is_not_a_pickle_is_reported(no_local_data, shared_data):
    """a batch that is not a pickle gives DataError, not a raw UnpicklingError"""
    _rebuild_cifar(
        shared_data, no_local_data / "cifar10",
        lambda name, blob: b"not a pickle" if name == "test_batch" else blob,
    )  # fmt: skip
    with pytest.raises(data.DataError, match="test_batch"):
        data.cifar10("test")


class _RunsCode:
    def __reduce__(self):
        import os

        return (os.system, ("echo pwned > /tmp/course-pwned",))


def test_a_crafted_cifar_batch_cannot_run_code(no_local_data, shared_data):
    """a pickle that would call os.system is refused before anything runs"""
    import os
    import pickle

    marker = Path("/tmp/course-pwned")
    marker.unlink(missing_ok=True)
    _rebuild_cifar(
        shared_data, no_local_data / "cifar10",
        lambda name, blob: pickle.dumps({b"data": _RunsCode()}) if name == "test_batch" else blob,
    )  # fmt: skip
    with pytest.raises(data.DataError, match="not allowed"):
        data.cifar10("test")
    assert not marker.exists() and os.path.exists("/tmp") is True


def test_bad_cifar_labels_are_reported(no_local_data, shared_data):
    """labels outside 0-9 are refused"""
    import pickle

    def relabel(name, blob):
        if name != "test_batch":
            return blob
        batch = pickle.loads(blob, encoding="bytes")
        batch[b"labels"] = [11] * len(batch[b"labels"])
        return pickle.dumps(batch, protocol=2)

    _rebuild_cifar(shared_data, no_local_data / "cifar10", relabel)
    with pytest.raises(data.DataError, match="labels outside 0-9"):
        data.cifar10("test")
