"""Images for the lessons: a real photo that ships with matplotlib, and patterns.

Introduced in lesson 01. No Lena: the photo is matplotlib's sample
``grace_hopper.jpg``.
"""

from __future__ import annotations

import numpy as np

from .validate import flag, integer, optional, positive

#: Largest side of a generated image (the course's images are far smaller).
MAX_SIDE = 4096


def photo(grey: bool = True, size: int | None = 256) -> np.ndarray:
    """Grace Hopper's portrait from matplotlib's sample data, floats in [0, 1].

    Parameters
    ----------
    grey : bool
        Return an HxW grey image (else HxWx3 RGB).
    size : int or None
        Resize so the longer side is `size` pixels, 1 to 4096 (None keeps
        600x512).

    Raises
    ------
    TypeError
        `grey` is not a bool or `size` not an int.
    ValueError
        `size` is outside 1-4096.

    Examples
    --------
    >>> photo(size=64).shape
    (64, 55)
    """
    grey = flag(grey, "grey")
    size = optional(size, "size", integer, low=1, high=MAX_SIDE)
    from matplotlib import cbook
    from PIL import Image

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        img = Image.open(f).convert("L" if grey else "RGB")
        if size is not None:
            scale = size / max(img.size)
            img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))))
        return np.asarray(img, dtype=np.float32) / 255.0


def checkerboard(n: int = 32, square: int = 8) -> np.ndarray:
    """A black-and-white checkerboard, n x n (1 to 4096), of `square` x `square` squares.

    Examples
    --------
    >>> checkerboard(4, 2).astype(int).tolist()
    [[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]]
    """
    n = integer(n, "n", low=1, high=MAX_SIDE)
    square = positive(square, "square")
    idx = np.arange(n) // square
    return ((idx[:, None] + idx[None, :]) % 2).astype(np.float32)


def vertical_edge(height: int = 6, width: int = 8, column: int = 4) -> np.ndarray:
    """Ones left of `column`, zeros from it on: a vertical edge (lessons 01, 04).

    Examples
    --------
    >>> vertical_edge(2, 4, 2).astype(int).tolist()
    [[1, 1, 0, 0], [1, 1, 0, 0]]
    """
    height = integer(height, "height", low=1, high=MAX_SIDE)
    width = integer(width, "width", low=1, high=MAX_SIDE)
    column = integer(column, "column", low=0, high=width)
    img = np.zeros((height, width), dtype=np.float32)
    img[:, :column] = 1.0
    return img
