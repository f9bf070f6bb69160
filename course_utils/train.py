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

from .callbacks import _MeanLoss, _metrics
from .i18n import bilingual


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
