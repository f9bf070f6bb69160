"""Tests for course_utils.checks: verdicts, strict mode, random cases."""

from course_utils import checks, i18n, sizes

import pytest


def right(n, k, padding, stride):
    return (n + 2 * padding - k) // stride + 1


def forgot_padding(n, k, padding, stride):
    return (n - k) // stride + 1


def not_done(n, k, padding, stride):
    pass


def raises_not_implemented(n, k, padding, stride):
    raise NotImplementedError


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("fn", "expected", "text"),
    [
        (right, True, "Correct"),
        (forgot_padding, False, "expected"),
        (not_done, None, "not done yet"),
        (raises_not_implemented, None, "not done yet"),
        (None, None, "not done yet"),
        (lambda n, k, padding, stride: 1 / 0, False, "ZeroDivisionError"),
    ],
)
def test_check_conv_output_size_verdicts(capsys, fn, expected, text):
    """right, wrong, unanswered and crashing answers each get their verdict."""
    assert checks.check_conv_output_size(fn) is expected
    assert text.lower() in capsys.readouterr().out.lower()


def test_wrong_answer_shows_a_failing_case(capsys):
    """a wrong answer is shown next to the expected value for one case."""
    checks.check_conv_output_size(forgot_padding)
    out = capsys.readouterr().out
    assert "For n=" in out and "floor((n + 2p - k) / s) + 1" in out


@pytest.mark.parametrize("fn", [forgot_padding, not_done])
def test_strict_mode_raises(monkeypatch, fn):
    """with COURSE_STRICT_CHECKS=1 a wrong or missing answer raises AssertionError."""
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        checks.check_conv_output_size(fn)


def test_random_cases_are_valid_and_varied():
    """random cases are valid for conv_output_size and cover padding and stride."""
    cases = checks.random_conv_cases(200, seed=1)
    for case in cases:
        sizes.conv_output_size(**case)  # raises on an impossible case
    assert {c["padding"] for c in cases} >= {0, 1, 2, 3}
    assert {c["stride"] for c in cases} >= {1, 2, 3, 4}


def test_chinese_verdict(capsys):
    """the verdict follows the language setting."""
    i18n.set_language("zh")
    checks.check_conv_output_size(right)
    assert capsys.readouterr().out.strip() == "✅ 正确！"


# --- lesson 07 ---


def _inception_cost(in_channels, widths, size, forget_1x1=False, swap=False):
    """Right conv multiply-adds of Inception with and without bottlenecks (or a wrong variant)."""
    w1, w2, w3, w4 = widths

    def m(c_in, c_out, k):
        return sizes.conv_macs(c_in, c_out, k, size, size)

    shared = m(in_channels, w1, 1) + m(w3, w3, 3) + m(in_channels, w4, 1)
    reductions = 0 if forget_1x1 else m(in_channels, w2, 1) + m(in_channels, w3, 1)
    with_1x1 = shared + reductions + m(w2, w2, 5) + m(w3, w3, 3)
    without = shared + m(in_channels, w2, 5) + m(in_channels, w3, 3)
    return (without, with_1x1) if swap else (with_1x1, without)


@pytest.mark.parametrize(
    ("fn", "expected", "text"),
    [
        (lambda in_channels, widths: in_channels + sum(widths), True, "Correct"),
        (lambda in_channels, widths: sum(widths), False, "pooling keeps"),
        (lambda in_channels, widths: sum(widths) + widths[-1], False, "expected"),
        (lambda in_channels, widths: None, None, "not done"),
        (None, None, "not done"),
    ],
)
def test_check_inception_channels_verdicts(capsys, fn, expected, text):
    """the pool branch passes in_channels through: only in_channels + sum(widths) passes."""
    assert checks.check_inception_channels(fn) is expected
    assert text.lower() in capsys.readouterr().out.lower()


