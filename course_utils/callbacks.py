"""Callbacks for ``paddle.Model.fit`` (introduced in lessons 05 and 06).

They follow Paddle's own callback idiom (``paddle.callbacks.Callback``, as
``EarlyStopping`` or ``ModelCheckpoint`` do), so a lesson writes::

    history = cu.History()
    model.fit(train, test, epochs=10, batch_size=64, verbose=0, callbacks=[history])

- :class:`History` keeps per-epoch loss (the mean over the epoch's batches:
  Paddle's logs hold only the last batch's), accuracy and time; in a notebook
  it prints one line per epoch and redraws the curves. With
  ``COURSE_BENCH_FILE`` set (``make bench``), a complete training run also
  appends a benchmark record, named after the network (:func:`network_label`).
- :class:`BestCheckpoint` saves a course checkpoint whenever the evaluation
  accuracy beats the best so far (lesson 06).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import paddle

from . import validate
from .config import quick_mode
from .i18n import bilingual

BENCH_ENV = "COURSE_BENCH_FILE"


def in_notebook() -> bool:
    """True when running inside a Jupyter kernel (where figures can be shown)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def network_label(network) -> str:
    """A short name for a network: its class and the settings it was built with.

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> network_label(LeNet("relu", "max"))
    "LeNet(activation='relu', pool='max')"
    """
    network = validate.layer(network)
    settings = getattr(network, "settings", None) or {}
    args = ", ".join(f"{key}={value!r}" for key, value in settings.items())
    return f"{type(network).__name__}({args})" if args else type(network).__name__


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


class _MeanLoss:
    """Mean loss over the batches of an epoch, weighted by batch size."""

    def __init__(self):
        self.total, self.count = 0.0, 0

    def add(self, logs) -> int:
        n = int((logs or {}).get("batch_size", 0) or 0)
        loss = _metrics(logs).get("loss")
        if loss is not None and n:
            self.total += loss * n
            self.count += n
        return n

    def mean(self) -> float:
        return self.total / self.count if self.count else float("nan")


def _empty(name: str, zh: str, en: str) -> ValueError:
    return ValueError(
        bilingual(
            f"`{name}` 给出 0 个批量（数据集是空的，或者 drop_last=True 时样本少于 batch_size）："
            f"{zh}无法进行，损失会是 NaN。请检查数据集是怎样取出来的（例如子集的条件）。",
            f"`{name}` gives 0 batches (the data set is empty, or it has fewer examples than "
            f"batch_size with drop_last=True): {en} cannot run and the loss would be NaN. "
            "Check how the data set was made (e.g. the condition of a subset).",
        )
    )


