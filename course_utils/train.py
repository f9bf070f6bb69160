"""Training helpers for ``paddle.Model`` (introduced in lesson 05).

- :class:`History`: a callback that keeps per-epoch loss, accuracy and time,
  prints one compact line per epoch in a notebook and redraws the curves.
- :func:`fit`: ``Model.fit`` with a History, the right progress output
  (Paddle's bar in a terminal, one line per epoch in a notebook) and the
  benchmark record (``make bench``).
- :func:`save_checkpoint` / :func:`load_checkpoint`: checkpoints that are
  written to a temporary folder and renamed, so an interrupted save never
  leaves a half-written checkpoint; loading the wrong architecture names the
  mismatched layer. :class:`BestCheckpoint` keeps the best epoch (lesson 06).
- :func:`save_inference`: the inference export, written the same safe way.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import paddle

from .config import quick_mode
from .i18n import t

CHECKPOINT_ENV = "COURSE_CHECKPOINT_DIR"
BENCH_ENV = "COURSE_BENCH_FILE"
_PREFIX = "model"  # file prefix inside a checkpoint folder
# Warnings Paddle raises from its own code that say nothing to a learner;
# fit() and evaluate() silence exactly these: the metric code copying tensors,
# and BatchNorm2D announcing on every training step that it tracks statistics.
_PADDLE_NOISE = ("To copy construct from a tensor", "When training, we now always track")


@contextlib.contextmanager
def _quiet_paddle():
    with warnings.catch_warnings():
        for message in _PADDLE_NOISE:
            warnings.filterwarnings("ignore", message=message, category=UserWarning)
        yield


class CheckpointError(RuntimeError):
    """A checkpoint is missing, incomplete or made for another network."""


def in_notebook() -> bool:
    """True when running inside a Jupyter kernel (where figures can be shown)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


# ---------------------------------------------------------------- history


class History(paddle.callbacks.Callback):
    """Keep the training curves; show them while training in a notebook.

    ``records`` holds one dict per epoch with ``epoch`` (1-based), ``loss``,
    ``acc``, ``seconds`` (training time of the epoch) and, when the epoch was
    evaluated, ``eval_loss`` and ``eval_acc``. Training again with the same
    History (or one returned by :func:`load_checkpoint`) continues the count.

    Parameters
    ----------
    live : bool, optional
        Print a line and redraw the curves after each epoch; default: only
        inside a notebook.
    """

    def __init__(self, live: bool | None = None):
        super().__init__()
        self.records: list[dict] = []
        self.live = in_notebook() if live is None else live
        self.samples = 0  # training images seen in the last fit
        self._first = 0
        self._display = None

    @property
    def epochs_done(self) -> int:
        """Number of epochs trained so far."""
        return len(self.records)

    def column(self, key: str) -> list[float]:
        """Values of one metric over the epochs (NaN where missing)."""
        return [r.get(key, float("nan")) for r in self.records]

    @property
    def last_fit(self) -> list[dict]:
        """The records of the epochs trained by the latest ``fit``."""
        return self.records[self._first :]

    def on_train_begin(self, logs=None):
        self.samples = 0
        self._first = len(self.records)
        self._display = None

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._loss = _MeanLoss()

    def on_train_batch_end(self, step, logs=None):
        self.samples += self._loss.add(logs)

    def on_epoch_end(self, epoch, logs=None):
        record = {"epoch": self.epochs_done + 1, "seconds": time.perf_counter() - self._start}
        record.update(_metrics(logs), loss=self._loss.mean())
        self.records.append(record)
        if not self._will_evaluate(epoch):
            self._report()

    def on_eval_begin(self, logs=None):
        self._eval_loss = _MeanLoss()

    def on_eval_batch_end(self, step, logs=None):
        self._eval_loss.add(logs)

    def on_eval_end(self, logs=None):
        if self.records and "eval_loss" not in self.records[-1]:
            metrics = {**_metrics(logs), "loss": self._eval_loss.mean()}
            self.records[-1].update({f"eval_{k}": v for k, v in metrics.items()})
            self._report()

    def _will_evaluate(self, epoch: int) -> bool:
        return bool(getattr(self, "_eval_freq", 0)) and epoch % self._eval_freq == 0

    def line(self, record: dict | None = None) -> str:
        """One compact line for an epoch (the last one by default)."""
        r = record or self.records[-1]
        text = f"epoch {r['epoch']:>2}  loss {r['loss']:.4f}  acc {r['acc']:.2%}"
        if "eval_acc" in r:
            text += f"  |  test loss {r['eval_loss']:.4f}  test acc {r['eval_acc']:.2%}"
        return text + f"  |  {r['seconds']:.1f} s"

    def _report(self) -> None:
        if not self.live:
            return
        print(self.line(), flush=True)
        import matplotlib.pyplot as plt
        from IPython.display import display

        from .plotting import plot_history

        fig = plot_history(self)
        if self._display is None:
            self._display = display(fig, display_id=True)
        else:
            self._display.update(fig)
        plt.close(fig)

    def to_json(self) -> list[dict]:
        return [dict(r) for r in self.records]


