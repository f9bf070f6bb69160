"""Pick the device once: GPU when Paddle has CUDA and sees a GPU, else CPU.

Introduced in lesson 00.
"""

from __future__ import annotations

from .i18n import t


def best_device() -> str:
    """Return ``'gpu'`` when Paddle is built with CUDA and sees a GPU, else ``'cpu'``.

    Never raises on a CPU-only machine.

    Examples
    --------
    >>> best_device() in ("cpu", "gpu")
    True
    """
    import paddle

    try:
        if paddle.device.is_compiled_with_cuda() and paddle.device.cuda.device_count() > 0:
            return "gpu"
    except Exception:  # a broken CUDA set-up still leaves the CPU
        pass
    return "cpu"


def use_device(verbose: bool = True) -> str:
    """Set Paddle's device to :func:`best_device` and print one line saying which.

    Returns the device name (``'cpu'`` or ``'gpu'``).
    """
    import paddle

    from .validate import flag

    verbose = flag(verbose, "verbose")
    name = best_device()
    paddle.set_device(name)
    if verbose:
        label = "GPU" if name == "gpu" else "CPU"
        print(t(f"使用设备：{label}", f"Using device: {label}"))
    return name
