"""Headless tests for the drawing pad (course_utils/widgets/drawing_pad.py)."""

from __future__ import annotations

from course_utils import deploy, i18n
from course_utils.widgets import DrawingPad, drawing_pad, drawing_pad_figure

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

SEVEN = [[(70, 60), (210, 60)], [(210, 60), (120, 235)]]


class Recorder:
    """A stand-in network: records its inputs and prefers digit 7."""

    def __init__(self):
        self.inputs = []

    def __call__(self, x):
        self.inputs.append(np.array(x))
        logits = np.zeros((len(x), 10), dtype=np.float32)
        logits[:, 7] = 3.0
        return logits


@pytest.mark.parametrize(("lang", "text"), [("en", "Draw a digit"), ("zh", "画一个数字")])
def test_an_empty_pad_asks_for_a_digit_in_the_learners_language(lang, text):
    """before any stroke: the message asks for a digit; nothing is predicted"""
    i18n.set_language(lang)
    pad = drawing_pad(Recorder())
    assert isinstance(pad, DrawingPad)
    assert text in pad.message.value and pad.prediction is None and pad.steps is None
    assert bytes(pad.picture.value).startswith(b"\x89PNG")


def test_each_stroke_runs_the_network_on_the_preprocessed_drawing():
    """after each stroke the network sees exactly digit_steps' tensor and the picture changes"""
    i18n.set_language("en")
    network = Recorder()
    pad = drawing_pad(network)
    empty = bytes(pad.picture.value)
    pad.add_stroke(SEVEN[0])
    first = bytes(pad.picture.value)
    pad.add_stroke(SEVEN[1])
    assert len(network.inputs) == 2 and bytes(pad.picture.value) not in (empty, first)
    expected = deploy.digit_steps(deploy.render_strokes(SEVEN)).tensor
    np.testing.assert_array_equal(network.inputs[-1], expected)
    assert network.inputs[-1].dtype == np.float32 and network.inputs[-1].shape == (1, 1, 28, 28)
    assert pad.prediction == 7 and "Prediction: 7" in pad.message.value
    assert pad.probabilities.sum() == pytest.approx(1.0)


def test_the_mouse_draws_strokes_and_the_clear_button_wipes_them():
    """mouse down/move/up make one stroke; a move without the button pressed draws nothing"""
    i18n.set_language("en")
    pad = drawing_pad(Recorder())
    pad._move(10, 10)
    assert pad.strokes == []
    pad._down(100, 50)
    pad._move(100, 150)
    pad._move(100, 250)
    pad._up(100, 250)
    assert pad.strokes == [[(100, 50), (100, 150), (100, 250)]] and pad.prediction == 7
    pad.clear_button.click()
    assert pad.strokes == [] and pad.prediction is None and "Draw a digit" in pad.message.value


def test_the_pad_refuses_a_network_that_is_not_callable():
    """predict must be a function"""
    with pytest.raises(TypeError, match="`predict` must be a function"):
        drawing_pad("lenet.onnx")


def test_the_figure_shows_five_steps_and_the_probabilities():
    """five picture panels, the bar chart and a colour bar; an empty pad asks for a digit"""
    steps = deploy.digit_steps(deploy.render_strokes(SEVEN))
    fig = drawing_pad_figure(steps, deploy.softmax(np.arange(10.0)))
    assert len(fig.axes) == 7 and "9" in fig.get_suptitle()
    empty = drawing_pad_figure(None)
    assert len(empty.axes) == 6 and "draw a digit" in empty.get_suptitle()