class _MeanLoss:
    """Mean loss over an epoch (Paddle's logs hold only the last batch's)."""

    def __init__(self):
        self.total, self.count = 0.0, 0

    def add(self, logs) -> int:
        n = int((logs or {}).get("batch_size", 0))
        loss = _metrics(logs).get("loss")
        if loss is not None and n:
            self.total += loss * n
            self.count += n
        return n

    def mean(self) -> float:
        return self.total / self.count if self.count else float("nan")


def _metrics(logs) -> dict:
    """``{'loss': float, 'acc': float, ...}`` from Paddle's callback logs."""
    out = {}
    for key, value in (logs or {}).items():
        if key in ("step", "batch_size"):
            continue
        if isinstance(value, (list, tuple)):
            value = value[0] if value else float("nan")
        try:
            out[key] = float(value)
        except (TypeError, ValueError):
            continue
    return out


# ---------------------------------------------------------------- fit


def fit(
    model: paddle.Model,
    train_data,
    eval_data=None,
    *,
    epochs: int,
    batch_size: int = 64,
    history: History | None = None,
    callbacks: Sequence[paddle.callbacks.Callback] = (),
    name: str | None = None,
    verbose: int | None = None,
    shuffle: bool = True,
    num_iters: int | None = None,
) -> History:
    """Train a prepared ``paddle.Model`` and return its :class:`History`.

    Evaluates on `eval_data` after every epoch. In a notebook it prints one
    line per epoch and redraws the curves; in a terminal it shows Paddle's
    progress bar (``verbose`` overrides: 0 silent, 1 bar, 2 one line per
    log step). With ``COURSE_BENCH_FILE`` set, `name` labels a benchmark
    record appended to that file.

    Parameters
    ----------
    epochs : int
        Epochs to train now; a given `history` keeps counting from its last.
    num_iters : int, optional
        Stop after this many batches (a short demonstration run).

    Raises
    ------
    ValueError
        `epochs` or `batch_size` is not a positive int, or the model was
        not prepared.
    """
    for value, label in ((epochs, "epochs"), (batch_size, "batch_size")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                t(
                    f"`{label}` 必须是正整数，得到 {value!r}。",
                    f"`{label}` must be a positive int, got {value!r}.",
                )
            )
    if getattr(model, "_optimizer", None) is None or getattr(model, "_loss", None) is None:
        raise ValueError(
            t(
                "模型还没有 prepare：先调用 model.prepare(optimizer, loss, metrics)。",
                "The model is not prepared: call model.prepare(optimizer, loss, metrics) first.",
            )
        )
    history = history if history is not None else History()
    history._eval_freq = 1 if eval_data is not None else 0
    if verbose is None:
        verbose = 0 if history.live else 1
    with _quiet_paddle():
        model.fit(
            train_data,
            eval_data,
            batch_size=batch_size,
            epochs=epochs,
            eval_freq=1,
            verbose=verbose,
            shuffle=shuffle,
            callbacks=[history, *callbacks],
            num_iters=num_iters,
        )
    if name and os.environ.get(BENCH_ENV):
        record_benchmark(Path(os.environ[BENCH_ENV]), name, model, history, batch_size)
    return history


class _EvalLoss(paddle.callbacks.Callback):
    """Mean loss over all evaluation batches."""

    def on_eval_begin(self, logs=None):
        self.loss = _MeanLoss()

    def on_eval_batch_end(self, step, logs=None):
        self.loss.add(logs)


def evaluate(model: paddle.Model, eval_data, batch_size: int = 256) -> dict:
    """``model.evaluate`` without its progress output; returns ``{'loss', 'acc'}``.

    The loss is the mean over the whole data set (Paddle reports the last batch's).
    """
    mean = _EvalLoss()
    with _quiet_paddle():
        logs = model.evaluate(eval_data, batch_size=batch_size, verbose=0, callbacks=[mean])
    return {**_metrics(logs), "loss": mean.loss.mean()}


