"""Helpers for the bilingual PaddlePaddle CNN course.

Importing the package is cheap: it reads the language and mode settings and
nothing else. Paddle, NumPy and matplotlib load when a function that needs
them is first used (``cu.mnist``, ``cu.models``, ...).

Public names
------------
Language (``i18n``)
    ``t``, ``set_language``, ``get_language``, ``LANGUAGES``
Run mode and reproducibility (``config``)
    ``quick_mode``, ``grading_mode``, ``epochs``, ``describe_mode``, ``seed_everything``,
    ``use_all_cores``
Device (``device``)
    ``best_device``, ``use_device``
Data (``data``)
    ``mnist``, ``cifar10``, ``data_status``, ``DataError``, ``CIFAR10_CLASSES``,
    ``cifar10_class_names`` (plot labels in the current language)
Sizes (``sizes``)
    ``conv_output_size``, ``pool_output_size``, ``same_padding``, ``conv_params``,
    ``conv_macs``, ``receptive_field``; whole networks (lesson 07): ``network_costs``,
    ``total_cost``, ``LayerCost``
Kernels and pooling (``kernels``, ``pooling``; lessons 01-04)
    ``PRESETS``, ``corr2d``, ``conv2d``, ``parse_kernel``, ``window_steps``,
    ``pool2d``, ``pool2d_numpy``
Images and plots (``images``, ``plotting``)
    ``photo``, ``checkerboard``, ``vertical_edge``, ``label``, ``show_images``,
    ``plot_history``, ``plot_confusion_matrix``
Training (``train``, ``callbacks``; lesson 05 on)
    ``evaluate``, ``predict_labels``, ``confusion_matrix``,
    ``count_parameters``, ``layer_grad_norms`` (08); callbacks for ``Model.fit``:
    ``History``, ``BestCheckpoint``
Checkpoints (``checkpoints``; lesson 05 on)
    ``checkpoint_path``, ``save_checkpoint``, ``load_checkpoint``, ``save_inference``,
    ``CheckpointError``
Networks (``models``; lesson 05 on)
    ``LeNet``, ``as_model`` (05), ``CifarBaseline`` (06), ``Inception``, ``GoogLeNetMini`` (07),
    ``Residual``, ``ResNetMini`` (08)
Visualisation (``viz``; lesson 09), deployment (``deploy``; lesson 10), exercise checks
    (``checks``), widgets (``widgets``) used as ``cu.viz.saliency``, ``cu.deploy.onnx_export``,
    ``cu.checks.check_corr2d``, ``cu.widgets.kernel_explorer``
Teaching a class (``hub``, ``hosted``; docs/deployment.md)
    ``cu.hub.pull_link``, ``cu.hub.publish_student_branch``; ``cu.hosted.setup`` (the first
    cell of hosted notebooks), ``cu.hosted.prepare_data``
"""

from __future__ import annotations

from importlib import import_module

from .config import (
    describe_mode,
    epochs,
    grading_mode,
    quick_mode,
    seed_everything,
    use_all_cores,
)
from .fonts import register_when_matplotlib_loads
from .i18n import LANGUAGES, get_language, set_language, t
from .quiet import quiet_startup

quiet_startup()  # before Paddle is first imported: its start-up notices and thread count
use_all_cores()
register_when_matplotlib_loads()  # the shipped CJK font, once matplotlib is imported

# Public name -> the module that defines it; the module is imported on first use.
_WHERE = {
    **dict.fromkeys(["best_device", "use_device"], "device"),
    **dict.fromkeys(
        [
            "mnist",
            "cifar10",
            "data_status",
            "DataError",
            "CIFAR10_CLASSES",
            "CIFAR10_CLASSES_ZH",
            "cifar10_class_names",
        ],
        "data",
    ),
    **dict.fromkeys(
        [
            "conv_output_size",
            "pool_output_size",
            "same_padding",
            "conv_params",
            "conv_macs",
            "receptive_field",
            "network_costs",
            "total_cost",
            "LayerCost",
        ],
        "sizes",
    ),
    **dict.fromkeys(["PRESETS", "corr2d", "conv2d", "parse_kernel", "window_steps"], "kernels"),
    **dict.fromkeys(["pool2d", "pool2d_numpy"], "pooling"),
    **dict.fromkeys(["photo", "checkerboard", "vertical_edge"], "images"),
    **dict.fromkeys(["label", "show_images", "plot_history", "plot_confusion_matrix"], "plotting"),
    **dict.fromkeys(
        [
            "evaluate",
            "predict_labels",
            "confusion_matrix",
            "count_parameters",
            "layer_grad_norms",
        ],
        "train",
    ),
    **dict.fromkeys(["History", "BestCheckpoint"], "callbacks"),
    **dict.fromkeys(
        [
            "checkpoint_path",
            "save_checkpoint",
            "load_checkpoint",
            "save_inference",
            "CheckpointError",
        ],
        "checkpoints",
    ),
    **dict.fromkeys(
        [
            "LeNet",
            "as_model",
            "CifarBaseline",
            "Inception",
            "GoogLeNetMini",
            "Residual",
            "ResNetMini",
        ],
        "models",
    ),
}
_SUBMODULES = (
    "callbacks",
    "checkpoints",
    "checks",
    "data",
    "deploy",
    "device",
    "fonts",
    "hosted",
    "hub",
    "images",
    "kernels",
    "models",
    "plotting",
    "pooling",
    "sizes",
    "train",
    "validate",
    "viz",
    "widgets",
)

__all__ = [
    "LANGUAGES",
    "describe_mode",
    "epochs",
    "get_language",
    "grading_mode",
    "quick_mode",
    "seed_everything",
    "set_language",
    "t",
    "use_all_cores",
    *_WHERE,
    *_SUBMODULES,
]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
