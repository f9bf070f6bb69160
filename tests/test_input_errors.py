"""One test per error branch found by the review of bad inputs (issue 10, item 6).

Each case failed before the fix (a raw traceback, a silent wrong result, a
hang) and now gets a clear error: ``TypeError`` for a wrong type,
``ValueError`` for a wrong value, in both languages, naming the parameter.
The property test (tests/test_bad_inputs.py) covers every public function
with random values; these are the review's concrete findings.
"""

from __future__ import annotations

import re
import time

import course_utils as cu
from course_utils import images, kernels, models, plotting, train, viz
from course_utils.arraydata import ArrayDataset
from course_utils.checks import runner

import numpy as np
import paddle
import pytest
from tiny import TinyData, fit, prepared

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def raises(error, name: str, call):
    """`call()` raises `error` naming `name` in backquotes, in both languages."""
    with pytest.raises(error, match=f"`{re.escape(name)}") as info:
        call()
    message = str(info.value)
    assert CHINESE.search(message) and re.search(r"[A-Za-z]{3,} [a-z]{2,}", message), message
    return message


def empty_data() -> ArrayDataset:
    return ArrayDataset(np.zeros((0, 1, 8, 8), "float32"), np.zeros(0, "int64"))


# ---------------------------------------------------------------- networks


@pytest.mark.parametrize(
    "network", [models.LeNet, models.CifarBaseline, models.GoogLeNetMini, models.ResNetMini]
)
@pytest.mark.parametrize(
    ("num_classes", "error"),
    [(0, ValueError), (-3, ValueError), (10**9, ValueError), (2.5, TypeError), ("10", TypeError)],
)
def test_networks_refuse_a_bad_num_classes(network, num_classes, error):
    """0 classes used to build a network without outputs; 10**9 to exhaust memory"""
    raises(error, "num_classes", lambda: network(num_classes=num_classes))


def test_networks_take_numpy_ints():
    """a NumPy int is an int: LeNet(num_classes=np.int64(3)) has 3 outputs"""
    out = models.LeNet(num_classes=np.int64(3))(paddle.zeros([1, 1, 28, 28]))
    assert out.shape == [1, 3]


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"activation": "tanh"}, ValueError, "activation"),
        ({"activation": None}, TypeError, "activation"),
        ({"pool": 2}, TypeError, "pool"),
    ],
)
def test_lenet_refuses_bad_settings(kwargs, error, name):
    """activation and pool are one of the course's names, else a clear error"""
    raises(error, name, lambda: models.LeNet(**kwargs))


# ---------------------------------------------------------------- training helpers


@pytest.fixture(scope="module")
def model():
    return prepared()


@pytest.mark.parametrize("batch_size", [np.int64(3), np.int32(3), 3.0])
def test_evaluate_and_predict_take_numpy_batch_sizes(model, batch_size):
    """np.int64(3) used to fail inside Paddle"""
    data = TinyData(10)
    assert set(train.evaluate(model, data, batch_size=batch_size)) >= {"loss", "acc"}
    labels, _, _ = train.predict_labels(model, data, batch_size=batch_size)
    assert len(labels) == 10


@pytest.mark.parametrize("fn", [train.evaluate, train.predict_labels])
@pytest.mark.parametrize(
    ("batch_size", "error"), [(0, ValueError), (-1, ValueError), (2.5, TypeError), ("8", TypeError)]
)
def test_evaluate_and_predict_refuse_bad_batch_sizes(model, fn, batch_size, error):
    """a batch size must be a positive int"""
    raises(error, "batch_size", lambda: fn(model, TinyData(10), batch_size=batch_size))


@pytest.mark.parametrize(
    ("fn", "name"), [(train.evaluate, "eval_data"), (train.predict_labels, "dataset")]
)
def test_evaluate_and_predict_refuse_empty_data(model, fn, name):
    """an empty data set used to give a NaN loss or a raw concatenate error"""
    raises(ValueError, name, lambda: fn(model, empty_data()))


def test_evaluate_wants_a_paddle_model_not_a_network():
    """a bare network gets a TypeError that says how to wrap it"""
    message = raises(TypeError, "model", lambda: train.evaluate(models.LeNet(), TinyData(4)))
    assert "as_model" in message


