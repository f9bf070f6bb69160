"""Each lesson's checks: right answers pass, typical mistakes fail with a useful hint."""

from __future__ import annotations

import course_utils as cu
from course_utils import i18n, sizes, viz
from course_utils.checks import lesson05, lesson07, runner
from course_utils.checks.runner import Mode

import numpy as np
import paddle
import pytest
from paddle import nn


@pytest.fixture(autouse=True)
def _learner_mode(monkeypatch):
    monkeypatch.setattr(runner, "_MODE", Mode(strict=False, quiet=False, seed=""))
    i18n.set_language("en")


def verdict_of(check, answer, capsys):
    result = check(answer)
    return result.ok, capsys.readouterr().out.lower()


# --- lesson 00


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (lambda labels: [int((labels == d).sum()) for d in range(10)], True),
        (lambda labels: np.bincount(labels, minlength=10), True),
        (lambda labels: np.bincount(labels).tolist(), False),  # short when 9 is missing
        (lambda labels: [int((labels == d).sum()) for d in range(1, 11)], False),
    ],
)
def test_class_counts(answer, ok):
    """ten counts in digit order pass; a list cut short or shifted by one fails"""
    assert cu.checks.check_class_counts(answer).ok is ok


# --- lessons 01-04


def corr2d_loops(x, k):
    h, w = x.shape[0] - k.shape[0] + 1, x.shape[1] - k.shape[1] + 1
    return np.array(
        [
            [(x[i : i + k.shape[0], j : j + k.shape[1]] * k).sum() for j in range(w)]
            for i in range(h)
        ]
    )


@pytest.mark.parametrize(
    ("answer", "ok", "text"),
    [
        (corr2d_loops, True, "Correct"),
        (lambda x, k: corr2d_loops(x, k[::-1, ::-1]), False, "values differ"),
        (lambda x, k: x, False, "shape should be"),
    ],
)
def test_corr2d(capsys, answer, ok, text):
    """the loop version passes; a flipped kernel (true convolution) or the input fails"""
    got, out = verdict_of(cu.checks.check_corr2d, answer, capsys)
    assert got is ok and text.lower() in out


@pytest.mark.parametrize(
    ("kernel", "ok"),
    [
        ([[1, 1, 1], [0, 0, 0], [-1, -1, -1]], True),
        (np.array([[-1], [1]]), True),
        ([[1, 0, -1], [2, 0, -2], [1, 0, -1]], False),
        ([[1, 1], [1, 1]], False),
        ("[[1, 0], [0, -1]]", False),
        ([[1, 2], [3]], False),
    ],
)
def test_horizontal_edge_kernel(kernel, ok):
    """a kernel with zero-sum columns and opposite top/bottom passes; Sobel x or junk fails"""
    assert cu.checks.check_horizontal_edge_kernel(kernel).ok is ok


