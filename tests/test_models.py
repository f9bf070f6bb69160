"""Tests for course_utils.models: shapes, parameter counts, bad arguments."""

from course_utils import i18n, models
from course_utils.train import count_parameters

import numpy as np
import paddle
import pytest

# Paddle's BatchNorm warns on every training-mode forward; the warning says nothing to a learner.
pytestmark = pytest.mark.filterwarnings("ignore:When training, we now always track:UserWarning")


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")


# --- lesson 06 ---


@pytest.mark.parametrize(
    ("batch_norm", "dropout", "trained", "statistics"),
    [
        (False, 0.0, 198_482, 0),
        (True, 0.2, 198_494, 12),
        (True, 0.0, 198_494, 12),
        (False, 0.5, 198_482, 0),
    ],
)
def test_cifar_baseline_parameter_counts(batch_norm, dropout, trained, statistics):
    """BN adds 2*6 trained values (gamma, beta) and 2*6 statistics; dropout adds none."""
    net = models.CifarBaseline(batch_norm=batch_norm, dropout=dropout)
    assert count_parameters(net) == trained
    assert sum(int(p.size) for p in net.parameters()) - trained == statistics


@pytest.mark.parametrize(("batch_norm", "dropout"), [(False, 0.0), (True, 0.2)])
@pytest.mark.parametrize("training", [True, False])
def test_cifar_baseline_output_shape(batch_norm, dropout, training):
    """a batch of 3x32x32 images gives one row of 10 logits per image, in both modes."""
    net = models.CifarBaseline(batch_norm=batch_norm, dropout=dropout)
    net.train() if training else net.eval()
    assert list(net(paddle.randn([4, 3, 32, 32])).shape) == [4, 10]


def test_cifar_baseline_layers():
    """the layers come in the syllabus order: conv, BN, ReLU, pool, dropout, ..., linear."""
    net = models.CifarBaseline()
    kinds = [type(layer).__name__ for layer in [*net.features, *net.classifier]]
    assert kinds == [
        "Conv2D", "BatchNorm2D", "ReLU", "MaxPool2D", "Dropout",
        "Flatten", "Linear", "ReLU", "Dropout", "Linear",
    ]  # fmt: skip
    plain = models.CifarBaseline(batch_norm=False, dropout=0.0)
    assert "BatchNorm2D" not in str(plain) and "Dropout" not in str(plain)


def test_cifar_baseline_eval_is_deterministic():
    """in evaluation mode dropout is off and BN uses its running statistics."""
    net = models.CifarBaseline(dropout=0.5)
    net.eval()
    x = paddle.randn([3, 3, 32, 32])
    assert paddle.equal_all(net(x), net(x)).item()


@pytest.mark.parametrize(
    ("dropout", "error"),
    [(-0.1, ValueError), (1.0, ValueError), (1.5, ValueError), (float("nan"), ValueError),
     ("0.2", TypeError), (True, TypeError), (None, TypeError)],
)  # fmt: skip
def test_cifar_baseline_rejects_bad_dropout(dropout, error):
    """`dropout` must be a number (TypeError) in [0, 1) (ValueError)."""
    with pytest.raises(error, match="`dropout`"):
        models.CifarBaseline(dropout=dropout)


# --- lesson 07 ---


@pytest.mark.parametrize("widths", [(16, 24, 24, 24), (1, 2, 3, 4), (8, 1, 5, 2)])
@pytest.mark.parametrize(("in_channels", "size"), [(1, 5), (10, 12), (20, 4)])
def test_inception_concatenates_branches_and_keeps_the_size(in_channels, size, widths):
    """the block outputs sum(widths) channels; every branch keeps height and width."""
    block = models.Inception(in_channels, widths)
    x = paddle.randn([2, in_channels, size, size])
    branches = [block.branch1, block.branch2, block.branch3, block.branch4]
    assert [list(b(x).shape) for b in branches] == [[2, w, size, size] for w in widths]
    assert list(block(x).shape) == [2, sum(widths), size, size]


def test_inception_output_is_the_concatenation_of_the_branches():
    """channel slices of the output are exactly the four branch outputs, in order."""
    block = models.Inception(3, (2, 3, 4, 5))
    x = paddle.randn([2, 3, 6, 6])
    out = block(x).numpy()
    start = 0
    for branch, width in zip([block.branch1, block.branch2, block.branch3, block.branch4],
                             (2, 3, 4, 5), strict=True):  # fmt: skip
        np.testing.assert_allclose(out[:, start : start + width], branch(x).numpy(), rtol=1e-6)
        start += width


