"""Argument checks shared by every public function of the course (lesson 00 on).

One convention everywhere: a value of the wrong *type* raises ``TypeError``,
a value of the right type but outside the rule raises ``ValueError``; the
message is always in both languages, names the parameter, states the rule
and shows the value received::

    `stride` 必须是正整数，收到 0。
    `stride` must be a positive int, got 0.

Each function returns the checked value in a plain form (a Python ``int``,
``float``, ``bool`` or a NumPy array), so callers use what it returns.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from .i18n import bilingual

__all__ = [
    "array",
    "callable_",
    "choice",
    "dataset",
    "flag",
    "instance",
    "integer",
    "is_bool",
    "labels",
    "layer",
    "model",
    "non_negative",
    "number",
    "optional",
    "pair",
    "path",
    "positive",
    "sequence",
    "shape",
    "text",
]

#: Largest number of elements an array argument may have (a 4096 x 4096 image).
MAX_ELEMENTS = 4096 * 4096


def _show(value: object) -> str:
    """`value` for a message: its repr, cut to 80 characters."""
    try:
        text_ = repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
        text_ = f"<{type(value).__name__}>"
    return text_ if len(text_) <= 80 else text_[:77] + "..."


def type_error(name: str, rule_zh: str, rule_en: str, value: object) -> TypeError:
    """The bilingual ``TypeError`` for `name` breaking a type rule."""
    kind = type(value).__name__
    return TypeError(
        bilingual(
            f"`{name}` 必须是{rule_zh}，收到 {_show(value)}（{kind}）。",
            f"`{name}` must be {rule_en}, got {_show(value)} ({kind}).",
        )
    )


def value_error(name: str, rule_zh: str, rule_en: str, value: object) -> ValueError:
    """The bilingual ``ValueError`` for `name` breaking a value rule."""
    return ValueError(
        bilingual(
            f"`{name}` 必须是{rule_zh}，收到 {_show(value)}。",
            f"`{name}` must be {rule_en}, got {_show(value)}.",
        )
    )


def is_bool(value: object) -> bool:
    """True for Python and NumPy booleans (which are not numbers here).

    Examples
    --------
    >>> is_bool(True), is_bool(1)
    (True, False)
    """
    return isinstance(value, bool) or type(value).__name__ in ("bool", "bool_")


def flag(value: object, name: str) -> bool:
    """`value` as a bool; ``TypeError`` unless it is True or False.

    Examples
    --------
    >>> flag(True, "grey")
    True
    """
    if not is_bool(value):
        raise type_error(name, " True 或 False", "True or False", value)
    return bool(value)


def integer(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """`value` as a Python int within ``[low, high]`` (either bound optional).

    Python and NumPy integers are accepted, and floats with a whole value
    (``3.0``); bools, other floats and non-numbers raise ``TypeError``.

    Examples
    --------
    >>> integer(3.0, "k", low=1)
    3
    >>> integer(0, "stride", low=1)
    Traceback (most recent call last):
    ...
    ValueError: `stride` 必须是正整数，收到 0。
    `stride` must be a positive int, got 0.
    """
    if is_bool(value):
        raise type_error(name, "整数（不能是布尔值）", "an int, not a bool", value)
    if isinstance(value, numbers.Integral):
        number_ = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
        number_ = int(value)
    else:
        raise type_error(name, "整数", "an int", value)
    if (low is not None and number_ < low) or (high is not None and number_ > high):
        raise value_error(name, *_int_rule(low, high), number_)
    return number_


def _int_rule(low: int | None, high: int | None) -> tuple[str, str]:
    if low == 1 and high is None:
        return "正整数", "a positive int"
    if low == 0 and high is None:
        return "非负整数（>= 0）", "a non-negative int (>= 0)"
    if high is None:
        return f"不小于 {low} 的整数", f"an int >= {low}"
    if low is None:
        return f"不大于 {high} 的整数", f"an int <= {high}"
    return f" {low} 到 {high} 之间的整数", f"an int from {low} to {high}"


def positive(value: object, name: str) -> int:
    """`value` as an int >= 1."""
    return integer(value, name, low=1)


def non_negative(value: object, name: str) -> int:
    """`value` as an int >= 0."""
    return integer(value, name, low=0)


def number(
    value: object,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """`value` as a finite float within the bounds (open bounds excluded).

    NaN and infinities always raise ``ValueError``; bools and non-numbers
    raise ``TypeError``.

    Examples
    --------
    >>> number(0.5, "dropout", 0, 1, high_open=True)
    0.5
    >>> number(float("nan"), "lr", 0, low_open=True)
    Traceback (most recent call last):
    ...
    ValueError: `lr` 必须是有限的数（不能是 NaN 或无穷大），收到 nan。
    `lr` must be a finite number (not NaN or infinite), got nan.
    """
    if is_bool(value) or not isinstance(value, numbers.Real):
        raise type_error(name, "数", "a number", value)
    result = float(value)
    if not math.isfinite(result):
        raise value_error(
            name, "有限的数（不能是 NaN 或无穷大）", "a finite number (not NaN or infinite)", value
        )
    too_low = low is not None and (result <= low if low_open else result < low)
    too_high = high is not None and (result >= high if high_open else result > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lower = "-inf" if low is None else f"{low:g}"
        upper = "inf" if high is None else f"{high:g}"
        span = f"{left}{lower}, {upper}{right}"
        raise value_error(name, f"区间 {span} 内的数", f"a number in {span}", value)
    return result


def choice(value: object, name: str, options: Iterable) -> object:
    """`value` if it is one of `options` (compared with ``==``), else ``ValueError``.

    Examples
    --------
    >>> choice("max", "mode", ("max", "avg"))
    'max'
    """
    options = tuple(options)
    try:
        found = any(value == option and type(value) is type(option) for option in options)
    except Exception:  # noqa: BLE001 - a value that cannot be compared is not an option
        found = False
    if not found:
        listed = ", ".join(repr(o) for o in options)
        if options and all(isinstance(o, str) for o in options) and not isinstance(value, str):
            raise type_error(name, f"字符串（{listed} 之一）", f"a string (one of {listed})", value)
        raise value_error(name, f" {listed} 之一", f"one of {listed}", value)
    return value


def text(value: object, name: str, *, empty: bool = False) -> str:
    """`value` if it is a string (non-empty unless `empty`)."""
    if not isinstance(value, str):
        raise type_error(name, "字符串", "a string", value)
    if not empty and not value.strip():
        raise value_error(name, "非空字符串", "a non-empty string", value)
    return value


def pair(value: object, name: str, check, labels: tuple[str, str]) -> tuple[int, int]:
    """An int or a 2-item list/tuple as a checked pair, e.g. (before, after) padding.

    `check` is :func:`positive` or :func:`non_negative`; `labels` names the
    two items in messages.

    Examples
    --------
    >>> pair(2, "padding", non_negative, ("before", "after"))
    (2, 2)
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                bilingual(
                    f"`{name}` 作为一对数时必须恰好有 2 个元素 "
                    f"({labels[0]}, {labels[1]})，收到 {len(value)} 个：{_show(value)}。",
                    f"`{name}` as a pair must have exactly 2 items "
                    f"({labels[0]}, {labels[1]}), got {len(value)}: {_show(value)}.",
                )
            )
        return (
            check(value[0], f"{name}[0] ({labels[0]})"),
            check(value[1], f"{name}[1] ({labels[1]})"),
        )
    single = check(value, name)
    return (single, single)


