"""The course's networks, written once and imported by later lessons.

Each lesson builds its network in the notebook first, then checks that it
matches the one here; later lessons, the benchmark and lesson 09 import
these. Lesson 05: :class:`LeNet`.
"""

from __future__ import annotations

import paddle
from paddle import nn

from . import validate

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}
POOLS = {"avg": nn.AvgPool2D, "max": nn.MaxPool2D}
#: Most output classes of a course network (ImageNet has 1,000).
MAX_CLASSES = 10_000
#: Most channels of a block.
MAX_CHANNELS = 4096


def _choice(value: str, options: dict, name: str):
    return options[validate.choice(value, name, sorted(options))]


def _num_classes(value) -> int:
    return validate.integer(value, "num_classes", low=1, high=MAX_CLASSES)


# ---------------------------------------------------------------- lesson 05


class LeNet(nn.Layer):
    """LeNet-5 for 1x28x28 images (lesson 05).

    The classic 1998 version uses sigmoid and average pooling (61,706
    parameters); ``activation='relu', pool='max'`` is the modern variant
    with the same shapes and parameter count.

    Examples
    --------
    >>> sum(int(p.size) for p in LeNet().parameters())
    61706
    """

    def __init__(self, activation: str = "sigmoid", pool: str = "avg", num_classes: int = 10):
        super().__init__()
        act, pool_layer = (
            _choice(activation, ACTIVATIONS, "activation"),
            _choice(pool, POOLS, "pool"),
        )
        num_classes = _num_classes(num_classes)
        self.settings = {"activation": activation, "pool": pool}
        self.features = nn.Sequential(
            nn.Conv2D(1, 6, 5, padding=2), act(), pool_layer(2, 2),
            nn.Conv2D(6, 16, 5), act(), pool_layer(2, 2),
        )  # fmt: skip
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), act(),
            nn.Linear(120, 84), act(),
            nn.Linear(84, num_classes),
        )  # fmt: skip

    def forward(self, x):
        return self.classifier(self.features(x))


def as_model(network: nn.Layer, input_shape=(1, 28, 28)) -> paddle.Model:
    """Wrap `network` in a ``paddle.Model`` with named input and label specs.

    The specs let the model be exported for inference (lesson 05).

    Raises
    ------
    TypeError
        `network` is not a ``paddle.nn.Layer``, or `input_shape` not a list
        or tuple of ints.
    ValueError
        `input_shape` does not have 1 to 3 sizes from 1 to 4096.
    """
    network = validate.layer(network)
    input_shape = validate.shape(input_shape, "input_shape", ndim=(1, 2, 3))
    image = paddle.static.InputSpec([None, *input_shape], "float32", "image")
    label = paddle.static.InputSpec([None, 1], "int64", "label")
    return paddle.Model(network, inputs=image, labels=label)


# ---------------------------------------------------------------- lesson 06


