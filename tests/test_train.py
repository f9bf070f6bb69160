"""Tests for course_utils.train: history, fit, checkpoints, exports."""

from __future__ import annotations

import json
from pathlib import Path

from course_utils import train
from course_utils.models import as_model

import numpy as np
import paddle
import pytest
from paddle import nn


class TinyData(paddle.io.Dataset):
    """Random 1x8x8 images whose label is 1 when the left half is brighter."""

    def __init__(self, n: int = 96, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.x = rng.normal(size=(n, 1, 8, 8)).astype("float32")
        self.y = self.x[:, :, :, :4].mean((1, 2, 3)) > self.x[:, :, :, 4:].mean((1, 2, 3))
        self.y = self.y.astype("int64").reshape(-1, 1)

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return len(self.x)


def tiny_net(channels: int = 4) -> nn.Layer:
    return nn.Sequential(
        nn.Conv2D(1, channels, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(channels * 64, 2)
    )


def prepared(network: nn.Layer | None = None) -> paddle.Model:
    paddle.seed(0)
    network = network or tiny_net()
    model = as_model(network, input_shape=(1, 8, 8))
    optimizer = paddle.optimizer.Adam(learning_rate=0.01, parameters=network.parameters())
    model.prepare(optimizer, nn.CrossEntropyLoss(), paddle.metric.Accuracy())
    return model


def params_of(model: paddle.Model) -> dict[str, np.ndarray]:
    return {k: v.numpy() for k, v in model.network.state_dict().items()}


def optimizer_state(model: paddle.Model) -> dict[str, np.ndarray]:
    return {
        k: v.numpy()
        for k, v in model._optimizer.state_dict().items()
        if isinstance(v, paddle.Tensor)
    }


@pytest.fixture
def trained(tmp_path: Path):
    """A model trained two epochs, its history and a checkpoint of it."""
    model = prepared()
    history = train.fit(model, TinyData(), TinyData(32, seed=1), epochs=2, batch_size=16, verbose=0)
    path = train.save_checkpoint(model, tmp_path / "tiny", history)
    return model, history, path


def test_history_has_one_record_per_epoch_with_train_and_test_metrics(trained):
    """fit returns a History with epoch numbers, mean losses, accuracies and times"""
    _, history, _ = trained
    assert [r["epoch"] for r in history.records] == [1, 2]
    for record in history.records:
        assert {"loss", "acc", "eval_loss", "eval_acc", "seconds"} <= record.keys()
        assert 0 <= record["acc"] <= 1 and 0 <= record["eval_acc"] <= 1
        assert record["loss"] > 0 and record["seconds"] > 0
    assert history.samples == 2 * 96


def test_history_loss_is_the_mean_over_batches():
    """the recorded loss is the batch-size-weighted mean, not the last batch's loss"""
    history = train.History(live=False)
    history._eval_freq = 0
    history.on_epoch_begin(0)
    for loss, n in ((1.0, 10), (4.0, 30)):
        history.on_train_batch_end(0, {"loss": [loss], "batch_size": n})
    history.on_epoch_end(0, {"loss": [4.0], "acc": 0.5})
    assert history.records[-1]["loss"] == pytest.approx((10 * 1 + 30 * 4) / 40)


def test_training_again_with_a_history_continues_the_epoch_count(trained):
    """a History passed back to fit numbers the new epochs after the old ones"""
    model, history, _ = trained
    train.fit(model, TinyData(), epochs=1, batch_size=16, history=history, verbose=0)
    assert [r["epoch"] for r in history.records] == [1, 2, 3]
    assert "eval_acc" not in history.records[-1]  # no eval data this time
    assert len(history.last_fit) == 1


def test_live_history_prints_one_line_per_epoch(capsys, monkeypatch):
    """outside a notebook a live History prints a compact line per epoch"""
    history = train.History(live=True)
    monkeypatch.setattr(history, "_report", lambda: print(history.line()))
    train.fit(prepared(), TinyData(), TinyData(32, 1), epochs=2, batch_size=32, history=history)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("epoch")]
    assert len(lines) == 2 and "test acc" in lines[0]


@pytest.mark.parametrize("kwargs", [{"epochs": 0}, {"epochs": 1.5}, {"batch_size": -1}])
def test_fit_rejects_bad_counts(kwargs):
    """fit names a non-positive or non-integer epochs or batch_size"""
    args = {"epochs": 1, "batch_size": 8, **kwargs}
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        train.fit(prepared(), TinyData(), **args)


def test_fit_refuses_an_unprepared_model():
    """fit says to call prepare first"""
    with pytest.raises(ValueError, match="prepare"):
        train.fit(as_model(tiny_net(), (1, 8, 8)), TinyData(), epochs=1)


def test_checkpoint_restores_parameters_optimizer_and_history(trained):
    """a fresh model loading a checkpoint has the same weights, optimizer state and history"""
    model, history, path = trained
    assert sorted(p.name for p in path.iterdir()) == ["meta.json", "model.pdopt", "model.pdparams"]
    fresh = prepared(tiny_net())
    restored = train.load_checkpoint(fresh, path)
    for key, value in params_of(model).items():
        np.testing.assert_array_equal(params_of(fresh)[key], value)
    assert restored.records == history.records
    # Same optimizer state: one identical Adam step moves both networks identically
    # (a fresh Adam would take a different first step).
    data = TinyData(16, seed=5)
    for m in (model, fresh):
        m.train_batch([paddle.to_tensor(data.x)], [paddle.to_tensor(data.y)])
    for key, value in params_of(model).items():
        np.testing.assert_allclose(params_of(fresh)[key], value, rtol=1e-6, atol=1e-7)
    stepped = optimizer_state(fresh)
    assert any(k.startswith(fresh.network[0].weight.name) for k in stepped)


def test_resuming_without_optimizer_state_steps_differently(trained):
    """with optimizer=False the fresh Adam starts over, so the same step gives other weights"""
    model, _, path = trained
    fresh = prepared(tiny_net())
    train.load_checkpoint(fresh, path, optimizer=False)
    data = TinyData(16, seed=5)
    for m in (model, fresh):
        m.train_batch([paddle.to_tensor(data.x)], [paddle.to_tensor(data.y)])
    assert not np.allclose(params_of(fresh)["0.weight"], params_of(model)["0.weight"])


def test_interrupted_save_leaves_the_previous_checkpoint(trained, monkeypatch):
    """a save that fails halfway keeps the old checkpoint loadable and leaves no temporary folder"""
    model, _, path = trained
    before = (path / "model.pdparams").read_bytes()
    real_save = paddle.Model.save

    def save_then_crash(self, prefix, training=True):
        real_save(self, prefix, training)
        Path(prefix + ".pdparams").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(paddle.Model, "save", save_then_crash)
    with pytest.raises(KeyboardInterrupt):
        train.save_checkpoint(model, path)
    assert (path / "model.pdparams").read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    monkeypatch.undo()
    train.load_checkpoint(prepared(), path)


def test_save_stopped_between_renames_is_recovered(trained):
    """if a save stopped after moving the old checkpoint aside, loading brings it back"""
    _, history, path = trained
    aside = path.with_name(f".{path.name}.old-1-2")
    path.rename(aside)
    assert len(train.load_checkpoint(prepared(), path).records) == len(history.records)
    assert path.is_dir() and not aside.exists()


def test_wrong_architecture_names_the_mismatched_layer(trained):
    """loading into a network of another shape raises CheckpointError naming the parameter"""
    _, _, path = trained
    with pytest.raises(train.CheckpointError, match=r"`0\.weight`.*\[4, 1, 3, 3\]"):
        train.load_checkpoint(prepared(tiny_net(channels=6)), path)


def test_extra_layer_in_the_checkpoint_is_named(trained):
    """a checkpoint with a layer the network lacks is refused with that layer's name"""
    _, _, path = trained
    smaller = nn.Sequential(nn.Conv2D(1, 4, 3, padding=1))
    with pytest.raises(train.CheckpointError, match="3.weight"):
        train.check_compatible(smaller, paddle.load(str(path / "model.pdparams")), path)


def test_missing_checkpoint_says_where_it_looked(tmp_path):
    """loading from an empty folder names the path and the lesson that saves it"""
    with pytest.raises(train.CheckpointError, match="lesson 05|第 05 课") as error:
        train.load_checkpoint(prepared(), tmp_path / "nothing")
    assert "nothing" in str(error.value)


def test_best_checkpoint_saves_only_improvements(tmp_path):
    """BestCheckpoint writes when the monitored accuracy rises and keeps the best epoch"""
    model = prepared()
    history = train.History(live=False)
    best = train.BestCheckpoint(tmp_path / "best", history)
    best.set_model(model)
    for epoch, acc in enumerate([0.5, 0.7, 0.6], start=1):
        history.records.append({"epoch": epoch})
        before = sorted(tmp_path.iterdir())
        best.on_eval_end({"acc": acc, "loss": [1.0]})
        changed = sorted(tmp_path.iterdir()) != before or acc > 0.6
        assert changed == (acc in (0.5, 0.7))
    assert best.best == 0.7 and best.best_epoch == 2
    assert json.loads((tmp_path / "best" / "meta.json").read_text())["epochs"] == 2


def test_inference_export_matches_the_trained_network(trained, tmp_path):
    """save_inference writes json + pdiparams that paddle.jit.load runs to the same logits"""
    model, _, _ = trained
    prefix = train.save_inference(model, tmp_path / "export")
    assert sorted(p.name for p in prefix.parent.iterdir()) == ["model.json", "model.pdiparams"]
    x = paddle.to_tensor(TinyData(8, seed=3).x)
    model.network.eval()
    loaded = paddle.jit.load(str(prefix))
    np.testing.assert_allclose(loaded(x).numpy(), model.network(x).numpy(), rtol=1e-5, atol=1e-6)


def test_inference_export_needs_an_input_spec(tmp_path):
    """exporting a model created without inputs= explains what to add"""
    network = tiny_net()
    model = paddle.Model(network)
    with pytest.raises(ValueError, match="InputSpec"):
        train.save_inference(model, tmp_path / "export")


def test_predict_labels_agrees_with_the_network_and_keeps_its_mode(trained):
    """predict_labels returns labels, argmax predictions and probabilities that sum to 1"""
    model, _, _ = trained
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


@pytest.mark.parametrize("quick, name", [("1", "lenet-quick"), ("", "lenet")])
def test_quick_checkpoints_are_kept_apart(monkeypatch, tmp_path, quick, name):
    """quick mode writes its own checkpoint so it never replaces a full run's"""
    monkeypatch.setenv("COURSE_QUICK", quick)
    monkeypatch.setenv("COURSE_CHECKPOINT_DIR", str(tmp_path))
    assert train.checkpoint_path("lenet") == tmp_path / name


def test_benchmark_record_is_written_when_asked(monkeypatch, tmp_path):
    """with COURSE_BENCH_FILE set, a named fit appends one JSON line with the table's columns"""
    file = tmp_path / "bench.jsonl"
    monkeypatch.setenv("COURSE_BENCH_FILE", str(file))
    model = prepared()
    train.fit(model, TinyData(), TinyData(32, 1), epochs=1, batch_size=32, name="tiny", verbose=0)
    train.fit(model, TinyData(), epochs=1, batch_size=32, verbose=0)  # unnamed: not recorded
    (record,) = [json.loads(line) for line in file.read_text().splitlines()]
    assert record["model"] == "tiny" and record["epochs"] == 1 and record["batch_size"] == 32
    assert record["images_per_second"] > 0 and record["peak_memory_mb"] > 0
    assert record["parameters"] == train.count_parameters(model.network)
    assert 0 <= record["test_acc"] <= 1


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
    model, _, _ = trained
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
    train.fit(model, TinyData(), TinyData(32, 1), epochs=1, batch_size=32, verbose=0)
    assert 0 <= train.evaluate(model, TinyData(32, 1))["acc"] <= 1