def test_training_on_an_empty_data_set_stops_at_the_start():
    """model.fit on an empty data set used to report a NaN loss, silently"""
    model = prepared()
    history = cu.History(live=False)
    raises(ValueError, "train_data", lambda: fit(model, empty_data(), history=history))
    assert history.records == []


def test_evaluating_on_an_empty_data_set_during_fit_stops():
    """an empty test set given to model.fit gets a clear error too"""
    raises(ValueError, "eval_data", lambda: fit(prepared(), TinyData(16), empty_data()))


@pytest.mark.parametrize(
    ("labels", "predictions", "name"),
    [([-1, 0], [0, 0], "labels"), ([0, 3], [0, 0], "labels"), ([0, 1], [0, 5], "predictions")],
)
def test_confusion_matrix_refuses_labels_out_of_range(labels, predictions, name):
    """label -1 used to be counted in the last row; 3 raised a raw IndexError"""
    raises(ValueError, name, lambda: train.confusion_matrix(labels, predictions, num_classes=3))


def test_confusion_matrix_refuses_different_lengths():
    raises(ValueError, "labels", lambda: train.confusion_matrix([0, 1], [0], num_classes=2))


@pytest.mark.parametrize(("labels", "error"), [([0, 2], ValueError), ([0.5, 1], TypeError)])
def test_layer_grad_norms_refuses_bad_labels(labels, error):
    """a label beyond the network's outputs used to crash inside cross_entropy"""
    network = paddle.nn.Sequential(paddle.nn.Flatten(), paddle.nn.Linear(4, 2))
    images_ = np.ones((2, 1, 2, 2), "float32")
    raises(error, "labels", lambda: train.layer_grad_norms(network, images_, labels))


def test_layer_grad_norms_names_images_of_the_wrong_shape():
    network = paddle.nn.Sequential(paddle.nn.Flatten(), paddle.nn.Linear(4, 2))
    bad = np.ones((2, 1, 3, 3), "float32")
    raises(ValueError, "images", lambda: train.layer_grad_norms(network, bad, [0, 1]))


# ---------------------------------------------------------------- visualisation


def float32_net() -> paddle.nn.Layer:
    paddle.seed(0)
    return paddle.nn.Sequential(
        paddle.nn.Conv2D(1, 2, 3), paddle.nn.Flatten(), paddle.nn.Linear(72, 3)
    )


def test_occlusion_takes_a_float64_image():
    """a float64 image with a float32 network used to fail inside Paddle"""
    net, image = float32_net(), np.random.default_rng(0).random((1, 8, 8))
    heat64 = viz.occlusion(net, image, 1, patch=3, stride=2)
    heat32 = viz.occlusion(net, image.astype("float32"), 1, patch=3, stride=2)
    np.testing.assert_allclose(heat64, heat32, atol=1e-6)


def test_smallest_fooling_epsilon_takes_a_float64_image():
    net, image = float32_net(), np.random.default_rng(0).random((1, 8, 8))
    label = int(net(paddle.to_tensor(image[None].astype("float32"))).argmax())
    result = viz.smallest_fooling_epsilon(net, image, label, max_epsilon=50.0)
    assert result is not None and result.new_class != label


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize("name", ["lr", "l2", "tv"])
def test_ascent_refuses_nan_and_infinity(name, bad):
    """NaN used to run 100 steps and return a NaN image"""
    net = float32_net()
    raises(ValueError, name, lambda: viz.maximise_class(net, 0, shape=(1, 8, 8), **{name: bad}))


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_fgsm_and_fooling_refuse_nan_and_infinity(bad):
    net, image = float32_net(), np.zeros((1, 8, 8), "float32")
    raises(ValueError, "epsilon", lambda: viz.fgsm(net, image, 0, bad))
    raises(ValueError, "tol", lambda: viz.smallest_fooling_epsilon(net, image, 0, tol=bad))
    raises(ValueError, "max_epsilon", lambda: viz.smallest_fooling_epsilon(net, image, 0, bad))