def array(
    value: object,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    dtype: str = "float32",
    finite: bool = True,
    keep_float64: bool = False,
):
    """`value` (array-like or Paddle tensor) as a non-empty NumPy array of numbers.

    Parameters
    ----------
    ndim : int or tuple of int, optional
        The allowed numbers of dimensions.
    dtype : str
        The dtype of the result (``'float32'`` by default).
    finite : bool
        Refuse NaN and infinities.
    keep_float64 : bool
        Keep a float64 input as float64 (for gradient checks).

    Raises
    ------
    TypeError
        Not numbers (strings, objects, booleans).
    ValueError
        Wrong number of dimensions, empty, too large, or not finite.

    Examples
    --------
    >>> array([[1, 2], [3, 4]], "kernel", ndim=2).dtype
    dtype('float32')
    """
    import numpy as np

    if hasattr(value, "numpy") and callable(value.numpy):
        try:
            value = value.numpy()
        except Exception as err:  # noqa: BLE001 - reported with the parameter's name
            raise type_error(name, "数组或张量", "an array or a tensor", value) from err
    try:
        raw = np.asarray(value)
    except Exception as err:  # noqa: BLE001 - ragged lists and the like
        raise type_error(name, "由数构成的数组", "an array of numbers", value) from err
    if raw.dtype == bool or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise type_error(name, "由数构成的数组", "an array of numbers", value)
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if dims is not None and raw.ndim not in dims:
        wanted = " 或 ".join(map(str, dims)), " or ".join(map(str, dims))
        raise ValueError(
            bilingual(
                f"`{name}` 必须是 {wanted[0]} 维数组，收到形状 {raw.shape}。",
                f"`{name}` must be a {wanted[1]}-D array, got shape {raw.shape}.",
            )
        )
    if raw.size == 0 or raw.size > MAX_ELEMENTS:
        raise ValueError(
            bilingual(
                f"`{name}` 的元素个数必须在 1 到 {MAX_ELEMENTS} 之间，收到形状 {raw.shape}。",
                f"`{name}` must have 1 to {MAX_ELEMENTS} elements, got shape {raw.shape}.",
            )
        )
    out_dtype = "float64" if keep_float64 and raw.dtype == np.float64 else dtype
    with np.errstate(over="ignore", invalid="ignore"):
        result = raw.astype(out_dtype)
    if finite and np.issubdtype(result.dtype, np.floating) and not np.isfinite(result).all():
        raise ValueError(
            bilingual(
                f"`{name}` 只能含有限的数（不能有 NaN、无穷大或超出 {out_dtype} 范围的数）。",
                f"`{name}` must hold finite numbers only (no NaN, infinity, or values "
                f"beyond the {out_dtype} range).",
            )
        )
    return result


