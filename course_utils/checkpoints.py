"""Checkpoints that never lose anything (introduced in lesson 05).

A course checkpoint is a folder written only by this module::

    <name>/
        .course-checkpoint      marker: this folder belongs to the course
        model.safetensors       parameters
        optimizer.safetensors   optimizer state (e.g. Adam's moments)
        meta.json               network class and layers, epochs, history

Parameters and optimizer state are stored as safetensors, a format that
holds numbers only: loading a checkpoint cannot run code, unlike Paddle's
own ``.pdparams`` / ``.pdopt`` files, which are pickles (lesson 05 shows
both). The optimizer state is keyed by the parameters' structured names
(``features.0.weight``), so it loads into a freshly built network whose
parameters have new unique names (``conv2d_7.w_0``).

Safety rules:

- a save writes into a temporary folder and renames it into place, under a
  lock, so an interrupted save leaves the previous checkpoint, and two
  processes saving the same name wait for each other;
- a save replaces only a course checkpoint (a folder with the marker);
  anything else at the path (a folder of yours, a file) is left alone and
  the save refuses with a clear error;
- names given to :func:`checkpoint_path` are plain names: no folders, no
  ``..``, no absolute paths;
- a damaged checkpoint, or one saved from another network (even one with the
  same shapes, e.g. sigmoid instead of ReLU), raises :class:`CheckpointError`
  that says what is wrong.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from .config import quick_mode
from .i18n import bilingual

CHECKPOINT_ENV = "COURSE_CHECKPOINT_DIR"
FOLDER = "course-checkpoints"  # the default folder name
MARKER = ".course-checkpoint"
FORMAT = 2  # version of the folder layout above
PREFIX = "model"  # file prefix of an inference export (model.json, model.pdiparams)
_NAME = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]{0,99}$")


class CheckpointError(RuntimeError):
    """A checkpoint is missing, damaged, from another network, or cannot be written there."""


# ---------------------------------------------------------------- where


def checkpoint_dir() -> Path:
    """Folder for the course's checkpoints.

    ``COURSE_CHECKPOINT_DIR`` when set; in grading mode ``./course-checkpoints``
    (beside the notebook being graded, so each student's stay apart); else
    ``course-checkpoints/`` in the course repository (beside ``notebooks/``);
    else ``./course-checkpoints``. (Not "checkpoints": Jupyter's file browser
    cannot open a folder of that name, its URLs reserve it.)
    """
    from .config import grading_mode

    if os.environ.get(CHECKPOINT_ENV, "").strip():
        return Path(os.environ[CHECKPOINT_ENV]).expanduser()
    if grading_mode():
        return Path.cwd() / FOLDER
    repo = Path(__file__).resolve().parents[1]
    return repo / FOLDER if (repo / "notebooks").is_dir() else Path(FOLDER)


def checkpoint_path(name: str) -> Path:
    """Where the checkpoint `name` lives; quick mode gets its own (``-quick``).

    A quick run never replaces the checkpoint of a full run.

    Raises
    ------
    TypeError
        `name` is not a string.
    ValueError
        `name` is not a plain name: empty, with a folder separator or ``..``,
        absolute, starting with a dot, or longer than 100 characters.

    Examples
    --------
    >>> checkpoint_path("lenet").name in ("lenet", "lenet-quick")
    True
    >>> checkpoint_path("../notebooks")
    Traceback (most recent call last):
    ...
    ValueError: 检查点名称 `name` 只能是一个简单的名字...got '../notebooks'.
    """
    from .validate import type_error

    if not isinstance(name, str):
        raise type_error("name", "字符串", "a string", name)
    if not _NAME.match(name) or ".." in name:
        raise ValueError(
            bilingual(
                "检查点名称 `name` 只能是一个简单的名字（字母、数字、-、_、.，不以 . 开头，"
                f"不含 / 或 ..），收到 {name!r}。",
                "The checkpoint name `name` must be a plain name (letters, digits, -, _ and ., "
                f"not starting with a dot, no / or ..), got {name!r}.",
            )
        )
    return checkpoint_dir() / (f"{name}-quick" if quick_mode() else name)


# ---------------------------------------------------------------- writing safely


@contextlib.contextmanager
def _locked(path: Path, exclusive: bool = True):
    """Hold a lock on ``.<name>.lock`` beside `path` (processes on one machine)."""
    lock_file = path.parent / f".{path.name}.lock"
    with open(lock_file, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: one process at a time, shared or not
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            return
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# What the first version of the course wrote, before it added the marker.
_LEGACY_LAYOUTS = (
    {"meta.json", "model.pdparams", "model.pdopt"},
    {"model.json", "model.pdiparams"},
)


def _is_course_folder(path: Path) -> bool:
    """A folder the course wrote: it has the marker, or exactly an earlier version's files."""
    if not path.is_dir() or path.is_symlink():
        return False
    if (path / MARKER).is_file():
        return True
    return {p.name for p in path.iterdir()} in _LEGACY_LAYOUTS


def _leftovers(path: Path, kind: str) -> list[Path]:
    """``.<name>.<kind>-*`` folders left by interrupted saves, oldest first."""

    def stamp(folder: Path) -> int:
        numbers = [int(n) for n in re.findall(r"\d+", folder.name[len(path.name) + 2 :])]
        return max(numbers, default=0)  # the time in nanoseconds is the largest number

    found = [p for p in path.parent.glob(f".{path.name}.{kind}-*") if p.is_dir()]
    return sorted(found, key=stamp)


def _remove_ours(folder: Path) -> None:
    """Delete `folder` only if the course wrote it (marker inside) or it is empty."""
    if _is_course_folder(folder):
        shutil.rmtree(folder, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _recover(path: Path) -> None:
    """Finish what an interrupted save left; call with the lock held.

    When `path` is missing but the previous checkpoint waits under an
    ``.old-*`` name (the save stopped between its two renames), the newest
    one is put back. Leftover ``.old-*`` and ``.tmp-*`` folders of the course
    are then removed; anything else is left alone.
    """
    olds = [p for p in _leftovers(path, "old") if _is_course_folder(p)]
    if not path.exists() and olds:
        os.replace(olds.pop(), path)
    for folder in olds + _leftovers(path, "tmp"):
        _remove_ours(folder)


def _refuse(path: Path) -> CheckpointError:
    what = (
        ("一个文件", "a file")
        if path.is_file()
        else ("一个不是课程检查点的文件夹", "a folder that is not a course checkpoint")
    )
    return CheckpointError(
        bilingual(
            f"{path} 已经存在，而且是{what[0]}：课程不会覆盖它，以免丢失你的文件。"
            "请换一个名字，或者先把它移走。",
            f"{path} already exists and is {what[1]}: the course will not replace it, so "
            "that nothing of yours is lost. Choose another name or move it away first.",
        )
    )


def _write_folder(path: Path, kind: str, write) -> Path:
    """Write a course folder at `path` with ``write(tmp_folder)``, replacing only our own."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CheckpointError(
            bilingual(
                f"无法创建文件夹 {path.parent}：{err}。",
                f"Cannot create the folder {path.parent}: {err}.",
            )
        ) from None
    with _locked(path):
        _recover(path)
        if (path.exists() or path.is_symlink()) and not _is_course_folder(path):
            raise _refuse(path)
        tmp = Path(
            tempfile.mkdtemp(prefix=f".{path.name}.tmp-{time.time_ns():020d}-", dir=path.parent)
        )
        try:
            (tmp / MARKER).write_text(json.dumps({"kind": kind, "format": FORMAT}), "utf-8")
            write(tmp)
            old = None
            if path.exists():
                old = path.with_name(f".{path.name}.old-{time.time_ns():020d}-{os.getpid()}")
                os.replace(path, old)
            os.replace(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if old is not None:
            _remove_ours(old)
    return path


# ---------------------------------------------------------------- what a network is


def describe_layers(network) -> list[str]:
    """One line per leaf layer: structured name, type and settings.

    Two networks with the same lines are built the same way, even when their
    parameters have the same shapes (sigmoid versus ReLU, average versus max
    pooling).

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> for line in describe_layers(LeNet())[:2]:
    ...     print(line)
    features.0: Conv2D(1, 6, kernel_size=[5, 5], padding=2, data_format=NCHW)
    features.1: Sigmoid()
    """
    import paddle

    from .validate import layer as _layer

    network = _layer(network)
    lines = []
    for name, layer in paddle.nn.Layer.named_sublayers(network):
        if not paddle.nn.Layer.sublayers(layer):
            settings = re.sub(r",?\s*name=[\w.]+", "", layer.extra_repr()).strip(", ")
            lines.append(f"{name}: {type(layer).__name__}({settings})")
    return lines


def _structured_names(network) -> dict[str, str]:
    """Unique parameter name (``conv2d_3.w_0``) -> structured name (``features.0.weight``)."""
    return {p.name: key for key, p in network.named_parameters()}


def _translate(key: str, names: dict[str, str], separator: str) -> str | None:
    """Rename an optimizer key ``<param name>_<suffix>`` with `names` (None: no owner)."""
    owner = max((n for n in names if key.startswith(n + "_")), key=len, default=None)
    return None if owner is None else names[owner] + separator + key[len(owner) + 1 :]


# ---------------------------------------------------------------- save and load


def save_checkpoint(model, path: str | Path, history=None) -> Path:
    """Save the parameters, optimizer state and history of `model` to the folder `path`.

    Returns the folder.

    Raises
    ------
    CheckpointError
        `path` holds something that is not a course checkpoint (it is left
        untouched), or the folder cannot be written.

    Examples
    --------
    >>> import tempfile, paddle
    >>> from course_utils.models import LeNet, as_model
    >>> model = as_model(LeNet())
    >>> folder = save_checkpoint(model, Path(tempfile.mkdtemp()) / "lenet")
    >>> sorted(p.name for p in folder.iterdir())
    ['.course-checkpoint', 'meta.json', 'model.safetensors', 'optimizer.safetensors']
    """
    import numpy as np
    from safetensors.numpy import save_file

    model, path, history = _checked(model, path, history)
    network = model.network
    optimizer = getattr(model, "_optimizer", None)

    def write(tmp: Path) -> None:
        params = {
            key: np.ascontiguousarray(value.numpy()) for key, value in network.state_dict().items()
        }
        save_file(params, str(tmp / "model.safetensors"))
        tensors, extras = {}, {}
        names = _structured_names(network)
        for key, value in (optimizer.state_dict() if optimizer is not None else {}).items():
            if hasattr(value, "numpy"):
                tensors[_translate(key, names, "::") or f"::{key}"] = np.ascontiguousarray(
                    value.numpy()
                )
            else:
                extras[key] = value
        save_file(tensors, str(tmp / "optimizer.safetensors"))
        meta = {
            "network": type(network).__qualname__,
            "layers": describe_layers(network),
            "optimizer": type(optimizer).__name__ if optimizer is not None else None,
            "optimizer_extras": extras,
            "epochs": history.epochs_done if history is not None else None,
            "history": history.to_json() if history is not None else [],
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1, default=float), "utf-8")

    return _write_folder(Path(path), "checkpoint", write)


def _checked(model, path, history=None):
    """The common arguments of save and load, checked (TypeError/ValueError naming them)."""
    from . import validate
    from .callbacks import History

    model = validate.model(model)
    path = validate.path(path, "path")
    if history is not None:
        validate.instance(history, "history", History, " cu.History()", "a cu.History()")
    return model, path, history


def _missing(path: Path) -> CheckpointError:
    return CheckpointError(
        bilingual(
            f"在 {path} 找不到检查点。先运行保存它的那一课（第 05 课训练 LeNet），或者检查路径。",
            f"No checkpoint at {path}. Run the lesson that saves it first (lesson 05 "
            "trains LeNet), or check the path.",
        )
    )


def _damaged(path: Path, what: str, err: object) -> CheckpointError:
    return CheckpointError(
        bilingual(
            f"检查点 {path} 已损坏：无法读取 {what}（{err}）。重新运行保存它的那一课即可重新生成。",
            f"The checkpoint {path} is damaged: {what} cannot be read ({err}). Run the "
            "lesson that saves it again to write a new one.",
        )
    )


def _read_tensors(path: Path, file: str) -> dict:
    from safetensors.numpy import load_file

    try:
        return load_file(str(path / file))
    except FileNotFoundError:
        raise _damaged(path, file, "missing") from None
    except Exception as err:  # noqa: BLE001 - safetensors raises its own error types
        raise _damaged(path, file, err) from None


def _read_meta(path: Path) -> dict:
    try:
        meta = json.loads((path / "meta.json").read_text("utf-8"))
    except FileNotFoundError:
        raise _damaged(path, "meta.json", "missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _damaged(path, "meta.json", err) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("layers"), list):
        raise _damaged(path, "meta.json", "unexpected content")
    return meta


def _mismatch(path: Path, what: tuple[str, str], why: str) -> CheckpointError:
    return CheckpointError(
        bilingual(
            f"检查点 {path} 和这个网络的结构不一致：{what[0]}：{why}。"
            "请用保存检查点时的那个网络来加载。",
            f"The checkpoint {path} was saved from a different network: {what[1]}: {why}. "
            "Load it into the network it was saved from.",
        )
    )


def check_compatible(network, meta: dict, params: dict, path: Path | str = "") -> None:
    """Raise :class:`CheckpointError` naming the first difference between `network` and a save.

    Compares the class name, every layer's type and settings, then the
    parameter names and shapes.
    """
    from . import validate

    network = validate.layer(network)
    validate.instance(meta, "meta", dict, "字典（meta.json 的内容）", "a dict (meta.json's data)")
    validate.instance(
        params, "params", dict, "字典（参数名 -> 数组）", "a dict (parameter name -> array)"
    )
    path = Path(path) if path == "" else validate.path(path, "path")
    if not isinstance(meta.get("layers"), list):
        raise ValueError(
            bilingual(
                "`meta` 缺少 'layers' 列表（meta.json 的内容）。",
                "`meta` lacks the 'layers' list (meta.json's content).",
            )
        )
    if meta.get("network") != type(network).__qualname__:
        raise _mismatch(
            path,
            ("类", "class"),
            f"{meta.get('network')} ≠ {type(network).__qualname__}",
        )
    own = describe_layers(network)
    for saved_line, own_line in zip(meta["layers"], own, strict=False):
        if saved_line != own_line:
            raise _mismatch(path, ("层", "layer"), f"{saved_line} ≠ {own_line}")
    if len(meta["layers"]) != len(own):
        raise _mismatch(path, ("层数", "layers"), f"{len(meta['layers'])} ≠ {len(own)}")
    shapes = {k: list(v.shape) for k, v in network.state_dict().items()}
    for key in sorted(set(shapes) | set(params)):
        saved = list(params[key].shape) if key in params else None
        if saved != shapes.get(key):
            raise _mismatch(path, (f"`{key}`", f"`{key}`"), f"{saved} ≠ {shapes.get(key)}")


def load_checkpoint(model, path: str | Path, optimizer: bool = True):
    """Load a checkpoint saved by :func:`save_checkpoint` into `model`.

    With ``optimizer=True`` (and a prepared model) the optimizer state comes
    back too, so training resumes where it stopped. Returns the saved
    :class:`~course_utils.callbacks.History`; pass it to ``model.fit`` in
    ``callbacks`` to continue the epoch count.

    Raises
    ------
    CheckpointError
        Missing, damaged, not a course checkpoint (e.g. an old pickle-format
        one), or saved from another network (the message names the first
        difference).
    """
    from .validate import flag

    model, path, _ = _checked(model, path)
    optimizer = flag(optimizer, "optimizer")
    if not path.parent.is_dir():
        raise _missing(path)
    try:
        if not path.exists() and _leftovers(path, "old"):
            with _locked(path):  # a save stopped between its renames: put the old one back
                _recover(path)
        lock = _locked(path, exclusive=False)
        lock.__enter__()
    except OSError:  # a read-only folder: nobody can be saving there
        lock = None
    try:
        return _load(model, path, optimizer)
    finally:
        if lock is not None:
            lock.__exit__(None, None, None)


def _load(model, path: Path, optimizer: bool):
    import paddle

    from .callbacks import History

    if not path.exists():
        raise _missing(path)
    if not (path / MARKER).is_file():
        if (path / f"{PREFIX}.pdparams").is_file():
            raise CheckpointError(
                bilingual(
                    f"{path} 是旧格式（Paddle 的 pickle 文件）的检查点。"
                    "pickle 文件在读入时可以执行代码，课程不再读它："
                    "请重新运行第 05 课生成新的检查点。",
                    f"{path} is a checkpoint in the old format (Paddle's pickle files). Pickle "
                    "files can run code when they are read, so the course no longer loads them: "
                    "run lesson 05 again to write a new checkpoint.",
                )
            )
        raise _missing(path)
    meta = _read_meta(path)
    params = _read_tensors(path, "model.safetensors")
    check_compatible(model.network, meta, params, path)
    model.network.set_state_dict({k: paddle.to_tensor(v) for k, v in params.items()})
    opt = getattr(model, "_optimizer", None)
    if optimizer and opt is not None:
        tensors = _read_tensors(path, "optimizer.safetensors")
        names = {
            structured: unique for unique, structured in _structured_names(model.network).items()
        }
        state = dict(meta.get("optimizer_extras", {}))
        for key, value in tensors.items():
            structured, _, suffix = key.partition("::")
            unique = names.get(structured, "")
            state[f"{unique}_{suffix}" if structured else suffix] = paddle.to_tensor(value)
        if state:
            opt.set_state_dict(state)
    history = History()
    history.records = list(meta.get("history", []))
    return history


def save_inference(model, path: str | Path) -> Path:
    """Export `model` for inference into the folder `path`, safely; return the file prefix.

    Calls ``model.save(prefix, training=False)``, which writes ``model.json``
    (the network as a graph) and ``model.pdiparams`` (its parameters); give
    the returned prefix to ``paddle.jit.load``. The model needs an input
    spec (``models.as_model`` sets one).

    Raises
    ------
    ValueError
        The model has no input spec.
    CheckpointError
        `path` holds something the course did not write.
    """
    model, path, _ = _checked(model, path)
    if getattr(model, "_input_info", None) is None:
        raise ValueError(
            bilingual(
                "导出推理模型需要输入的形状：创建模型时写 "
                "paddle.Model(net, inputs=paddle.static.InputSpec([None, 1, 28, 28], 'float32'))。",
                "Exporting needs the input shape: create the model with "
                "paddle.Model(net, inputs=paddle.static.InputSpec([None, 1, 28, 28], 'float32')).",
            )
        )
    folder = _write_folder(
        Path(path), "inference", lambda tmp: model.save(str(tmp / PREFIX), training=False)
    )
    return folder / PREFIX