def test_inception_pool_passthrough_matches_the_formula():
    """the reference block outputs in_channels + w1 + w2 + w3 channels for random sizes."""
    for case in checks.random_inception_cases(5, seed=3):
        block = checks.inception_pool_passthrough(**case)
        out = block(paddle.zeros([2, case["in_channels"], 4, 4]))
        assert list(out.shape) == [2, case["in_channels"] + sum(case["widths"]), 4, 4]


@pytest.mark.parametrize(
    ("fn", "expected", "text"),
    [
        (_inception_cost, True, "Correct"),
        (lambda **case: _inception_cost(**case, forget_1x1=True), False, "1x1"),
        (lambda **case: _inception_cost(**case, swap=True), False, "expected"),
        (lambda **case: None, None, "not done"),
        (None, None, "not done"),
    ],
)
def test_check_inception_macs_verdicts(capsys, fn, expected, text):
    """with/without bottleneck costs are recomputed on real blocks; mistakes are caught."""
    assert checks.check_inception_macs(fn) is expected
    assert text.lower() in capsys.readouterr().out.lower()


def test_inception_conv_macs_of_the_lesson_block():
    """Inception(10) on 12x12: the 1x1 'bottlenecks' widen 10 channels, so they cost more."""
    with_1x1, without = (
        checks.inception_conv_macs(10, (16, 24, 24, 24), 12, bottleneck=flag)
        for flag in (True, False)
    )
    assert (with_1x1, without) == _inception_cost(10, (16, 24, 24, 24), 12)
    assert with_1x1 > without


# --- lesson 08 ---

import paddle  # noqa: E402 - only the lesson-08 tests need Paddle


class _Dense(paddle.nn.Layer):
    """A right DenseNet-style block; `input_last` or `add` make it wrong."""

    def __init__(self, in_channels, growth, layers, input_last=False, todo=False):
        super().__init__()
        self.input_last, self.todo = input_last, todo
        self.convs = paddle.nn.LayerList(
            [
                paddle.nn.Conv2D(in_channels + i * growth, growth, 3, padding=1)
                for i in range(layers)
            ]
        )

    def forward(self, x):
        if self.todo:
            return None
        for conv in self.convs:
            new = paddle.nn.functional.relu(conv(x))
            x = paddle.concat([new, x] if self.input_last else [x, new], axis=1)
        return x


class _DenseNoPadding(_Dense):
    def __init__(self, in_channels, growth, layers):
        super().__init__(in_channels, growth, layers)
        self.convs = paddle.nn.LayerList(  # no padding: the maps shrink and concat fails
            [paddle.nn.Conv2D(in_channels + i * growth, growth, 3) for i in range(layers)]
        )


@pytest.mark.parametrize(
    ("make", "expected", "text"),
    [
        (_Dense, True, "Correct"),
        (
            lambda in_channels, growth, layers: _Dense(in_channels, growth, layers, True),
            False,
            "itself",
        ),
        (lambda in_channels, growth, layers: paddle.nn.Identity(), False, "shape"),
        (_DenseNoPadding, False, "raised"),
        (
            lambda in_channels, growth, layers: _Dense(in_channels, growth, layers, todo=True),
            None,
            "not done",
        ),
        (None, None, "not done"),
    ],
)
def test_check_dense_block_verdicts(capsys, make, expected, text):
    """a dense block passes only with the right channels, shape and input first."""
    assert checks.check_dense_block(make) is expected
    assert text.lower() in capsys.readouterr().out.lower()


def test_random_block_cases_are_varied():
    """random block cases cover several channel, growth and depth settings."""
    cases = checks.random_block_cases(100, seed=0)
    assert len({c["in_channels"] for c in cases}) > 3 and {c["layers"] for c in cases} >= {1, 4}