def optional(value: object, name: str, check, *args, **kwargs):
    """None stays None; anything else goes through ``check(value, name, ...)``.

    Examples
    --------
    >>> optional(None, "stride", positive), optional(2, "stride", positive)
    (None, 2)
    """
    return None if value is None else check(value, name, *args, **kwargs)


def instance(value: object, name: str, kinds, rule_zh: str, rule_en: str) -> object:
    """`value` if it is an instance of `kinds`, else ``TypeError`` stating the rule."""
    if not isinstance(value, kinds) or (is_bool(value) and bool not in _as_tuple(kinds)):
        raise type_error(name, rule_zh, rule_en, value)
    return value


def _as_tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def callable_(value: object, name: str) -> object:
    """`value` if it can be called (a function or a class), else ``TypeError``."""
    if not callable(value):
        raise type_error(name, "函数（可调用对象）", "a function (a callable)", value)
    return value


def sequence(
    value: object,
    name: str,
    *,
    length: int | None = None,
    min_length: int = 0,
    max_length: int | None = None,
) -> tuple:
    """`value` (a list or tuple, not a string) as a tuple of the allowed length.

    Examples
    --------
    >>> sequence([1, 2], "widths", length=2)
    (1, 2)
    """
    if not isinstance(value, (list, tuple)):
        raise type_error(name, "列表或元组", "a list or a tuple", value)
    items = tuple(value)
    if length is not None and len(items) != length:
        raise ValueError(
            bilingual(
                f"`{name}` 必须恰好有 {length} 个元素，收到 {len(items)} 个：{_show(value)}。",
                f"`{name}` must have exactly {length} item{'s' * (length != 1)}, "
                f"got {len(items)}: {_show(value)}.",
            )
        )
    if len(items) < min_length or (max_length is not None and len(items) > max_length):
        upper = "" if max_length is None else f"，最多 {max_length} 个"
        upper_en = "" if max_length is None else f" and at most {max_length}"
        items_en = "item" if min_length == 1 else "items"
        raise ValueError(
            bilingual(
                f"`{name}` 至少要有 {min_length} 个元素{upper}，收到 {len(items)} 个。",
                f"`{name}` must have at least {min_length} {items_en}{upper_en}, got {len(items)}.",
            )
        )
    return items


def shape(
    value: object, name: str, ndim: int | tuple[int, ...] | None = None, high: int = 4096
) -> tuple[int, ...]:
    """A shape: a list or tuple of ints from 1 to `high`, with `ndim` items when given.

    Examples
    --------
    >>> shape([1, 28, 28], "shape", ndim=3)
    (1, 28, 28)
    >>> shape((1, 0, 28), "shape")
    Traceback (most recent call last):
    ...
    ValueError: `shape[1]` 必须是 1 到 4096 之间的整数，收到 0。
    `shape[1]` must be an int from 1 to 4096, got 0.
    """
    items = sequence(value, name, min_length=1)
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if dims is not None and len(items) not in dims:
        wanted = " 或 ".join(map(str, dims)), " or ".join(map(str, dims))
        raise ValueError(
            bilingual(
                f"`{name}` 必须有 {wanted[0]} 个维度，收到 {_show(value)}。",
                f"`{name}` must have {wanted[1]} dimensions, got {_show(value)}.",
            )
        )
    return tuple(integer(size, f"{name}[{i}]", low=1, high=high) for i, size in enumerate(items))


