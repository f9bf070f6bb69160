"""Tests for course_utils/viz.py: properties of saliency, occlusion, ascent and fooling."""

from course_utils import viz
from course_utils.models import LeNet

import numpy as np
import paddle
import pytest
from paddle import nn


def tiny_net(seed: int = 0) -> nn.Layer:
    """A small float64 conv net (2 channels in, 3 classes) with fixed random weights."""
    paddle.seed(seed)
    net = nn.Sequential(
        nn.Conv2D(2, 4, 3, padding=1),
        nn.Tanh(),
        nn.MaxPool2D(2, 2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 3),
    )
    net.to(dtype="float64")
    return net


@pytest.fixture
def image():
    """A random 2x8x8 float64 image."""
    return np.random.default_rng(1).standard_normal((2, 8, 8))


def test_feature_maps_record_every_conv_and_pool_layer():
    """LeNet gives four maps (conv, pool, conv, pool) with the right shapes"""
    maps = viz.feature_maps(LeNet("relu", "max"), np.zeros((1, 28, 28), "float32"))
    assert [m.shape for _, m in maps] == [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5)]


def test_feature_maps_leave_no_hooks_behind():
    """a second forward pass after feature_maps records nothing"""
    net = tiny_net()
    viz.feature_maps(net, np.zeros((2, 8, 8), "float32"))
    for layer in net.sublayers():
        assert not layer._forward_post_hooks


def test_first_conv_kernels_are_the_weights():
    """first_conv_kernels returns the first Conv2D's weight"""
    net = tiny_net()
    np.testing.assert_array_equal(viz.first_conv_kernels(net), net[0].weight.numpy())


@pytest.mark.parametrize("class_index", [0, 2])
def test_saliency_matches_finite_differences(image, class_index):
    """|central finite difference of the score| equals the saliency on a few pixels"""
    net = tiny_net()
    sal = viz.saliency(net, image, class_index)
    assert sal.shape == (8, 8)
    h = 1e-6
    for r, c in [(0, 0), (3, 5), (7, 2)]:
        grads = []
        for ch in range(2):
            plus, minus = image.copy(), image.copy()
            plus[ch, r, c] += h
            minus[ch, r, c] -= h
            with paddle.no_grad():
                f = [float(net(paddle.to_tensor(v[None]))[0, class_index]) for v in (plus, minus)]
            grads.append(abs(f[0] - f[1]) / (2 * h))
        assert sal[r, c] == pytest.approx(max(grads), rel=1e-4, abs=1e-8)


@pytest.mark.parametrize("penalty", [{}, {"l2": 0.01, "tv": 0.05}])
def test_class_maximisation_raises_the_objective(penalty):
    """gradient ascent ends with a higher objective than it started with"""
    image, objective = viz.maximise_class(tiny_net(), 1, shape=(2, 8, 8), steps=20, **penalty)
    assert image.shape == (2, 8, 8) and objective.shape == (20,)
    assert objective[-1] > objective[0]


def test_filter_maximisation_raises_the_activation():
    """maximising a LeNet filter raises that filter's summed activation"""
    net = LeNet("relu", "max")
    image, objective = viz.maximise_filter(net, "features.3", 5, steps=15)
    assert objective[-1] > objective[0]
    start = dict(viz.feature_maps(net, np.zeros((1, 28, 28), "float32")))["features.3"][5].sum()
    after = dict(viz.feature_maps(net, image))["features.3"][5].sum()
    assert after > start


def test_occlusion_with_the_image_value_changes_nothing():
    """a patch equal to the image where it goes leaves the probability unchanged"""
    flat = np.full((2, 8, 8), 0.3)
    heat = viz.occlusion(tiny_net(), flat, 1, patch=3, stride=2, value=0.3)
    assert heat.shape == (3, 3)
    np.testing.assert_allclose(heat, 0.0, atol=1e-12)


def test_occlusion_equals_one_forward_pass_per_position(image):
    """the batched heat map equals occluding and classifying one position at a time"""
    net = tiny_net()
    heat = viz.occlusion(net, image, 0, patch=4, stride=3, value=-1.0, batch_size=2)
    probs = paddle.nn.functional.softmax(net(paddle.to_tensor(image[None])), -1)
    occluded = image.copy()
    occluded[:, 3:7, 0:4] = -1.0
    prob = paddle.nn.functional.softmax(net(paddle.to_tensor(occluded[None])), -1)
    assert heat[1, 0] == pytest.approx(float(probs[0, 0]) - float(prob[0, 0]))


def test_fgsm_moves_every_pixel_by_epsilon(image):
    """every pixel of the fgsm image is exactly epsilon away from the original"""
    adv = viz.fgsm(tiny_net(), image, 0, 0.1)
    np.testing.assert_allclose(np.abs(adv - image), 0.1)


def test_smallest_fooling_epsilon_flips_within_epsilon(image):
    """the adversarial image is within epsilon (max norm) and changes the prediction"""
    net = tiny_net()
    label = int(net(paddle.to_tensor(image[None])).argmax())
    result = viz.smallest_fooling_epsilon(net, image, label, max_epsilon=5.0, tol=1e-4)
    assert result is not None
    assert np.abs(result.image - image).max() <= result.epsilon + 1e-12
    new = int(net(paddle.to_tensor(result.image[None])).argmax())
    assert new == result.new_class != label
    # a bit less does not flip: the search found (nearly) the smallest
    smaller = image + (result.epsilon - 2e-4) / result.epsilon * result.perturbation
    assert int(net(paddle.to_tensor(smaller[None])).argmax()) == label