def test_inception_default_parameter_count():
    """Inception(10) with widths (16, 24, 24, 24) has the parameters of its seven convolutions."""

    def conv(c_in, c_out, k):
        return c_out * c_in * k * k + c_out

    expected = (
        conv(10, 16, 1)
        + conv(10, 24, 1) + conv(24, 24, 5)
        + conv(10, 24, 1) + 2 * conv(24, 24, 3)
        + conv(10, 24, 1)
    )  # fmt: skip
    assert count_parameters(models.Inception(10)) == expected == 25808


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [((0,), ValueError, "in_channels"), ((3, (1, 2, 3)), ValueError, "widths"),
     ((3, (1, 0, 3, 4)), ValueError, r"widths\[1\]"), ((True,), TypeError, "in_channels"),
     ((3, 4), TypeError, "widths"), ((3, (1, 2, 3, 4), 1), TypeError, "bottleneck"),
     ((5000,), ValueError, "in_channels")],
)  # fmt: skip
def test_inception_rejects_bad_arguments(args, error, name):
    """`in_channels` and the four `widths` must be ints (TypeError) from 1 to 4096 (ValueError)."""
    with pytest.raises(error, match=f"`{name}"):
        models.Inception(*args)


@pytest.mark.parametrize("widths", [(16, 24, 24, 24), (2, 3, 4, 5)])
def test_inception_without_bottleneck_has_the_same_shape_and_fewer_layers(widths):
    """bottleneck=False drops the two 1x1 reductions and keeps the output shape."""
    x = paddle.randn([1, 6, 7, 7])
    plain, reduced = models.Inception(6, widths, bottleneck=False), models.Inception(6, widths)
    assert plain(x).shape == reduced(x).shape == [1, sum(widths), 7, 7]
    convs = [type(layer).__name__ for layer in plain.sublayers()].count("Conv2D")
    assert convs == 5


def test_googlenet_mini_shapes_and_parameters():
    """GoogLeNet-mini: 10x12x12 -> 88x12x12 -> 20x4x4 -> 88x4x4 = 1408 features -> 10 logits."""
    net = models.GoogLeNetMini()
    x = paddle.zeros([2, 1, 28, 28])
    assert list(net.features[:3](x).shape) == [2, 10, 12, 12]
    assert list(net.features[:4](x).shape) == [2, 88, 12, 12]
    assert list(net.features[:7](x).shape) == [2, 20, 4, 4]
    assert list(net.features(x).shape) == [2, 88, 4, 4]
    assert net.classifier[1].weight.shape == [1408, 10]
    assert list(net(x).shape) == [2, 10]
    assert count_parameters(net) == 110866


def test_source_inception_parameters_and_branch_widths():
    """the source's block: reductions to 16, branches of 16, 24, 24, 24; 19,104 parameters."""

    def conv(c_in, c_out, k):
        return c_out * c_in * k * k + c_out

    block = models.SourceInception(10)
    x = paddle.randn([2, 10, 12, 12])
    branches = [block.branch1, block.branch2, block.branch3, block.branch4]
    assert [b(x).shape[1] for b in branches] == [16, 24, 24, 24]
    assert list(block(x).shape) == [2, 88, 12, 12]
    expected = (
        conv(10, 16, 1)
        + conv(10, 16, 1) + conv(16, 24, 5)
        + conv(10, 16, 1) + conv(16, 24, 3) + conv(24, 24, 3)
        + conv(10, 24, 1)
    )  # fmt: skip
    assert count_parameters(block) == expected == 19104


def test_source_inception_is_affine():
    """without activations the source's block is affine: f(x + y) + f(0) = f(x) + f(y)."""
    paddle.seed(0)
    block = models.SourceInception(3)
    x, y, zero = paddle.randn([1, 3, 6, 6]), paddle.randn([1, 3, 6, 6]), paddle.zeros([1, 3, 6, 6])
    np.testing.assert_allclose(
        (block(x + y) + block(zero)).numpy(), (block(x) + block(y)).numpy(), rtol=1e-4, atol=1e-4
    )
    course = models.Inception(3)
    assert not np.allclose(
        (course(x + y) + course(zero)).numpy(), (course(x) + course(y)).numpy(), atol=1e-3
    )


def test_source_inception_pooling_counts_the_padding():
    """the source's average pooling divides by 9 at the border too (PyTorch's default)."""
    pooled = models.SourceInception(1).branch4[0](paddle.ones([1, 1, 4, 4])).numpy()[0, 0]
    assert pooled[0, 0] == pytest.approx(4 / 9) and pooled[0, 1] == pytest.approx(6 / 9)
    assert pooled[1, 1] == pytest.approx(1.0)


def test_source_googlenet_shapes_and_parameters():
    """the source's network has GoogLeNet-mini's shapes and 97,298 parameters."""
    net = models.SourceGoogLeNet()
    x = paddle.zeros([2, 1, 28, 28])
    assert list(net.features(x).shape) == [2, 88, 4, 4]
    assert list(net(x).shape) == [2, 10]
    assert count_parameters(net) == 97298


