"""What did the CNN learn? Visualisation helpers (lesson 09).

Pure functions on a ``paddle.nn.Layer`` and NCHW float images (a single
image as ``(C, H, W)`` or ``(1, C, H, W)``, NumPy array or Paddle tensor):

- :func:`feature_maps` -- the output of every convolution and pooling layer;
- :func:`layer_labels` -- readable names for them (``conv1``, ``pool1``, ...);
- :func:`first_conv_kernels` -- the first convolution layer's kernels;
- :func:`maximise_filter`, :func:`maximise_class` -- activation
  maximisation by gradient ascent on the input, with optional L2 and
  total-variation penalties;
- :func:`probabilities` -- the class probabilities of one image;
- :func:`top_activating` -- the images that excite one filter most;
- :func:`saliency` -- the gradient of a class score with respect to the pixels;
- :func:`occlusion` -- the drop in a class probability as a grey patch slides;
- :func:`fgsm` and :func:`smallest_fooling_epsilon` -- fast gradient sign
  perturbations and the smallest one that flips the prediction (refused for
  an image the network already gets wrong).

Bad input gets a bilingual error naming the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import paddle
from paddle import nn

from . import validate
from .i18n import bilingual

__all__ = [
    "FoolingResult",
    "fgsm",
    "feature_maps",
    "first_conv_kernels",
    "layer_labels",
    "maximise_class",
    "maximise_filter",
    "named_layers",
    "occlusion",
    "probabilities",
    "saliency",
    "smallest_fooling_epsilon",
    "top_activating",
    "total_variation",
]

LAYER_TYPES = (nn.Conv2D, nn.MaxPool2D, nn.AvgPool2D)


# ---------------------------------------------------------------- validation

#: Most gradient-ascent steps (about a minute for LeNet on one CPU core).
MAX_STEPS = 10_000
#: Most epsilons tried at once by :func:`smallest_fooling_epsilon`.
MAX_GRID = 1000


def _last_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return (lines[-1] if lines else type(err).__name__)[:300]


def _dtype(network: nn.Layer) -> str:
    """The dtype of the network's parameters (float32 when it has none)."""
    params = network.parameters()
    return "float64" if params and params[0].dtype == paddle.float64 else "float32"


def _as_batch(image, network: nn.Layer, name: str = "image") -> paddle.Tensor:
    """`image` as a ``(1, C, H, W)`` tensor of the network's dtype (never the reverse)."""
    if isinstance(image, paddle.Tensor):
        image = image.detach()
    array = validate.array(image, name, ndim=(3, 4), dtype=_dtype(network))
    if array.ndim == 4 and array.shape[0] != 1:
        raise ValueError(
            bilingual(
                f"`{name}` 必须是一张 (C, H, W) 或 (1, C, H, W) 的图像，收到形状 {array.shape}。",
                f"`{name}` must be one image of shape (C, H, W) or (1, C, H, W), "
                f"got shape {array.shape}.",
            )
        )
    return paddle.to_tensor(array.reshape((1, *array.shape[-3:])))


def _class_index(value, num_classes: int, name: str = "class_index") -> int:
    return validate.integer(value, name, low=0, high=num_classes - 1)


def _logits(network: nn.Layer, x: paddle.Tensor, name: str = "image") -> paddle.Tensor:
    """Forward in evaluation mode; the input takes the network's dtype (never the reverse).

    A forward pass that fails (an input of a shape the network cannot take)
    raises ``ValueError`` naming `name`.
    """
    network.eval()
    params = network.parameters()
    if params and params[0].dtype != x.dtype:
        x = x.astype(params[0].dtype)
    try:
        return network(x)
    except Exception as err:  # noqa: BLE001 - Paddle's shape errors, reported in both languages
        shape = list(x.shape[1:])
        raise ValueError(
            bilingual(
                f"网络无法处理 `{name}`（形状 {shape}）：{_last_line(err)}",
                f"The network cannot take `{name}` (shape {shape}): {_last_line(err)}",
            )
        ) from None