class _Projection(paddle.nn.Layer):
    def __init__(self, in_channels, out_channels, shortcut=True, final_relu=True):
        super().__init__()
        self.conv1 = paddle.nn.Conv2D(in_channels, out_channels, 3, padding=1)
        self.conv2 = paddle.nn.Conv2D(out_channels, out_channels, 3, padding=1)
        self.shortcut = paddle.nn.Conv2D(in_channels, out_channels, 1) if shortcut else None
        self.final_relu = final_relu

    def forward(self, x):
        y = self.conv2(paddle.nn.functional.relu(self.conv1(x)))
        if self.shortcut is not None:
            y = y + self.shortcut(x)
        return paddle.nn.functional.relu(y) if self.final_relu else y


@pytest.mark.parametrize(
    ("make", "expected", "text"),
    [
        (_Projection, True, "Correct"),
        (
            lambda in_channels, out_channels: _Projection(in_channels, out_channels, False),
            False,
            "parameters",
        ),
        (
            lambda in_channels, out_channels: _Projection(in_channels, out_channels, True, False),
            False,
            "ReLU",
        ),
        (lambda in_channels, out_channels: paddle.nn.Identity(), False, "shape"),
        (None, None, "not done"),
    ],
)
def test_check_projection_residual_verdicts(capsys, make, expected, text):
    """a projection block passes only with the right shape, final ReLU and parameters."""
    assert checks.check_projection_residual(make) is expected
    assert text.lower() in capsys.readouterr().out.lower()


# --- lesson 05 ---


def _lenet_params(c1, c2, h1, h2):
    return c1 * 26 + c2 * (c1 * 25 + 1) + h1 * (c2 * 25 + 1) + h2 * (h1 + 1) + 10 * (h2 + 1)


def _lenet_params_no_bias(c1, c2, h1, h2):
    return c1 * 25 + c2 * c1 * 25 + h1 * c2 * 25 + h2 * h1 + 10 * h2


def _lenet_params_wrong_flatten(c1, c2, h1, h2):
    return c1 * 26 + c2 * (c1 * 25 + 1) + h1 * (c2 * 16 + 1) + h2 * (h1 + 1) + 10 * (h2 + 1)


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (_lenet_params, True),
        (_lenet_params_no_bias, False),
        (_lenet_params_wrong_flatten, False),
        (lambda c1, c2, h1, h2: None, None),
        (None, None),
    ],
)
def test_check_lenet_param_count_verdicts(fn, expected):
    """the formula with biases passes; no biases or a 4x4 flatten fails; None is not done."""
    assert checks.check_lenet_param_count(fn) is expected


def test_random_lenet_cases_reproducible():
    """the same seed gives the same LeNet variants."""
    assert checks.random_lenet_cases(5, seed=3) == checks.random_lenet_cases(5, seed=3)


def _lenet_no_padding(c1, c2, h1, h2):
    from paddle import nn

    return nn.Sequential(
        nn.Conv2D(1, c1, 5), nn.ReLU(), nn.MaxPool2D(2, 2),
        nn.Conv2D(c1, c2, 5), nn.ReLU(), nn.MaxPool2D(2, 2),
        nn.Flatten(), nn.Linear(c2 * 4 * 4, h1), nn.ReLU(),
        nn.Linear(h1, h2), nn.ReLU(), nn.Linear(h2, 10),
    )  # fmt: skip


def _lenet_extra_layer(c1, c2, h1, h2):
    from paddle import nn

    return nn.Sequential(checks.lenet_variant(c1, c2, h1, h2), nn.Linear(10, 10))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (checks.lenet_variant, True),
        (_lenet_no_padding, False),
        (_lenet_extra_layer, False),
        (lambda c1, c2, h1, h2: None, None),
        (None, None),
    ],
)
def test_check_lenet_class_verdicts(make, expected):
    """the reference variant passes; no padding or an extra layer fails; None is not done."""
    assert checks.check_lenet_class(make, count=2) is expected


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (lambda y, p, d: int(((y == d) & (p != d)).sum()), True),
        (lambda y, p, d: int(((p == d) & (y != d)).sum()), False),
        (lambda y, p, d: int((y != p).sum()), False),
        (lambda y, p, d: None, None),
        (None, None),
    ],
)
def test_check_misclassified_count_verdicts(fn, expected):
    """counting true-digit mistakes passes; predicted-digit or all mistakes fail; None not done."""
    assert checks.check_misclassified_count(fn) is expected


