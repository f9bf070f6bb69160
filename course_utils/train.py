"""Helpers around ``paddle.Model`` that fill its gaps (introduced in lesson 05).

- :func:`evaluate`: ``model.evaluate`` reports the loss of the *last* batch
  only; this returns the mean loss over the whole data set (and quietly).
- :func:`predict_labels`: labels, predictions and probabilities for a whole
  data set; :func:`confusion_matrix`; :func:`count_parameters`.
- :func:`layer_grad_norms` (lesson 08): each layer's gradient norm on a batch.

Training itself is Paddle's ``model.fit`` with the callbacks of
:mod:`course_utils.callbacks`; checkpoints are in :mod:`course_utils.checkpoints`.
"""

from __future__ import annotations

import numpy as np
import paddle

from . import validate
from .callbacks import _MeanLoss, _metrics
from .i18n import bilingual

#: Most classes of a confusion matrix.
MAX_CLASSES = 10_000


class _EvalLoss(paddle.callbacks.Callback):
    """Mean loss over all evaluation batches."""

    def on_eval_begin(self, logs=None):
        self.loss = _MeanLoss()

    def on_eval_batch_end(self, step, logs=None):
        self.loss.add(logs)


def evaluate(model: paddle.Model, eval_data, batch_size: int = 256) -> dict:
    """``model.evaluate`` without its progress output; returns ``{'loss', 'acc'}``.

    The loss is the mean over the whole data set (Paddle reports the last batch's).

    Raises
    ------
    TypeError
        `model` is not a prepared ``paddle.Model``, `eval_data` not a data
        set, `batch_size` not an int.
    ValueError
        `eval_data` is empty or `batch_size` is below 1.
    """
    model = validate.model(model)
    eval_data = validate.dataset(eval_data, "eval_data")
    batch_size = validate.positive(batch_size, "batch_size")
    if getattr(model, "_loss", None) is None:
        raise ValueError(
            bilingual(
                "`model` 还没有准备好：先调用 model.prepare(optimizer, loss, metrics)。",
                "`model` is not prepared: call model.prepare(optimizer, loss, metrics) first.",
            )
        )
    mean = _EvalLoss()
    logs = model.evaluate(eval_data, batch_size=batch_size, verbose=0, callbacks=[mean])
    return {**_metrics(logs), "loss": mean.loss.mean()}


def predict_labels(model: paddle.Model, dataset, batch_size: int = 256):
    """Labels, predicted labels and class probabilities for a whole dataset.

    Returns
    -------
    labels, predictions : ndarray of int, shape (n,)
    probabilities : ndarray of float, shape (n, classes)

    Raises
    ------
    TypeError
        `model` is neither a ``paddle.Model`` nor a network, `dataset` not a
        data set, `batch_size` not an int.
    ValueError
        `dataset` is empty or `batch_size` is below 1.
    """
    if not isinstance(model, paddle.Model):
        validate.instance(
            model,
            "model",
            paddle.nn.Layer,
            " paddle.Model 或网络（paddle.nn.Layer）",
            "a paddle.Model or a network (paddle.nn.Layer)",
        )
    dataset = validate.dataset(dataset, "dataset")
    batch_size = validate.positive(batch_size, "batch_size")
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

    Raises
    ------
    TypeError
        `labels` or `predictions` are not whole numbers, `num_classes` not an int.
    ValueError
        A label or prediction is outside ``0 .. num_classes - 1``, or the two
        have different lengths.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1], [0, 1, 0], num_classes=2).tolist()
    [[1, 0], [1, 1]]
    """
    num_classes = validate.integer(num_classes, "num_classes", low=1, high=MAX_CLASSES)
    labels = validate.labels(labels, "labels", num_classes)
    predictions = validate.labels(predictions, "predictions", num_classes)
    if len(labels) != len(predictions):
        raise ValueError(
            bilingual(
                f"`labels` 和 `predictions` 的个数必须相同，得到 {len(labels)} 和 "
                f"{len(predictions)}。",
                f"`labels` and `predictions` must have the same length, got {len(labels)} "
                f"and {len(predictions)}.",
            )
        )
    cm = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(cm, (labels, predictions), 1)
    return cm


def count_parameters(network: paddle.nn.Layer) -> int:
    """Number of trainable parameters (what ``paddle.summary`` reports)."""
    network = validate.layer(network)
    return int(sum(int(np.prod(p.shape)) for p in network.parameters() if not p.stop_gradient))


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
    TypeError
        `network` is not a ``paddle.nn.Layer``, `images` not numbers,
        `labels` not whole numbers.
    ValueError
        `images` is not 4-D or not finite, a label is negative or not below
        the number of outputs, `images` and `labels` hold different numbers
        of examples, the network cannot take the images, or it has no weight
        to measure.

    Examples
    --------
    >>> net = paddle.nn.Sequential(paddle.nn.Flatten(), paddle.nn.Linear(4, 3))
    >>> norms = layer_grad_norms(net, np.ones((2, 1, 2, 2), "float32"), [0, 2])
    >>> list(norms), norms["1"] > 0
    (['1'], True)
    """
    network = validate.layer(network)
    images = paddle.to_tensor(validate.array(images, "images", ndim=4))
    labels = paddle.to_tensor(validate.labels(labels, "labels"))
    n_images, n_labels = images.shape[0], labels.shape[0]
    if n_images != n_labels:
        raise ValueError(
            bilingual(
                f"`images` 和 `labels` 的样本数必须相同，得到 {n_images} 和 {n_labels}。",
                f"`images` and `labels` must hold the same number of examples, "
                f"got {n_images} and {n_labels}.",
            )
        )
    weights = [(n, p) for n, p in network.named_parameters() if len(p.shape) > 1]
    if not weights:
        raise ValueError(
            bilingual(
                "`network` 没有可以测量的权重（卷积层或全连接层）。",
                "`network` has no weight to measure (no convolution or linear layer).",
            )
        )
    network.clear_gradients()
    try:
        logits = network(images)
    except Exception as err:  # noqa: BLE001 - Paddle's shape errors, reported in both languages
        lines = [line for line in str(err).splitlines() if line.strip()]
        why = (lines[-1] if lines else type(err).__name__)[:300]
        raise ValueError(
            bilingual(
                f"网络无法处理 `images`（形状 {list(images.shape)}）：{why}",
                f"The network cannot take `images` (shape {list(images.shape)}): {why}",
            )
        ) from None
    classes = int(logits.shape[-1])
    if int(labels.max()) >= classes:
        raise ValueError(
            bilingual(
                f"`labels` 只能含 0 到 {classes - 1} 之间的整数（网络有 {classes} 个输出），"
                f"收到 {int(labels.max())}。",
                f"`labels` must hold ints from 0 to {classes - 1} (the network has {classes} "
                f"outputs), got {int(labels.max())}.",
            )
        )
    loss = paddle.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    norms = {}
    for name, param in weights:
        grad = param.grad
        norms[name.removesuffix(".weight")] = (
            float(paddle.linalg.norm(grad)) if grad is not None else 0.0
        )
    network.clear_gradients()
    return norms