def _ascent_args(steps, lr, l2, tv, seed, shape) -> tuple:
    return (
        validate.integer(steps, "steps", low=1, high=MAX_STEPS),
        validate.number(lr, "lr", 0, low_open=True),
        validate.number(l2, "l2", 0),
        validate.number(tv, "tv", 0),
        validate.integer(seed, "seed", low=0, high=2**32 - 1),
        validate.shape(shape, "shape", ndim=3),
    )


# ---------------------------------------------------------------- filters and feature maps


def named_layers(network: nn.Layer, types: tuple = LAYER_TYPES) -> list[tuple[str, nn.Layer]]:
    """The sublayers of `network` of the given `types`, in order, with their names.

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> [name for name, _ in named_layers(LeNet("relu", "max"))]
    ['features.0', 'features.2', 'features.3', 'features.5']
    """
    network = validate.layer(network)
    types = _types(types)
    return [(name, layer) for name, layer in network.named_sublayers() if isinstance(layer, types)]


def _sublayer(network: nn.Layer, layer: str) -> nn.Layer:
    """The sublayer called `layer`; a bilingual ValueError listing the names otherwise."""
    layers = dict(named_layers(network, (nn.Layer,)))
    validate.text(layer, "layer")
    if layer not in layers:
        names = [n for n, _ in named_layers(network)]
        raise ValueError(
            bilingual(
                f"`layer` 必须是网络中的层名（例如 {names}），收到 {layer!r}。",
                f"`layer` must be a layer name of the network (e.g. {names}), got {layer!r}.",
            )
        )
    return layers[layer]


def _map_channel(out, layer: str, channel) -> int:
    """`channel` checked against `layer`'s output, which must be feature maps (N, C, H, W)."""
    if not isinstance(out, paddle.Tensor) or out.ndim != 4:
        raise ValueError(
            bilingual(
                f"`layer` 必须是输出特征图 (N, C, H, W) 的层，{layer!r} 不是。",
                f"`layer` must be a layer whose output is feature maps (N, C, H, W); "
                f"{layer!r} is not.",
            )
        )
    return _class_index(channel, int(out.shape[1]), "channel")


def _types(types) -> tuple:
    """`types` as a non-empty tuple of layer classes."""
    kinds = (types,) if isinstance(types, type) else types
    if not isinstance(kinds, tuple) or not kinds:
        raise validate.type_error(
            "types", "层的类组成的元组，例如 (nn.Conv2D,)", "a tuple of layer classes", types
        )
    for kind in kinds:
        if not (isinstance(kind, type) and issubclass(kind, nn.Layer)):
            raise validate.type_error(
                "types", "层的类组成的元组，例如 (nn.Conv2D,)", "a tuple of layer classes", types
            )
    return kinds


def feature_maps(
    network: nn.Layer, image, types: tuple = LAYER_TYPES
) -> list[tuple[str, np.ndarray]]:
    """The output of every convolution and pooling layer for one `image`.

    Forward hooks record each layer's output during one forward pass.

    Parameters
    ----------
    network : paddle.nn.Layer
    image : array or Tensor, shape (C, H, W) or (1, C, H, W)
    types : tuple of layer classes
        Which layers to record (default: ``Conv2D``, ``MaxPool2D``, ``AvgPool2D``).

    Returns
    -------
    list of (str, ndarray)
        ``(layer name, maps of shape (channels, height, width))`` in forward order.

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> maps = feature_maps(LeNet("relu", "max"), np.zeros((1, 28, 28), "float32"))
    >>> [(name, m.shape) for name, m in maps][:2]
    [('features.0', (6, 28, 28)), ('features.2', (6, 14, 14))]
    """
    network = validate.layer(network)
    x = _as_batch(image, network)
    recorded: list[tuple[str, np.ndarray]] = []
    hooks = []
    for name, layer in named_layers(network, types):

        def hook(_layer, _inputs, output, name=name):
            recorded.append((name, output.detach().numpy()[0]))

        hooks.append(layer.register_forward_post_hook(hook))
    try:
        with paddle.no_grad():
            _logits(network, x)
    finally:
        for handle in hooks:
            handle.remove()
    return recorded