# --- lesson 06 ---


def _bn_numpy(x, gamma, beta, eps):
    mean, var = x.mean((0, 2, 3), keepdims=True), x.var((0, 2, 3), keepdims=True)
    return gamma[:, None, None] * (x - mean) / (var + eps) ** 0.5 + beta[:, None, None]


def _bn_unbiased(x, gamma, beta, eps):
    mean, var = x.mean((0, 2, 3), keepdims=True), x.var((0, 2, 3), ddof=1, keepdims=True)
    return gamma[:, None, None] * (x - mean) / (var + eps) ** 0.5 + beta[:, None, None]


def _bn_per_image(x, gamma, beta, eps):
    mean, var = x.mean((2, 3), keepdims=True), x.var((2, 3), keepdims=True)
    return gamma[:, None, None] * (x - mean) / (var + eps) ** 0.5 + beta[:, None, None]


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (_bn_numpy, True),
        (_bn_unbiased, False),
        (_bn_per_image, False),
        (lambda x, gamma, beta, eps: x, False),
        (lambda x, gamma, beta, eps: x[0], False),
        (lambda x, gamma, beta, eps: None, None),
        (None, None),
    ],
)
def test_check_batch_norm_forward_verdicts(fn, expected):
    """the NumPy BN forward passes; unbiased, per-image, identity and wrong shapes fail."""
    assert checks.check_batch_norm_forward(fn) is expected


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (lambda c: (2 * c, 2 * c), True),
        (lambda c: [2 * c, 2 * c], True),
        (lambda c: (2 * c, 0), False),
        (lambda c: (4 * c, 0), False),
        (lambda c: None, None),
        (None, None),
    ],
)
def test_check_batch_norm_param_count_verdicts(fn, expected):
    """(2C trained, 2C statistics) passes; forgetting the statistics fails."""
    assert checks.check_batch_norm_param_count(fn) is expected


# --- lesson 09 ---


def _vanilla_saliency(network, image, class_index):
    x = paddle.to_tensor(image[None], stop_gradient=False)
    (grad,) = paddle.grad(network(x)[0, class_index], x)
    return grad.abs().max(axis=1)[0].numpy()


def _no_abs_saliency(network, image, class_index):
    x = paddle.to_tensor(image[None], stop_gradient=False)
    (grad,) = paddle.grad(network(x)[0, class_index], x)
    return grad.max(axis=1)[0].numpy()


@pytest.mark.parametrize(
    "fn, expected", [(_vanilla_saliency, True), (_no_abs_saliency, False), (None, None)]
)
def test_check_saliency_verdicts(fn, expected):
    """|gradient| maxed over channels passes; forgetting abs fails; None is not done."""
    assert checks.check_saliency(fn) is expected


def test_check_worst_occlusion_recomputes():
    """the argmax of the recomputed heat map passes, another position fails, None is not done."""
    from course_utils import viz

    import numpy as np

    case = checks.random_saliency_cases(1, seed=3)[0]
    net, image = case["network"], case["image"]
    heat = viz.occlusion(net, image, 0, patch=3, stride=2)
    i, j = np.unravel_index(int(heat.argmax()), heat.shape)
    k, m = np.unravel_index(int(heat.argmin()), heat.shape)
    assert checks.check_worst_occlusion((2 * i, 2 * j), net, image, 0, 3, 2) is True
    assert checks.check_worst_occlusion((2 * k, 2 * m), net, image, 0, 3, 2) is False
    assert checks.check_worst_occlusion((1, 1), net, image, 0, 3, 2) is False
    assert checks.check_worst_occlusion(None, net, image, 0, 3, 2) is None
