"""course_utils.deploy: preprocessing, ONNX export and quantization, latency (lesson 10)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from course_utils import checkpoints, data, deploy, i18n
from course_utils.deploy import export

import numpy as np
import pytest
from PIL import Image
from tiny import exported_lenet

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")


@pytest.fixture(scope="module")
def test_digits(shared_data):
    """The first 20 MNIST test images: the dataset's tensors and their 0-255 pixels."""
    test = data.mnist("test", quick=True)
    tensors = np.asarray(test.images[:20])
    pixels = np.rint((tensors[:, 0] * data.MNIST_STD[0] + data.MNIST_MEAN[0]) * 255)
    return tensors, pixels.astype(np.uint8)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- an image file -> the network's input


FILE_VARIANTS = {
    "grey": lambda d: Image.fromarray(d),
    "16-bit grey": lambda d: Image.fromarray(d.astype(np.uint16) * 257),
    "RGB": lambda d: Image.fromarray(d).convert("RGB"),
    "RGBA": lambda d: Image.fromarray(d).convert("RGBA"),
    "grey + alpha": lambda d: Image.fromarray(d).convert("LA"),
    "palette": lambda d: Image.fromarray(d).convert("P"),
    "black on white": lambda d: Image.fromarray(255 - d).convert("RGB"),
    "56x56": lambda d: Image.fromarray(np.kron(d, np.ones((2, 2), np.uint8))),
    "84x84 black on white": lambda d: Image.fromarray(255 - np.kron(d, np.ones((3, 3), np.uint8))),
}


@pytest.mark.parametrize("variant", FILE_VARIANTS)
def test_a_test_digit_saved_as_png_comes_back_as_the_dataset_tensor(test_digits, variant):
    """any size that is a whole multiple, colour mode, bit depth or polarity: the same bits"""
    tensors, pixels = test_digits
    for tensor, digit in zip(tensors, pixels, strict=True):
        x = deploy.prepare_image(deploy.read_image(png_bytes(FILE_VARIANTS[variant](digit))))
        assert x.dtype == np.float32 and x.shape == (1, 1, 28, 28)
        np.testing.assert_array_equal(x, tensor[None])


def test_other_sizes_and_aspect_ratios_are_converted(test_digits):
    """a 100x60 photo-like file becomes a (1, 1, 28, 28) float32 input in the training range"""
    _, pixels = test_digits
    photo = Image.fromarray(255 - pixels[0]).resize((60, 100)).convert("RGB")
    x = deploy.prepare_image(deploy.read_image(png_bytes(photo)))
    low, high = deploy.normalise([[0.0, 1.0]])[0, 0, 0]
    assert x.shape == (1, 1, 28, 28) and low - 1e-6 <= x.min() and x.max() <= high + 1e-6
    assert x[0, 0, 0, 0] == pytest.approx(low)  # the paper became the dark background


def test_sixteen_bit_grey_is_scaled_not_clipped():
    """65535 is white, 32896 mid grey: a plain convert('L') would clip both to 255"""
    image = Image.fromarray(np.array([[0, 32896, 65535]], dtype=np.uint16))
    assert deploy.read_image(png_bytes(image)).tolist() == [[0, 128, 255]]


def test_transparent_pixels_are_white_paper():
    """a black stroke on a transparent background reads as black on white"""
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[1:3, 1:3] = (0, 0, 0, 255)
    grey = deploy.read_image(png_bytes(Image.fromarray(rgba, "RGBA")))
    assert grey[0, 0] == 255 and grey[1, 1] == 0


def test_read_image_accepts_a_path(tmp_path):
    """a file name works like the bytes"""
    Image.new("L", (5, 3), 200).save(tmp_path / "d.png")
    assert deploy.read_image(tmp_path / "d.png").shape == (3, 5)
    assert deploy.read_image(str(tmp_path / "d.png"))[0, 0] == 200