class CifarBaseline(nn.Layer):
    """The baseline CNN for 3x32x32 CIFAR-10 images (lesson 06).

    conv 3->6 5x5 'same' -> [BN] -> ReLU -> max pool 2 -> [dropout] ->
    flatten (6*16*16 = 1536) -> linear 128 -> ReLU -> [dropout] -> linear 10.
    ``batch_norm=False, dropout=0`` gives the plain network; the layers in
    brackets are left out then.

    Parameters
    ----------
    batch_norm : bool
        Put a ``BatchNorm2D`` between the convolution and its ReLU.
    dropout : float
        Drop probability of both dropout layers, in [0, 1); 0 leaves them out.
    num_classes : int
        Number of outputs.

    Raises
    ------
    TypeError
        `batch_norm` is not a bool, `dropout` not a number, `num_classes` not an int.
    ValueError
        `dropout` is not in [0, 1), `num_classes` not from 1 to 10,000.

    Examples
    --------
    >>> from course_utils.train import count_parameters
    >>> count_parameters(CifarBaseline(batch_norm=False, dropout=0.0))
    198482
    >>> net = CifarBaseline()  # BN adds gamma and beta (trained) and two statistics
    >>> count_parameters(net), sum(int(p.size) for p in net.parameters())
    (198494, 198506)
    """

    def __init__(self, batch_norm: bool = True, dropout: float = 0.2, num_classes: int = 10):
        super().__init__()
        batch_norm = validate.flag(batch_norm, "batch_norm")
        dropout = validate.number(dropout, "dropout", 0, 1, high_open=True)
        num_classes = _num_classes(num_classes)
        self.batch_norm, self.dropout = bool(batch_norm), float(dropout)
        self.settings = {"batch_norm": self.batch_norm, "dropout": self.dropout}
        self.features = nn.Sequential(
            nn.Conv2D(3, 6, 5, padding=2),  # 'same': 6 x 32 x 32
            *([nn.BatchNorm2D(6)] if batch_norm else []),
            nn.ReLU(),
            nn.MaxPool2D(2, 2),  # 6 x 16 x 16
            *([nn.Dropout(dropout)] if dropout > 0 else []),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(6 * 16 * 16, 128),
            nn.ReLU(),
            *([nn.Dropout(dropout)] if dropout > 0 else []),
            nn.Linear(128, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


# ---------------------------------------------------------------- lessons 07-08
# (GoogLeNet-mini and ResNet-mini go here)

# ------------------------------------------- lesson 07


class Inception(nn.Layer):
    """Inception block with four parallel branches (lesson 07).

    Branch 1: 1x1 conv to ``widths[0]``; branch 2: 1x1 conv to
    ``widths[1]`` then 5x5 conv (padding 2) to ``widths[1]``; branch 3:
    1x1 conv to ``widths[2]`` then two 3x3 convs (padding 1); branch 4:
    3x3 average pooling (stride 1, padding 1) then 1x1 conv to
    ``widths[3]``. Every branch keeps the height and width; the outputs are
    concatenated on the channel axis, so the block has ``sum(widths)``
    output channels. A ReLU follows every convolution.

    Parameters
    ----------
    in_channels : int
        Channels of the input, at least 1.
    widths : tuple of 4 int, default (16, 24, 24, 24)
        Output channels of the four branches.
    bottleneck : bool, default True
        False drops the 1x1 convolutions in front of the 5x5 and 3x3 ones
        (branches 2 and 3 then start with a 5x5 or 3x3 convolution from
        `in_channels`): same output shape, more multiply-adds (lesson 07
        compares the two).

    Examples
    --------
    >>> block = Inception(10)
    >>> list(block(paddle.zeros([2, 10, 12, 12])).shape)
    [2, 88, 12, 12]
    >>> plain = Inception(10, bottleneck=False)
    >>> [type(layer).__name__ for layer in plain.branch2]
    ['Conv2D', 'ReLU']
    """

    def __init__(self, in_channels: int, widths=(16, 24, 24, 24), bottleneck: bool = True):
        super().__init__()
        in_channels = validate.integer(in_channels, "in_channels", low=1, high=MAX_CHANNELS)
        widths = tuple(
            validate.integer(w, f"widths[{i}]", low=1, high=MAX_CHANNELS)
            for i, w in enumerate(validate.sequence(widths, "widths", length=4))
        )
        bottleneck = validate.flag(bottleneck, "bottleneck")
        w1, w2, w3, w4 = widths
        self.widths = tuple(widths)
        self.branch1 = nn.Sequential(nn.Conv2D(in_channels, w1, 1), nn.ReLU())
        if bottleneck:
            self.branch2 = nn.Sequential(
                nn.Conv2D(in_channels, w2, 1), nn.ReLU(), nn.Conv2D(w2, w2, 5, padding=2), nn.ReLU()
            )
            self.branch3 = nn.Sequential(
                nn.Conv2D(in_channels, w3, 1), nn.ReLU(),
                nn.Conv2D(w3, w3, 3, padding=1), nn.ReLU(),
                nn.Conv2D(w3, w3, 3, padding=1), nn.ReLU(),
            )  # fmt: skip
        else:
            self.branch2 = nn.Sequential(nn.Conv2D(in_channels, w2, 5, padding=2), nn.ReLU())
            self.branch3 = nn.Sequential(
                nn.Conv2D(in_channels, w3, 3, padding=1), nn.ReLU(),
                nn.Conv2D(w3, w3, 3, padding=1), nn.ReLU(),
            )  # fmt: skip
        self.branch4 = nn.Sequential(
            nn.AvgPool2D(3, stride=1, padding=1), nn.Conv2D(in_channels, w4, 1), nn.ReLU()
        )

    def forward(self, x):
        branches = [self.branch1, self.branch2, self.branch3, self.branch4]
        return paddle.concat([branch(x) for branch in branches], axis=1)


class GoogLeNetMini(nn.Layer):
    """A small GoogLeNet for 1x28x28 MNIST images (lesson 07).

    conv 1->10 k5 (24x24), max pool 2 (12x12), ``Inception(10)`` (88
    channels), conv 88->20 k5 (8x8), max pool 2 (4x4), ``Inception(20)``
    (88 channels), flatten to 88*4*4 = 1408, linear to `num_classes`.
    ReLU follows each plain convolution.

    Examples
    --------
    >>> net = GoogLeNetMini()
    >>> list(net(paddle.zeros([2, 1, 28, 28])).shape)
    [2, 10]
    """

    def __init__(self, num_classes: int = 10):
        super().__init__()
        num_classes = _num_classes(num_classes)
        self.features = nn.Sequential(
            nn.Conv2D(1, 10, 5), nn.ReLU(), nn.MaxPool2D(2, 2),  # 10 x 12 x 12
            Inception(10),  # 88 x 12 x 12
            nn.Conv2D(88, 20, 5), nn.ReLU(), nn.MaxPool2D(2, 2),  # 20 x 4 x 4
            Inception(20),  # 88 x 4 x 4
        )  # fmt: skip
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(88 * 4 * 4, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class SourceInception(nn.Layer):
    """The Inception block of the source tutorial's PyTorch notes, "InceptionA" (lesson 07).

    Branch 1: 1x1 conv to 16; branch 2: 1x1 conv to 16, then 5x5 conv
    16->24 (padding 2); branch 3: 1x1 conv to 16, then 3x3 convs 16->24 and
    24->24 (padding 1); branch 4: 3x3 average pooling (stride 1, padding 1)
    then 1x1 conv to 24. 16 + 24 + 24 + 24 = 88 output channels.

    It differs from :class:`Inception` in three ways, each kept here as the
    source has it: the 1x1 reductions of branches 2 and 3 go to 16 channels
    (not to the branch width 24), there is no activation inside the block
    (so the block is an affine map of its input), and the average pooling
    counts the zero padding in its mean (``exclusive=False``, PyTorch's
    default ``count_include_pad=True``; Paddle's default leaves it out).

    Parameters
    ----------
    in_channels : int
        Channels of the input, at least 1.

    Raises
    ------
    TypeError, ValueError
        `in_channels` is not a positive int.

    Examples
    --------
    >>> block = SourceInception(10)
    >>> list(block(paddle.zeros([2, 10, 12, 12])).shape)
    [2, 88, 12, 12]
    >>> sum(int(p.size) for p in block.parameters())
    19104
    """

    def __init__(self, in_channels: int):
        super().__init__()
        in_channels = validate.integer(in_channels, "in_channels", low=1, high=MAX_CHANNELS)
        self.branch1 = nn.Sequential(nn.Conv2D(in_channels, 16, 1))
        self.branch2 = nn.Sequential(nn.Conv2D(in_channels, 16, 1), nn.Conv2D(16, 24, 5, padding=2))
        self.branch3 = nn.Sequential(
            nn.Conv2D(in_channels, 16, 1),
            nn.Conv2D(16, 24, 3, padding=1),
            nn.Conv2D(24, 24, 3, padding=1),
        )
        self.branch4 = nn.Sequential(
            nn.AvgPool2D(3, stride=1, padding=1, exclusive=False), nn.Conv2D(in_channels, 24, 1)
        )

    def forward(self, x):
        branches = [self.branch1, self.branch2, self.branch3, self.branch4]
        return paddle.concat([branch(x) for branch in branches], axis=1)


class SourceGoogLeNet(nn.Layer):
    """The source tutorial's small GoogLeNet for 1x28x28 MNIST images (lesson 07).

    conv 1->10 k5, max pool 2, ReLU, ``SourceInception(10)``, conv 88->20
    k5, max pool 2, ReLU, ``SourceInception(20)``, flatten to 1408, linear
    to `num_classes`: 97,298 parameters. The layers and shapes are those of
    :class:`GoogLeNetMini`; the blocks are the source's. ReLU after max
    pooling gives the same values as before it (both keep the larger value).

    Parameters
    ----------
    num_classes : int
        Number of outputs, at least 1.

    Examples
    --------
    >>> net = SourceGoogLeNet()
    >>> list(net(paddle.zeros([2, 1, 28, 28])).shape)
    [2, 10]
    >>> sum(int(p.size) for p in net.parameters())
    97298
    """

    def __init__(self, num_classes: int = 10):
        super().__init__()
        num_classes = _num_classes(num_classes)
        self.features = nn.Sequential(
            nn.Conv2D(1, 10, 5), nn.MaxPool2D(2, 2), nn.ReLU(),  # 10 x 12 x 12
            SourceInception(10),  # 88 x 12 x 12
            nn.Conv2D(88, 20, 5), nn.MaxPool2D(2, 2), nn.ReLU(),  # 20 x 4 x 4
            SourceInception(20),  # 88 x 4 x 4
        )  # fmt: skip
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(88 * 4 * 4, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


# ------------------------------------------- lesson 08


class Residual(nn.Layer):
    """Residual block ``y = relu(x + F(x))``, ``F`` = conv3x3-relu-conv3x3 (lesson 08).

    Both convolutions keep the channel count and, with padding 1, the height
    and width, so ``x`` and ``F(x)`` can be added.

    Examples
    --------
    >>> block = Residual(8)
    >>> list(block(paddle.randn([2, 8, 5, 5])).shape)
    [2, 8, 5, 5]
    >>> sum(int(p.size) for p in block.parameters())  # 2 * (8*8*9 + 8)
    1168
    """

    def __init__(self, channels: int):
        super().__init__()
        channels = validate.integer(channels, "channels", low=1, high=MAX_CHANNELS)
        self.conv1 = nn.Conv2D(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2D(channels, channels, 3, padding=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(x + self.conv2(self.relu(self.conv1(x))))


class ResNetMini(nn.Layer):
    """A small ResNet for 1x28x28 MNIST images (lesson 08).

    conv 1->16 k5, max pool 2, ``Residual(16)``, conv 16->32 k5, max pool 2,
    ``Residual(32)``, flatten to 32*4*4 = 512, linear to `num_classes`.
    ReLU follows each plain convolution.

    Examples
    --------
    >>> net = ResNetMini()
    >>> list(net(paddle.zeros([2, 1, 28, 28])).shape)
    [2, 10]
    >>> sum(int(p.size) for p in net.parameters())
    41514
    """

    def __init__(self, num_classes: int = 10):
        super().__init__()
        num_classes = _num_classes(num_classes)
        self.features = nn.Sequential(
            nn.Conv2D(1, 16, 5), nn.ReLU(), nn.MaxPool2D(2, 2),  # 16 x 12 x 12
            Residual(16),
            nn.Conv2D(16, 32, 5), nn.ReLU(), nn.MaxPool2D(2, 2),  # 32 x 4 x 4
            Residual(32),
        )  # fmt: skip
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class DownsampleResidual(nn.Layer):
    """A residual block that changes the shape: stride 2 and more channels (lesson 08).

    The first block of a ResNet stage halves the height and width and
    changes the channel count. ``F`` = conv3x3 (`in_channels` ->
    `out_channels`, stride 2, padding 1) - ReLU - conv3x3 (padding 1); the
    input no longer has ``F(x)``'s shape, so the shortcut is a *projection*:
    a 1x1 convolution with stride 2 to `out_channels`. ``y = relu(shortcut(x) + F(x))``.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the input and of the output, at least 1.

    Examples
    --------
    >>> block = DownsampleResidual(16, 32)
    >>> list(block(paddle.zeros([2, 16, 12, 12])).shape)
    [2, 32, 6, 6]
    >>> sum(int(p.size) for p in block.parameters())  # 4640 + 9248 + 544
    14432
    """

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        in_channels = validate.integer(in_channels, "in_channels", low=1, high=MAX_CHANNELS)
        out_channels = validate.integer(out_channels, "out_channels", low=1, high=MAX_CHANNELS)
        self.conv1 = nn.Conv2D(in_channels, out_channels, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2D(out_channels, out_channels, 3, padding=1)
        self.shortcut = nn.Conv2D(in_channels, out_channels, 1, stride=2)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.shortcut(x) + self.conv2(self.relu(self.conv1(x))))


class StridedResNetMini(nn.Layer):
    """ResNet-mini built from ResNet-style stages (lesson 08).

    Stage 1: conv 1->16 k5 (24x24), max pool 2 (12x12), ``Residual(16)``.
    Stage 2: ``DownsampleResidual(16, 32)`` (stride 2: 6x6, projection
    shortcut), ``Residual(32)``. Head: global average pooling (32 values),
    linear to `num_classes`. Where :class:`ResNetMini` shrinks the map with a
    5x5 convolution and a pooling layer outside any block, here the second
    stage's first block does it, with its own shortcut.

    Examples
    --------
    >>> net = StridedResNetMini()
    >>> list(net(paddle.zeros([2, 1, 28, 28])).shape)
    [2, 10]
    >>> sum(int(p.size) for p in net.parameters())
    38314
    """

    def __init__(self, num_classes: int = 10):
        super().__init__()
        num_classes = _num_classes(num_classes)
        self.features = nn.Sequential(
            nn.Conv2D(1, 16, 5), nn.ReLU(), nn.MaxPool2D(2, 2),  # 16 x 12 x 12
            Residual(16),
            DownsampleResidual(16, 32),  # 32 x 6 x 6
            Residual(32),
        )  # fmt: skip
        self.classifier = nn.Sequential(
            nn.AdaptiveAvgPool2D(1), nn.Flatten(), nn.Linear(32, num_classes)
        )

    def forward(self, x):
        return self.classifier(self.features(x))