def first_conv_kernels(network: nn.Layer) -> np.ndarray:
    """The kernels of the first ``Conv2D`` in `network`, shape (out, in, k, k).

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> first_conv_kernels(LeNet()).shape
    (6, 1, 5, 5)
    """
    convs = named_layers(network, (nn.Conv2D,))
    if not convs:
        raise ValueError(
            bilingual(
                "`network` 里没有卷积层（Conv2D）。", "`network` has no convolution layer (Conv2D)."
            )
        )
    return convs[0][1].weight.numpy().copy()


# ---------------------------------------------------------------- activation maximisation


def total_variation(x: paddle.Tensor) -> paddle.Tensor:
    """Total variation of an NCHW tensor: summed squared differences of neighbours.

    Examples
    --------
    >>> float(total_variation(paddle.to_tensor([[[[0.0, 1.0], [0.0, 1.0]]]])))
    2.0
    """
    if not isinstance(x, paddle.Tensor):
        x = paddle.to_tensor(validate.array(x, "x", ndim=4))
    elif x.ndim != 4:
        raise ValueError(
            bilingual(
                f"`x` 必须是 4 维张量 (N, C, H, W)，收到形状 {list(x.shape)}。",
                f"`x` must be a 4-D tensor (N, C, H, W), got shape {list(x.shape)}.",
            )
        )
    dh = x[:, :, 1:, :] - x[:, :, :-1, :]
    dw = x[:, :, :, 1:] - x[:, :, :, :-1]
    return (dh**2).sum() + (dw**2).sum()


def _ascend(network, score_fn, shape, steps, lr, l2, tv, seed) -> tuple[np.ndarray, np.ndarray]:
    """Gradient ascent on the input from small noise; normalised steps of size `lr`.

    The arguments come checked by :func:`_ascent_args`.
    """
    rng = np.random.default_rng(seed)
    params = network.parameters()
    dtype = params[0].dtype if params else paddle.float32
    x = paddle.to_tensor(0.1 * rng.standard_normal((1, *shape))).astype(dtype)
    objectives = []
    for _ in range(steps + 1):
        x.stop_gradient = False
        objective = score_fn(x) - l2 * (x**2).sum() - tv * total_variation(x)
        objectives.append(float(objective))
        if len(objectives) > steps:
            break
        (grad,) = paddle.grad(objective, x)
        step = grad / (grad.pow(2).mean().sqrt() + 1e-12)
        x = (x + lr * step).detach()
    return x.numpy()[0], np.array(objectives[1:])