def test_a_file_that_is_not_an_image_gets_a_bilingual_error(tmp_path):
    """text, truncated PNG, missing file and a wrong type each get a clear error"""
    (tmp_path / "notes.txt").write_text("not an image")
    with pytest.raises(ValueError, match="不是 Pillow 能读的图像文件") as err:
        deploy.read_image(tmp_path / "notes.txt")
    assert "is not an image file Pillow can read" in str(err.value)
    truncated = png_bytes(Image.new("L", (50, 50), 3))[:60]
    with pytest.raises(ValueError, match="not an image file"):
        deploy.read_image(truncated)
    with pytest.raises(FileNotFoundError, match="No image file at"):
        deploy.read_image(tmp_path / "missing.png")
    with pytest.raises(TypeError, match="`source` must be a file path or bytes"):
        deploy.read_image(42)


@pytest.mark.parametrize(
    ("grey", "error", "text"),
    [
        (np.zeros((2, 3, 3)), ValueError, "`grey` must be a 2-D array"),
        (np.full((28, 28), 300.0), ValueError, "from 0 to 255"),
        ("picture", TypeError, "`grey` must be an array of numbers"),
    ],
)
def test_prepare_image_refuses_bad_input(grey, error, text):
    """wrong dimensions, values beyond 0-255 and non-numbers are refused, naming `grey`"""
    with pytest.raises(error, match=re.escape(text)):
        deploy.prepare_image(grey)


# --- a drawing -> the network's input


def test_digit_steps_recovers_a_centred_test_digit(test_digits):
    """a test digit as it is, or enlarged 10x as a drawing, becomes the dataset's tensor

    MNIST scaled each digit's longer side to 20 pixels (all but 3 of the 10,000 test
    digits still measure 20 after anti-aliasing): those come back exactly. Enlarged, the
    crop is padded to a square by half the difference of its sides, which stays on the
    28x28 grid only when that difference is even.
    """
    tensors, pixels = test_digits
    ink = pixels > 0
    heights, widths = ink.any(axis=2).sum(axis=1), ink.any(axis=1).sum(axis=1)
    recovered = 0
    for tensor, digit, h, w in zip(tensors, pixels, heights, widths, strict=True):
        if max(h, w) != deploy.BOX:
            continue
        scales = (1, 10) if (h - w) % 2 == 0 else (1,)
        for scale in scales:
            drawing = np.kron(digit / 255, np.ones((scale, scale)))
            steps = deploy.digit_steps(drawing)
            np.testing.assert_allclose(steps.tensor, tensor[None], rtol=0, atol=1e-5)
            recovered += 1
    assert recovered >= 20


def test_digit_steps_scales_the_longer_side_to_20_and_centres_the_mass():
    """a small off-centre bar fills 20 rows; its centre of mass lands within 0.5 pixel of 14"""
    drawing = np.zeros((280, 280))
    drawing[10:60, 200:215] = 1.0
    steps = deploy.digit_steps(drawing)
    assert steps.box == (10, 200, 60, 215)
    rows = np.flatnonzero(steps.centred.any(axis=1))
    assert len(rows) == deploy.BOX
    row, col = deploy.centre_of_mass(steps.centred)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_digit_steps_keeps_a_lopsided_digit_inside_the_field():
    """when centring the mass would push the box out of 28x28, the box stops at the edge"""
    drawing = np.zeros((40, 40))
    drawing[0:40, 0:2] = 1.0
    drawing[0:2, 0:40] = 1.0
    drawing[0:6, 0:6] = 1.0  # heavy corner: centring it would need a shift beyond the edge
    steps = deploy.digit_steps(drawing)
    assert all(0 <= o <= deploy.FIELD - deploy.BOX for o in steps.offset)


def test_an_empty_drawing_has_no_steps():
    """no ink: nothing to recognise"""
    assert deploy.digit_steps(np.zeros((280, 280))) is None


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"ink": np.full((5, 5), 2.0)}, "`ink` must hold values from 0 to 1"),
        ({"ink": np.zeros(5)}, "`ink` must be a 2-D array"),
        ({"ink": np.zeros((5, 5)), "threshold": 1.0}, "`threshold` must be a number in [0, 1)"),
    ],
)
def test_digit_steps_refuses_bad_input(kwargs, text):
    """ink outside [0, 1], a wrong shape or threshold is refused with the parameter named"""
    with pytest.raises(ValueError, match=re.escape(text)):
        deploy.digit_steps(**kwargs)


