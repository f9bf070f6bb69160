"""Tests for bench/run.py: the results table and the target verdicts."""

import doctest
import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "bench_run", Path(__file__).parents[1] / "bench" / "run.py"
)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def record(model: str, acc: float | None) -> dict:
    return {"model": model, "epochs": 3, "batch_size": 64, "device": "cpu",
            "seconds_per_epoch": 20.0, "images_per_second": 3000.0, "test_acc": acc,
            "peak_memory_mb": 800.0}  # fmt: skip


def test_doctests_pass():
    """the examples in bench/run.py run"""
    assert doctest.testmod(bench, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


@pytest.mark.parametrize(
    ("acc", "expected"),
    [
        (0.9851, []),
        (0.985, []),
        (0.9849, ["LeNet(activation='sigmoid', pool='avg')"]),
        (None, ["LeNet(activation='sigmoid', pool='avg')"]),
    ],
)
def test_missed_compares_with_the_syllabus_target(acc, expected):
    """a model below its target (or without an accuracy) is reported as missed"""
    assert bench.missed([record("LeNet(activation='sigmoid', pool='avg')", acc)]) == expected


def test_models_without_target_are_never_missed():
    """a model the syllabus sets no target for is listed but not judged"""
    assert bench.missed([record("CIFAR-10 baseline", 0.3)]) == []
    assert "| CIFAR-10 baseline |" in bench.table([record("CIFAR-10 baseline", 0.3)])[-1]


def test_report_flags_a_missed_target_and_a_failed_notebook(monkeypatch):
    """the page names missed targets and shows each notebook's result"""
    monkeypatch.setattr(bench, "machine", lambda: ["- CPU: test"])
    text = bench.report(
        [record("ResNetMini", 0.99)], [("08_resnet.ipynb", 100.0, "CellExecutionError: x")], ["08"]
    )
    assert "Targets missed: ResNetMini." in text
    assert "| 08_resnet.ipynb | 100 | CellExecutionError: x |" in text
    assert "**NO**" in text
