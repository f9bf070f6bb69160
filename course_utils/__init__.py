"""Helpers for the bilingual PaddlePaddle CNN course.

Public names
------------
Language (``i18n``)
    ``t``, ``set_language``, ``get_language``, ``LANGUAGES``
Run mode and reproducibility (``config``)
    ``quick_mode``, ``epochs``, ``describe_mode``, ``seed_everything``, ``use_all_cores``
Device (``device``)
    ``best_device``, ``use_device``
Data (``data``)
    ``mnist``, ``cifar10``, ``data_status``, ``DataError``, ``CIFAR10_CLASSES``
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
Training (``train``; lesson 05 on)
    ``History``, ``fit``, ``evaluate``, ``predict_labels``, ``confusion_matrix``,
    ``count_parameters``, ``checkpoint_path``, ``save_checkpoint``, ``load_checkpoint``,
    ``BestCheckpoint``, ``CheckpointError``, ``save_inference``, ``layer_grad_norms`` (08)
Networks (``models``; lesson 05 on)
    ``LeNet``, ``as_model`` (05), ``CifarBaseline`` (06), ``Inception``, ``GoogLeNetMini`` (07),
    ``Residual``, ``ResNetMini`` (08)
Visualisation (``viz``; lesson 09)
    ``feature_maps``, ``first_conv_kernels``, ``maximise_filter``, ``maximise_class``,
    ``saliency``, ``occlusion``, ``fgsm``, ``smallest_fooling_epsilon`` (as ``cu.viz.*``)
Exercise checks (``checks``)
    ``check_conv_output_size`` (00), ``check_corr2d``, ``check_horizontal_edge_kernel`` (01),
    ``check_conv2d_strided``, ``check_tf_output_size`` (02), ``check_conv_weight_shape``,
    ``check_conv_param_count``, ``check_bottleneck_macs`` (03), ``check_pool_output_size``,
    ``check_max_pool`` (04), ``check_lenet_param_count``, ``check_lenet_class``,
    ``check_misclassified_count`` (05), ``check_batch_norm_forward``,
    ``check_batch_norm_param_count`` (06), ``check_inception_channels``,
    ``check_inception_macs`` (07), ``check_dense_block``, ``check_projection_residual`` (08),
    ``check_saliency``, ``check_worst_occlusion`` (09)
Widgets (``course_utils.widgets``, imported on use)
    ``kernel_explorer``, ``window_player``, ``pooling_explorer``, ``feature_map_explorer`` and
    their static figures

Importing the package lets Paddle use every CPU core (see ``use_all_cores``).
"""

from .config import describe_mode, epochs, quick_mode, seed_everything, use_all_cores
from .i18n import LANGUAGES, get_language, set_language, t

use_all_cores()  # before Paddle is imported anywhere, so its flag is read

from . import models, train, viz  # noqa: E402
from .checks import (  # noqa: E402
    check_batch_norm_forward,
    check_batch_norm_param_count,
    check_bottleneck_macs,
    check_conv2d_strided,
    check_conv_output_size,
    check_conv_param_count,
    check_conv_weight_shape,
    check_corr2d,
    check_dense_block,
    check_horizontal_edge_kernel,
    check_inception_channels,
    check_inception_macs,
    check_lenet_class,
    check_lenet_param_count,
    check_max_pool,
    check_misclassified_count,
    check_pool_output_size,
    check_projection_residual,
    check_saliency,
    check_tf_output_size,
    check_worst_occlusion,
)
from .data import CIFAR10_CLASSES, DataError, cifar10, data_status, mnist  # noqa: E402
from .device import best_device, use_device  # noqa: E402
from .images import checkerboard, photo, vertical_edge  # noqa: E402
from .kernels import PRESETS, conv2d, corr2d, parse_kernel, window_steps  # noqa: E402
from .models import (  # noqa: E402
    CifarBaseline,
    GoogLeNetMini,
    Inception,
    LeNet,
    Residual,
    ResNetMini,
    as_model,
)
from .plotting import label, plot_confusion_matrix, plot_history, show_images  # noqa: E402
from .pooling import pool2d, pool2d_numpy  # noqa: E402
from .sizes import (  # noqa: E402
    LayerCost,
    conv_macs,
    conv_output_size,
    conv_params,
    network_costs,
    pool_output_size,
    receptive_field,
    same_padding,
    total_cost,
)
from .train import (  # noqa: E402
    BestCheckpoint,
    CheckpointError,
    History,
    checkpoint_path,
    confusion_matrix,
    count_parameters,
    evaluate,
    fit,
    layer_grad_norms,
    load_checkpoint,
    predict_labels,
    save_checkpoint,
    save_inference,
)

__all__ = [
    "check_batch_norm_forward",
    "check_batch_norm_param_count",
    "check_dense_block",
    "check_inception_channels",
    "check_inception_macs",
    "check_lenet_class",
    "check_lenet_param_count",
    "check_misclassified_count",
    "check_projection_residual",
    "check_saliency",
    "check_worst_occlusion",
    "CifarBaseline",
    "GoogLeNetMini",
    "Inception",
    "Residual",
    "ResNetMini",
    "LayerCost",
    "network_costs",
    "total_cost",
    "layer_grad_norms",
    "viz",
    "BestCheckpoint",
    "CheckpointError",
    "History",
    "LeNet",
    "as_model",
    "checkpoint_path",
    "confusion_matrix",
    "count_parameters",
    "evaluate",
    "fit",
    "load_checkpoint",
    "models",
    "plot_confusion_matrix",
    "plot_history",
    "predict_labels",
    "save_checkpoint",
    "save_inference",
    "train",
    "LANGUAGES",
    "PRESETS",
    "check_bottleneck_macs",
    "check_conv2d_strided",
    "check_conv_param_count",
    "check_conv_weight_shape",
    "check_corr2d",
    "check_horizontal_edge_kernel",
    "check_max_pool",
    "check_pool_output_size",
    "check_tf_output_size",
    "checkerboard",
    "conv2d",
    "corr2d",
    "label",
    "parse_kernel",
    "photo",
    "pool2d",
    "pool2d_numpy",
    "show_images",
    "vertical_edge",
    "window_steps",
    "CIFAR10_CLASSES",
    "DataError",
    "best_device",
    "check_conv_output_size",
    "cifar10",
    "conv_macs",
    "conv_output_size",
    "conv_params",
    "data_status",
    "describe_mode",
    "epochs",
    "get_language",
    "mnist",
    "pool_output_size",
    "quick_mode",
    "receptive_field",
    "same_padding",
    "seed_everything",
    "set_language",
    "t",
    "use_all_cores",
    "use_device",
]
