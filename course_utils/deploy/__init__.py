"""From a trained network to an application (lesson 10).

- :mod:`.preprocess`: an image file or a drawing -> the network's input
  (``read_image``, ``prepare_image``, ``digit_steps``, ``normalise``,
  ``area_resize``, ``centre_of_mass``, ``render_strokes``); NumPy and Pillow only.
- :mod:`.export`: ONNX export and int8 quantization, ONNX Runtime sessions,
  ``softmax``, the course's export folder, optional packages (``require``).
- :mod:`.latency`: median latency of several engines, and its bar chart.

Paddle, paddle2onnx and onnxruntime load only when a function needs them.
``make demo`` (``demo/build.py``) uses the same functions.
"""

from __future__ import annotations

from .export import (
    PINS,
    export_folder,
    file_sizes,
    onnx_export,
    onnx_session,
    quantize_int8,
    require,
    softmax,
    trained_lenet,
)
from .latency import latency_figure, latency_table, median_ms
from .preprocess import (
    BOX,
    BRUSH,
    FIELD,
    PAD_SIZE,
    DigitSteps,
    area_resize,
    centre_of_mass,
    digit_steps,
    normalise,
    prepare_image,
    read_image,
    render_strokes,
)

__all__ = [
    "BOX",
    "BRUSH",
    "FIELD",
    "PAD_SIZE",
    "PINS",
    "DigitSteps",
    "area_resize",
    "centre_of_mass",
    "digit_steps",
    "export_folder",
    "file_sizes",
    "latency_figure",
    "latency_table",
    "median_ms",
    "normalise",
    "onnx_export",
    "onnx_session",
    "prepare_image",
    "quantize_int8",
    "read_image",
    "render_strokes",
    "require",
    "softmax",
    "trained_lenet",
]
