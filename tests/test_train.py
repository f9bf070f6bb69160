"""Tests for course_utils.train: evaluation, predictions, counts, gradient norms."""

from __future__ import annotations

from course_utils import train

import numpy as np
import paddle
import pytest
from paddle import nn
from tiny import TinyData, fit, prepared, tiny_net


@pytest.fixture
def trained():
    """A model trained two epochs."""
    model = prepared()
    fit(model, TinyData(), TinyData(32, seed=1), epochs=2)
    return model


def test_predict_labels_agrees_with_the_network_and_keeps_its_mode(trained):
    """predict_labels returns labels, argmax predictions and probabilities that sum to 1"""
    model = trained
    data = TinyData(40, seed=2)
    model.network.train()
    labels, predictions, probs = train.predict_labels(model, data, batch_size=16)
    assert model.network.training
    np.testing.assert_array_equal(labels, data.y.ravel())
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(predictions, probs.argmax(axis=1))


@pytest.mark.parametrize("seed", range(5))
def test_confusion_matrix_counts_every_pair(seed):
    """the matrix sums to n, its diagonal counts the correct predictions, rows count labels"""
    rng = np.random.default_rng(seed)
    labels, predictions = rng.integers(0, 10, 200), rng.integers(0, 10, 200)
    cm = train.confusion_matrix(labels, predictions)
    assert cm.sum() == 200
    assert np.trace(cm) == np.sum(labels == predictions)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(labels, minlength=10))


def test_count_parameters_matches_paddle_summary():
    """count_parameters agrees with paddle.summary's total"""
    network = tiny_net()
    summary = paddle.summary(network, (1, 1, 8, 8))
    assert train.count_parameters(network) == summary["total_params"]


# ---------------------------------------------------------------- lesson 08


def _tiny_classifier():
    paddle.seed(0)
    return nn.Sequential(
        nn.Conv2D(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3)
    )


def test_layer_grad_norms_match_a_manual_backward_and_leave_no_gradient():
    """layer_grad_norms gives each weight's gradient norm in layer order and clears the grads."""
    net = _tiny_classifier()
    images = np.random.default_rng(0).normal(size=(5, 1, 4, 4)).astype("float32")
    labels = np.array([0, 1, 2, 1, 0])
    norms = train.layer_grad_norms(net, images, labels)
    assert list(norms) == ["0", "3"]
    assert all(p.grad is None or float(p.grad.abs().sum()) == 0 for p in net.parameters())
    loss = nn.functional.cross_entropy(net(paddle.to_tensor(images)), paddle.to_tensor(labels))
    loss.backward()
    np.testing.assert_allclose(norms["0"], float(paddle.linalg.norm(net[0].weight.grad)), rtol=1e-5)
    np.testing.assert_allclose(norms["3"], float(paddle.linalg.norm(net[3].weight.grad)), rtol=1e-5)


def test_layer_grad_norms_rejects_mismatched_batches():
    """images and labels must hold the same number of examples."""
    with pytest.raises(ValueError, match="labels"):
        train.layer_grad_norms(_tiny_classifier(), np.zeros((4, 1, 4, 4), "float32"), [0, 1])


def test_layer_grad_norms_needs_a_weight():
    """a network without convolution or linear weights is refused."""
    with pytest.raises(ValueError, match="network"):
        train.layer_grad_norms(nn.Flatten(), np.zeros((2, 1, 4, 4), "float32"), [0, 1])


def test_evaluate_loss_is_the_mean_over_the_whole_set(trained):
    """evaluate's loss equals the loss of the whole set at once, whatever the batch size"""
    model = trained
    data = TinyData(50, seed=4)
    model.network.eval()
    logits = model.network(paddle.to_tensor(data.x))
    expected = float(nn.CrossEntropyLoss()(logits, paddle.to_tensor(data.y)))
    for batch_size in (7, 50):
        assert train.evaluate(model, data, batch_size=batch_size)["loss"] == pytest.approx(
            expected, rel=1e-5
        )


def test_fit_and_evaluate_keep_paddle_noise_out():
    """fit and evaluate on a network with BatchNorm raise no Paddle warning (warnings are errors)"""
    network = nn.Sequential(
        nn.Conv2D(1, 4, 3, padding=1), nn.BatchNorm2D(4), nn.ReLU(), nn.Flatten(), nn.Linear(256, 2)
    )
    model = prepared(network)
    fit(model, TinyData(), TinyData(32, 1), epochs=1)
    assert 0 <= train.evaluate(model, TinyData(32, 1))["acc"] <= 1