def strided(x, k, stride, padding):
    x = np.pad(x, padding)
    kh, kw = k.shape
    h, w = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    return np.array(
        [
            [(x[i * stride : i * stride + kh, j * stride : j * stride + kw] * k).sum()
             for j in range(w)]
            for i in range(h)
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "ok"),
    [(strided, True), (lambda x, k, stride, padding: strided(x, k, 1, padding), False)],
)
def test_conv2d_strided(answer, ok):
    """stride and padding both matter"""
    assert cu.checks.check_conv2d_strided(answer).ok is ok


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (lambda n, k, stride, mode: -(-(n if mode == "same" else n - k + 1) // stride), True),
        (lambda n, k, stride, mode: (n if mode == "same" else n - k + 1) // stride, False),
    ],
)
def test_tf_output_size(answer, ok):
    """'same'/'valid' round up; rounding down fails"""
    assert cu.checks.check_tf_output_size(answer).ok is ok


@pytest.mark.parametrize(
    ("answer", "ok", "text"),
    [
        (lambda k: ((k - 1) // 2, k - 1 - (k - 1) // 2), True, "Correct"),
        (lambda k: (k - 1 - (k - 1) // 2, (k - 1) // 2), False, "Case 2 (k=2"),
        (lambda k: (k // 2, k // 2), False, "Case 2 (k=2"),
    ],
)
def test_same_padding(capsys, answer, ok, text):
    """the extra zero goes after; the hint never shows the formula"""
    got, out = verdict_of(cu.checks.check_same_padding, answer, capsys)
    assert got is ok and text.lower() in out and "(k - 1) // 2" not in out


@pytest.mark.parametrize(
    ("check", "answer", "ok"),
    [
        (cu.checks.check_conv_weight_shape, lambda c_in, c_out, k: (c_out, c_in, k, k), True),
        (cu.checks.check_conv_weight_shape, lambda c_in, c_out, k: [c_in, c_out, k, k], False),
        (cu.checks.check_conv_param_count, lambda c_in, c_out, k: c_out * (c_in * k * k + 1), True),
        (cu.checks.check_conv_param_count, lambda c_in, c_out, k: c_out * c_in * k * k, False),
        (
            cu.checks.check_bottleneck_macs,
            lambda c_in, c_mid, c_out, k, h, w: (
                h * w * c_in * k * k * c_out, h * w * (c_in * c_mid + c_mid * k * k * c_out)
            ),
            True,
        ),
        (
            cu.checks.check_bottleneck_macs,
            lambda c_in, c_mid, c_out, k, h, w: (
                h * w * c_in * k * k * c_out, h * w * c_mid * k * k * c_out
            ),
            False,
        ),
        (
            cu.checks.check_pool_output_size,
            lambda n, k, stride, padding: (n + 2 * padding - k) // stride + 1,
            True,
        ),
        (cu.checks.check_pool_output_size, lambda n, k, stride, padding: n // stride, False),
    ],
)  # fmt: skip
def test_counting_exercises_of_lessons_03_04(check, answer, ok):
    """shapes, parameter counts, multiply-adds and pooled sizes: right passes, slips fail"""
    assert check(answer).ok is ok


def max_pool(x, k, stride):
    h, w = (x.shape[0] - k) // stride + 1, (x.shape[1] - k) // stride + 1
    return np.array(
        [[x[i * stride : i * stride + k, j * stride : j * stride + k].max() for j in range(w)]
         for i in range(h)]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (max_pool, True),
        (lambda x, k, stride: max_pool(x, k, 1), False),
        (lambda x, k, stride: cu.pool2d_numpy(x, k, stride), False),  # the course's own
    ],
)
def test_max_pool(answer, ok):
    """NumPy max pooling passes; ignoring the stride or calling the course's version fails"""
    assert cu.checks.check_max_pool(answer).ok is ok


# --- lesson 05


def lenet_params(c1, c2, h1, h2):
    return c1 * 26 + c2 * (c1 * 25 + 1) + h1 * (c2 * 25 + 1) + h2 * (h1 + 1) + 10 * (h2 + 1)


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (lenet_params, True),
        (lambda c1, c2, h1, h2: c1 * 25 + c2 * c1 * 25 + h1 * c2 * 25 + h2 * h1 + 10 * h2, False),
        (lambda c1, c2, h1, h2: lenet_params(c1, c2, h1, h2) - h1 * c2 * 9, False),
        (
            lambda c1, c2, h1, h2: cu.count_parameters(lesson05._lenet_variant(c1, c2, h1, h2)),
            False,
        ),
    ],
)
def test_lenet_param_count(answer, ok):
    """the formula with biases passes; no biases, a 4x4 flatten or the reference network fail"""
    assert cu.checks.check_lenet_param_count(answer).ok is ok


class LeNetVariant(nn.Layer):
    def __init__(self, c1, c2, h1, h2, padding=2):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2D(1, c1, 5, padding=padding), nn.ReLU(), nn.MaxPool2D(2, 2),
            nn.Conv2D(c1, c2, 5), nn.ReLU(), nn.MaxPool2D(2, 2), nn.Flatten(),
            nn.Linear(c2 * 25, h1), nn.ReLU(), nn.Linear(h1, h2), nn.ReLU(), nn.Linear(h2, 10),
        )  # fmt: skip

    def forward(self, x):
        return self.body(x)


class NoPadding(LeNetVariant):
    def __init__(self, c1, c2, h1, h2):
        super().__init__(c1, c2, h1, h2, padding=0)


class ForgotReturn(LeNetVariant):
    def forward(self, x):
        self.body(x)


class StudentCopy(nn.Layer):
    def __init__(self, c1, c2, h1, h2):
        super().__init__()
        pass

    def forward(self, x):
        pass


@pytest.mark.parametrize(
    ("make", "ok", "text"),
    [
        (LeNetVariant, True, "Correct"),
        (NoPadding, False, "input shapes of the last layers"),
        (ForgotReturn, False, "missing `return`"),
        (StudentCopy, None, "not done yet"),
        (lesson05._lenet_variant, False, "own code"),
    ],
)
def test_lenet_class(capsys, make, ok, text):
    """a missing padding=2 shows the shapes; a forward without return or the reference fails"""
    got, out = verdict_of(cu.checks.check_lenet_class, make, capsys)
    assert got is ok and text.lower() in out


@pytest.mark.parametrize(
    ("answer", "ok", "text"),
    [
        (lambda y, p, d: int(((y == d) & (p != d)).sum()), True, "Correct"),
        (lambda y, p, d: np.int64(((y == d) & (p != d)).sum()), True, "Correct"),
        (lambda y, p, d: int(((p == d) & (y != d)).sum()), False, "expected"),
        (lambda y, p, d: (y == d) & (p != d), False, "not <ndarray shape"),
    ],
)
def test_misclassified_count(capsys, answer, ok, text):
    """the count passes (any int type); a mask instead of a count gets a hint to sum it"""
    got, out = verdict_of(cu.checks.check_misclassified_count, answer, capsys)
    assert got is ok and text.lower() in out


# --- lesson 06


def batch_norm(x, gamma, beta, eps):
    mean, var = x.mean((0, 2, 3), keepdims=True), x.var((0, 2, 3), keepdims=True)
    return gamma[:, None, None] * (x - mean) / (var + eps) ** 0.5 + beta[:, None, None]


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (batch_norm, True),
        (lambda x, gamma, beta, eps: batch_norm(x[:, :, ::-1], gamma, beta, eps)[:, :, ::-1], True),
        (lambda x, gamma, beta, eps: batch_norm(x, gamma, beta, eps) * 1.01, False),
        (lambda x, gamma, beta, eps: x, False),
    ],
)
def test_batch_norm_forward(answer, ok):
    """the NumPy forward passes; a scaled result or the input fails"""
    assert cu.checks.check_batch_norm_forward(answer).ok is ok


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (lambda c: (2 * c, 2 * c), True),
        (lambda c: [2 * c, 2 * c], True),
        (lambda c: (2 * c, 0), False),
    ],
)
def test_batch_norm_param_count(answer, ok):
    """(2C trained, 2C statistics) passes in any sequence type; forgetting statistics fails"""
    assert cu.checks.check_batch_norm_param_count(answer).ok is ok


