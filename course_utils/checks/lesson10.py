"""Exercise checks of lesson 10 (deployment)."""

from __future__ import annotations

from .runner import Verdict, as_array, close_to, learner, run, show


def paper_cases(rng, count: int = 4) -> list[dict]:
    """28x28 uint8 images of dark strokes on light paper (a light border).

    Examples
    --------
    >>> import numpy as np
    >>> case = paper_cases(np.random.default_rng(0), 1)[0]
    >>> case["paper"].shape, case["paper"].dtype, bool(case["paper"][0].mean() > 127)
    ((28, 28), dtype('uint8'), True)
    """
    import numpy as np

    cases = []
    for _ in range(count):
        paper = rng.integers(200, 256, (28, 28))
        top, left = rng.integers(4, 12, 2)
        paper[top : top + 12, left : left + int(rng.integers(2, 10))] = rng.integers(0, 80)
        cases.append({"paper": paper.astype(np.uint8)})
    return cases


def _model_input(paper):
    """The reference of exercise 1: invert, scale to [0, 1], normalise, (1, 1, 28, 28)."""
    import numpy as np

    from ..deploy.preprocess import normalise

    return normalise((255 - np.asarray(paper, dtype=np.float64)) / 255)


def check_model_input(fn) -> Verdict:
    """Check ``fn(paper)`` -> the network's input for a dark digit on light paper (28x28 uint8)."""
    from ..deploy.preprocess import normalise, prepare_image

    return run(
        "10.model_input",
        fn,
        close_to(_model_input, rtol=1e-5, atol=1e-5),
        paper_cases,
        (
            "训练图像是黑底白字，并按 MNIST 的均值和标准差（cu.data.MNIST_MEAN、MNIST_STD）"
            "归一化；纸上的数字是白底黑字。结果是 float32，形状 (1, 1, 28, 28)。",
            "The training images are light digits on a dark background, normalised with "
            "MNIST's mean and standard deviation (cu.data.MNIST_MEAN, MNIST_STD); the paper "
            "has a dark digit on light ground. The result is float32 of shape (1, 1, 28, 28).",
        ),
        forbidden=(prepare_image, normalise),
    )


def mass_cases(rng, count: int = 5) -> list[dict]:
    """Non-negative images of random shapes with a few bright pixels."""
    cases = []
    for _ in range(count):
        h, w = (int(v) for v in rng.integers(3, 30, 2))
        image = rng.random((h, w)) * (rng.random((h, w)) < 0.3)
        image[int(rng.integers(0, h)), int(rng.integers(0, w))] += 1.0  # never all zero
        cases.append({"image": image})
    return cases


def check_centre_of_mass(fn) -> Verdict:
    """Check ``fn(image)`` -> (row, column) of the centre of mass."""
    from ..deploy.preprocess import centre_of_mass

    return run(
        "10.centre_of_mass",
        fn,
        close_to(centre_of_mass, rtol=1e-6, atol=1e-6),
        mass_cases,
        (
            "质心是按像素值加权的平均位置；返回 (行, 列)，行号、列号从 0 开始。"
            "np.indices 能给出每个像素的行号和列号。",
            "The centre of mass is the mean position weighted by the pixel values; return "
            "(row, column), counted from 0. np.indices gives every pixel's row and column.",
        ),
        forbidden=(centre_of_mass,),
    )


def check_onnx_labels(fn, session) -> Verdict:
    """Check ``fn(session, images)`` -> the predicted digit of every image, from ONNX Runtime.

    The check runs `session` itself on random batches (1, 5 and 64 images)
    and compares the labels.
    """
    import numpy as np

    name = session.get_inputs()[0].name

    def cases(rng):
        sizes = (1, 5, 64)
        return [{"images": rng.standard_normal((n, 1, 28, 28)).astype("float32")} for n in sizes]

    def trial(answer, case):
        images = case["images"]
        expected = session.run(None, {name: images})[0].argmax(axis=1)
        got = learner(lambda: as_array(answer(session, images), "float64"))
        if got.shape != expected.shape:
            return (
                f"应返回 {len(images)} 个标签（每张图像一个），得到形状 {got.shape} 的 "
                f"{show(got)}。",
                f"it should return {len(images)} labels (one per image), got shape {got.shape}.",
            )
        if not np.array_equal(got, expected):
            wrong = int((got != expected).sum())
            return (
                f"{wrong} 个标签和 ONNX Runtime 的预测不同。",
                f"{wrong} labels differ from ONNX Runtime's predictions.",
            )
        return None

    return run(
        "10.onnx_labels",
        fn,
        trial,
        cases,
        (
            "输入名是 session.get_inputs()[0].name；session.run(None, {输入名: images})[0] "
            "是每张图像的 10 个输出，沿 axis=1 取 argmax。",
            "The input's name is session.get_inputs()[0].name; "
            "session.run(None, {name: images})[0] holds 10 outputs per image; take the "
            "argmax along axis=1.",
        ),
    )
