"""Export a trained network and run it outside Paddle (lesson 10).

- :func:`require` imports an optional package (paddle2onnx, onnx,
  onnxruntime, ipycanvas) or says exactly what to install.
- :func:`export_folder` is the course's folder for exported files, beside
  the checkpoints; it never takes over a folder the course did not make.
- :func:`onnx_export` converts a ``paddle.jit.save`` export to ONNX with
  paddle2onnx and tidies the graph with ONNX Runtime's basic optimisations.
- :func:`quantize_int8` runs ONNX Runtime's post-training int8 quantization.
- :func:`onnx_session` opens an ONNX Runtime session on the CPU.
- :func:`trained_lenet` loads lesson 05's LeNet, or trains one briefly.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from importlib import import_module
from pathlib import Path

import numpy as np

from ..i18n import bilingual, t

__all__ = [
    "PINS",
    "export_folder",
    "file_sizes",
    "onnx_export",
    "onnx_session",
    "quantize_int8",
    "require",
    "softmax",
    "trained_lenet",
]

#: The versions requirements.txt pins (a test keeps the two in step).
PINS = {"paddle2onnx": "2.1.0", "onnx": "1.17.0", "onnxruntime": "1.23.2", "ipycanvas": "0.14.3"}
#: ONNX operator set of the export; ONNX Runtime (Python and web) runs it.
OPSET = 13


def require(package: str):
    """Import and return an optional package of lesson 10, or say how to install it.

    Raises
    ------
    ValueError
        `package` is not one of :data:`PINS`.
    ModuleNotFoundError
        The package is not installed; the message names the pinned version.

    Examples
    --------
    >>> require("onnx").__name__
    'onnx'
    """
    from ..validate import choice

    choice(package, "package", tuple(PINS))
    try:
        return import_module(package)
    except ImportError as err:
        raise ModuleNotFoundError(
            bilingual(
                f"这一课需要 Python 包 {package}，但没有安装（{err}）。请运行 "
                f"`pip install {package}=={PINS[package]}`，或在课程文件夹里运行 `make setup`。",
                f"This lesson needs the Python package {package}, which is not installed "
                f"({err}). Run `pip install {package}=={PINS[package]}`, or `make setup` in "
                "the course folder.",
            ),
            name=package,
        ) from None


def export_folder(name: str = "lenet_deploy") -> Path:
    """The course's folder for exported files, beside the checkpoints (created if needed).

    In quick mode the folder is ``<name>-quick``, as for checkpoints. The
    folder carries the course's marker; a folder or file of yours at that
    path is never used.

    Raises
    ------
    CheckpointError
        Something that is not the course's is already at the path.
    """
    from ..checkpoints import MARKER, CheckpointError, _is_course_folder, checkpoint_path

    path = checkpoint_path(name)
    if path.exists() or path.is_symlink():
        if not _is_course_folder(path):
            raise CheckpointError(
                bilingual(
                    f"{path} 已经存在，但不是课程建立的文件夹：课程不会往里面写文件。"
                    "请换一个名字，或者先把它移走。",
                    f"{path} already exists and is not a folder the course made: the course "
                    "will not write into it. Choose another name or move it away first.",
                )
            )
        return path
    path.mkdir(parents=True)
    (path / MARKER).write_text(json.dumps({"kind": "deploy", "format": 1}), "utf-8")
    return path


def file_sizes(folder: str | Path) -> dict[str, int]:
    """File name -> size in bytes for the files in `folder` (hidden files left out)."""
    return {
        p.name: p.stat().st_size
        for p in sorted(Path(folder).iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


@contextlib.contextmanager
def _captured_c_output():
    """Send what C/C++ code writes to stdout/stderr into a temporary file.

    paddle2onnx prints progress lines from C++; in a notebook they would
    appear as cell output (English only). Yields a function that returns the
    captured text, for error messages.
    """
    import ctypes

    try:
        flush = ctypes.CDLL(None).fflush  # C's buffered output (Linux, macOS)
    except (OSError, AttributeError):
        flush = None
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)

        def text() -> str:
            if flush is not None:
                flush(None)
            sink.seek(0)
            return sink.read().decode(errors="replace")

        try:
            yield text
        finally:
            if flush is not None:
                flush(None)
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def onnx_export(prefix: str | Path, path: str | Path) -> Path:
    """Convert the ``paddle.jit.save`` export `prefix` (.json + .pdiparams) to ONNX at `path`.

    paddle2onnx 2.x reads Paddle 3's programs (``.json``, the PIR format) and
    writes ONNX operator set 13 with the batch size left free. Its raw graph
    keeps the weights as ``Constant`` nodes; ONNX Runtime's *basic* graph
    optimisations (constant folding, removing unused nodes; all standard ONNX
    operators, so the file runs anywhere) turn them into initializers, which
    the int8 quantizer needs. paddle2onnx's own optimiser is not used: it may
    try to install packages from the internet.

    Raises
    ------
    FileNotFoundError
        ``prefix.json`` or ``prefix.pdiparams`` is missing.
    ModuleNotFoundError
        paddle2onnx or onnxruntime is not installed (names the version).
    RuntimeError
        paddle2onnx could not convert the program (with its own messages).
    """
    prefix, path = Path(prefix), Path(path)
    program = prefix.with_name(prefix.name + ".json")
    params = prefix.with_name(prefix.name + ".pdiparams")
    for needed in (program, params):
        if not needed.is_file():
            raise FileNotFoundError(
                bilingual(
                    f"找不到 {needed}：先用 paddle.jit.save 导出模型。",
                    f"{needed} is missing: export the model with paddle.jit.save first.",
                )
            )
    paddle2onnx = require("paddle2onnx")
    require("onnx")
    ort = require("onnxruntime")
    said = io.StringIO()  # paddle2onnx's Python messages
    with _captured_c_output() as captured, contextlib.redirect_stdout(said):
        try:
            with contextlib.redirect_stderr(said):
                raw = paddle2onnx.export(
                    str(program), str(params), save_file=None, opset_version=OPSET, verbose=False
                )
        except (Exception, SystemExit):  # noqa: BLE001 - it logs the error, then exits
            raw = None
        messages = (captured() + said.getvalue()).strip()
    if not isinstance(raw, bytes):
        raise RuntimeError(
            bilingual(
                f"paddle2onnx {PINS['paddle2onnx']} 没能转换 {program}。它的输出：\n{messages}",
                f"paddle2onnx {PINS['paddle2onnx']} could not convert {program}. "
                f"Its output:\n{messages}",
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(path)
    options.log_severity_level = 3  # the raw graph's unused constants are not news
    ort.InferenceSession(raw, options, providers=["CPUExecutionProvider"])
    return path


def onnx_session(path: str | Path, threads: int | None = None):
    """An ONNX Runtime session for the CPU; `threads` defaults to Paddle's thread count.

    Raises
    ------
    ModuleNotFoundError
        onnxruntime is not installed (names the version).
    """
    from ..config import use_all_cores

    ort = require("onnxruntime")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or use_all_cores()
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def softmax(logits) -> np.ndarray:
    """Class probabilities from the network's outputs (last axis).

    Examples
    --------
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    z = np.asarray(logits, dtype=np.float64)
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def quantize_int8(model: str | Path, path: str | Path, calibration, batch_size: int = 50) -> Path:
    """Post-training int8 quantization of the ONNX `model` with ONNX Runtime; returns `path`.

    Weights become int8 (one scale per output channel), activations uint8,
    in the QDQ format (QuantizeLinear / DequantizeLinear pairs around each
    operator). The activations' ranges (min and max) come from running the
    model on `calibration`, float32 images (N, 1, 28, 28).

    Raises
    ------
    TypeError, ValueError
        `calibration` is not a non-empty float array of shape (N, 1, 28, 28).
    ModuleNotFoundError
        onnxruntime is not installed (names the version).
    """
    from ..validate import array, positive

    images = array(calibration, "calibration", ndim=4)
    if images.shape[1:] != (1, 28, 28):
        raise ValueError(
            bilingual(
                f"`calibration` 的形状必须是 (N, 1, 28, 28)，收到 {images.shape}。",
                f"`calibration` must have shape (N, 1, 28, 28), got {images.shape}.",
            )
        )
    batch_size = positive(batch_size, "batch_size")
    require("onnxruntime")
    from onnxruntime import quantization as q

    model, path = Path(model), Path(path)
    name = onnx_session(model).get_inputs()[0].name
    batches = iter([{name: images[i : i + batch_size]} for i in range(0, len(images), batch_size)])

    class Calibration(q.CalibrationDataReader):
        def get_next(self):
            return next(batches, None)

    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        # ONNX Runtime's recommended pre-processing: shape inference and graph tidying.
        q.quant_pre_process(str(model), str(prepared), skip_symbolic_shape=True)
        q.quantize_static(
            str(prepared),
            str(path),
            Calibration(),
            quant_format=q.QuantFormat.QDQ,
            per_channel=True,
            weight_type=q.QuantType.QInt8,
            activation_type=q.QuantType.QUInt8,
        )
    return path