def predict_labels(model: paddle.Model, dataset, batch_size: int = 256):
    """Labels, predicted labels and class probabilities for a whole dataset.

    Returns
    -------
    labels, predictions : ndarray of int, shape (n,)
    probabilities : ndarray of float, shape (n, classes)
    """
    network = model.network if isinstance(model, paddle.Model) else model
    was_training = network.training
    network.eval()
    loader = paddle.io.DataLoader(dataset, batch_size=batch_size, shuffle=False)
    labels, probs = [], []
    with paddle.no_grad():
        for images, y in loader:
            probs.append(paddle.nn.functional.softmax(network(images), axis=1).numpy())
            labels.append(np.asarray(y).reshape(-1))
    if was_training:
        network.train()
    probs = np.concatenate(probs)
    return np.concatenate(labels).astype(int), probs.argmax(axis=1), probs


def confusion_matrix(labels, predictions, num_classes: int = 10) -> np.ndarray:
    """Counts ``cm[true, predicted]``.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1], [0, 1, 0], num_classes=2).tolist()
    [[1, 0], [1, 1]]
    """
    cm = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(cm, (np.asarray(labels, int), np.asarray(predictions, int)), 1)
    return cm


def count_parameters(network: paddle.nn.Layer) -> int:
    """Number of trainable parameters (what ``paddle.summary`` reports)."""
    return int(sum(int(np.prod(p.shape)) for p in network.parameters() if not p.stop_gradient))


# ---------------------------------------------------------------- checkpoints


def checkpoint_dir() -> Path:
    """Folder for the course's checkpoints.

    ``COURSE_CHECKPOINT_DIR`` when set; else ``checkpoints/`` in the course
    repository (beside ``notebooks/``); else ``./checkpoints``.
    """
    if os.environ.get(CHECKPOINT_ENV):
        return Path(os.environ[CHECKPOINT_ENV])
    repo = Path(__file__).resolve().parents[1]
    return repo / "checkpoints" if (repo / "notebooks").is_dir() else Path("checkpoints")


def checkpoint_path(name: str) -> Path:
    """Where the checkpoint `name` lives; quick mode gets its own (``-quick``).

    A quick run never replaces the checkpoint of a full run.

    Examples
    --------
    >>> checkpoint_path("lenet").name in ("lenet", "lenet-quick")
    True
    """
    return checkpoint_dir() / (f"{name}-quick" if quick_mode() else name)


