"""Exercise checks: recompute the answer or test it on random cases (lesson 00 on).

Each lesson's checks live in their own module (``lesson01`` ...) and all of
them go through one case runner (:mod:`course_utils.checks.runner`). A check
prints one verdict, ✅ right, ❌ wrong (with a hint, and the case and seed
that failed) or ⏳ not done yet, and returns a :class:`Verdict` that is true
only for a right answer. With ``COURSE_STRICT_CHECKS=1`` (CI) or
``COURSE_GRADING=1`` (nbgrader) anything but a right answer raises
``AssertionError``.
"""

from __future__ import annotations

from .lesson00 import check_class_counts, check_conv_output_size
from .lesson01 import check_corr2d, check_horizontal_edge_kernel
from .lesson02 import check_conv2d_strided, check_same_padding, check_tf_output_size
from .lesson03 import check_bottleneck_macs, check_conv_param_count, check_conv_weight_shape
from .lesson04 import check_max_pool, check_pool_output_size
from .lesson05 import check_lenet_class, check_lenet_param_count, check_misclassified_count
from .lesson06 import check_batch_norm_forward, check_batch_norm_param_count, check_dropout_answer
from .lesson07 import check_inception_channels, check_inception_macs
from .lesson08 import check_dense_block, check_projection_residual
from .lesson09 import check_saliency, check_worst_occlusion
from .lesson10 import check_centre_of_mass, check_model_input, check_onnx_labels
from .runner import NOT_DONE, Verdict, verdict

__all__ = [
    "NOT_DONE",
    "Verdict",
    "check_batch_norm_forward",
    "check_batch_norm_param_count",
    "check_bottleneck_macs",
    "check_centre_of_mass",
    "check_class_counts",
    "check_conv2d_strided",
    "check_conv_output_size",
    "check_conv_param_count",
    "check_conv_weight_shape",
    "check_corr2d",
    "check_dense_block",
    "check_dropout_answer",
    "check_horizontal_edge_kernel",
    "check_inception_channels",
    "check_inception_macs",
    "check_lenet_class",
    "check_lenet_param_count",
    "check_max_pool",
    "check_misclassified_count",
    "check_model_input",
    "check_onnx_labels",
    "check_pool_output_size",
    "check_projection_residual",
    "check_same_padding",
    "check_saliency",
    "check_tf_output_size",
    "check_worst_occlusion",
    "verdict",
]
