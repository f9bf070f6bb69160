"""From a picture of a digit to LeNet's input (lesson 10).

Both routes end in the normalisation the network was trained with (lesson 05):
pixel values scaled to [0, 1], then ``(x - 0.1307) / 0.3081``, as float32 of
shape (1, 1, 28, 28).

- An image file: :func:`read_image` reads any size, colour mode or bit depth
  as 8-bit grey; :func:`prepare_image` makes the digit light on dark (as in
  MNIST), scales it to 28x28 and normalises it. A MNIST test digit saved as a
  PNG comes back as exactly the dataset's tensor.
- A drawing (the notebook's drawing pad, the web page of ``make demo``):
  :func:`digit_steps` crops to the ink, scales the longer side to 20 pixels,
  places the result in 28x28 with its centre of mass at the centre, and
  normalises: the way MNIST's own digits were made. ``demo/src/app.js``
  repeats these steps in JavaScript; the browser test checks that both give
  the same tensor for the same pixels.

Only NumPy and Pillow are needed here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data import MNIST_MEAN, MNIST_STD
from ..i18n import bilingual
from ..validate import array, type_error

__all__ = [
    "BOX",
    "BRUSH",
    "DigitSteps",
    "FIELD",
    "PAD_SIZE",
    "area_resize",
    "centre_of_mass",
    "digit_steps",
    "normalise",
    "prepare_image",
    "read_image",
    "render_strokes",
]

#: Side of the network's input, and of the box MNIST scaled every digit into.
FIELD, BOX = 28, 20
#: Drawing pad side in pixels and brush width: a digit drawn across most of the
#: pad ends up with strokes about 2 pixels wide at 28x28, as in MNIST.
PAD_SIZE, BRUSH = 280, 20


def normalise(ink) -> np.ndarray:
    """Ink in [0, 1] (light digit on dark) -> the network's input, float32 (1, 1, H, W).

    The arithmetic is float32, step by step, exactly as ``cu.mnist`` does it,
    so the same pixels give the same bits.

    Examples
    --------
    >>> normalise(np.zeros((28, 28))).shape
    (1, 1, 28, 28)
    >>> round(float(normalise([[1.0]])[0, 0, 0, 0]), 4)  # (1 - 0.1307) / 0.3081
    2.8215
    """
    x = np.asarray(ink, dtype=np.float32)
    x = (x - np.float32(MNIST_MEAN[0])) / np.float32(MNIST_STD[0])
    return x.astype(np.float32)[None, None]


# ---------------------------------------------------------------- image files


def read_image(source) -> np.ndarray:
    """Read an image file as 8-bit grey, whatever its size, colour mode or bit depth.

    Colour is turned into grey with the usual luma weights; transparent pixels
    are put on white paper first; 16-bit grey is scaled to 8 bits (not clipped,
    as a plain ``convert("L")`` would).

    Parameters
    ----------
    source : str, Path or bytes
        A file name, or the file's bytes.

    Returns
    -------
    numpy.ndarray
        uint8, shape (H, W).

    Raises
    ------
    TypeError
        `source` is not a path or bytes.
    FileNotFoundError
        There is no such file.
    ValueError
        The file is not an image Pillow can read.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (40, 30), (255, 0, 0)).save(buffer, format="PNG")
    >>> grey = read_image(buffer.getvalue())
    >>> grey.shape, grey.dtype, int(grey[0, 0])
    ((30, 40), dtype('uint8'), 76)
    """
    import io

    from PIL import Image, UnidentifiedImageError

    if isinstance(source, (bytes, bytearray)):
        name, opened = "<bytes>", io.BytesIO(bytes(source))
    elif isinstance(source, (str, Path)):
        name, opened = str(source), Path(source)
        if not opened.is_file():
            raise FileNotFoundError(
                bilingual(f"找不到图像文件 {name}。", f"No image file at {name}.")
            )
    else:
        raise type_error("source", "文件路径或 bytes", "a file path or bytes", source)
    try:
        with Image.open(opened) as img:
            img.load()
            return _grey(img)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise ValueError(
            bilingual(
                f"{name} 不是 Pillow 能读的图像文件（PNG、JPEG 等）。",
                f"{name} is not an image file Pillow can read (PNG, JPEG, ...): {err}",
            )
        ) from None


def _grey(img) -> np.ndarray:
    """A loaded Pillow image as uint8 grey (H, W)."""
    from PIL import Image

    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):  # 16-bit grey: 65535 is white
        values = np.asarray(img, dtype=np.float64) / 257
    elif img.mode == "F":  # floats: 0-1 or 0-255
        values = np.asarray(img, dtype=np.float64)
        values = values * 255 if values.max(initial=0) <= 1 else values
    else:
        if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
            paper = Image.new("RGBA", img.size, (255, 255, 255, 255))
            img = Image.alpha_composite(paper, img.convert("RGBA"))
        return np.asarray(img.convert("L"), dtype=np.uint8)
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def prepare_image(grey) -> np.ndarray:
    """Grey pixels 0-255 of a digit -> the network's input, float32 (1, 1, 28, 28).

    1. If the border is light (a dark digit on paper), invert: MNIST digits
       are light on a dark background.
    2. Pad to a square with the background and scale to 28x28 by area
       averaging (:func:`area_resize`); a 28x28 image is left as it is.
    3. Scale to [0, 1] and normalise with MNIST's mean and standard deviation.

    Raises
    ------
    TypeError, ValueError
        `grey` is not a 2-D array of numbers in [0, 255].

    Examples
    --------
    >>> paper = np.full((56, 56), 255, np.uint8)   # white paper, black stroke
    >>> paper[10:46, 26:30] = 0
    >>> x = prepare_image(paper)
    >>> x.shape, x.dtype, bool(x[0, 0, 14, 14] > 2), bool(x[0, 0, 0, 0] < 0)
    ((1, 1, 28, 28), dtype('float32'), True, True)
    """
    grey = array(grey, "grey", ndim=2, dtype="float64")
    if grey.min() < 0 or grey.max() > 255:
        raise ValueError(
            bilingual(
                f"`grey` 的像素值必须在 0 到 255 之间，收到 {grey.min():g} 到 {grey.max():g}。",
                f"`grey` must hold pixel values from 0 to 255, got {grey.min():g} to "
                f"{grey.max():g}.",
            )
        )
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    if border.mean() > 127.5:
        grey = 255 - grey
    if grey.shape != (FIELD, FIELD):
        grey = area_resize(_square(grey), FIELD)
    ink = grey.astype(np.float32) * np.float32(1 / 255)  # as cu.mnist: float32 * (1/255)
    return normalise(ink)


# ---------------------------------------------------------------- drawings


def area_resize(square, size: int) -> np.ndarray:
    """Scale a square image to `size` x `size` by area averaging (float64).

    Every output pixel is the mean of the input area it covers, counting
    partly covered pixels by the covered fraction. Scaling by a whole factor
    averages blocks; scaling up repeats pixels. ``demo/src/app.js`` computes
    the same weights.

    Examples
    --------
    >>> area_resize(np.arange(16.0).reshape(4, 4), 2).tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    square = np.asarray(square, dtype=np.float64)
    weights = _area_weights(square.shape[0], size)
    return weights @ square @ weights.T


