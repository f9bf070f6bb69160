"""A Paddle dataset over arrays held in memory (the course's MNIST and CIFAR-10).

Introduced in lesson 05. ``paddle.vision.datasets.MNIST`` decodes and
transforms each image every time it is read; :class:`ArrayDataset` holds the
images already decoded and normalised, so reading one is only an index.
"""

from __future__ import annotations

import numpy as np
import paddle


class ArrayDataset(paddle.io.Dataset):
    """Images (N, C, H, W) float32 and labels (N,) int64 as a ``paddle.io.Dataset``.

    Item ``i`` is ``(images[i], labels[i:i+1])``: a float32 array and a
    one-element int64 array, the form ``paddle.Model.fit`` expects.

    Examples
    --------
    >>> ds = ArrayDataset(np.zeros((3, 1, 2, 2), "float32"), np.array([0, 1, 2]))
    >>> len(ds), ds[1][0].shape, ds[1][1].tolist()
    (3, (1, 2, 2), [1])
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray):
        super().__init__()
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images = images
        self.labels = np.asarray(labels, dtype="int64").reshape(-1, 1)

    def __getitem__(self, index):
        return self.images[index], self.labels[index]

    def __len__(self) -> int:
        return len(self.images)