@pytest.mark.parametrize(
    ("answer", "ok", "text"),
    [
        ((3.0, 6.0), True, "Correct"),
        ([3, 6], True, "Correct"),
        ((3.0, 3.0), False, "scaled"),
        (6.0, False, "two numbers"),
        (None, None, "not done"),
    ],
)
def test_dropout_answer(capsys, answer, ok, text):
    """(expected, survivor) = (3, 6); a single number gets a hint about the pair"""
    got, out = verdict_of(cu.checks.check_dropout_answer, answer, capsys)
    assert got is ok and text.lower() in out


@pytest.mark.parametrize("answer", [3.0, np.float32(6.0), [3.0], paddle.to_tensor([3.0])])
def test_dropout_answer_single_number_hint_in_chinese(capsys, answer):
    """a single number (as a float, NumPy scalar, list or tensor) gets the two-number hint in zh"""
    i18n.set_language("zh")
    got, out = verdict_of(cu.checks.check_dropout_answer, answer, capsys)
    assert got is False and "两个数" in out and "Not yet" not in out


def test_dropout_answer_leaves_the_random_stream_alone():
    """checking the answer does not reseed the learner's Paddle random numbers"""
    paddle.seed(123)
    expected = paddle.rand([3]).numpy()
    paddle.seed(123)
    cu.checks.check_dropout_answer((3.0, 6.0))
    np.testing.assert_array_equal(paddle.rand([3]).numpy(), expected)


# --- lessons 07-08


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (lambda in_channels, widths: in_channels + sum(widths), True),
        (lambda in_channels, widths: sum(widths), False),
    ],
)
def test_inception_channels(answer, ok):
    """the pool branch passes every input channel through"""
    assert cu.checks.check_inception_channels(answer).ok is ok


def inception_cost(in_channels, widths, size, forget_1x1=False):
    w1, w2, w3, w4 = widths

    def m(c_in, c_out, k):
        return sizes.conv_macs(c_in, c_out, k, size, size)

    shared = m(in_channels, w1, 1) + m(w3, w3, 3) + m(in_channels, w4, 1)
    reductions = 0 if forget_1x1 else m(in_channels, w2, 1) + m(in_channels, w3, 1)
    return (
        shared + reductions + m(w2, w2, 5) + m(w3, w3, 3),
        shared + m(in_channels, w2, 5) + m(in_channels, w3, 3),
    )


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (inception_cost, True),
        (lambda **case: inception_cost(**case, forget_1x1=True), False),
        (
            lambda in_channels, widths, size: tuple(
                lesson07.inception_conv_macs(in_channels, widths, size, flag) for flag in (1, 0)
            ),
            False,
        ),
    ],
)
def test_inception_macs(answer, ok):
    """both costs recomputed on real blocks; forgetting the 1x1 or calling the reference fails"""
    assert cu.checks.check_inception_macs(answer).ok is ok