def _area_weights(n: int, m: int) -> np.ndarray:
    """(m, n) matrix: output pixel i takes input pixel j with weight overlap / (n / m)."""
    scale = n / m
    weights = np.zeros((m, n))
    for i in range(m):
        low, high = i * scale, (i + 1) * scale
        for j in range(math.floor(low), min(n, math.ceil(high))):
            weights[i, j] = (min(high, j + 1) - max(low, j)) / scale
    return weights


def _square(image: np.ndarray) -> np.ndarray:
    """Pad with zeros to a square, the image in the middle (extra row/column after it)."""
    h, w = image.shape
    side = max(h, w)
    out = np.zeros((side, side), dtype=np.float64)
    top, left = (side - h) // 2, (side - w) // 2
    out[top : top + h, left : left + w] = image
    return out


def centre_of_mass(image) -> tuple[float, float]:
    """(row, column) of the image's centre of mass, each pixel weighted by its value.

    Raises
    ------
    ValueError
        The image is empty (all zeros) or has negative values.

    Examples
    --------
    >>> centre_of_mass([[0, 0, 0], [0, 0, 3], [0, 0, 1]])
    (1.25, 2.0)
    """
    image = array(image, "image", ndim=2, dtype="float64")
    total = image.sum()
    if image.min() < 0 or total <= 0:
        raise ValueError(
            bilingual(
                "`image` 的值必须非负且不全为 0（没有墨迹就没有质心）。",
                "`image` must be non-negative and not all zero (no ink, no centre of mass).",
            )
        )
    rows, cols = np.indices(image.shape)
    return float((image * rows).sum() / total), float((image * cols).sum() / total)


