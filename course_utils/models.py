"""The course's networks, written once and imported by later lessons.

Each lesson builds its network in the notebook first, then checks that it
matches the one here; later lessons, the benchmark and lesson 09 import
these. Lesson 05: :class:`LeNet`; lesson 06: :class:`CifarBaseline`.
"""

from __future__ import annotations

import paddle
from paddle import nn

from .i18n import t

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}
POOLS = {"avg": nn.AvgPool2D, "max": nn.MaxPool2D}


def _choice(value: str, options: dict, name: str):
    if value not in options:
        raise ValueError(
            t(
                f"`{name}` 只能是 {sorted(options)} 之一，得到 {value!r}。",
                f"`{name}` must be one of {sorted(options)}, got {value!r}.",
            )
        )
    return options[value]


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
    """
    image = paddle.static.InputSpec([None, *input_shape], "float32", "image")
    label = paddle.static.InputSpec([None, 1], "int64", "label")
    return paddle.Model(network, inputs=image, labels=label)


# ---------------------------------------------------------------- lesson 06
# (the CIFAR-10 baseline goes here)

# ---------------------------------------------------------------- lessons 07-08
# (GoogLeNet-mini and ResNet-mini go here)