@pytest.mark.parametrize(
    ("make", "value", "error"),
    [(models.SourceInception, 0, ValueError), (models.SourceInception, "10", TypeError),
     (models.SourceInception, True, TypeError), (models.SourceGoogLeNet, 0, ValueError),
     (models.SourceGoogLeNet, 2.5, TypeError)],
)  # fmt: skip
def test_source_networks_reject_bad_sizes(make, value, error):
    """`in_channels` and `num_classes` must be positive ints."""
    with pytest.raises(error, match="in_channels|num_classes"):
        make(value)


# --- lesson 08 ---


@pytest.mark.parametrize("channels", [1, 3, 16])
@pytest.mark.parametrize("size", [4, 7, 12])
def test_residual_keeps_the_shape_and_is_non_negative(channels, size):
    """a residual block keeps channels, height and width; its final ReLU gives no negatives."""
    out = models.Residual(channels)(paddle.randn([2, channels, size, size]))
    assert list(out.shape) == [2, channels, size, size] and float(out.min()) >= 0


def test_residual_with_zero_branch_is_relu_of_the_input():
    """with F's last convolution set to zero, the block is relu(x): the identity path."""
    block = models.Residual(4)
    block.conv2.weight.set_value(paddle.zeros(block.conv2.weight.shape))
    block.conv2.bias.set_value(paddle.zeros(block.conv2.bias.shape))
    x = paddle.randn([3, 4, 5, 5])
    np.testing.assert_allclose(block(x).numpy(), np.maximum(x.numpy(), 0))


@pytest.mark.parametrize("channels", [1, 8, 32])
def test_residual_parameter_count(channels):
    """a residual block has two 3x3 convolutions with biases: 2 * (9 C^2 + C)."""
    block = models.Residual(channels)
    assert sum(int(p.size) for p in block.parameters()) == 2 * (9 * channels**2 + channels)


@pytest.mark.parametrize(
    ("channels", "error"), [(0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_residual_rejects_bad_channels(channels, error):
    """`channels` must be an int (TypeError) from 1 to 4096 (ValueError)."""
    with pytest.raises(error, match="`channels`"):
        models.Residual(channels)


def test_resnet_mini_shapes_and_parameters():
    """ResNet-mini maps 1x28x28 to 10 logits through 16x12x12 and 32x4x4 (512) features."""
    net = models.ResNetMini()
    x = paddle.zeros([2, 1, 28, 28])
    assert list(net.features[:4](x).shape) == [2, 16, 12, 12]
    assert list(net.features(x).shape) == [2, 32, 4, 4]
    assert list(net(x).shape) == [2, 10]
    assert sum(int(p.size) for p in net.parameters()) == 41514


@pytest.mark.parametrize(("c_in", "c_out"), [(1, 2), (16, 32), (8, 8)])
@pytest.mark.parametrize("size", [5, 6, 12])
def test_downsample_residual_halves_the_map_and_changes_the_channels(c_in, c_out, size):
    """stride 2 gives ceil(size / 2) on both paths, c_out channels, no negative output."""
    block = models.DownsampleResidual(c_in, c_out)
    x = paddle.randn([2, c_in, size, size])
    half = (size + 1) // 2
    assert list(block.shortcut(x).shape) == [2, c_out, half, half]
    out = block(x)
    assert list(out.shape) == [2, c_out, half, half] and float(out.min()) >= 0


def test_downsample_residual_is_projection_plus_branch():
    """y = relu(conv1x1/2(x) + conv3x3(relu(conv3x3/2(x)))), computed by hand."""
    block = models.DownsampleResidual(3, 5)
    x = paddle.randn([1, 3, 8, 8])
    f = block.conv2(paddle.nn.functional.relu(block.conv1(x)))
    expected = np.maximum((block.shortcut(x) + f).numpy(), 0)
    np.testing.assert_allclose(block(x).numpy(), expected, rtol=1e-6)


def test_downsample_residual_parameter_count():
    """3x3 (c_in->c_out) + 3x3 (c_out->c_out) + 1x1 (c_in->c_out), all with biases."""
    block = models.DownsampleResidual(16, 32)
    assert count_parameters(block) == (16 * 32 * 9 + 32) + (32 * 32 * 9 + 32) + (16 * 32 + 32)


@pytest.mark.parametrize(
    "args, error", [((0, 4), ValueError), ((4, 0), ValueError), ((2.5, 4), TypeError),
                    ((4, True), TypeError)],
)  # fmt: skip
def test_downsample_residual_rejects_bad_channels(args, error):
    """`in_channels` and `out_channels` must be positive ints."""
    with pytest.raises(error, match="channels"):
        models.DownsampleResidual(*args)


def test_strided_resnet_mini_shapes_and_parameters():
    """two stages: 16x12x12, then 32x6x6 after the stride-2 block; 32 averages; 38,314 params."""
    net = models.StridedResNetMini()
    x = paddle.zeros([2, 1, 28, 28])
    assert list(net.features[:4](x).shape) == [2, 16, 12, 12]
    assert list(net.features(x).shape) == [2, 32, 6, 6]
    assert list(net(x).shape) == [2, 10]
    assert count_parameters(net) == 38314