@pytest.mark.parametrize("n, m", [(20, 20), (40, 20), (200, 20), (37, 20), (7, 20), (56, 28)])
def test_area_resize_keeps_the_mean(n, m):
    """area averaging preserves the mean brightness for any ratio, up or down"""
    square = np.random.default_rng(n).random((n, n))
    out = deploy.area_resize(square, m)
    assert out.shape == (m, m)
    assert out.mean() == pytest.approx(square.mean(), rel=1e-12)


def test_area_resize_by_a_whole_factor_averages_blocks():
    """scaling 4x4 to 2x2 averages 2x2 blocks; scaling 1x1 up repeats it"""
    square = np.arange(16.0).reshape(4, 4)
    np.testing.assert_allclose(deploy.area_resize(square, 2), [[2.5, 4.5], [10.5, 12.5]])
    np.testing.assert_allclose(deploy.area_resize([[3.0]], 3), np.full((3, 3), 3.0))


def test_centre_of_mass_refuses_an_empty_image():
    """no ink has no centre of mass"""
    with pytest.raises(ValueError, match="`image` must be non-negative and not all zero"):
        deploy.centre_of_mass(np.zeros((3, 3)))


def test_render_strokes_draws_round_dots_and_lines():
    """a one-point stroke is a dot of the brush's width; a line covers its path"""
    ink = deploy.render_strokes([[(20, 20)], [(5, 40), (45, 40)]], size=50, brush=6)
    assert ink[20, 20] == 1.0 and ink[20, 26] == 0.0
    assert ink[40, 25] == 1.0 and ink[0, 0] == 0.0
    assert deploy.render_strokes([], size=8).sum() == 0


def test_softmax_gives_probabilities():
    """rows sum to 1 and keep the order of the logits, even for large values"""
    probs = deploy.softmax([[1000.0, 1001.0, 999.0]])
    assert probs.sum() == pytest.approx(1.0) and probs.argmax() == 1


# --- optional packages and files


def test_pins_agree_with_requirements():
    """deploy.PINS names the same versions as requirements.txt"""
    pins = dict(
        re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (REPO / "requirements.txt").read_text(), re.M)
    )
    for package, version in deploy.PINS.items():
        assert pins.get(package) == version, package


def test_a_missing_package_names_what_to_install(monkeypatch):
    """require() turns an ImportError into one that names the pinned version, in both languages"""

    def missing(name):
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(export, "import_module", missing)
    for package in ("paddle2onnx", "onnxruntime"):
        with pytest.raises(ModuleNotFoundError) as err:
            deploy.require(package)
        text = str(err.value)
        assert f"pip install {package}=={deploy.PINS[package]}" in text
        assert "这一课需要 Python 包" in text and "This lesson needs" in text
    with pytest.raises(ValueError, match="`package` must be one of"):
        deploy.require("tensorflow")


def test_export_folder_is_the_courses_own(tmp_path, monkeypatch):
    """made with the marker, reused, and never a folder of yours"""
    monkeypatch.setenv("COURSE_CHECKPOINT_DIR", str(tmp_path))
    folder = deploy.export_folder("mine")
    assert (folder / checkpoints.MARKER).is_file()
    assert json.loads((folder / checkpoints.MARKER).read_text())["kind"] == "deploy"
    assert deploy.export_folder("mine") == folder
    yours = checkpoints.checkpoint_path("yours")
    yours.mkdir()
    (yours / "thesis.txt").write_text("precious")
    with pytest.raises(checkpoints.CheckpointError, match="is not a folder the course made"):
        deploy.export_folder("yours")
    assert deploy.file_sizes(yours) == {"thesis.txt": 8}