class History(paddle.callbacks.Callback):
    """Keep the training curves; show them while training in a notebook.

    ``records`` holds one dict per epoch with ``epoch`` (1-based), ``loss``,
    ``acc``, ``seconds`` (training time of the epoch) and, when the epoch was
    evaluated, ``eval_loss`` and ``eval_acc``. Training again with the same
    History (or one returned by ``load_checkpoint``) continues the count.

    Parameters
    ----------
    live : bool, optional
        Print a line after each epoch (and redraw the curves, in a notebook);
        default: only inside a notebook.

    Raises
    ------
    TypeError
        `live` is not True, False or None.
    ValueError
        When training starts on an empty training set (``model.fit`` would
        otherwise report a NaN loss), or evaluation on an empty one.
    """

    def __init__(self, live: bool | None = None):
        super().__init__()
        self.records: list[dict] = []
        self.live = in_notebook() if live is None else validate.flag(live, "live")
        self.samples = 0  # training images seen in the last fit
        self.batch_size = 0  # of the last fit
        self._first = 0
        self._pending: dict | None = None
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
        if (self.params or {}).get("steps") == 0:
            raise _empty("train_data", "训练", "training")
        self.samples = 0
        self.batch_size = 0
        self._first = len(self.records)
        self._display = None
        self._cut_short = getattr(self.model, "num_iters", None) is not None

    def on_epoch_begin(self, epoch, logs=None):
        self._report()  # the previous epoch, when no evaluation followed it
        self._start = time.perf_counter()
        self._loss = _MeanLoss()

    def on_train_batch_end(self, step, logs=None):
        seen = self._loss.add(logs)
        self.batch_size = self.batch_size or seen  # the first batch is a full one
        self.samples += seen

    def on_epoch_end(self, epoch, logs=None):
        record = {"epoch": self.epochs_done + 1, "seconds": time.perf_counter() - self._start}
        record.update(_metrics(logs), loss=self._loss.mean())
        self.records.append(record)
        self._pending = record

    def on_eval_begin(self, logs=None):
        if (logs or {}).get("steps") == 0:
            raise _empty("eval_data", "测试", "evaluation")
        self._eval_loss = _MeanLoss()

    def on_eval_batch_end(self, step, logs=None):
        self._eval_loss.add(logs)

    def on_eval_end(self, logs=None):
        if self._pending is not None:
            metrics = {**_metrics(logs), "loss": self._eval_loss.mean()}
            self._pending.update({f"eval_{k}": v for k, v in metrics.items()})
            self._report()

    def on_train_end(self, logs=None):
        self._report()
        if os.environ.get(BENCH_ENV) and self._complete_run():
            record_benchmark(Path(os.environ[BENCH_ENV]), self)

    def _complete_run(self) -> bool:
        """A run from the first epoch to the end, evaluated after every epoch."""
        trained = self.last_fit
        return (
            self._first == 0
            and not self._cut_short
            and bool(trained)
            and all("eval_acc" in r for r in trained)
        )

    def line(self, record: dict | None = None) -> str:
        """One compact line for an epoch (the last one by default), in the course's language.

        Examples
        --------
        >>> from course_utils.i18n import set_language, reset_language
        >>> history = History(live=False)
        >>> history.records.append({"epoch": 1, "loss": 0.5, "acc": 0.9, "seconds": 2.0})
        >>> set_language("en"); history.line()
        'epoch  1  loss 0.5000  acc 90.00%  |  2.0 s'
        >>> set_language("zh"); history.line()
        '第  1 轮  损失 0.5000  准确率 90.00%  |  2.0 秒'
        >>> reset_language()
        """
        from .i18n import t

        r = record or self.records[-1]
        parts = [t(f"第 {r['epoch']:>2} 轮", f"epoch {r['epoch']:>2}", sep=" · ")]
        parts.append(t(f"损失 {r['loss']:.4f}", f"loss {r['loss']:.4f}", sep=" · "))
        if "acc" in r:
            parts.append(t(f"准确率 {r['acc']:.2%}", f"acc {r['acc']:.2%}", sep=" · "))
        text = "  ".join(parts)
        if "eval_acc" in r:
            text += "  |  " + t(
                f"测试损失 {r['eval_loss']:.4f}  测试准确率 {r['eval_acc']:.2%}",
                f"test loss {r['eval_loss']:.4f}  test acc {r['eval_acc']:.2%}",
                sep=" · ",
            )
        return text + "  |  " + t(f"{r['seconds']:.1f} 秒", f"{r['seconds']:.1f} s", sep=" · ")

    def _report(self) -> None:
        """Show the pending epoch once: its line and the redrawn curves."""
        record, self._pending = self._pending, None
        if record is None or not self.live:
            return
        print(self.line(record), flush=True)
        if not in_notebook():  # a terminal gets the line only
            return
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


class BestCheckpoint(paddle.callbacks.Callback):
    """Save a checkpoint whenever the evaluation accuracy beats the best so far.

    Put it after the :class:`History` in ``callbacks`` so the saved history
    includes the epoch that was just evaluated.

    Parameters
    ----------
    path : str or Path
        Checkpoint folder (see ``checkpoint_path``).
    history : History, optional
        Saved with the checkpoint, so that loading it restores the curves.
    monitor : str
        The evaluation metric to maximise.
    """

    def __init__(self, path: str | Path, history: History | None = None, monitor: str = "acc"):
        super().__init__()
        path = validate.path(path, "path")
        if history is not None:
            validate.instance(history, "history", History, " cu.History()", "a cu.History()")
        monitor = validate.text(monitor, "monitor")
        self.path, self.history, self.monitor = path, history, monitor
        self.best = -float("inf")
        self.best_epoch: int | None = None

    def on_eval_end(self, logs=None):
        from .checkpoints import save_checkpoint

        value = _metrics(logs).get(self.monitor)
        if value is not None and value > self.best:
            self.best = value
            self.best_epoch = self.history.epochs_done if self.history else None
            save_checkpoint(self.model, self.path, self.history)


# ---------------------------------------------------------------- benchmark


def peak_memory_mb() -> float:
    """Peak memory so far: GPU memory allocated on a GPU, else the process's peak RSS."""
    if paddle.device.get_device().startswith("gpu"):
        return paddle.device.cuda.max_memory_allocated() / 2**20
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def record_benchmark(file: Path, history: History) -> dict:
    """Append one JSON line describing `history`'s last training run to `file`."""
    import numpy as np

    from .train import count_parameters

    trained = history.last_fit
    seconds = [r["seconds"] for r in trained]
    total_seconds = sum(seconds) or float("nan")
    record = {
        "model": network_label(history.model.network),
        "epochs": len(trained),
        "batch_size": history.batch_size,
        "device": paddle.device.get_device(),
        "seconds_per_epoch": float(np.mean(seconds)) if seconds else float("nan"),
        "images_per_second": history.samples / total_seconds if history.samples else None,
        "test_acc": trained[-1].get("eval_acc") if trained else None,
        "peak_memory_mb": peak_memory_mb(),
        "parameters": count_parameters(history.model.network),
        "quick": quick_mode(),
    }
    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    return record