def maximise_filter(
    network: nn.Layer,
    layer: str,
    channel: int,
    shape: tuple = (1, 28, 28),
    steps: int = 100,
    lr: float = 0.05,
    l2: float = 0.0,
    tv: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The input that maximises one filter's summed activation, by gradient ascent.

    Objective: ``sum(activation of channel) - l2 * sum(x**2) - tv * TV(x)``.
    Each step moves `x` by `lr` times the gradient divided by its RMS.

    Parameters
    ----------
    network : paddle.nn.Layer
    layer : str
        A layer name from :func:`named_layers` (e.g. ``'features.3'``).
    channel : int
        The filter (output channel) of that layer.
    shape : tuple
        Input shape (C, H, W).
    steps, lr, l2, tv, seed
        Number of steps, step size, penalty weights, noise seed.

    Returns
    -------
    image : ndarray, shape (C, H, W)
    objectives : ndarray, shape (steps,)
        The objective after every step.
    """
    target = _sublayer(network, layer)
    steps, lr, l2, tv, seed, shape = _ascent_args(steps, lr, l2, tv, seed, shape)
    store: dict = {}
    handle = target.register_forward_post_hook(
        lambda _l, _i, output: store.__setitem__("out", output)
    )
    try:
        with paddle.no_grad():
            _logits(network, paddle.zeros([1, *shape], dtype=_dtype(network)), "shape")
        channel = _map_channel(store.get("out"), layer, channel)
    except (TypeError, ValueError):
        handle.remove()
        raise

    def score(x):
        network(x)
        return store["out"][0, channel].sum()

    try:
        return _ascend(network, score, shape, steps, lr, l2, tv, seed)
    finally:
        handle.remove()


def maximise_class(
    network: nn.Layer,
    class_index: int,
    shape: tuple = (1, 28, 28),
    steps: int = 100,
    lr: float = 0.05,
    l2: float = 0.0,
    tv: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The input that maximises one class score (logit), by gradient ascent.

    Same as :func:`maximise_filter` with the score of `class_index` as the
    objective (before the penalties).

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> image, objective = maximise_class(LeNet("relu", "max"), 3, steps=5)
    >>> image.shape, objective.shape, bool(objective[-1] > objective[0])
    ((1, 28, 28), (5,), True)
    """
    network = validate.layer(network)
    steps, lr, l2, tv, seed, shape = _ascent_args(steps, lr, l2, tv, seed, shape)
    with paddle.no_grad():
        logits = _logits(network, paddle.zeros([1, *shape], dtype=_dtype(network)), "shape")
    num_classes = int(logits.shape[-1])
    class_index = _class_index(class_index, num_classes)
    score = lambda x: network(x)[0, class_index]  # noqa: E731
    return _ascend(network, score, shape, steps, lr, l2, tv, seed)


# ---------------------------------------------------------------- saliency and occlusion


def _predicted(
    network: nn.Layer, x: paddle.Tensor, class_index, name: str = "class_index"
) -> tuple[int, int]:
    with paddle.no_grad():
        logits = _logits(network, x)
    num_classes = int(logits.shape[-1])
    if class_index is None:
        return int(logits.argmax(-1)[0]), num_classes
    return _class_index(class_index, num_classes, name), num_classes


def saliency(network: nn.Layer, image, class_index: int | None = None) -> np.ndarray:
    """Vanilla saliency: ``|d score / d pixel|``, the maximum over channels.

    Parameters
    ----------
    network : paddle.nn.Layer
    image : array or Tensor, shape (C, H, W) or (1, C, H, W)
    class_index : int, optional
        The class whose score (logit) is differentiated; default: the predicted class.

    Returns
    -------
    ndarray, shape (H, W)

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> saliency(LeNet("relu", "max"), np.zeros((1, 28, 28), "float32"), 0).shape
    (28, 28)
    """
    network = validate.layer(network)
    x = _as_batch(image, network)
    class_index, _ = _predicted(network, x, class_index)
    x.stop_gradient = False
    score = _logits(network, x)[0, class_index]
    (grad,) = paddle.grad(score, x)
    return np.abs(grad.numpy()[0]).max(axis=0)


def occlusion(
    network: nn.Layer,
    image,
    class_index: int,
    patch: int = 7,
    stride: int = 3,
    value: float = 0.0,
    batch_size: int = 256,
) -> np.ndarray:
    """Occlusion sensitivity: the drop in the probability of `class_index`.

    A ``patch x patch`` square of constant `value` is placed at every
    position ``(i * stride, j * stride)`` that fits inside the image; all
    occluded images are classified in batches of `batch_size`.

    Returns
    -------
    ndarray, shape (rows, cols)
        ``heat[i, j]`` = probability without the patch minus probability with
        the patch at top-left corner ``(i * stride, j * stride)``.

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> occlusion(LeNet("relu", "max"), np.zeros((1, 28, 28), "float32"), 0, 7, 7).shape
    (4, 4)
    """
    network = validate.layer(network)
    x = _as_batch(image, network)
    patch = validate.positive(patch, "patch")
    stride = validate.positive(stride, "stride")
    value = validate.number(value, "value")
    batch_size = validate.positive(batch_size, "batch_size")
    _, channels, height, width = x.shape
    if patch > min(height, width):
        raise ValueError(
            bilingual(
                f"`patch`（{patch}）不能大于图像（{height}x{width}）。",
                f"`patch` ({patch}) must not be larger than the image ({height}x{width}).",
            )
        )
    class_index, _ = _predicted(network, x, class_index)
    tops = range(0, height - patch + 1, stride)
    lefts = range(0, width - patch + 1, stride)
    corners = [(r, c) for r in tops for c in lefts]
    base = x.numpy()[0]
    probs = []
    with paddle.no_grad():
        p0 = float(nn.functional.softmax(_logits(network, x), -1)[0, class_index])
        for start in range(0, len(corners), batch_size):
            chunk = corners[start : start + batch_size]
            batch = np.repeat(base[None], len(chunk), axis=0)
            for k, (r, c) in enumerate(chunk):
                batch[k, :, r : r + patch, c : c + patch] = value
            logits = network(paddle.to_tensor(batch))
            probs.append(nn.functional.softmax(logits, -1)[:, class_index].numpy())
    return (p0 - np.concatenate(probs)).reshape(len(tops), len(lefts))


# ---------------------------------------------------------------- fooling


def _loss_sign(network: nn.Layer, x: paddle.Tensor, label: int) -> paddle.Tensor:
    x = x.clone()
    x.stop_gradient = False
    loss = nn.functional.cross_entropy(_logits(network, x), paddle.to_tensor([label]))
    (grad,) = paddle.grad(loss, x)
    return grad.sign()


def fgsm(network: nn.Layer, image, label: int, epsilon: float) -> np.ndarray:
    """Fast gradient sign perturbation: ``x + epsilon * sign(d loss / d x)``.

    The loss is the cross-entropy for the true `label`, so the step makes
    that label less likely. Every pixel moves by exactly `epsilon`.

    Returns
    -------
    ndarray, shape (C, H, W)
    """
    network = validate.layer(network)
    x = _as_batch(image, network)
    epsilon = validate.number(epsilon, "epsilon", 0)
    label, _ = _predicted(network, x, label, "label")
    return (x + epsilon * _loss_sign(network, x, label)).numpy()[0]


def _require_correct(network: nn.Layer, x: paddle.Tensor, label: int) -> None:
    """Refuse an image the network already gets wrong: there is nothing to fool."""
    predicted, _ = _predicted(network, x, None)
    if predicted != label:
        raise ValueError(
            bilingual(
                f"网络已经把这张图认成 {predicted}，而不是 `label` = {label}：没有什么可骗的。"
                "请换一张网络认对的图像。",
                f"The network already classifies this image as {predicted}, not `label` = "
                f"{label}: there is nothing to fool. Pick an image it gets right.",
            )
        )


@dataclass
class FoolingResult:
    """The smallest fooling perturbation found: image, epsilon and new class."""

    image: np.ndarray
    epsilon: float
    new_class: int
    perturbation: np.ndarray


def smallest_fooling_epsilon(
    network: nn.Layer,
    image,
    label: int,
    max_epsilon: float = 1.0,
    grid: int = 20,
    tol: float = 1e-3,
) -> FoolingResult | None:
    """The smallest gradient-sign step that changes the prediction.

    The direction ``sign(d loss / d x)`` is computed once; the predictions
    for `grid` epsilons from ``max_epsilon / grid`` to `max_epsilon` are
    computed in one batch; the first one that flips is then refined by
    bisection until the bracket is narrower than `tol`.

    Returns
    -------
    FoolingResult or None
        None when no epsilon up to `max_epsilon` changes the prediction.

    Raises
    ------
    ValueError
        The network does not predict `label` for `image`: it already gets
        the image wrong, so no step is needed to fool it.
    """
    network = validate.layer(network)
    x = _as_batch(image, network)
    max_epsilon = validate.number(max_epsilon, "max_epsilon", 0, low_open=True)
    grid = validate.integer(grid, "grid", low=1, high=MAX_GRID)
    tol = validate.number(tol, "tol", 0, low_open=True)
    label, _ = _predicted(network, x, label, "label")
    _require_correct(network, x, label)
    direction = _loss_sign(network, x, label)

    def predictions(epsilons) -> np.ndarray:
        eps = paddle.to_tensor(np.asarray(epsilons, dtype=x.numpy().dtype).reshape(-1, 1, 1, 1))
        with paddle.no_grad():
            return network(x + eps * direction).argmax(-1).numpy()

    epsilons = np.linspace(max_epsilon / grid, max_epsilon, grid)
    flipped = np.flatnonzero(predictions(epsilons) != label)
    if flipped.size == 0:
        return None
    high = float(epsilons[flipped[0]])
    low = float(epsilons[flipped[0] - 1]) if flipped[0] > 0 else 0.0
    for _ in range(64):  # halving 64 times reaches any float's precision
        if high - low <= tol:
            break
        middle = (low + high) / 2
        low, high = (low, middle) if predictions([middle])[0] != label else (middle, high)
    perturbation = (high * direction).numpy()[0]
    adversarial = x.numpy()[0] + perturbation
    return FoolingResult(adversarial, high, int(predictions([high])[0]), perturbation)


# ---------------------------------------------------------------- readable names, probabilities,
# ---------------------------------------------------------------- the images a filter likes


def layer_labels(network: nn.Layer, types: tuple = LAYER_TYPES) -> dict[str, str]:
    """Readable names for the layers :func:`feature_maps` records: conv1, pool1, conv2, ...

    Convolutions and pooling layers are numbered separately, in forward
    order, as a lesson would name them.

    Returns
    -------
    dict
        ``{layer name in the network: readable name}`` in forward order.

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> layer_labels(LeNet("relu", "max"))
    {'features.0': 'conv1', 'features.2': 'pool1', 'features.3': 'conv2', 'features.5': 'pool2'}
    """
    counts = {"conv": 0, "pool": 0}
    labels = {}
    for name, layer in named_layers(network, types):
        kind = "conv" if isinstance(layer, nn.Conv2D) else "pool"
        counts[kind] += 1
        labels[name] = f"{kind}{counts[kind]}"
    return labels


def probabilities(network: nn.Layer, image) -> np.ndarray:
    """The class probabilities (softmax of the scores) of one `image`.

    Parameters
    ----------
    network : paddle.nn.Layer
        A classifier that returns one score per class.
    image : array or Tensor, shape (C, H, W) or (1, C, H, W)

    Returns
    -------
    ndarray, shape (num_classes,)
        Non-negative, summing to 1.

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> p = probabilities(LeNet("relu", "max"), np.zeros((1, 28, 28), "float32"))
    >>> p.shape, bool(abs(p.sum() - 1) < 1e-5)
    ((10,), True)
    """
    network = validate.layer(network)
    x = _as_batch(image, network)
    with paddle.no_grad():
        return nn.functional.softmax(_logits(network, x), -1).numpy()[0]


def top_activating(
    network: nn.Layer, layer: str, channel: int, images, k: int = 9, batch_size: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """The `k` images that excite one filter most: the largest summed activation.

    The score of an image is the sum of ``channel``'s feature map in
    `layer` (the quantity :func:`maximise_filter` maximises). The images are
    scored in batches of `batch_size` in evaluation mode.

    Parameters
    ----------
    network : paddle.nn.Layer
    layer : str
        A layer name from :func:`named_layers` (e.g. ``'features.3'``).
    channel : int
        The filter (output channel) of that layer.
    images : array, shape (N, C, H, W)
        E.g. a dataset's ``.images``.
    k : int
        How many images to return (at most N).
    batch_size : int

    Returns
    -------
    indices : ndarray of int, shape (k,)
        Into `images`, the most exciting first.
    scores : ndarray, shape (k,)
        Their summed activations, in decreasing order.

    Raises
    ------
    ValueError
        `layer` is not a layer name, `channel` not one of its channels, `k`
        larger than the number of images, or `images` not of shape (N, C, H, W).

    Examples
    --------
    >>> from course_utils.models import LeNet
    >>> images = np.random.default_rng(0).standard_normal((20, 1, 28, 28)).astype("float32")
    >>> index, score = top_activating(LeNet("relu", "max"), "features.3", 5, images, k=3)
    >>> index.shape, bool(score[0] >= score[1] >= score[2])
    ((3,), True)
    """
    network = validate.layer(network)
    target = _sublayer(network, layer)
    batch = validate.array(images, "images", ndim=4, dtype=_dtype(network))
    k = validate.integer(k, "k", low=1, high=len(batch))
    batch_size = validate.positive(batch_size, "batch_size")
    store: dict = {}
    handle = target.register_forward_post_hook(lambda _l, _i, out: store.__setitem__("out", out))
    scores = []
    try:
        with paddle.no_grad():
            for start in range(0, len(batch), batch_size):
                _logits(network, paddle.to_tensor(batch[start : start + batch_size]))
                out = store.get("out")
                if start == 0:
                    channel = _map_channel(out, layer, channel)
                scores.append(out[:, channel].sum(axis=[1, 2]).numpy())
    finally:
        handle.remove()
    scores = np.concatenate(scores)
    order = np.argsort(-scores, kind="stable")[:k]
    return order, scores[order]