def _replace_dir(tmp: Path, path: Path) -> None:
    """Move the finished folder `tmp` to `path`, replacing an older one."""
    old = None
    if path.exists():
        old = path.with_name(f".{path.name}.old-{os.getpid()}-{time.time_ns()}")
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _safe_write(path: Path, write) -> Path:
    """Call ``write(tmp_folder)``, then rename the folder to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.tmp-*"):  # left by an interrupted save
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    try:
        write(tmp)
        _replace_dir(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path


def save_checkpoint(model: paddle.Model, path: str | Path, history: History | None = None) -> Path:
    """Save parameters, optimizer state and history to the folder `path`.

    Everything is written to a temporary folder first and renamed into
    place, so an interrupted save leaves the previous checkpoint intact.

    Returns the folder.
    """

    def write(tmp: Path) -> None:
        model.save(str(tmp / _PREFIX), training=True)
        meta = {
            "network": type(model.network).__name__,
            # The optimizer state is keyed by unique parameter names (conv2d_7.w_0), which
            # differ in a freshly built network; this map lets load_checkpoint translate.
            "parameter_names": {k: p.name for k, p in model.network.named_parameters()},
            "epochs": history.epochs_done if history else None,
            "history": history.to_json() if history else [],
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")

    return _safe_write(path, write)


def _recover(path: Path) -> Path:
    """`path`, or the previous checkpoint when a save stopped between renames."""
    if not path.exists():
        olds = sorted(path.parent.glob(f".{path.name}.old-*")) if path.parent.exists() else []
        if olds:
            os.replace(olds[-1], path)
    return path


def _missing_checkpoint(path: Path, what: str) -> CheckpointError:
    return CheckpointError(
        t(
            f"在 {path} 找不到检查点（缺少 {what}）。先运行保存它的那一课（第 05 课训练 LeNet），"
            "或者检查路径。",
            f"No checkpoint at {path} ({what} is missing). Run the lesson that saves it "
            "first (lesson 05 trains LeNet), or check the path.",
        )
    )


def check_compatible(network: paddle.nn.Layer, state: dict, path: Path | str = "") -> None:
    """Raise :class:`CheckpointError` naming the first layer that does not fit.

    Compares parameter names and shapes of `network` with a saved state dict.
    """
    own = {k: list(v.shape) for k, v in network.state_dict().items()}
    saved = {k: list(np.shape(v)) for k, v in state.items()}
    for key in own:
        if key not in saved:
            raise _mismatch(path, key, t("检查点里没有这一层", "not in the checkpoint"))
        if own[key] != saved[key]:
            raise _mismatch(
                path,
                key,
                t(
                    f"检查点里形状是 {saved[key]}，模型里是 {own[key]}",
                    f"shape {saved[key]} in the checkpoint, {own[key]} in the model",
                ),
            )
    extra = [k for k in saved if k not in own]
    if extra:
        raise _mismatch(path, extra[0], t("模型里没有这一层", "not in the model"))


def _mismatch(path, key: str, why: str) -> CheckpointError:
    return CheckpointError(
        t(
            f"检查点 {path} 和这个网络的结构不一致：`{key}`：{why}。"
            "请用保存检查点时的那个网络结构来加载。",
            f"The checkpoint {path} was saved from a different network: `{key}`: {why}. "
            "Load it into the architecture it was saved from.",
        )
    )


def load_checkpoint(model: paddle.Model, path: str | Path, optimizer: bool = True) -> History:
    """Load a checkpoint saved by :func:`save_checkpoint` into `model`.

    With ``optimizer=True`` (and a prepared model) the optimizer state comes
    back too, so training resumes where it stopped. Returns the saved
    :class:`History`; pass it to :func:`fit` to continue the epoch count.

    Raises
    ------
    CheckpointError
        No checkpoint at `path`, or one saved from a different architecture
        (the message names the first mismatched layer).
    """
    path = _recover(Path(path))
    params = path / f"{_PREFIX}.pdparams"
    if not params.is_file():
        raise _missing_checkpoint(path, params.name)
    state = paddle.load(str(params))
    check_compatible(model.network, state, path)
    meta_file = path / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    model.network.set_state_dict(state)
    opt_file = path / f"{_PREFIX}.pdopt"
    if optimizer and opt_file.is_file() and getattr(model, "_optimizer", None) is not None:
        saved = meta.get("parameter_names", {})
        current = {k: p.name for k, p in model.network.named_parameters()}
        renames = {old: current[k] for k, old in saved.items() if k in current}
        model._optimizer.set_state_dict(_renamed(paddle.load(str(opt_file)), renames))
    history = History()
    history.records = meta.get("history", [])
    return history


def _renamed(optimizer_state: dict, renames: dict[str, str]) -> dict:
    """Optimizer state with keys ``<old param name>_...`` moved to the new names.

    Examples
    --------
    >>> state = {"linear_1.w_0_moment1_0": 1, "LR_Scheduler": {}}
    >>> _renamed(state, {"linear_1.w_0": "linear_9.w_0"})
    {'linear_9.w_0_moment1_0': 1, 'LR_Scheduler': {}}
    """
    out = {}
    for key, value in optimizer_state.items():
        old = next((o for o in renames if key.startswith(o + "_")), None)
        out[renames[old] + key[len(old) :] if old else key] = value
    return out


class BestCheckpoint(paddle.callbacks.Callback):
    """Save a checkpoint whenever the evaluation accuracy beats the best so far.

    Parameters
    ----------
    path : str or Path
        Checkpoint folder (see :func:`checkpoint_path`).
    history : History, optional
        Saved with the checkpoint, so that loading it restores the curves.
    monitor : str
        The evaluation metric to maximise.
    """

    def __init__(self, path: str | Path, history: History | None = None, monitor: str = "acc"):
        super().__init__()
        self.path, self.history, self.monitor = Path(path), history, monitor
        self.best = -float("inf")
        self.best_epoch: int | None = None

    def on_eval_end(self, logs=None):
        value = _metrics(logs).get(self.monitor)
        if value is not None and value > self.best:
            self.best = value
            self.best_epoch = self.history.epochs_done if self.history else None
            save_checkpoint(self.model, self.path, self.history)


def save_inference(model: paddle.Model, path: str | Path) -> Path:
    """Export `model` for inference into the folder `path`, safely.

    Calls ``model.save(..., training=False)`` (the model needs ``inputs=``
    an ``InputSpec``), which writes ``model.json`` and ``model.pdiparams``.
    Returns the path prefix to give ``paddle.jit.load``.
    """
    if getattr(model, "_input_info", None) is None:
        raise ValueError(
            t(
                "导出推理模型需要输入的形状：创建模型时写 "
                "paddle.Model(net, inputs=paddle.static.InputSpec([None, 1, 28, 28], 'float32'))。",
                "Exporting needs the input shape: create the model with "
                "paddle.Model(net, inputs=paddle.static.InputSpec([None, 1, 28, 28], 'float32')).",
            )
        )
    folder = _safe_write(Path(path), lambda tmp: model.save(str(tmp / _PREFIX), training=False))
    return folder / _PREFIX


# ---------------------------------------------------------------- benchmark


def peak_memory_mb() -> float:
    """Peak memory so far: GPU memory allocated on a GPU, else the process's peak RSS."""
    if paddle.device.get_device().startswith("gpu"):
        return paddle.device.cuda.max_memory_allocated() / 2**20
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def record_benchmark(file: Path, name: str, model, history: History, batch_size: int) -> dict:
    """Append one JSON line describing the last training run to `file`."""
    trained = history.last_fit
    seconds = [r["seconds"] for r in trained]
    last = trained[-1] if trained else {}
    total_seconds = sum(seconds) or float("nan")
    record = {
        "model": name,
        "epochs": len(trained),
        "batch_size": batch_size,
        "device": paddle.device.get_device(),
        "seconds_per_epoch": float(np.mean(seconds)) if seconds else float("nan"),
        "images_per_second": history.samples / total_seconds if history.samples else None,
        "test_acc": last.get("eval_acc"),
        "peak_memory_mb": peak_memory_mb(),
        "parameters": count_parameters(model.network),
        "quick": quick_mode(),
    }
    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    return record


