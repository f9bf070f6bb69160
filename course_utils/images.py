"""Images for the lessons: a real photo that ships with matplotlib, and patterns.

Introduced in lesson 01. No Lena: the photo is matplotlib's sample
``grace_hopper.jpg``.
"""

from __future__ import annotations

import numpy as np


def photo(grey: bool = True, size: int | None = 256) -> np.ndarray:
    """Grace Hopper's portrait from matplotlib's sample data, floats in [0, 1].

    Parameters
    ----------
    grey : bool
        Return an HxW grey image (else HxWx3 RGB).
    size : int or None
        Resize so the longer side is `size` pixels (None keeps 600x512).

    Examples
    --------
    >>> photo(size=64).shape
    (64, 55)
    """
    from matplotlib import cbook
    from PIL import Image

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        img = Image.open(f).convert("L" if grey else "RGB")
        if size:
            scale = size / max(img.size)
            img = img.resize((round(img.width * scale), round(img.height * scale)))
        return np.asarray(img, dtype=np.float32) / 255.0


def checkerboard(n: int = 32, square: int = 8) -> np.ndarray:
    """A black-and-white checkerboard, n x n, floats 0/1.

    Examples
    --------
    >>> checkerboard(4, 2).astype(int).tolist()
    [[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]]
    """
    idx = np.arange(n) // square
    return ((idx[:, None] + idx[None, :]) % 2).astype(np.float32)


def vertical_edge(height: int = 6, width: int = 8, column: int = 4) -> np.ndarray:
    """Ones left of `column`, zeros from it on: a vertical edge (lessons 01, 04).

    Examples
    --------
    >>> vertical_edge(2, 4, 2).astype(int).tolist()
    [[1, 1, 0, 0], [1, 1, 0, 0]]
    """
    img = np.zeros((height, width), dtype=np.float32)
    img[:, :column] = 1.0
    return img