class Dense(nn.Layer):
    def __init__(self, in_channels, growth, layers, input_last=False, padding=1):
        super().__init__()
        self.input_last = input_last
        self.convs = nn.LayerList(
            [nn.Conv2D(in_channels + i * growth, growth, 3, padding=padding) for i in range(layers)]
        )

    def forward(self, x):
        for conv in self.convs:
            new = nn.functional.relu(conv(x))
            x = paddle.concat([new, x] if self.input_last else [x, new], axis=1)
        return x


@pytest.mark.parametrize(
    ("make", "ok", "text"),
    [
        (Dense, True, "Correct"),
        (lambda in_channels, growth, layers: Dense(in_channels, growth, layers, True), False,
         "itself"),
        (lambda in_channels, growth, layers: nn.Identity(), False, "shape"),
        (lambda in_channels, growth, layers: Dense(in_channels, growth, layers, padding=0), False,
         "input shapes of the last layers"),
    ],
)  # fmt: skip
def test_dense_block(capsys, make, ok, text):
    """channels, shape and the input first; a shrinking map shows where concat failed"""
    got, out = verdict_of(cu.checks.check_dense_block, make, capsys)
    assert got is ok and text.lower() in out


class Projection(nn.Layer):
    def __init__(self, in_channels, out_channels, shortcut=True, final_relu=True):
        super().__init__()
        self.conv1 = nn.Conv2D(in_channels, out_channels, 3, padding=1)
        self.conv2 = nn.Conv2D(out_channels, out_channels, 3, padding=1)
        self.shortcut = nn.Conv2D(in_channels, out_channels, 1) if shortcut else None
        self.final_relu = final_relu

    def forward(self, x):
        y = self.conv2(nn.functional.relu(self.conv1(x)))
        y = y + (self.shortcut(x) if self.shortcut is not None else x)
        return nn.functional.relu(y) if self.final_relu else y


@pytest.mark.parametrize(
    ("make", "ok", "text"),
    [
        (Projection, True, "Correct"),
        (lambda in_channels, out_channels: Projection(in_channels, out_channels, False), False,
         "input shapes of the last layers"),
        (lambda in_channels, out_channels: Projection(in_channels, out_channels, False), False,
         "identity shortcut x + F(x) cannot be added"),
        (lambda in_channels, out_channels: Projection(in_channels, out_channels, True, False),
         False, "ReLU"),
    ],
)  # fmt: skip
def test_projection_residual(capsys, make, ok, text):
    """an identity shortcut with other channels shows the shapes; a missing final ReLU fails"""
    got, out = verdict_of(cu.checks.check_projection_residual, make, capsys)
    assert got is ok and text.lower() in out


# --- lesson 09


def saliency(network, image, class_index):
    x = paddle.to_tensor(image[None], stop_gradient=False)
    (grad,) = paddle.grad(network(x)[0, class_index], x)
    return grad.abs().max(axis=1)[0].numpy()


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        (saliency, True),
        (lambda network, image, index: saliency(network, image.astype("float32"), index), True),
        (lambda network, image, class_index: -saliency(network, image, class_index), False),
        (lambda network, image, class_index: viz.saliency(network, image, class_index), False),
    ],
)  # fmt: skip
def test_saliency(answer, ok):
    """|gradient| maxed over channels passes with float32 images; the course's own fails"""
    assert cu.checks.check_saliency(answer).ok is ok


def test_worst_occlusion_recomputes():
    """the argmax of the recomputed heat map passes, another position fails, None is not done"""
    from course_utils.checks import lesson09

    case = lesson09.saliency_cases(np.random.default_rng(3), 1)[0]
    net, image = case["network"], case["image"]
    heat = viz.occlusion(net, image, 0, patch=3, stride=2)
    i, j = np.unravel_index(int(heat.argmax()), heat.shape)
    k, m = np.unravel_index(int(heat.argmin()), heat.shape)
    check = cu.checks.check_worst_occlusion
    assert check((2 * int(i), 2 * int(j)), net, image, 0, 3, 2).ok is True
    assert check(np.array([2 * i, 2 * j]), net, image, 0, 3, 2).ok is True
    if heat[k, m] < heat.max():
        assert check((2 * int(k), 2 * int(m)), net, image, 0, 3, 2).ok is False
    assert check((1, 1), net, image, 0, 3, 2).ok is False
    assert check("top left", net, image, 0, 3, 2).ok is False
    assert check(None, net, image, 0, 3, 2).ok is None