def path(value: object, name: str) -> object:
    """`value` as a ``pathlib.Path``: a non-empty string or path object.

    Examples
    --------
    >>> path("checkpoints/lenet", "path").name
    'lenet'
    """
    import os
    from pathlib import Path

    if not isinstance(value, (str, os.PathLike)):
        raise type_error(
            name, "路径（字符串或 pathlib.Path）", "a path (a str or pathlib.Path)", value
        )
    try:
        result = Path(value)
    except TypeError as err:  # a PathLike whose __fspath__ returns bytes
        raise type_error(
            name, "路径（字符串或 pathlib.Path）", "a path (a str or pathlib.Path)", value
        ) from err
    if not str(value).strip() or "\0" in str(value):
        raise value_error(name, "非空的路径", "a non-empty path", value)
    return result


def layer(value: object, name: str = "network"):
    """`value` if it is a ``paddle.nn.Layer`` (a network), else ``TypeError``."""
    import paddle

    if not isinstance(value, paddle.nn.Layer):
        raise type_error(name, "网络（paddle.nn.Layer）", "a network (paddle.nn.Layer)", value)
    return value


def model(value: object, name: str = "model"):
    """`value` if it is a ``paddle.Model``, else ``TypeError`` (with a hint for a bare network)."""
    import paddle

    if isinstance(value, paddle.nn.Layer):
        raise type_error(
            name,
            " paddle.Model（把网络包起来：cu.as_model(network)）",
            "a paddle.Model (wrap the network: cu.as_model(network))",
            value,
        )
    if not isinstance(value, paddle.Model):
        raise type_error(name, " paddle.Model", "a paddle.Model", value)
    return value


def dataset(value: object, name: str = "data"):
    """`value` if it is a non-empty data set (``len`` and indexing, e.g. ``cu.mnist()``).

    Raises
    ------
    TypeError
        Not a data set (no ``len`` or no indexing, or a string, array or tensor).
    ValueError
        An empty data set.
    """
    import numpy as np

    if (
        isinstance(value, (str, bytes, np.ndarray, numbers.Number, dict))
        or not hasattr(value, "__len__")
        or not hasattr(value, "__getitem__")
        or hasattr(value, "numpy")
    ):
        raise type_error(
            name,
            "数据集（例如 cu.mnist('test')，有长度、可按下标取样本）",
            "a data set (e.g. cu.mnist('test'): it has a length and items by index)",
            value,
        )
    try:
        size = len(value)
    except Exception as err:  # noqa: BLE001 - a broken __len__
        raise type_error(name, "有长度的数据集", "a data set with a length", value) from err
    if size == 0:
        raise ValueError(
            bilingual(
                f"`{name}` 是空的数据集（0 个样本）：请检查它是怎样取出来的（例如子集的条件）。",
                f"`{name}` is an empty data set (0 examples): check how it was made "
                "(e.g. the condition of a subset).",
            )
        )
    return value


def labels(value: object, name: str, num_classes: int | None = None):
    """`value` as a 1-D int64 NumPy array of class labels in ``[0, num_classes)``.

    Examples
    --------
    >>> labels([0, 2, 1], "labels", num_classes=3).tolist()
    [0, 2, 1]
    >>> labels([0, -1], "labels", num_classes=3)
    Traceback (most recent call last):
    ...
    ValueError: `labels` 只能含 0 到 2 之间的整数（类别编号），收到 -1。
    `labels` must hold ints from 0 to 2 (class indices), got -1.
    """
    import numpy as np

    raw = array(value, name, ndim=(0, 1, 2), dtype="float64")
    if raw.ndim == 2 and raw.shape[1] != 1:
        raise ValueError(
            bilingual(
                f"`{name}` 必须是一维的标签数组（或 N×1），收到形状 {raw.shape}。",
                f"`{name}` must be a 1-D array of labels (or N x 1), got shape {raw.shape}.",
            )
        )
    flat = raw.reshape(-1)
    if not np.all(flat == np.round(flat)):
        raise type_error(name, "整数标签", "int labels", value)
    high = None if num_classes is None else num_classes - 1
    bad = flat[(flat < 0) | (flat > (np.inf if high is None else high))]
    if bad.size:
        span = (
            ("非负整数", "non-negative ints")
            if high is None
            else (f" 0 到 {high} 之间的整数", f"ints from 0 to {high}")
        )
        raise ValueError(
            bilingual(
                f"`{name}` 只能含{span[0]}（类别编号），收到 {int(bad[0])}。",
                f"`{name}` must hold {span[1]} (class indices), got {int(bad[0])}.",
            )
        )
    return flat.astype("int64")