def test_a_tiny_tol_ends():
    """tol=1e-300 used to bisect forever"""
    net, image = float32_net(), np.random.default_rng(0).random((1, 8, 8)).astype("float32")
    label = int(net(paddle.to_tensor(image[None])).argmax())
    start = time.perf_counter()
    viz.smallest_fooling_epsilon(net, image, label, max_epsilon=50.0, tol=1e-300)
    assert time.perf_counter() - start < 30


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda n: viz.maximise_class(n, 0, shape=(1, 8, 8), steps=10**7), ValueError, "steps"),
        (lambda n: viz.maximise_class(n, 0, shape=(3, 8, 8)), ValueError, "shape"),
        (lambda n: viz.maximise_class(n, 0, shape=(1, 0, 8)), ValueError, "shape[1]"),
        (lambda n: viz.maximise_class(n, 0.5, shape=(1, 8, 8)), TypeError, "class_index"),
        (lambda n: viz.saliency("net", np.zeros((1, 8, 8))), TypeError, "network"),
        (lambda n: viz.saliency(n, np.zeros((1, 5, 5))), ValueError, "image"),
        (lambda n: viz.saliency(n, "abc"), TypeError, "image"),
        (lambda n: viz.occlusion(n, np.zeros((1, 8, 8)), 0, value=float("nan")), ValueError,
         "value"),
        (lambda n: viz.fgsm(n, np.zeros((1, 8, 8)), 7, 0.1), ValueError, "label"),
        (lambda n: viz.smallest_fooling_epsilon(n, np.zeros((1, 8, 8)), 0, grid=10**6),
         ValueError, "grid"),
        (lambda n: viz.named_layers(n, types="Conv2D"), TypeError, "types"),
    ],
)  # fmt: skip
def test_viz_refuses_bad_arguments(call, error, name):
    raises(error, name, lambda: call(float32_net()))


# ---------------------------------------------------------------- images and plots


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: images.photo(size=0), ValueError, "size"),  # used to return the full photo
        (lambda: images.photo(size=10**5), ValueError, "size"),  # used to run for minutes
        (lambda: images.photo(size=2.5), TypeError, "size"),
        (lambda: images.photo(grey="yes"), TypeError, "grey"),
        (lambda: images.checkerboard(10**6), ValueError, "n"),
        (lambda: images.checkerboard(8, 0), ValueError, "square"),
        (lambda: images.vertical_edge(4, 6, 9), ValueError, "column"),
        (lambda: plotting.show_images([]), ValueError, "images"),
        (lambda: plotting.show_images([np.zeros((2, 2))], titles=["a", "b"]), ValueError, "titles"),
        (lambda: plotting.show_images([np.zeros((2, 2))], cmap="nope"), ValueError, "cmap"),
        (lambda: plotting.show_images([np.zeros((2, 2))], size=float("nan")), ValueError, "size"),
        (lambda: plotting.show_images([np.zeros((2, 4, 4))]), ValueError, "images[0]"),
        (lambda: plotting.plot_confusion_matrix([[1, 2, 3]]), ValueError, "cm"),
        (lambda: plotting.plot_confusion_matrix([[1, -1], [0, 1]]), ValueError, "cm"),
        (lambda: plotting.plot_confusion_matrix([[1, 0], [0, 1]], ["a"]), ValueError,
         "class_names"),
        (lambda: plotting.plot_history("history"), TypeError, "history"),
        (lambda: plotting.figure_png("fig"), TypeError, "fig"),
        (lambda: plotting.label(1, "x"), TypeError, "zh"),
    ],
)  # fmt: skip
def test_images_and_plots_refuse_bad_arguments(call, error, name):
    start = time.perf_counter()
    raises(error, name, call)
    assert time.perf_counter() - start < 10


# ---------------------------------------------------------------- kernels


def test_conv2d_refuses_an_output_beyond_float32():
    """a kernel of 1e38 used to give an all-inf picture"""
    image = np.ones((5, 5), "float32")
    raises(ValueError, "kernel", lambda: kernels.conv2d(image, np.full((3, 3), 1e38)))


@pytest.mark.parametrize("text", ["1e38", "1e39", "-4e38", "1e400", "2e6"])
def test_parse_kernel_refuses_entries_beyond_a_million(text):
    """'1e39' used to become inf in the float32 kernel, '1e38' an all-inf picture"""
    raises(ValueError, "entries[0][1]", lambda: kernels.parse_kernel([["0", text]]))