def test_no_fooling_epsilon_gives_none(image):
    """when no epsilon up to max_epsilon flips, the result is None"""
    net = tiny_net()
    label = int(net(paddle.to_tensor(image[None])).argmax())
    assert viz.smallest_fooling_epsilon(net, image, label, max_epsilon=1e-9) is None


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda n, x: viz.saliency(n, x[0], 0), "image"),
        (lambda n, x: viz.saliency(n, x, 3), "class_index"),
        (lambda n, x: viz.occlusion(n, x, 0, patch=9), "patch"),
        (lambda n, x: viz.occlusion(n, x, 0, stride=0), "stride"),
        (lambda n, x: viz.fgsm(n, x, 0, -0.1), "epsilon"),
        (lambda n, x: viz.smallest_fooling_epsilon(n, x, 0, tol=0), "tol"),
        (lambda n, x: viz.maximise_class(n, -1, shape=(2, 8, 8)), "class_index"),
        (lambda n, x: viz.maximise_filter(n, "nope", 0, shape=(2, 8, 8)), "layer"),
        (lambda n, x: viz.maximise_filter(n, "0", 4, shape=(2, 8, 8)), "channel"),
        (lambda n, x: viz.maximise_class(n, 0, shape=(2, 8, 8), steps=0), "steps"),
    ],
)
def test_bad_input_names_the_parameter(image, call, name):
    """bad input raises a ValueError whose message names the parameter"""
    with pytest.raises(ValueError, match=f"`{name}`"):
        call(tiny_net(), image)


def test_a_float64_image_leaves_a_float32_network_as_it_was():
    """passing a float64 array never converts the learner's network"""
    net = paddle.nn.Sequential(
        paddle.nn.Conv2D(1, 2, 3), paddle.nn.Flatten(), paddle.nn.Linear(72, 3)
    )
    image = np.random.default_rng(0).random((1, 8, 8))  # float64, as NumPy makes by default
    assert viz.saliency(net, image, 1).shape == (8, 8)
    assert all(p.dtype == paddle.float32 for p in net.parameters())


# --- lesson 09: readable layer names, probabilities, top activating images, refusing to fool


def test_layer_labels_number_convolutions_and_pools_apart():
    """conv and pool layers get their own running numbers, in forward order"""
    net = nn.Sequential(
        nn.Conv2D(1, 2, 3), nn.Conv2D(2, 2, 3), nn.ReLU(), nn.AvgPool2D(2), nn.Conv2D(2, 2, 1)
    )
    assert viz.layer_labels(net) == {"0": "conv1", "1": "conv2", "3": "pool1", "4": "conv3"}


def test_probabilities_are_the_softmax_of_the_scores(image):
    """probabilities sum to 1 and equal softmax(network(image))"""
    net = tiny_net()
    p = viz.probabilities(net, image)
    scores = net(paddle.to_tensor(image[None])).numpy()[0]
    np.testing.assert_allclose(p, np.exp(scores) / np.exp(scores).sum(), rtol=1e-10)


def test_top_activating_ranks_by_summed_activation():
    """the returned images have the k largest summed activations, in decreasing order"""
    net = tiny_net()
    images = np.random.default_rng(2).standard_normal((30, 2, 8, 8))
    index, score = viz.top_activating(net, "0", 1, images, k=5, batch_size=7)
    with paddle.no_grad():
        sums = net[0](paddle.to_tensor(images)).numpy()[:, 1].sum(axis=(1, 2))
    np.testing.assert_array_equal(index, np.argsort(-sums)[:5])
    np.testing.assert_allclose(score, sums[index], rtol=1e-10)
    for handle_holder in net.sublayers():
        assert not handle_holder._forward_post_hooks  # no hook left behind


@pytest.mark.parametrize(
    "kwargs, name, error",
    [
        ({"layer": "nope"}, "layer", ValueError),
        ({"channel": 4}, "channel", ValueError),
        ({"k": 31}, "k", ValueError),
        ({"k": 0}, "k", ValueError),
        ({"images": np.zeros((2, 8, 8))}, "images", ValueError),
        ({"batch_size": 0}, "batch_size", ValueError),
        ({"channel": 1.5}, "channel", TypeError),
    ],
)
def test_top_activating_bad_input_names_the_parameter(kwargs, name, error):
    """a wrong layer, channel, k, images or batch size names the parameter"""
    args = {"layer": "0", "channel": 0, "images": np.zeros((30, 2, 8, 8)), "k": 9}
    with pytest.raises(error, match=f"`{name}`"):
        viz.top_activating(tiny_net(), **{**args, **kwargs})


def test_fooling_refuses_an_image_the_network_already_gets_wrong(image):
    """a label the network does not predict raises a bilingual error naming `label`"""
    net = tiny_net()
    wrong = (int(net(paddle.to_tensor(image[None])).argmax()) + 1) % 3
    with pytest.raises(ValueError, match="`label`") as raised:
        viz.smallest_fooling_epsilon(net, image, wrong)
    assert "没有什么可骗的" in str(raised.value) and "nothing to fool" in str(raised.value)
