"""History and BestCheckpoint, the course's callbacks for paddle.Model.fit."""

from __future__ import annotations

import json

import course_utils as cu
from course_utils import callbacks, i18n

import pytest
from tiny import TinyData, fit, prepared


def test_history_has_one_record_per_epoch_with_train_and_test_metrics():
    """History records epoch numbers, mean losses, accuracies and times"""
    history = fit(prepared(), TinyData(), TinyData(32, seed=1), epochs=2)
    assert [r["epoch"] for r in history.records] == [1, 2]
    for record in history.records:
        assert {"loss", "acc", "eval_loss", "eval_acc", "seconds"} <= record.keys()
        assert 0 <= record["acc"] <= 1 and 0 <= record["eval_acc"] <= 1
        assert record["loss"] > 0 and record["seconds"] > 0
    assert history.samples == 2 * 96


def test_history_loss_is_the_mean_over_batches():
    """the recorded loss is the batch-size-weighted mean, not the last batch's loss"""
    history = callbacks.History(live=False)
    history.on_epoch_begin(0)
    for loss, n in ((1.0, 10), (4.0, 30)):
        history.on_train_batch_end(0, {"loss": [loss], "batch_size": n})
    history.on_epoch_end(0, {"loss": [4.0], "acc": 0.5})
    assert history.records[-1]["loss"] == pytest.approx((10 * 1 + 30 * 4) / 40)


def test_training_again_with_a_history_continues_the_epoch_count():
    """a History passed back to fit numbers the new epochs after the old ones"""
    model = prepared()
    history = fit(model, TinyData(), TinyData(32, seed=1), epochs=2)
    fit(model, TinyData(), epochs=1, history=history)
    assert [r["epoch"] for r in history.records] == [1, 2, 3]
    assert "eval_acc" not in history.records[-1]  # no eval data this time
    assert len(history.last_fit) == 1


@pytest.mark.parametrize("evaluate", [True, False])
def test_live_history_prints_one_line_per_epoch(capsys, evaluate):
    """a live History passed straight to Model.fit prints each epoch once, evaluated or not"""
    i18n.set_language("en")
    history = callbacks.History(live=True)
    model = prepared()
    test = TinyData(32, 1) if evaluate else None
    model.fit(TinyData(), test, epochs=3, batch_size=32, verbose=0, callbacks=[history])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("epoch")]
    assert [line.split()[1] for line in lines] == ["1", "2", "3"]
    assert all(("test acc" in line) == evaluate for line in lines)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", ["3 轮", "损失", "准确率", "测试损失", "测试准确率"]),
     ("en", ["epoch  3", "loss", "acc", "test loss", "test acc"])],
)  # fmt: skip
def test_history_line_follows_the_language(lang, words):
    """an epoch's line is in Chinese for zh (no English words) and in English otherwise"""
    import re

    from course_utils import i18n

    history = callbacks.History(live=False)
    history.records.append(
        {"epoch": 3, "loss": 0.5, "acc": 0.9, "eval_loss": 0.6, "eval_acc": 0.8, "seconds": 2.0}
    )
    i18n.set_language(lang)
    try:
        line = history.line()
    finally:
        i18n.reset_language()
    assert all(word in line for word in words)
    if lang == "zh":
        assert re.findall(r"[A-Za-z]+", line) == []


def test_best_checkpoint_saves_only_improvements(tmp_path):
    """BestCheckpoint writes when the monitored accuracy rises and keeps the best epoch"""
    model = prepared()
    history = callbacks.History(live=False)
    best = callbacks.BestCheckpoint(tmp_path / "best", history)
    best.set_model(model)
    for epoch, acc in enumerate([0.5, 0.7, 0.6], start=1):
        history.records.append({"epoch": epoch})
        before = (tmp_path / "best" / "meta.json").stat().st_mtime_ns if epoch > 1 else None
        best.on_eval_end({"acc": acc, "loss": [1.0]})
        after = (tmp_path / "best" / "meta.json").stat().st_mtime_ns
        assert (after != before) == (acc in (0.5, 0.7))
    assert best.best == 0.7 and best.best_epoch == 2
    assert json.loads((tmp_path / "best" / "meta.json").read_text())["epochs"] == 2


def test_benchmark_record_is_written_for_complete_runs_only(monkeypatch, tmp_path):
    """with COURSE_BENCH_FILE set, a run from scratch evaluated every epoch appends one line"""
    file = tmp_path / "bench.jsonl"
    monkeypatch.setenv("COURSE_BENCH_FILE", str(file))
    model = prepared()
    history = fit(model, TinyData(), TinyData(32, 1), epochs=1)
    fit(model, TinyData(), TinyData(32, 1), epochs=1, history=history)  # resumed: not recorded
    fit(prepared(), TinyData(), epochs=1)  # not evaluated: not recorded
    fit(prepared(), TinyData(), TinyData(32, 1), epochs=2, num_iters=3)  # cut short
    (record,) = [json.loads(line) for line in file.read_text().splitlines()]
    assert record["model"] == "Sequential" and record["epochs"] == 1 and record["batch_size"] == 16
    assert record["images_per_second"] > 0 and record["peak_memory_mb"] > 0
    assert record["parameters"] == cu.count_parameters(model.network)
    assert 0 <= record["test_acc"] <= 1


def test_network_label_names_the_settings():
    """the benchmark names a course network by its class and settings"""
    assert callbacks.network_label(cu.LeNet()) == "LeNet(activation='sigmoid', pool='avg')"
    assert callbacks.network_label(cu.GoogLeNetMini()) == "GoogLeNetMini"