@pytest.mark.parametrize(
    ("entries", "name"), [(3, "entries"), ([[None]], "entries[0][0]"), ([3], "entries[0]")]
)
def test_parse_kernel_refuses_entries_of_the_wrong_type(entries, name):
    raises(TypeError, name, lambda: kernels.parse_kernel(entries))


def test_pad2d_refuses_a_padding_too_large_for_memory():
    """pad2d(x, 10**5) used to try to allocate 40 GB"""
    raises(ValueError, "padding", lambda: kernels.pad2d(np.ones((2, 2)), 10**5))


# ---------------------------------------------------------------- widget callbacks


def test_window_player_callback_shows_an_impossible_padding():
    """padding 0 with a 3x3 kernel on a 2x2 grid used to raise inside the slider's callback"""
    from course_utils.widgets import WindowPlayer

    player = WindowPlayer(grid=np.arange(4.0).reshape(2, 2), padding=1)
    steps = player.steps
    player.padding.value = 0  # must not raise
    assert CHINESE.search(player.message) and "kernel" in player.message
    assert player.steps is steps
    player.go_to(0)  # moving the step keeps the message
    assert player.message
    player.padding.value = 2
    assert player.message == "" and len(player.steps) == 16


def test_feature_map_explorer_callback_shows_a_bad_image():
    """a bad image further in the list used to raise inside the slider's callback"""
    from course_utils.widgets import FeatureMapExplorer

    net = models.LeNet("relu", "max")
    good = np.zeros((1, 28, 28), "float32")
    explorer = FeatureMapExplorer(net, [good, np.zeros((1, 4))], labels=[1, 2])
    picture = explorer.picture.value
    explorer.index.value = 1  # must not raise
    assert CHINESE.search(explorer.message.value) and "`image`" in explorer.message.value
    assert explorer.picture.value == picture
    explorer.index.value = 0
    assert explorer.message.value == ""


def test_kernel_explorer_shows_an_overflowing_kernel():
    """typing 1e38 in the grid used to draw an all-inf output"""
    from course_utils.widgets import KernelExplorer

    explorer = KernelExplorer(image="pattern", preset="identity")
    explorer.set_entry(0, 0, "1e38")
    assert np.isfinite(explorer.output).all()
    assert "`entries[0][0]`" in explorer.message and CHINESE.search(explorer.message)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda w: w.KernelExplorer(image="pattern", stride=9), ValueError, "stride"),
        (lambda w: w.KernelExplorer(image="pattern", preset="nope"), ValueError, "preset"),
        (lambda w: w.WindowPlayer(padding=5), ValueError, "padding"),
        (lambda w: w.WindowPlayer(grid=np.zeros((40, 40))), ValueError, "grid"),
        (lambda w: w.WindowPlayer(grid=np.zeros((2, 2))), ValueError, "kernel"),
        (lambda w: w.PoolingExplorer(k=20), ValueError, "k"),
        (lambda w: w.PoolingExplorer(mode=1), TypeError, "mode"),
        (lambda w: w.pooling_figure(np.zeros((4, 4)), modes="max"), TypeError, "modes"),
        (lambda w: w.window_player_figure(step=-1), ValueError, "step"),
    ],
)
def test_widgets_refuse_bad_arguments(call, error, name):
    """widget settings outside their sliders' ranges used to be clamped silently or crash"""
    from course_utils import widgets

    raises(error, name, lambda: call(widgets))


# ---------------------------------------------------------------- checks in learner mode


@pytest.fixture
def learner_mode(monkeypatch):
    monkeypatch.setattr(runner, "_MODE", runner.Mode(strict=False, quiet=True, seed=""))


@pytest.mark.parametrize("answer", [3, "abc", [[1, 2], [3]], float("nan"), {"a": 1}])
def test_checks_never_raise_on_a_wrong_kind_of_answer(learner_mode, answer):
    """an answer of the wrong type gets a ❌ verdict, not a traceback"""
    for check in (cu.checks.check_corr2d, cu.checks.check_lenet_class, cu.checks.check_saliency):
        verdict = check(answer)
        assert verdict.ok is False
