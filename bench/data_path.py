"""One epoch of LeNet on full MNIST by three data paths, measured in one run.

- course: ``cu.mnist`` (decoded once into memory) + ``Model.fit`` + ``cu.History``;
- quick start: Paddle's own flow, ``paddle.vision.datasets.MNIST`` with a per-image
  ``ToTensor`` + ``Normalize`` transform + ``Model.fit``;
- bare loop: the whole data set as tensors, a plain training loop (no Model, no metric).

Each path trains a ReLU + max-pool LeNet for one epoch (batch 64, Adam 1e-3) from the
same seed. ``make bench`` runs it in a process of its own (``--json``) and adds the table
to ``bench/results.md``; ``python bench/data_path.py`` prints the table alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

BATCH = 64


def _model(network):
    import course_utils as cu

    import paddle

    model = cu.as_model(network)
    model.prepare(
        paddle.optimizer.Adam(1e-3, parameters=network.parameters()),
        paddle.nn.CrossEntropyLoss(),
        paddle.metric.Accuracy(),
    )
    return model


def course_path() -> tuple[float, float]:
    """(load seconds, epoch seconds) of the course's path."""
    import course_utils as cu

    import paddle

    start = time.perf_counter()
    train = cu.mnist("train", quick=False)
    loaded = time.perf_counter() - start
    paddle.seed(0)
    history = cu.History(live=False)
    _model(cu.LeNet("relu", "max")).fit(
        train, epochs=1, batch_size=BATCH, verbose=0, callbacks=[history]
    )
    return loaded, history.records[-1]["seconds"]


def quick_start_path() -> tuple[float, float]:
    """(load seconds, epoch seconds) of Paddle's quick-start flow on the same files."""
    import course_utils as cu

    import paddle
    from paddle.vision import transforms as T
    from paddle.vision.datasets import MNIST

    images, labels = cu.data.mnist_files("train")
    start = time.perf_counter()
    normalize = T.Compose([T.ToTensor(), T.Normalize(cu.data.MNIST_MEAN, cu.data.MNIST_STD)])
    train = MNIST(
        image_path=str(images), label_path=str(labels), mode="train", transform=normalize,
        download=False,
    )  # fmt: skip
    loaded = time.perf_counter() - start
    paddle.seed(0)
    model = _model(cu.LeNet("relu", "max"))
    start = time.perf_counter()
    model.fit(train, epochs=1, batch_size=BATCH, verbose=0)
    return loaded, time.perf_counter() - start


def bare_loop() -> tuple[float, float]:
    """(0, epoch seconds) of a plain loop over tensors held in memory."""
    import course_utils as cu

    import numpy as np
    import paddle
    import paddle.nn.functional as F

    data = cu.mnist("train", quick=False)
    x, y = paddle.to_tensor(data.images), paddle.to_tensor(data.labels)
    paddle.seed(0)
    network = cu.LeNet("relu", "max")
    optimizer = paddle.optimizer.Adam(1e-3, parameters=network.parameters())
    order = np.random.default_rng(0).permutation(len(data))
    network.train()
    start = time.perf_counter()
    for first in range(0, len(order), BATCH):
        rows = paddle.to_tensor(order[first : first + BATCH])
        loss = F.cross_entropy(network(paddle.gather(x, rows)), paddle.gather(y, rows))
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
    float(loss)  # wait for the last step
    return 0.0, time.perf_counter() - start


PATHS = {
    "course: cu.mnist + Model.fit + cu.History": course_path,
    "Paddle quick start: MNIST + ToTensor/Normalize + Model.fit": quick_start_path,
    "bare loop: tensors in memory, no Model": bare_loop,
}


def measure() -> list[dict]:
    """Time every path once, in this process; returns one row per path."""
    rows = []
    for name, run in PATHS.items():
        print(f"data path: {name} ...", flush=True)
        loaded, epoch = run()
        rows.append({"path": name, "load_seconds": loaded, "epoch_seconds": epoch})
    bare = rows[-1]["epoch_seconds"]
    for row in rows:
        row["vs_bare_loop"] = row["epoch_seconds"] / bare
    return rows


def table(rows: list[dict]) -> list[str]:
    """Markdown rows for :func:`measure`'s result.

    Examples
    --------
    >>> table([{"path": "x", "load_seconds": 1.0, "epoch_seconds": 20.0, "vs_bare_loop": 1.0}])[-1]
    '| x | 1.0 | 20.0 | 1.00 |'
    """
    lines = [
        "| data path (LeNet ReLU+max, 1 epoch, batch 64) | load (s) | epoch (s) | vs bare loop |",
        "| --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['path']} | {r['load_seconds']:.1f} | {r['epoch_seconds']:.1f} "
            f"| {r['vs_bare_loop']:.2f} |"
        )
    return lines


if __name__ == "__main__":
    os.environ.setdefault("FLAGS_paddle_num_threads", str(os.cpu_count() or 1))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    measured = measure()
    # --json: the rows as the last line, for bench/run.py
    print(json.dumps(measured) if "--json" in sys.argv[1:] else "\n".join(table(measured)))
