"""Output sizes, padding, parameter counts, multiply-adds and receptive fields.

Pure arithmetic on one spatial dimension at a time (apply it to the height
and to the width separately). Every function checks its arguments first and
raises a bilingual error that names the parameter, the rule and the value
received. The results agree with the shapes produced by
``paddle.nn.functional.conv2d``, ``max_pool2d`` and ``avg_pool2d``
(``tests/test_sizes.py`` checks this on hundreds of random configurations).

Public functions
----------------
conv_output_size
    Output length of a convolution (lesson 02).
pool_output_size
    Output length of a max or average pooling (lesson 04).
same_padding
    The (before, after) padding that keeps the length at stride 1 (lesson 02).
conv_params
    Number of learnable parameters of a convolution layer (lesson 03).
conv_macs
    Multiply-adds of a convolution layer (lesson 07).
receptive_field
    Receptive field of a stack of layers (lesson 01).
network_costs, total_cost, LayerCost
    Per-layer and total parameters and multiply-adds of a Paddle network
    (lesson 07; these two import Paddle when called).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .i18n import bilingual
from .validate import flag as _flag
from .validate import layer as _layer
from .validate import non_negative as _non_negative
from .validate import pair as _pair
from .validate import positive as _positive
from .validate import sequence as _sequence
from .validate import shape as _shape

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "same_padding",
    "conv_params",
    "conv_macs",
    "receptive_field",
    "LayerCost",
    "network_costs",
    "total_cost",
]

Padding = int | tuple[int, int] | list[int] | str
KernelSize = int | tuple[int, int] | list[int]

_PADDING_STRINGS = ("same", "valid")


# ---------------------------------------------------------------------------
# Shared argument checks (private)
# ---------------------------------------------------------------------------


def _padding(padding: object) -> tuple[int, int] | str:
    """Return ``'same'``, ``'valid'`` or a checked (before, after) pair."""
    if isinstance(padding, str):
        key = padding.strip().lower()
        if key not in _PADDING_STRINGS:
            raise ValueError(
                bilingual(
                    f"`padding` 必须是整数、(前, 后) 一对整数、'same' 或 'valid'，"
                    f"收到 {padding!r}。",
                    "`padding` must be an int, a pair (before, after), "
                    f"'same' or 'valid', got {padding!r}.",
                )
            )
        return key
    return _pair(padding, "padding", _non_negative, ("before", "after"))


def _check_fits(kernel: int, padded: int, what: tuple[str, str]) -> None:
    """Raise ValueError when a window spanning `kernel` cannot fit once.

    `what` names the window in Chinese and English, e.g.
    ``("卷积核 `k`", "kernel `k`")``.
    """
    if kernel > padded:
        raise ValueError(
            bilingual(
                f"{what[0]}覆盖 {kernel} 个位置，比填充后的输入（{padded}）还大，"
                "一个位置也放不下；请增加填充（padding）或使用更小的卷积核/窗口。",
                f"kernel larger than the padded input: the {what[1]} spans "
                f"{kernel} positions but the padded input has only {padded} "
                "(n + padding before + padding after); use more padding or a "
                "smaller kernel.",
            )
        )


def _last_line(err: BaseException) -> str:
    """The last non-empty line of an error message (Paddle's messages are long)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return (lines[-1] if lines else type(err).__name__)[:300]


def _ceil_div(a: int, b: int) -> int:
    """Integer ceiling of ``a / b`` for ``b > 0`` (no float rounding)."""
    return -(-a // b)


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def conv_output_size(
    n: int,
    k: int,
    padding: Padding = 0,
    stride: int = 1,
    dilation: int = 1,
) -> int:
    """Length of a convolution's output along one spatial dimension.

    Introduced in lesson 02 (padding and stride).

    The output length is
    ``floor((n + p_before + p_after - dilation * (k - 1) - 1) / stride) + 1``,
    the number of positions at which the (dilated) kernel fits inside the
    padded input when it moves `stride` steps at a time.

    Parameters
    ----------
    n : int
        Input length (height or width), at least 1.
    k : int
        Kernel length, at least 1.
    padding : int, (int, int) or str, default 0
        An int pads that many zeros on each side; a pair ``(before, after)``
        pads the two sides differently; ``'same'`` and ``'valid'``
        (any case) mean what they mean in Paddle: ``'valid'`` is no padding
        and ``'same'`` gives ``ceil(n / stride)`` outputs. Paddle computes
        the 'same' padding from `k` and `stride` only and ignores
        `dilation` (it runs the convolution with dilation 1).
    stride : int, default 1
        Step between two kernel positions, at least 1.
    dilation : int, default 1
        Spacing between kernel taps, at least 1; the kernel then spans
        ``dilation * (k - 1) + 1`` positions.

    Returns
    -------
    int
        The output length, at least 1.

    Raises
    ------
    TypeError
        If a size is not an integer (bools and non-integral floats included).
    ValueError
        If `n`, `k`, `stride` or `dilation` is not positive, a padding is
        negative, `padding` is an unknown string or a pair of the wrong
        length, or the dilated kernel is larger than the padded input.

    Notes
    -----
    Paddle does not always refuse a kernel larger than the padded input:
    its C++ integer division rounds toward zero, so it may return an empty
    or a one-element output instead. This function raises in that case.

    Examples
    --------
    >>> conv_output_size(6, 3)  # 6x6 input, 3x3 kernel -> 4x4
    4
    >>> conv_output_size(8, 3, padding=1, stride=2)
    4
    >>> conv_output_size(7, 4, padding="same"), conv_output_size(7, 3, stride=2, padding="SAME")
    (7, 4)
    >>> conv_output_size(7, 3, padding=(0, 2), dilation=2)
    5
    """
    n = _positive(n, "n")
    k = _positive(k, "k")
    pad = _padding(padding)
    stride = _positive(stride, "stride")
    dilation = _positive(dilation, "dilation")
    if pad == "same":
        return _ceil_div(n, stride)
    before, after = (0, 0) if pad == "valid" else pad
    span = dilation * (k - 1) + 1
    padded = n + before + after
    _check_fits(span, padded, ("卷积核 `k`（含空洞 dilation）", "kernel `k` (dilated)"))
    return (padded - span) // stride + 1


def pool_output_size(
    n: int,
    k: int,
    stride: int | None = None,
    padding: Padding = 0,
    ceil_mode: bool = False,
) -> int:
    """Length of a max or average pooling's output along one dimension.

    Introduced in lesson 04 (pooling).

    Without `ceil_mode` this is the convolution formula
    ``floor((n + p_before + p_after - k) / stride) + 1``; with `ceil_mode`
    the floor becomes a ceiling, so a last, partial window is kept.
    Paddle keeps that last window even when it starts inside the right
    padding or past it (PyTorch drops such a window): for ``n=5, k=2,
    stride=2, padding=1`` Paddle gives 4 and PyTorch 3. This function
    follows Paddle; the tests compare it with
    ``paddle.nn.functional.max_pool2d`` and ``avg_pool2d``.

    Parameters
    ----------
    n : int
        Input length (height or width), at least 1.
    k : int
        Window length, at least 1.
    stride : int or None, default None
        Step between two windows; None means ``stride = k`` (Paddle's
        default: windows that do not overlap).
    padding : int, (int, int) or str, default 0
        As in :func:`conv_output_size`: int, ``(before, after)``,
        ``'valid'`` (no padding) or ``'same'``. For ``'same'`` Paddle pads
        ``max((ceil(n / stride) - 1) * stride + k - n, 0)`` zeros in all,
        which gives ``ceil(n / stride)`` outputs; but with
        ``ceil_mode=True`` and no padding needed (a window shorter than the
        stride) the ceiling can add one more window, e.g. ``n=14, k=1,
        stride=4`` gives 5, not 4. This function does the same.
    ceil_mode : bool, default False
        Round the number of steps up instead of down.

    Returns
    -------
    int
        The output length, at least 1.

    Raises
    ------
    TypeError
        If a size is not an integer or `ceil_mode` is not a bool.
    ValueError
        If `n`, `k` or `stride` is not positive, a padding is negative or
        badly formed, `padding='valid'` is combined with ``ceil_mode=True``
        (Paddle refuses that combination), or the window is larger than the
        padded input.

    Notes
    -----
    Paddle does not always refuse a window larger than the padded input:
    its C++ integer division rounds toward zero, so it may return an empty
    or a one-element output instead. This function raises in that case.

    Examples
    --------
    >>> pool_output_size(4, 2)  # 2x2 max pooling halves a 4x4 map
    2
    >>> pool_output_size(5, 2), pool_output_size(5, 2, ceil_mode=True)
    (2, 3)
    >>> pool_output_size(28, 3, stride=1, padding=1)  # GoogLeNet branch 4
    28
    """
    n = _positive(n, "n")
    k = _positive(k, "k")
    stride = k if stride is None else _positive(stride, "stride")
    pad = _padding(padding)
    ceil_mode = _flag(ceil_mode, "ceil_mode")
    if pad == "same":
        # Paddle pads just enough for ceil(n / stride) windows, then applies
        # the usual formula, ceil_mode included.
        total = max((_ceil_div(n, stride) - 1) * stride + k - n, 0)
        pad = (total // 2, total - total // 2)
    if pad == "valid" and ceil_mode:
        raise ValueError(
            bilingual(
                "`padding='valid'` 时 `ceil_mode` 必须为 False（Paddle 的规定），"
                "收到 ceil_mode=True。",
                "`ceil_mode` must be False when `padding='valid'` (a Paddle "
                "rule), got ceil_mode=True.",
            )
        )
    before, after = (0, 0) if pad == "valid" else pad
    padded = n + before + after
    _check_fits(k, padded, ("汇聚窗口 `k`", "pooling window `k`"))
    if ceil_mode:
        return _ceil_div(padded - k, stride) + 1
    return (padded - k) // stride + 1


def same_padding(k: KernelSize, dilation: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` that keeps the length at stride 1.

    Introduced in lesson 02 (padding and stride).

    The dilated kernel spans ``dilation * (k - 1) + 1`` positions, so the
    two sides together need ``total = dilation * (k - 1)`` zeros;
    ``before = total // 2`` and ``after = total - before``. An odd kernel
    pads both sides equally; an even kernel pads one more zero *after*.
    This is the split Paddle's ``padding='SAME'`` uses for even kernels too
    (at stride 1 and dilation 1; Paddle's 'SAME' ignores dilation, so pass
    this pair explicitly for a dilated kernel).

    Parameters
    ----------
    k : int
        Kernel length, at least 1.
    dilation : int, default 1
        Spacing between kernel taps, at least 1.

    Returns
    -------
    tuple of int
        ``(before, after)``.

    Raises
    ------
    TypeError
        If `k` or `dilation` is not an integer.
    ValueError
        If `k` or `dilation` is not positive.

    Examples
    --------
    >>> same_padding(3), same_padding(4), same_padding(3, dilation=2)
    ((1, 1), (1, 2), (2, 2))
    >>> conv_output_size(9, 4, padding=same_padding(4))
    9
    """
    k = _positive(k, "k")
    dilation = _positive(dilation, "dilation")
    total = dilation * (k - 1)
    before = total // 2
    return (before, total - before)


def conv_params(c_in: int, c_out: int, k: KernelSize, bias: bool = True) -> int:
    """Number of learnable parameters of a 2D convolution layer.

    Introduced in lesson 03 (channels).

    Each of the `c_out` output channels has one ``c_in x kh x kw`` kernel
    and, with `bias`, one bias: ``c_out * c_in * kh * kw (+ c_out)``.

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels, at least 1.
    k : int or (int, int)
        Kernel size: an int for a square kernel or ``(kh, kw)``.
    bias : bool, default True
        Whether the layer has a bias per output channel.

    Returns
    -------
    int
        The number of weights (plus biases).

    Raises
    ------
    TypeError
        If a size is not an integer or `bias` is not a bool.
    ValueError
        If a channel count or kernel size is not positive, or `k` is a pair
        of the wrong length.

    Examples
    --------
    >>> conv_params(25, 1, 3, bias=False)  # one 3x3 filter on 25 channels
    225
    >>> conv_params(3, 64, (3, 3))
    1792
    """
    c_in = _positive(c_in, "c_in")
    c_out = _positive(c_out, "c_out")
    kh, kw = _pair(k, "k", _positive, ("kh", "kw"))
    bias = _flag(bias, "bias")
    return c_out * c_in * kh * kw + (c_out if bias else 0)


def conv_macs(c_in: int, c_out: int, k: KernelSize, h_out: int, w_out: int) -> int:
    """Multiply-adds (MACs) of a 2D convolution layer.

    Introduced in lesson 07 (GoogLeNet), to show why 1x1 convolutions
    that shrink the channels first make the Inception block cheap.

    Every one of the ``c_out * h_out * w_out`` outputs is a sum of
    ``c_in * kh * kw`` products: ``c_in * kh * kw * c_out * h_out * w_out``.

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels, at least 1.
    k : int or (int, int)
        Kernel size: an int for a square kernel or ``(kh, kw)``.
    h_out, w_out : int
        Output height and width, at least 1 (see :func:`conv_output_size`).

    Returns
    -------
    int
        The number of multiply-adds (biases not counted).

    Raises
    ------
    TypeError
        If a size is not an integer.
    ValueError
        If a size is not positive, or `k` is a pair of the wrong length.

    Examples
    --------
    A 5x5 convolution from 192 to 32 channels on a 28x28 map:

    >>> conv_macs(192, 32, 5, 28, 28)
    120422400

    The same with a 1x1 "bottleneck" to 16 channels first, ten times cheaper:

    >>> conv_macs(192, 16, 1, 28, 28) + conv_macs(16, 32, 5, 28, 28)
    12443648
    """
    c_in = _positive(c_in, "c_in")
    c_out = _positive(c_out, "c_out")
    kh, kw = _pair(k, "k", _positive, ("kh", "kw"))
    h_out = _positive(h_out, "h_out")
    w_out = _positive(w_out, "w_out")
    return c_in * kh * kw * c_out * h_out * w_out


def receptive_field(layers: Sequence[Sequence[int]]) -> int:
    """Receptive field (in input pixels) of one output of a stack of layers.

    Introduced in lesson 01 (convolution).

    Layer ``i`` with kernel ``k_i``, stride ``s_i`` and dilation ``d_i``
    widens the field by ``d_i * (k_i - 1)`` steps of its input, and one
    step there is the product of the earlier strides in input pixels:
    ``rf = 1 + sum(d_i * (k_i - 1) * s_1 * ... * s_(i-1))``. Pooling layers
    count too (kernel = window, dilation 1).

    Parameters
    ----------
    layers : sequence of tuples
        ``(kernel, stride)`` or ``(kernel, stride, dilation)`` per layer,
        from the input to the output. An empty sequence gives 1.

    Returns
    -------
    int
        The receptive field along one dimension.

    Raises
    ------
    TypeError
        If `layers` or one of its items is not a list/tuple, or an entry is
        not an integer.
    ValueError
        If a layer does not have 2 or 3 entries, or an entry is not
        positive.

    Examples
    --------
    >>> receptive_field([(3, 1), (3, 1)])  # two 3x3 convolutions see 5x5
    5
    >>> receptive_field([(3, 1), (2, 2), (3, 1)])  # conv, 2x2 pool, conv
    8
    >>> receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)])
    15
    """
    field, jump = 1, 1
    for i, layer in enumerate(_sequence(layers, "layers")):
        name = f"layers[{i}]"
        layer = _sequence(layer, name, min_length=2, max_length=3)
        k = _positive(layer[0], f"{name} kernel")
        stride = _positive(layer[1], f"{name} stride")
        dilation = _positive(layer[2], f"{name} dilation") if len(layer) == 3 else 1
        field += dilation * (k - 1) * jump
        jump *= stride
    return field


# ---------------------------------------------------------------------------
# Whole-network counter (lesson 07)
# ---------------------------------------------------------------------------


class LayerCost(NamedTuple):
    """Cost of one leaf layer of a network, as returned by :func:`network_costs`.

    Attributes
    ----------
    name : str
        The layer's name inside the network (``"0"``, ``"conv1"``,
        ``"b2.0"``...).
    kind : str
        The layer's class name (``"Conv2D"``, ``"Linear"``...).
    output_shape : tuple of int
        Shape of the layer's output for one image, batch axis included.
    params : int
        Trainable parameters of the layer (see :func:`network_costs`).
    macs : int
        Multiply-adds (or comparisons/additions for pooling) of the layer
        for one image.
    """

    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int
    macs: int


_POOLS = ("MaxPool2D", "AvgPool2D")
_ADAPTIVE_POOLS = ("AdaptiveMaxPool2D", "AdaptiveAvgPool2D")
_NORMS = ("BatchNorm", "BatchNorm1D", "BatchNorm2D", "BatchNorm3D", "SyncBatchNorm")


def _numel(shape: Sequence[int]) -> int:
    """Number of elements of a tensor of that shape."""
    count = 1
    for size in shape:
        count *= int(size)
    return count


def _layer_macs(layer, input_shape: Sequence[int], output_shape: Sequence[int]) -> int:
    """Multiply-adds of one leaf layer for the given input and output shapes."""
    kind = type(layer).__name__
    out = _numel(output_shape[1:])
    if kind == "Conv2D":
        c_out, kh, kw = (int(s) for s in (layer.weight.shape[0], *layer.weight.shape[2:]))
        c_in_per_group = int(layer.weight.shape[1])  # already C_in / groups
        return out * c_in_per_group * kh * kw
    if kind == "Linear":
        return _numel(input_shape[1:-1]) * int(layer.weight.shape[0]) * int(layer.weight.shape[1])
    if kind in _POOLS:
        k = layer.ksize if hasattr(layer, "ksize") else layer.kernel_size
        kh, kw = _pair(k, "kernel_size", _positive, ("kh", "kw"))
        return out * kh * kw
    if kind in _ADAPTIVE_POOLS:
        # Average window area: input area / output area (exact when it divides).
        h_in, w_in = int(input_shape[-2]), int(input_shape[-1])
        h_out, w_out = int(output_shape[-2]), int(output_shape[-1])
        return out * _ceil_div(h_in, h_out) * _ceil_div(w_in, w_out)
    if kind in _NORMS:
        return out
    return 0


def network_costs(network, input_shape: Sequence[int]) -> list[LayerCost]:
    """Output shape, parameters and multiply-adds of every leaf layer of a network.

    Introduced in lesson 07 (GoogLeNet) to compare the cost of whole
    networks and blocks.

    The function runs one forward pass on a zero tensor of shape
    ``[1, *input_shape]`` in evaluation mode and without gradients, with a
    forward post-hook on every leaf sublayer (a layer without sublayers);
    it then removes the hooks and restores the previous training mode.
    One row per call of a leaf layer, in call order (a layer called twice
    gives two rows).

    Conventions for `macs` (per image, biases not counted):

    - ``Conv2D``: ``H_out * W_out * C_out * (C_in / groups) * Kh * Kw``, the
      same as :func:`conv_macs` for ``groups=1``;
    - ``Linear``: ``in_features * out_features``;
    - ``MaxPool2D`` / ``AvgPool2D``: one comparison or addition per input
      in a window, ``output elements * Kh * Kw``; adaptive pools use the
      window ``ceil(H_in / H_out) x ceil(W_in / W_out)``;
    - ``BatchNorm*``: one multiply-add per element (after folding the
      statistics into a scale and a shift);
    - everything else (activations, ``Flatten``, ``Dropout``...): 0.

    `params` counts the layer's *trainable* parameters. For batch
    normalization these are gamma and beta; the running mean and variance
    are not learned by gradient descent and are not counted, so the sum of
    `params` equals the "Trainable params" line of ``paddle.summary``
    (its "Total params" line also counts the running statistics).

    Parameters
    ----------
    network : paddle.nn.Layer
        The network to measure.
    input_shape : sequence of int
        Shape of one input without the batch axis, e.g. ``(1, 28, 28)``.

    Returns
    -------
    list of LayerCost
        One row per leaf-layer call.

    Raises
    ------
    TypeError
        If `network` is not a ``paddle.nn.Layer`` or `input_shape` is not a
        list or tuple of ints.
    ValueError
        If `input_shape` is empty, has a size below 1 or above 4096, or the
        network cannot take an input of that shape.

    Examples
    --------
    >>> import paddle
    >>> net = paddle.nn.Sequential(
    ...     paddle.nn.Conv2D(1, 4, 3), paddle.nn.ReLU(), paddle.nn.MaxPool2D(2),
    ...     paddle.nn.Flatten(), paddle.nn.Linear(36, 10))
    >>> for row in network_costs(net, (1, 8, 8)):
    ...     print(row.kind, row.output_shape, row.params, row.macs)
    Conv2D (1, 4, 6, 6) 40 1296
    ReLU (1, 4, 6, 6) 0 0
    MaxPool2D (1, 4, 3, 3) 0 144
    Flatten (1, 36) 0 0
    Linear (1, 10) 370 360
    """
    import paddle

    network = _layer(network, "network")
    shape = _shape(input_shape, "input_shape")
    names = {id(layer): name for name, layer in network.named_sublayers(include_self=True)}
    leaves = [layer for layer in network.sublayers(include_self=True) if not layer.sublayers()]
    rows: list[LayerCost] = []

    def hook(layer, inputs, output):
        first = inputs[0] if isinstance(inputs, (tuple, list)) else inputs
        in_shape = tuple(int(s) for s in first.shape)
        result = output[0] if isinstance(output, (tuple, list)) else output
        out_shape = tuple(int(s) for s in result.shape)
        params = sum(_numel(p.shape) for p in layer.parameters() if p.trainable)
        rows.append(
            LayerCost(
                name=names.get(id(layer), "") or type(layer).__name__,
                kind=type(layer).__name__,
                output_shape=out_shape,
                params=params,
                macs=_layer_macs(layer, in_shape, out_shape),
            )
        )

    was_training = network.training
    handles = [layer.register_forward_post_hook(hook) for layer in leaves]
    try:
        network.eval()
        with paddle.no_grad():
            try:
                network(paddle.zeros([1, *shape], dtype="float32"))
            except Exception as err:  # noqa: BLE001 - Paddle's shape errors, reported in both languages
                raise ValueError(
                    bilingual(
                        f"网络无法处理形状为 {shape} 的输入（`input_shape`，不含批量维）："
                        f"{_last_line(err)}",
                        f"The network cannot take an input of shape {shape} (`input_shape`, "
                        f"without the batch axis): {_last_line(err)}",
                    )
                ) from None
    finally:
        for handle in handles:
            handle.remove()
        if was_training:
            network.train()
    return rows


def total_cost(network, input_shape: Sequence[int]) -> tuple[int, int]:
    """Total trainable parameters and multiply-adds of a network for one input.

    Introduced in lesson 07. The sums of the `params` and `macs` columns of
    :func:`network_costs` (see there for the conventions).

    Parameters
    ----------
    network : paddle.nn.Layer
        The network to measure.
    input_shape : sequence of int
        Shape of one input without the batch axis, e.g. ``(1, 28, 28)``.

    Returns
    -------
    tuple of int
        ``(params, macs)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`network_costs`, for a bad `input_shape`.

    Examples
    --------
    >>> import paddle
    >>> total_cost(paddle.nn.Conv2D(3, 8, 3, padding=1), (3, 32, 32))
    (224, 221184)
    """
    rows = network_costs(network, input_shape)
    return sum(row.params for row in rows), sum(row.macs for row in rows)
