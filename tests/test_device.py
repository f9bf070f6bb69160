"""Tests for course_utils.device: GPU when available, else CPU, never a crash."""

from course_utils import device, i18n

import paddle


def test_best_device_matches_what_paddle_sees():
    """the choice is gpu exactly when Paddle has CUDA and sees a device."""
    has_gpu = paddle.device.is_compiled_with_cuda() and paddle.device.cuda.device_count() > 0
    assert device.best_device() == ("gpu" if has_gpu else "cpu")


def test_cuda_build_without_a_gpu_falls_back_to_cpu(monkeypatch):
    """a CUDA build that sees no GPU picks the CPU."""
    monkeypatch.setattr(paddle.device, "is_compiled_with_cuda", lambda: True)
    monkeypatch.setattr(paddle.device.cuda, "device_count", lambda: 0)
    assert device.best_device() == "cpu"


def test_broken_cuda_query_falls_back_to_cpu(monkeypatch):
    """an error while asking CUDA for devices still gives the CPU."""

    def broken():
        raise RuntimeError("driver missing")

    monkeypatch.setattr(paddle.device, "is_compiled_with_cuda", lambda: True)
    monkeypatch.setattr(paddle.device.cuda, "device_count", broken)
    assert device.best_device() == "cpu"


def test_use_device_sets_and_prints_one_line(capsys):
    """use_device sets Paddle's device and prints one line naming it."""
    i18n.set_language("en")
    name = device.use_device()
    assert paddle.get_device().startswith(name)
    assert capsys.readouterr().out.strip() == f"Using device: {name.upper()}"
