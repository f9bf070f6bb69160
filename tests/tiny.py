"""A tiny data set and network, so training tests take a fraction of a second."""

from __future__ import annotations

import course_utils as cu

import numpy as np
import paddle
from paddle import nn


class TinyData(paddle.io.Dataset):
    """Random 1x8x8 images whose label is 1 when the left half is brighter."""

    def __init__(self, n: int = 96, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.x = rng.normal(size=(n, 1, 8, 8)).astype("float32")
        self.y = self.x[:, :, :, :4].mean((1, 2, 3)) > self.x[:, :, :, 4:].mean((1, 2, 3))
        self.y = self.y.astype("int64").reshape(-1, 1)

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return len(self.x)


def tiny_net(channels: int = 4, act=nn.ReLU) -> nn.Layer:
    return nn.Sequential(
        nn.Conv2D(1, channels, 3, padding=1), act(), nn.Flatten(), nn.Linear(channels * 64, 2)
    )


def prepared(network: nn.Layer | None = None) -> paddle.Model:
    paddle.seed(0)
    network = network or tiny_net()
    model = cu.as_model(network, input_shape=(1, 8, 8))
    optimizer = paddle.optimizer.Adam(learning_rate=0.01, parameters=network.parameters())
    model.prepare(optimizer, nn.CrossEntropyLoss(), paddle.metric.Accuracy())
    return model


def fit(model, train, test=None, epochs=1, history=None, **kwargs) -> cu.History:
    history = history if history is not None else cu.History(live=False)
    model.fit(train, test, epochs=epochs, batch_size=16, verbose=0, callbacks=[history], **kwargs)
    return history


def params_of(model: paddle.Model) -> dict[str, np.ndarray]:
    return {k: v.numpy() for k, v in model.network.state_dict().items()}


def exported_lenet(folder, seed: int):
    """A randomly initialised ReLU LeNet saved with jit.save into `folder` and converted to ONNX.

    Returns ``(network, path of lenet.onnx)``; the jit files are ``folder / "lenet.*"``.
    """
    from course_utils import deploy
    from course_utils.models import LeNet

    paddle.seed(seed)
    net = LeNet("relu", "max")
    net.eval()
    spec = paddle.static.InputSpec([None, 1, 28, 28], "float32", "image")
    paddle.jit.save(net, str(folder / "lenet"), input_spec=[spec])
    return net, deploy.onnx_export(folder / "lenet", folder / "lenet.onnx")
