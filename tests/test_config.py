"""Tests for course_utils.config: mode, epochs, threads and seeds."""

import random

from course_utils import config

import numpy as np
import paddle
import pytest


@pytest.mark.parametrize(
    ("value", "quick"),
    [("1", True), ("true", True), ("YES", True), ("0", False), ("", False), ("no", False)],
)
def test_quick_mode_reads_course_quick(monkeypatch, value, quick):
    """COURSE_QUICK turns quick mode on for 1/true/yes and off otherwise."""
    monkeypatch.setenv("COURSE_QUICK", value)
    assert config.quick_mode() is quick
    assert config.epochs(7) == (1 if quick else 7)


def test_full_mode_is_the_default(monkeypatch):
    """without COURSE_QUICK the course runs in full mode and says so."""
    monkeypatch.delenv("COURSE_QUICK", raising=False)
    monkeypatch.setenv("COURSE_LANG", "en")
    assert not config.quick_mode()
    assert config.describe_mode().startswith("Full mode")


def test_threads_default_to_all_cores(monkeypatch):
    """without FLAGS_paddle_num_threads, Paddle gets every core, live."""
    import os

    monkeypatch.delenv("FLAGS_paddle_num_threads", raising=False)
    assert config.use_all_cores() == (os.cpu_count() or 1)
    assert paddle.get_flags("FLAGS_paddle_num_threads")["FLAGS_paddle_num_threads"] == (
        os.cpu_count() or 1
    )


def test_user_thread_setting_is_kept(monkeypatch):
    """a thread count the user set is left alone."""
    monkeypatch.setenv("FLAGS_paddle_num_threads", "1")
    assert config.use_all_cores() == 1


def test_seed_everything_repeats_all_three_generators():
    """the same seed gives the same Python, NumPy and Paddle random numbers."""

    def draw():
        return random.random(), float(np.random.rand()), float(paddle.rand([]))

    config.seed_everything(3)
    first = draw()
    config.seed_everything(3)
    assert draw() == first