# --- ONNX export, sessions, quantization


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A randomly initialised LeNet exported with jit.save and converted to ONNX."""
    folder = tmp_path_factory.mktemp("deploy")
    net, onnx_path = exported_lenet(folder, seed=0)
    return net, folder, onnx_path


@pytest.mark.parametrize("batch", [1, 3, 64])
def test_onnx_export_agrees_with_paddle_for_any_batch(exported, batch):
    """ONNX Runtime's outputs equal Paddle's within 1e-4 for batch sizes 1, 3 and 64"""
    import paddle

    net, _, onnx_path = exported
    session = deploy.onnx_session(onnx_path)
    x = np.random.default_rng(batch).standard_normal((batch, 1, 28, 28)).astype("float32")
    with paddle.no_grad():
        expected = net(paddle.to_tensor(x)).numpy()
    got = session.run(None, {session.get_inputs()[0].name: x})[0]
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_onnx_export_holds_standard_operators_and_weights(exported):
    """opset 13, weights as initializers (not Constant nodes), a free batch dimension"""
    import onnx

    model = onnx.load(exported[2])
    onnx.checker.check_model(model)
    assert model.opset_import[0].version == 13
    assert {n.op_type for n in model.graph.node} <= {
        "Conv", "Relu", "MaxPool", "Shape", "Slice", "Concat", "Reshape", "MatMul", "Add",
        "Gemm", "Flatten",
    }  # fmt: skip
    assert len(model.graph.initializer) >= 10
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param


def test_onnx_export_prints_nothing(exported, tmp_path, capfd):
    """paddle2onnx's C++ progress lines stay out of the notebook"""
    deploy.onnx_export(exported[1] / "lenet", tmp_path / "again.onnx")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_onnx_export_needs_both_files(tmp_path):
    """a missing .json or .pdiparams is named"""
    with pytest.raises(FileNotFoundError, match=r"lenet\.json is missing"):
        deploy.onnx_export(tmp_path / "lenet", tmp_path / "lenet.onnx")


def test_a_broken_program_gives_a_clear_error(tmp_path):
    """a .json that is not a Paddle program gets paddle2onnx's own output in the message"""
    (tmp_path / "bad.json").write_text("{}")
    (tmp_path / "bad.pdiparams").write_bytes(b"")
    with pytest.raises(RuntimeError, match="paddle2onnx 2.1.0 could not convert"):
        deploy.onnx_export(tmp_path / "bad", tmp_path / "bad.onnx")


def test_int8_quantization_shrinks_the_file_and_keeps_the_predictions(exported, tmp_path):
    """QDQ int8 weights: under 40% of the size; outputs close to float32 on the calibration data"""
    import onnx

    _, _, onnx_path = exported
    rng = np.random.default_rng(0)
    images = rng.standard_normal((120, 1, 28, 28)).astype("float32")
    int8_path = deploy.quantize_int8(onnx_path, tmp_path / "int8.onnx", images, batch_size=50)
    assert int8_path.stat().st_size < 0.4 * onnx_path.stat().st_size
    ops = {n.op_type for n in onnx.load(int8_path).graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    name = "image"
    full = deploy.onnx_session(onnx_path).run(None, {name: images})[0]
    small = deploy.onnx_session(int8_path).run(None, {name: images})[0]
    assert np.abs(full - small).max() < 0.1 * np.abs(full).max()


@pytest.mark.parametrize(
    ("calibration", "error", "text"),
    [
        (np.zeros((4, 3, 28, 28), "float32"), ValueError, "must have shape (N, 1, 28, 28)"),
        (np.zeros((4, 28, 28), "float32"), ValueError, "`calibration` must be a 4-D array"),
        ("images", TypeError, "`calibration` must be an array of numbers"),
    ],
)
def test_quantize_refuses_bad_calibration_data(exported, tmp_path, calibration, error, text):
    """the calibration images must be (N, 1, 28, 28) numbers"""
    with pytest.raises(error, match=re.escape(text)):
        deploy.quantize_int8(exported[2], tmp_path / "q.onnx", calibration)


# --- latency


def test_latency_table_times_every_engine_and_batch():
    """one median per engine and batch size, all positive"""
    inputs = {1: np.zeros((1, 1, 28, 28)), 4: np.zeros((4, 1, 28, 28))}
    table = deploy.latency_table({"sum": np.sum, "max": np.max}, inputs, repeats=3)
    assert list(table) == ["sum", "max"]
    assert all(list(row) == [1, 4] and min(row.values()) > 0 for row in table.values())
    fig = deploy.latency_figure(table)
    assert len(fig.axes) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"fn": "sum"}, TypeError, "`fn` must be a function"),
        ({"fn": sum, "repeats": 0}, ValueError, "`repeats` must be a positive int"),
        ({"fn": sum, "warmup": -1}, ValueError, "`warmup` must be a non-negative int"),
    ],
)
def test_median_ms_refuses_bad_arguments(kwargs, error, text):
    """a non-callable, zero repeats or negative warm-up are refused"""
    with pytest.raises(error, match=re.escape(text)):
        deploy.median_ms(x=[1], **kwargs)
