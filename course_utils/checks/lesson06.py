"""Exercise checks of lesson 06 (batch normalization and dropout)."""

from __future__ import annotations

from .runner import Verdict, close_to, equal_to, learner, plain, run, same, show


def _batch_norm_reference(x, gamma, beta, eps):
    import paddle
    import paddle.nn.functional as F

    c = x.shape[1]
    out = F.batch_norm(
        paddle.to_tensor(x),
        paddle.zeros([c]),
        paddle.ones([c]),
        weight=paddle.to_tensor(gamma),
        bias=paddle.to_tensor(beta),
        epsilon=eps,
        training=True,
    )
    return out.numpy()


def _batch_norm_cases(rng, count: int = 10) -> list[dict]:
    cases = []
    for _ in range(count):
        n, c, h, w = (int(v) for v in rng.integers(2, 6, size=4))
        x = rng.normal(rng.normal(0, 3), rng.uniform(0.5, 4), size=(n, c, h, w)).astype("float32")
        cases.append(
            {
                "x": x,
                "gamma": rng.uniform(0.5, 2, size=c).astype("float32"),
                "beta": rng.normal(size=c).astype("float32"),
                "eps": float(rng.choice([1e-5, 0.1])),
            }
        )
    return cases


def _forbidden_batch_norm() -> tuple:
    import paddle
    import paddle.nn.functional as F

    return (F.batch_norm, paddle.nn.BatchNorm2D, paddle.nn.BatchNorm, _batch_norm_reference)


def check_batch_norm_forward(fn) -> Verdict:
    """Check ``fn(x, gamma, beta, eps)`` (training-mode BN in NumPy) against Paddle (lesson 06).

    `x` has shape (N, C, H, W); `gamma` and `beta` have C values. The answer
    must match ``paddle.nn.functional.batch_norm(..., training=True)``.

    Examples
    --------
    >>> def bn(x, gamma, beta, eps):
    ...     mean, var = x.mean((0, 2, 3), keepdims=True), x.var((0, 2, 3), keepdims=True)
    ...     return gamma[:, None, None] * (x - mean) / (var + eps) ** 0.5 + beta[:, None, None]
    >>> _ = check_batch_norm_forward(bn)
    ✅ ...
    """
    return run(
        "06.batch_norm",
        fn,
        close_to(_batch_norm_reference),
        _batch_norm_cases,
        (
            "每个通道单独归一化：统计量取自批量和所有位置 (N, H, W)，方差是有偏的（除以个数）；"
            "然后缩放、平移。",
            "Normalise each channel on its own: the statistics run over the batch and all "
            "positions (N, H, W), the variance is the biased one (divide by the count); then "
            "scale and shift.",
        ),
        forbidden=_forbidden_batch_norm(),
    )


def check_batch_norm_param_count(fn) -> Verdict:
    """Check ``fn(c)`` -> (trained, statistics) against ``paddle.nn.BatchNorm2D(c)`` (lesson 06).

    Examples
    --------
    >>> _ = check_batch_norm_param_count(lambda c: (2 * c, 2 * c))
    ✅ ...
    """

    def reference(c):
        import paddle

        params = paddle.nn.BatchNorm2D(c).parameters()
        trained = sum(int(p.size) for p in params if not p.stop_gradient)
        return (trained, sum(int(p.size) for p in params) - trained)

    return run(
        "06.batch_norm_sizes",
        fn,
        equal_to(reference),
        lambda rng: [{"c": int(c)} for c in rng.integers(1, 513, size=10)],
        (
            "每个通道有两个要学习的数，推理时还要用到两个统计量。",
            "Each channel has two values that are learned, and inference needs two statistics.",
        ),
    )


def _dropout_trial(answer, case):
    import paddle
    import paddle.nn.functional as F

    got = learner(lambda: plain(answer))
    if type(got) in (int, float):
        return (
            f"答案应该是两个数 (期望, 留下的值)，你只给了一个数：{show(got)}。",
            f"the answer should be two numbers (expected, survivor); you gave one number, "
            f"{show(got)}.",
        )
    if not (isinstance(got, tuple) and len(got) == 2 and all(type(v) in (int, float) for v in got)):
        return (
            f"答案应该是两个数 (期望, 留下的值)，得到 {show(got)}。",
            f"the answer should be two numbers (expected, survivor), got {show(got)}.",
        )
    state = paddle.get_rng_state()  # the learner's random stream is left as it was
    try:
        paddle.seed(0)
        out = F.dropout(paddle.full([1_000_000], case["value"]), p=case["p"], training=True)
    finally:
        paddle.set_rng_state(state)
    out = out.numpy()
    survivor = float(out[out != 0][0])  # every survivor has the same value
    if abs(got[0] - out.mean()) < 0.05 and same(got[1], survivor, rel=1e-6):
        return None
    return (
        "留下的值被放大了多少倍？期望值又会怎样？",
        "By how much are the survivors scaled? What happens to the expectation then?",
    )


def check_dropout_answer(answer) -> Verdict:
    """Check ``(expected, survivor)`` for input 3.0 and p = 0.5 with Paddle's dropout (lesson 06).

    Examples
    --------
    >>> _ = check_dropout_answer((3.0, 6.0))
    ✅ ...
    """
    return run(
        "06.dropout",
        answer,
        _dropout_trial,
        [{"value": 3.0, "p": 0.5}],
    )
