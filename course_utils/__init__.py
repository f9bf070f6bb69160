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
    ``conv_macs``, ``receptive_field``
Exercise checks (``checks``)
    ``check_conv_output_size``

Importing the package lets Paddle use every CPU core (see ``use_all_cores``).
"""

from .config import describe_mode, epochs, quick_mode, seed_everything, use_all_cores
from .i18n import LANGUAGES, get_language, set_language, t

use_all_cores()  # before Paddle is imported anywhere, so its flag is read

from .checks import check_conv_output_size  # noqa: E402
from .data import CIFAR10_CLASSES, DataError, cifar10, data_status, mnist  # noqa: E402
from .device import best_device, use_device  # noqa: E402
from .sizes import (  # noqa: E402
    conv_macs,
    conv_output_size,
    conv_params,
    pool_output_size,
    receptive_field,
    same_padding,
)

__all__ = [
    "LANGUAGES",
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
