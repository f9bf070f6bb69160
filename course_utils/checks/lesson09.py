"""Exercise checks of lesson 09 (visualisation)."""

from __future__ import annotations

from .runner import Verdict, close_to, learner, plain, run, show


def saliency_cases(rng, count: int = 4) -> list[dict]:
    """Random small float32 conv networks and images for saliency checks.

    Examples
    --------
    >>> import numpy as np
    >>> sorted(saliency_cases(np.random.default_rng(0), 1)[0])
    ['class_index', 'image', 'network']
    """
    import paddle
    from paddle import nn

    cases = []
    for _ in range(count):
        c, size, classes = int(rng.integers(1, 4)), int(rng.choice([6, 8, 10])), 4
        paddle.seed(int(rng.integers(0, 2**31)))
        net = nn.Sequential(
            nn.Conv2D(c, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2D(2, 2),
            nn.Flatten(), nn.Linear(3 * (size // 2) ** 2, classes),
        )  # fmt: skip
        image = rng.standard_normal((c, size, size)).astype("float32")
        cases.append({"network": net, "image": image, "class_index": int(rng.integers(0, classes))})
    return cases


def check_saliency(fn) -> Verdict:
    """Check ``fn(network, image, class_index)`` -> (H, W) saliency against ``viz.saliency``."""
    from ..viz import saliency

    return run(
        "09.saliency",
        fn,
        close_to(saliency, rtol=1e-4, atol=1e-6),
        saliency_cases,
        (
            "对输入求类别得分的梯度，取绝对值，再在通道维上取最大值，得到 (H, W)。",
            "Take the gradient of the class score with respect to the input, its absolute "
            "value, then the maximum over the channel axis: shape (H, W).",
        ),
        forbidden=(saliency,),
    )


def check_worst_occlusion(
    answer, network, image, class_index: int, patch: int, stride: int, value: float = 0.0
) -> Verdict:
    """Check that `answer` = (top, left) is the patch position that lowers the probability most.

    Recomputes the occlusion heat map with ``viz.occlusion`` (lesson 09).
    """
    from ..viz import occlusion

    def trial(answer, _case):
        got = learner(lambda: plain(answer))
        if not (isinstance(got, tuple) and len(got) == 2 and all(type(v) is int for v in got)):
            return (
                f"答案应该是两个整数 (top, left)，得到 {show(got)}。",
                f"the answer should be two ints (top, left), got {show(got)}.",
            )
        heat = occlusion(network, image, class_index, patch, stride, value)
        top, left = got
        i, j = top // stride, left // stride
        if top % stride or left % stride or not (0 <= i < heat.shape[0] and 0 <= j < heat.shape[1]):
            return (
                f"(top, left) 是图块左上角的像素坐标，应是步幅 {stride} 的倍数并落在热力图范围内。",
                f"(top, left) is the patch's top-left pixel: a multiple of the stride {stride} "
                "inside the heat map.",
            )
        if heat[i, j] < heat.max() - 1e-6:
            return (
                "概率下降最多的不是这个位置。看看热力图中最亮的格子。",
                "The largest drop is not at this position. Look for the brightest cell of the "
                "heat map.",
            )
        return None

    return run("09.worst_occlusion", answer, trial)