# ---------------------------------------------------------------- lesson 08


def layer_grad_norms(network: paddle.nn.Layer, images, labels) -> dict[str, float]:
    """Norm of the loss gradient for each layer's weight, on one batch (lesson 08).

    Runs `network` on `images`, takes the cross-entropy loss against
    `labels` and back-propagates once. Gradients are cleared before and
    after, so training is not affected. Biases are skipped.

    Parameters
    ----------
    network : paddle.nn.Layer
        A classifier that returns logits.
    images : Tensor or ndarray, shape (n, c, h, w)
    labels : Tensor or ndarray of int, n values

    Returns
    -------
    dict
        ``{layer name: L2 norm of its weight gradient}``, from the input
        side to the output side (the order the layers were defined in).

    Raises
    ------
    ValueError
        `images` and `labels` hold different numbers of examples, or the
        network has no weight to measure.

    Examples
    --------
    >>> net = paddle.nn.Sequential(paddle.nn.Flatten(), paddle.nn.Linear(4, 3))
    >>> norms = layer_grad_norms(net, np.ones((2, 1, 2, 2), "float32"), [0, 2])
    >>> list(norms), norms["1"] > 0
    (['1'], True)
    """
    images = paddle.to_tensor(images, dtype="float32")
    labels = paddle.to_tensor(np.asarray(labels).reshape(-1), dtype="int64")
    n_images, n_labels = images.shape[0], labels.shape[0]
    if n_images != n_labels:
        raise ValueError(
            t(
                f"`images` 和 `labels` 的样本数必须相同，得到 {n_images} 和 {n_labels}。",
                f"`images` and `labels` must hold the same number of examples, "
                f"got {n_images} and {n_labels}.",
            )
        )
    weights = [(n, p) for n, p in network.named_parameters() if len(p.shape) > 1]
    if not weights:
        raise ValueError(
            t(
                "`network` 没有可以测量的权重（卷积层或全连接层）。",
                "`network` has no weight to measure (no convolution or linear layer).",
            )
        )
    network.clear_gradients()
    loss = paddle.nn.functional.cross_entropy(network(images), labels)
    loss.backward()
    norms = {}
    for name, param in weights:
        grad = param.grad
        norms[name.removesuffix(".weight")] = (
            float(paddle.linalg.norm(grad)) if grad is not None else 0.0
        )
    network.clear_gradients()
    return norms
