"""Lesson 10's checks: right answers pass, typical mistakes fail with a useful hint."""

from __future__ import annotations

import course_utils as cu
from course_utils import deploy, i18n
from course_utils.checks import runner
from course_utils.checks.runner import Mode

import numpy as np
import pytest
from tiny import exported_lenet


@pytest.fixture(autouse=True)
def _learner_mode(monkeypatch):
    monkeypatch.setattr(runner, "_MODE", Mode(strict=False, quiet=False, seed=""))
    i18n.set_language("en")


def to_model_input(paper):
    ink = (255 - paper.astype(np.float64)) / 255
    return ((ink - 0.1307) / 0.3081).astype(np.float32)[None, None]


@pytest.mark.parametrize(
    ("answer", "ok", "text"),
    [
        (to_model_input, True, "correct"),
        (lambda paper: to_model_input(paper).reshape(28, 28), False, "shape should be"),
        (lambda paper: ((paper / 255 - 0.1307) / 0.3081)[None, None], False, "values differ"),
        (lambda paper: ((255 - paper) / 255)[None, None], False, "values differ"),
        (lambda paper: deploy.prepare_image(paper), False, "course's own"),
        (lambda paper: paper.sort(), False, "forget `return`"),
    ],
)
def test_model_input(capsys, answer, ok, text):
    """invert + scale + normalise passes; no inversion, no normalisation or a wrong shape fail"""
    assert cu.checks.check_model_input(answer).ok is ok
    assert text.lower() in capsys.readouterr().out.lower()


def centre_of_mass(image):
    rows, cols = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (centre_of_mass, True),
        (lambda image: np.array(centre_of_mass(image)), True),
        (lambda image: centre_of_mass(image)[::-1], False),  # (column, row)
        (lambda image: (image.shape[0] / 2, image.shape[1] / 2), False),  # the middle
        (lambda image: centre_of_mass(image > 0), False),  # unweighted
        (deploy.centre_of_mass, False),
    ],
)
def test_centre_of_mass(answer, ok):
    """weighted (row, column) passes; swapped, unweighted, the middle or the course's fail"""
    assert cu.checks.check_centre_of_mass(answer).ok is ok


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    _, onnx_path = exported_lenet(tmp_path_factory.mktemp("check10"), seed=1)
    return deploy.onnx_session(onnx_path)


def onnx_labels(session, images):
    return session.run(None, {session.get_inputs()[0].name: images})[0].argmax(axis=1)


@pytest.mark.parametrize(
    ("answer", "ok", "text"),
    [
        (onnx_labels, True, "correct"),
        (lambda s, x: list(onnx_labels(s, x)), True, "correct"),
        (lambda s, x: s.run(None, {"image": x})[0], False, "labels (one per image)"),
        (lambda s, x: s.run(None, {"image": x})[0].argmin(axis=1), False, "labels differ"),
        (lambda s, x: onnx_labels(s, x[:1]), False, "labels (one per image)"),
        (None, None, "not done"),
    ],
)
def test_onnx_labels(capsys, session, answer, ok, text):
    """argmax per image passes; raw outputs, argmin or one label for the batch fail"""
    assert cu.checks.check_onnx_labels(answer, session).ok is ok
    assert text.lower() in capsys.readouterr().out.lower()