@dataclass(frozen=True)
class DigitSteps:
    """Every intermediate picture of :func:`digit_steps`, for showing the steps."""

    ink: np.ndarray  #: the drawing, floats in [0, 1], light digit on dark
    box: tuple[int, int, int, int]  #: (top, left, bottom, right) of the ink, ends excluded
    square: np.ndarray  #: the crop, padded to a square
    scaled: np.ndarray  #: the square scaled to BOX x BOX (20x20)
    centre: tuple[float, float]  #: centre of mass of `scaled` (row, column)
    offset: tuple[int, int]  #: where `scaled` goes in the 28x28 field (top, left)
    centred: np.ndarray  #: the 28x28 field, ink in [0, 1]
    tensor: np.ndarray  #: the network's input, float32 (1, 1, 28, 28)


def digit_steps(ink, threshold: float = 0.0) -> DigitSteps | None:
    """Turn a drawing into the network's input the way MNIST's digits were made.

    1. Crop to the pixels with ink above `threshold` and pad to a square.
    2. Scale the square to 20x20 (:func:`area_resize`).
    3. Put it in a 28x28 field so that its centre of mass lands on pixel
       (14, 14), to the nearest whole pixel, staying inside the field.
    4. Normalise (:func:`normalise`).

    Parameters
    ----------
    ink : array-like
        2-D, values in [0, 1], light digit on dark (e.g. a canvas's red
        channel / 255 for white strokes on black).
    threshold : float
        Pixels above it count as ink for the crop.

    Returns
    -------
    DigitSteps or None
        None when there is no ink: nothing to recognise.

    Examples
    --------
    >>> drawing = np.zeros((100, 100))
    >>> drawing[20:80, 45:55] = 1.0
    >>> steps = digit_steps(drawing)
    >>> steps.box, steps.scaled.shape, steps.offset, steps.tensor.shape
    ((20, 45, 80, 55), (20, 20), (5, 5), (1, 1, 28, 28))
    >>> digit_steps(np.zeros((10, 10))) is None
    True
    """
    from ..validate import number

    ink = array(ink, "ink", ndim=2, dtype="float64")
    threshold = number(threshold, "threshold", 0, 1, high_open=True)
    if ink.min() < 0 or ink.max() > 1:
        raise ValueError(
            bilingual(
                f"`ink` 的值必须在 0 到 1 之间，收到 {ink.min():g} 到 {ink.max():g}。",
                f"`ink` must hold values from 0 to 1, got {ink.min():g} to {ink.max():g}.",
            )
        )
    marked = ink > threshold
    if not marked.any():
        return None
    rows, cols = np.flatnonzero(marked.any(axis=1)), np.flatnonzero(marked.any(axis=0))
    box = (int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1)
    square = _square(ink[box[0] : box[2], box[1] : box[3]])
    scaled = area_resize(square, BOX)
    centre = centre_of_mass(scaled)
    offset = tuple(
        min(max(math.floor(FIELD / 2 - c + 0.5), 0), FIELD - BOX) for c in centre
    )  # round half up, as JavaScript's Math.round
    centred = np.zeros((FIELD, FIELD))
    centred[offset[0] : offset[0] + BOX, offset[1] : offset[1] + BOX] = scaled
    return DigitSteps(ink, box, square, scaled, centre, offset, centred, normalise(centred))


def render_strokes(strokes: Sequence, size: int = PAD_SIZE, brush: int = BRUSH) -> np.ndarray:
    """Draw strokes (each a list of (x, y) points) in white on black; ink in [0, 1].

    Lines have round ends and joints; a stroke of one point is a dot.

    Examples
    --------
    >>> ink = render_strokes([[(10, 10), (10, 40)]], size=50, brush=4)
    >>> ink.shape, float(ink[25, 10]), float(ink[25, 30])
    ((50, 50), 1.0, 0.0)
    """
    from PIL import Image, ImageDraw

    from ..validate import positive

    size, brush = positive(size, "size"), positive(brush, "brush")
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    radius = brush / 2
    for stroke in strokes:
        points = [(float(x), float(y)) for x, y in stroke]
        if len(points) > 1:
            draw.line(points, fill=255, width=brush, joint="curve")
        for x, y in points:  # round ends (and joints that "curve" misses)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return np.asarray(image, dtype=np.float64) / 255