def trained_lenet(steps: int = 300, say=print):
    """Lesson 05's LeNet (ReLU, max pooling) from its checkpoint, or trained briefly.

    Used by ``make demo``; the notebook spells the same steps out. `say`
    receives one line that tells which it was.

    Returns
    -------
    (paddle.nn.Layer, bool)
        The network, in evaluation mode, and whether it came from the checkpoint.
    """
    import paddle
    from paddle import nn

    from .. import checkpoints, data, models
    from ..validate import positive

    steps = positive(steps, "steps")
    network = models.LeNet(activation="relu", pool="max")
    model = models.as_model(network)
    model.prepare(
        paddle.optimizer.Adam(1e-3, parameters=network.parameters()),
        nn.CrossEntropyLoss(),
        paddle.metric.Accuracy(),
    )
    path = checkpoints.checkpoint_path("lenet")
    try:
        checkpoints.load_checkpoint(model, path, optimizer=False)
        say(t(f"已读入第 05 课的检查点 {path}", f"Loaded lesson 05's checkpoint {path}"))
        loaded = True
    except checkpoints.CheckpointError:
        say(
            t(
                f"没有找到检查点 {path}（先运行第 05 课）：现在用 {steps} 个批量简短训练一个。",
                f"No checkpoint at {path} (run lesson 05 first): training one briefly now, "
                f"{steps} batches.",
            )
        )
        model.fit(data.mnist("train"), epochs=1, batch_size=64, num_iters=steps, verbose=0)
        loaded = False
    network.eval()
    return network, loaded
