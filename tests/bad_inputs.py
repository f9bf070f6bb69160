"""The public API and its parameters, for the bad-input property test (tests/test_bad_inputs.py).

Every public function, class and widget method is a :class:`Target`: how to
call it with good arguments, and for each parameter a :class:`Kind` that says
what a good value is (the test draws values outside it). The calls run in a
separate worker process (:func:`serve`), so a call that hangs is stopped and
reported instead of stopping the test run.

Bad values cross to the worker as plain data; objects that cannot (a network,
a function, an empty data set) travel as ``("special", name)`` and are built
there (:func:`build`).
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from dataclasses import dataclass, field

# ---------------------------------------------------------------- kinds of parameters


@dataclass(frozen=True)
class Kind:
    """What a good value of a parameter is; `optional`: None is good too."""

    name: str
    args: tuple = ()
    optional: bool = False


def Int(low=None, high=None, optional=False) -> Kind:  # noqa: N802 - reads like a type
    return Kind("int", (low, high), optional)


def Float(low=None, high=None, low_open=False, optional=False) -> Kind:  # noqa: N802
    return Kind("float", (low, high, low_open), optional)


def Bool(optional=False) -> Kind:  # noqa: N802
    return Kind("bool", (), optional)


def Choice(*options, optional=False) -> Kind:  # noqa: N802
    return Kind("choice", tuple(options), optional)


def Text(optional=False) -> Kind:  # noqa: N802
    return Kind("text", (), optional)


def Arr(ndim=2, optional=False) -> Kind:  # noqa: N802
    """A finite array of numbers with `ndim` (an int or a tuple) dimensions."""
    return Kind("array", (ndim if isinstance(ndim, tuple) else (ndim,),), optional)


def Shape(ndim) -> Kind:  # noqa: N802
    return Kind("shape", (ndim,))


def Pair() -> Kind:  # noqa: N802
    """A positive int or a pair of them (a kernel size)."""
    return Kind("pair")


def Padding() -> Kind:  # noqa: N802
    return Kind("padding")


def Labels(num_classes) -> Kind:  # noqa: N802
    return Kind("labels", (num_classes,))


def Net() -> Kind:  # noqa: N802
    return Kind("network")


def Model(layer_ok=False) -> Kind:  # noqa: N802
    return Kind("model", (layer_ok,))


def Data() -> Kind:  # noqa: N802
    return Kind("dataset")


def PathKind(optional=False) -> Kind:  # noqa: N802
    return Kind("path", (), optional)


def Widths() -> Kind:  # noqa: N802
    return Kind("widths")


def Layers() -> Kind:  # noqa: N802
    return Kind("layers")


def Entries() -> Kind:  # noqa: N802
    return Kind("entries")


def Images() -> Kind:  # noqa: N802
    return Kind("images")


def HistoryKind(optional=False) -> Kind:  # noqa: N802
    return Kind("history", (), optional)


def Types() -> Kind:  # noqa: N802
    return Kind("types")


def Answer() -> Kind:  # noqa: N802
    """A learner's answer to an exercise: anything; the check must print a verdict."""
    return Kind("answer")


# ---------------------------------------------------------------- targets


@dataclass
class Target:
    """One public callable: `call(**kwargs)` with `good()` arguments, then one replaced."""

    name: str
    call: object
    good: object  # () -> dict of good arguments (built in the worker)
    params: dict[str, Kind] = field(default_factory=dict)

    @property
    def is_check(self) -> bool:
        return any(kind.name == "answer" for kind in self.params.values())


_CACHE: dict = {}


def once(key, make):
    """A good argument built once per worker (networks, data sets, widgets)."""
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def _lenet():
    from course_utils.models import LeNet

    return once("lenet", lambda: LeNet("relu", "max"))


def _model():
    from course_utils.models import as_model

    return once("model", lambda: as_model(_lenet()))


def _prepared():
    def make():
        from course_utils.models import LeNet, as_model

        import paddle

        model = as_model(LeNet("relu", "max"))
        opt = paddle.optimizer.Adam(1e-3, parameters=model.network.parameters())
        model.prepare(opt, paddle.nn.CrossEntropyLoss(), paddle.metric.Accuracy())
        return model

    return once("prepared", make)


def _digits(n=6):
    def make():
        from course_utils.arraydata import ArrayDataset

        import numpy as np

        rng = np.random.default_rng(0)
        return ArrayDataset(rng.normal(size=(n, 1, 28, 28)).astype("float32"), np.arange(n) % 10)

    return once(("digits", n), make)


def _image():
    import numpy as np

    return np.random.default_rng(1).normal(size=(1, 28, 28)).astype("float32")


def _grid():
    import numpy as np

    return np.arange(30, dtype="float32").reshape(5, 6)


def _history():
    from course_utils.callbacks import History

    history = History(live=False)
    history.records = [
        {"epoch": 1, "loss": 1.0, "acc": 0.5, "seconds": 1.0, "eval_loss": 1.1, "eval_acc": 0.4},
        {"epoch": 2, "loss": 0.5, "acc": 0.8, "seconds": 1.0, "eval_loss": 0.7, "eval_acc": 0.7},
    ]
    return history


def _tmp(name: str) -> str:
    folder = once("tmp", lambda: __import__("tempfile").mkdtemp(prefix="bad-inputs-"))
    return os.path.join(folder, name)


def _widget(kind: str):
    def make():
        from course_utils import widgets

        if kind == "kernel":
            return widgets.KernelExplorer(image="pattern", preset="sobel_x")
        if kind == "window":
            return widgets.WindowPlayer()
        if kind == "pooling":
            return widgets.PoolingExplorer()
        if kind == "pad":
            return widgets.DrawingPad(_uniform_prediction)
        return widgets.FeatureMapExplorer(_lenet(), [_image(), _image()], [3, 4])

    return once(("widget", kind), make)


def _uniform_prediction(images):
    """A stand-in network for the drawing pad: the same probability for every digit."""
    import numpy as np

    return np.full((len(images), 10), 0.1, dtype="float32")


def _fn(path: str):
    """``'module:attr'`` -> a caller that imports it in the worker."""
    module, attr = path.split(":")

    def call(**kwargs):
        import importlib

        target = importlib.import_module(module)
        for part in attr.split("."):
            target = getattr(target, part)
        return target(**kwargs)

    call.__name__ = attr
    return call


def _method(widget: str, method: str):
    def call(**kwargs):
        return getattr(_widget(widget), method)(**kwargs)

    return call


def _nothing() -> dict:
    return {}


N, M, K, V, C, P, W, D, CH, CI, T_ = (
    "course_utils.sizes",
    "course_utils.models",
    "course_utils.kernels",
    "course_utils.viz",
    "course_utils.callbacks",
    "course_utils.pooling",
    "course_utils.widgets",
    "course_utils.data",
    "course_utils.checks",
    "course_utils.checkpoints",
    "course_utils.train",
)
PL, IM, I18N, CFG, DEV = (
    "course_utils.plotting",
    "course_utils.images",
    "course_utils.i18n",
    "course_utils.config",
    "course_utils.device",
)

SIZE = Int(1)
CLASSES = Int(1, 10_000)
FINITE = Float()


def _targets() -> list[Target]:
    t = []

    def add(name, call, good, /, **params):
        t.append(Target(name, _fn(call) if isinstance(call, str) else call, good, params))

    # sizes
    add("sizes.conv_output_size", f"{N}:conv_output_size",
        lambda: dict(n=8, k=3, padding=1, stride=1, dilation=1),
        n=SIZE, k=SIZE, padding=Padding(), stride=SIZE, dilation=SIZE)  # fmt: skip
    add("sizes.pool_output_size", f"{N}:pool_output_size",
        lambda: dict(n=8, k=2, stride=2, padding=0, ceil_mode=False),
        n=SIZE, k=SIZE, stride=Int(1, optional=True), padding=Padding(),
        ceil_mode=Bool())  # fmt: skip
    add("sizes.same_padding", f"{N}:same_padding", lambda: dict(k=3, dilation=1),
        k=SIZE, dilation=SIZE)  # fmt: skip
    add("sizes.conv_params", f"{N}:conv_params", lambda: dict(c_in=3, c_out=8, k=3, bias=True),
        c_in=SIZE, c_out=SIZE, k=Pair(), bias=Bool())  # fmt: skip
    add("sizes.conv_macs", f"{N}:conv_macs", lambda: dict(c_in=3, c_out=8, k=3, h_out=4, w_out=4),
        c_in=SIZE, c_out=SIZE, k=Pair(), h_out=SIZE, w_out=SIZE)  # fmt: skip
    add("sizes.receptive_field", f"{N}:receptive_field", lambda: dict(layers=[(3, 1), (2, 2)]),
        layers=Layers())  # fmt: skip
    for fn in ("network_costs", "total_cost"):
        add(f"sizes.{fn}", f"{N}:{fn}", lambda: dict(network=_lenet(), input_shape=(1, 28, 28)),
            network=Net(), input_shape=Shape(3))  # fmt: skip

    # kernels
    two = lambda: dict(x=_grid(), k=[[1.0, 0.0], [0.0, -1.0]])  # noqa: E731
    add("kernels.corr2d", f"{K}:corr2d", two, x=Arr(2), k=Arr(2))
    add("kernels.pad2d", f"{K}:pad2d", lambda: dict(x=_grid(), padding=1),
        x=Arr(2), padding=Int(0, 4096))  # fmt: skip
    add("kernels.conv2d", f"{K}:conv2d",
        lambda: dict(image=_grid(), kernel=[[1.0, 0.0], [0.0, -1.0]], stride=1, padding=1),
        image=Arr(2), kernel=Arr(2), stride=Int(1, 4096), padding=Int(0, 4096))  # fmt: skip
    add("kernels.window_steps", lambda **kw: list(__import__(K, fromlist=["x"]).window_steps(**kw)),
        lambda: dict(x=_grid(), k=[[1.0, 0.0], [0.0, -1.0]], stride=1, padding=0),
        x=Arr(2), k=Arr(2), stride=Int(1, 4096), padding=Int(0, 4096))  # fmt: skip
    add("kernels.parse_kernel", f"{K}:parse_kernel", lambda: dict(entries=[["1", "0"], ["0", "1"]]),
        entries=Entries())  # fmt: skip
    add("kernels.output_size_formula", f"{K}:output_size_formula",
        lambda: dict(n=5, k=3, padding=1, stride=2, plain=False),
        n=SIZE, k=SIZE, padding=Int(0), stride=SIZE, plain=Bool())  # fmt: skip

    # pooling
    pool = dict(x=Arr((2, 3, 4)), k=SIZE, stride=Int(1, optional=True), padding=Int(0),
                mode=Choice("max", "avg"), exclusive=Bool())  # fmt: skip
    for fn in ("pool2d", "pool2d_numpy"):
        add(f"pooling.{fn}", f"{P}:{fn}",
            lambda: dict(x=_grid(), k=2, stride=2, padding=1, mode="max", exclusive=True),
            **pool)  # fmt: skip
    add("pooling.check_pool_args", f"{P}:check_pool_args",
        lambda: dict(height=6, width=6, k=2, stride=None, padding=0, mode="avg"),
        height=SIZE, width=SIZE, k=SIZE, stride=Int(1, optional=True), padding=Int(0),
        mode=Choice("max", "avg"))  # fmt: skip
    add("pooling.output_size_text", f"{P}:output_size_text",
        lambda: dict(height=6, width=6, k=2, stride=2, padding=0),
        height=SIZE, width=SIZE, k=SIZE, stride=Int(1, optional=True), padding=Int(0))  # fmt: skip

    # images
    add("images.photo", f"{IM}:photo", lambda: dict(grey=True, size=32),
        grey=Bool(), size=Int(1, 4096, optional=True))  # fmt: skip
    add("images.checkerboard", f"{IM}:checkerboard", lambda: dict(n=8, square=2),
        n=Int(1, 4096), square=SIZE)  # fmt: skip
    add("images.vertical_edge", f"{IM}:vertical_edge", lambda: dict(height=4, width=6, column=3),
        height=Int(1, 4096), width=Int(1, 4096), column=Int(0, 6))  # fmt: skip

    # models
    add("models.LeNet", f"{M}:LeNet",
        lambda: dict(activation="relu", pool="max", num_classes=10),
        activation=Choice("sigmoid", "relu"), pool=Choice("avg", "max"),
        num_classes=CLASSES)  # fmt: skip
    add("models.as_model", f"{M}:as_model", lambda: dict(network=_lenet(), input_shape=(1, 28, 28)),
        network=Net(), input_shape=Shape((1, 2, 3)))  # fmt: skip
    add("models.CifarBaseline", f"{M}:CifarBaseline",
        lambda: dict(batch_norm=True, dropout=0.2, num_classes=10),
        batch_norm=Bool(), dropout=Float(0, 1), num_classes=CLASSES)  # fmt: skip
    add("models.Inception", f"{M}:Inception",
        lambda: dict(in_channels=4, widths=(2, 2, 2, 2), bottleneck=True),
        in_channels=Int(1, 4096), widths=Widths(), bottleneck=Bool())  # fmt: skip
    for name in ("GoogLeNetMini", "ResNetMini"):
        add(f"models.{name}", f"{M}:{name}", lambda: dict(num_classes=10), num_classes=CLASSES)
    add("models.Residual", f"{M}:Residual", lambda: dict(channels=4), channels=Int(1, 4096))

    # training helpers
    add("train.evaluate", f"{T_}:evaluate",
        lambda: dict(model=_prepared(), eval_data=_digits(), batch_size=4),
        model=Model(), eval_data=Data(), batch_size=SIZE)  # fmt: skip
    add("train.predict_labels", f"{T_}:predict_labels",
        lambda: dict(model=_model(), dataset=_digits(), batch_size=4),
        model=Model(layer_ok=True), dataset=Data(), batch_size=SIZE)  # fmt: skip
    add("train.confusion_matrix", f"{T_}:confusion_matrix",
        lambda: dict(labels=[0, 1, 2], predictions=[0, 2, 2], num_classes=3),
        labels=Labels(3), predictions=Labels(3), num_classes=CLASSES)  # fmt: skip
    add("train.count_parameters", f"{T_}:count_parameters", lambda: dict(network=_lenet()),
        network=Net())  # fmt: skip
    add("train.layer_grad_norms", f"{T_}:layer_grad_norms",
        lambda: dict(network=_lenet(), images=_image()[None].repeat(2, 0), labels=[1, 2]),
        network=Net(), images=Arr(4), labels=Labels(10))  # fmt: skip

    # callbacks
    add("callbacks.History", f"{C}:History", lambda: dict(live=False), live=Bool(optional=True))
    add("callbacks.BestCheckpoint", f"{C}:BestCheckpoint",
        lambda: dict(path=_tmp("best"), history=None, monitor="acc"),
        path=PathKind(), history=HistoryKind(optional=True), monitor=Text())  # fmt: skip
    add("callbacks.network_label", f"{C}:network_label", lambda: dict(network=_lenet()),
        network=Net())  # fmt: skip

    # checkpoints
    add("checkpoints.checkpoint_path", f"{CI}:checkpoint_path", lambda: dict(name="lenet"),
        name=Kind("name"))  # fmt: skip
    add("checkpoints.save_checkpoint", f"{CI}:save_checkpoint",
        lambda: dict(model=_model(), path=_tmp("ckpt"), history=None),
        model=Model(), path=PathKind(), history=HistoryKind(optional=True))  # fmt: skip
    add("checkpoints.load_checkpoint", f"{CI}:load_checkpoint",
        lambda: dict(model=_model(), path=_saved(), optimizer=True),
        model=Model(), path=PathKind(), optimizer=Bool())  # fmt: skip
    add("checkpoints.save_inference", f"{CI}:save_inference",
        lambda: dict(model=_model(), path=_tmp("inference")),
        model=Model(), path=PathKind())  # fmt: skip
    add("checkpoints.describe_layers", f"{CI}:describe_layers", lambda: dict(network=_lenet()),
        network=Net())  # fmt: skip
    add("checkpoints.check_compatible", f"{CI}:check_compatible",
        lambda: dict(network=_lenet(), meta=_meta(), params=_params(), path="x"),
        network=Net(), meta=Kind("dict"), params=Kind("dict"))  # fmt: skip

    # data
    add("data.mnist", f"{D}:mnist", lambda: dict(mode="test", quick=True),
        mode=Choice("train", "test"), quick=Bool(optional=True))  # fmt: skip
    add("data.cifar10", f"{D}:cifar10", lambda: dict(mode="test", quick=True),
        mode=Choice("train", "test"), quick=Bool(optional=True))  # fmt: skip
    add("data.mnist_files", f"{D}:mnist_files", lambda: dict(mode="test"),
        mode=Choice("train", "test"))  # fmt: skip
    add("data.search_dirs", f"{D}:search_dirs", lambda: dict(dataset="mnist"),
        dataset=Choice("mnist", "cifar10"))  # fmt: skip
    add("data.balanced_indices", f"{D}:balanced_indices",
        lambda: dict(labels=[0, 1, 0, 1], per_class=1),
        labels=Labels(None), per_class=SIZE)  # fmt: skip
    add("data.parse_idx", f"{D}:parse_idx",
        lambda: dict(raw=bytes([0, 0, 8, 1, 0, 0, 0, 1, 7]), path="x"),
        raw=Kind("bytes"), path=PathKind())  # fmt: skip

    # language, modes, device
    add("i18n.t", f"{I18N}:t", lambda: dict(zh="卷积", en="convolution", sep=" / "),
        zh=Text(), en=Text(), sep=Text())  # fmt: skip
    add("i18n.bilingual", f"{I18N}:bilingual", lambda: dict(zh="卷积", en="convolution"),
        zh=Text(), en=Text())  # fmt: skip
    add("i18n.explain", f"{I18N}:explain", lambda: dict(error=ValueError("x")),
        error=Kind("exception"))  # fmt: skip
    add("i18n.set_language", _set_language, lambda: dict(lang="en"),
        lang=Choice("zh", "en", "both"))  # fmt: skip
    add("config.epochs", f"{CFG}:epochs", lambda: dict(full=3), full=SIZE)
    add("config.seed_everything", f"{CFG}:seed_everything", lambda: dict(seed=1),
        seed=Int(0, 2**32 - 1))  # fmt: skip
    add("config.env_flag", f"{CFG}:env_flag", lambda: dict(name="COURSE_EXAMPLE_FLAG"),
        name=Text())  # fmt: skip
    add("config.env_number", f"{CFG}:env_number",
        lambda: dict(name="COURSE_EXAMPLE_NUMBER", default=1.0, low=0.0, integer=False),
        name=Text(), default=FINITE, low=FINITE, integer=Bool())  # fmt: skip
    add("device.use_device", f"{DEV}:use_device", lambda: dict(verbose=False), verbose=Bool())

    # plotting
    add("plotting.label", f"{PL}:label", lambda: dict(zh="卷积", en="convolution", sep="\n"),
        zh=Text(), en=Text(), sep=Text())  # fmt: skip
    add("plotting.show_images", _closing(f"{PL}:show_images"),
        lambda: dict(images=[_grid(), _grid()], titles=["a", "b"], ncols=2, cmap="gray",
                     size=1.5, suptitle="x"),
        images=Images(), titles=Kind("titles", (2,), True), ncols=Int(1, 100, optional=True),
        cmap=Kind("cmap"), size=Float(0, 50, low_open=True),
        suptitle=Text(optional=True))  # fmt: skip
    add("plotting.show_grid_values", _closing_ax(f"{PL}:show_grid_values"),
        lambda: dict(grid=_grid(), fmt="{:g}", cmap="Blues"),
        grid=Arr(2), fmt=Text(), cmap=Kind("cmap"))  # fmt: skip
    add("plotting.plot_history", _closing(f"{PL}:plot_history"),
        lambda: dict(history=_history(), title="x"),
        history=HistoryKind(), title=Text(optional=True))  # fmt: skip
    add("plotting.plot_confusion_matrix", _closing(f"{PL}:plot_confusion_matrix"),
        lambda: dict(cm=[[3, 1], [0, 4]], class_names=["a", "b"], title="x"),
        cm=Kind("cm"), class_names=Kind("titles", (2,), True),
        title=Text(optional=True))  # fmt: skip
    add("plotting.figure_png", f"{PL}:figure_png", lambda: dict(fig=_figure(), dpi=40),
        fig=Kind("figure"), dpi=Int(1, 600))  # fmt: skip

    # visualisation (lesson 09)
    net_image = dict(network=Net(), image=Arr((3, 4)))
    add("viz.named_layers", f"{V}:named_layers", lambda: dict(network=_lenet()), network=Net())
    add("viz.feature_maps", f"{V}:feature_maps", lambda: dict(network=_lenet(), image=_image()),
        **net_image)  # fmt: skip
    add("viz.first_conv_kernels", f"{V}:first_conv_kernels", lambda: dict(network=_lenet()),
        network=Net())  # fmt: skip
    add("viz.total_variation", f"{V}:total_variation", lambda: dict(x=_image()[None]), x=Arr(4))
    ascent = dict(shape=Shape(3), steps=Int(1, 10_000), lr=Float(0, low_open=True),
                  l2=Float(0), tv=Float(0), seed=Int(0, 2**32 - 1))  # fmt: skip
    add("viz.maximise_filter", f"{V}:maximise_filter",
        lambda: dict(network=_lenet(), layer="features.0", channel=1, shape=(1, 28, 28), steps=2,
                     lr=0.05, l2=0.0, tv=0.0, seed=0),
        network=Net(), layer=Choice("features.0"), channel=Int(0, 5), **ascent)  # fmt: skip
    add("viz.maximise_class", f"{V}:maximise_class",
        lambda: dict(network=_lenet(), class_index=1, shape=(1, 28, 28), steps=2, lr=0.05,
                     l2=0.0, tv=0.0, seed=0),
        network=Net(), class_index=Int(0, 9), **ascent)  # fmt: skip
    add("viz.saliency", f"{V}:saliency",
        lambda: dict(network=_lenet(), image=_image(), class_index=2),
        class_index=Int(0, 9, optional=True), **net_image)  # fmt: skip
    add("viz.occlusion", f"{V}:occlusion",
        lambda: dict(network=_lenet(), image=_image(), class_index=2, patch=7, stride=7,
                     value=0.0, batch_size=8),
        class_index=Int(0, 9, optional=True), patch=Int(1, 28), stride=SIZE, value=FINITE,
        batch_size=SIZE, **net_image)  # fmt: skip
    add("viz.fgsm", f"{V}:fgsm",
        lambda: dict(network=_lenet(), image=_image(), label=3, epsilon=0.1),
        label=Int(0, 9, optional=True), epsilon=Float(0), **net_image)  # fmt: skip
    add("viz.smallest_fooling_epsilon", f"{V}:smallest_fooling_epsilon",
        lambda: dict(network=_lenet(), image=_image(), label=None, max_epsilon=0.5, grid=4,
                     tol=0.05),
        label=Int(0, 9, optional=True), max_epsilon=Float(0, low_open=True),
        grid=Int(1, 1000), tol=Float(0, low_open=True), **net_image)  # fmt: skip

    # widgets: functions, constructors, setters
    add("widgets.load_image", f"{W}.kernel_explorer:load_image", lambda: dict(choice="pattern"),
        choice=Choice("photo", "digit", "pattern"))  # fmt: skip
    add("widgets.kernel_explorer_figure", _closing(f"{W}.kernel_explorer:kernel_explorer_figure"),
        lambda: dict(image="pattern", kernel="sobel_x", stride=1, padding=0),
        image=Kind("image_or_choice"), kernel=Kind("kernel_or_preset"), stride=Int(1, 4),
        padding=Int(0, 4))  # fmt: skip
    for name in ("KernelExplorer", "kernel_explorer"):
        add(f"widgets.{name}", f"{W}:{name}",
            lambda: dict(image="pattern", preset="sobel_x", stride=1, padding=0),
            image=Choice("photo", "digit", "pattern"), preset=Kind("preset"),
            stride=Int(1, 4), padding=Int(0, 4))  # fmt: skip
    add("widgets.KernelExplorer.set_preset", _method("kernel", "set_preset"),
        lambda: dict(name="sobel_y"), name=Kind("preset"))  # fmt: skip
    add("widgets.KernelExplorer.set_entry", _method("kernel", "set_entry"),
        lambda: dict(row=0, col=1, text="2"), row=Int(0, 2), col=Int(0, 2),
        text=Text())  # fmt: skip
    add("widgets.KernelExplorer.resize_kernel", _method("kernel", "resize_kernel"),
        lambda: dict(n=5), n=Choice(3, 5))  # fmt: skip
    add("widgets.KernelExplorer.update", _method("kernel", "update"),
        lambda: dict(keep_message=False), keep_message=Bool())  # fmt: skip
    add("widgets.default_grid", f"{W}.window_player:default_grid", lambda: dict(n=5, seed=0),
        n=Int(1, 64), seed=Int(0, 2**32 - 1))  # fmt: skip
    add("widgets.window_player_figure", _closing(f"{W}:window_player_figure"),
        lambda: dict(grid=_grid(), kernel=[[1, 0], [0, 1]], stride=1, padding=0, step=0),
        grid=Arr(2, optional=True), kernel=Arr(2, optional=True), stride=Int(1, 3),
        padding=Int(0, 2), step=Int(0))  # fmt: skip
    for name in ("WindowPlayer", "window_player"):
        add(f"widgets.{name}", f"{W}:{name}",
            lambda: dict(grid=_grid(), kernel=[[1, 0], [0, 1]], stride=1, padding=0),
            grid=Arr(2, optional=True), kernel=Arr(2, optional=True), stride=Int(1, 3),
            padding=Int(0, 2))  # fmt: skip
    add("widgets.WindowPlayer.set", _method("window", "set"),
        lambda: dict(padding=1, stride=2), padding=Int(0, 2, optional=True),
        stride=Int(1, 3, optional=True))  # fmt: skip
    add("widgets.WindowPlayer.go_to", _method("window", "go_to"), lambda: dict(step=2),
        step=Int(0, 8))  # fmt: skip
    add("widgets.output_so_far", f"{W}.window_player:output_so_far",
        lambda: dict(steps=_steps(), shape=(2, 2), step=1),
        steps=Kind("steps"), shape=Shape(2), step=Int(0, 3))  # fmt: skip
    add("widgets.sample_grid", f"{W}.pooling_explorer:sample_grid", lambda: dict(n=6, seed=3),
        n=Int(1, 64), seed=Int(0, 2**32 - 1))  # fmt: skip
    add("widgets.source_image", f"{W}.pooling_explorer:source_image",
        lambda: dict(source="grid"), source=Choice("grid", "photo"))  # fmt: skip
    add("widgets.pooling_result", f"{W}.pooling_explorer:pooling_result",
        lambda: dict(image=_grid(), mode="max", k=2, stride=None, padding=0),
        image=Arr(2), mode=Choice("max", "avg"), k=SIZE, stride=Int(1, optional=True),
        padding=Int(0))  # fmt: skip
    add("widgets.pooling_figure", _closing(f"{W}:pooling_figure"),
        lambda: dict(image=_grid(), k=2, stride=None, padding=0, modes=("max", "avg")),
        image=Arr(2), k=SIZE, stride=Int(1, optional=True), padding=Int(0),
        modes=Kind("modes"))  # fmt: skip
    for name in ("PoolingExplorer", "pooling_explorer"):
        add(f"widgets.{name}", f"{W}:{name}",
            lambda: dict(source="grid", mode="max", k=2, stride=2),
            source=Choice("grid", "photo"), mode=Choice("max", "avg"), k=Int(1, 8),
            stride=Int(1, 6))  # fmt: skip
    add("widgets.feature_map_figure", _closing(f"{W}:feature_map_figure"),
        lambda: dict(network=_lenet(), image=_image(), layer="features.0", max_maps=4),
        network=Net(), image=Arr((3, 4)), layer=Choice("features.0"),
        max_maps=Int(1, 64))  # fmt: skip
    for name in ("FeatureMapExplorer", "feature_map_explorer"):
        add(f"widgets.{name}", f"{W}:{name}",
            lambda: dict(network=_lenet(), images=[_image(), _image()], labels=[1, 2],
                         layer="features.0"),
            network=Net(), images=Kind("image_list"), labels=Kind("label_list", (), True),
            layer=Choice("features.0", optional=True))  # fmt: skip

    # added with lessons 00-10's later work
    add("kernels.display_range", f"{K}:display_range",
        lambda: dict(image=_grid(), kernel=[[1.0, 0.0], [0.0, -1.0]], percentile=99.0),
        image=Arr(2), kernel=Arr(2), percentile=Float(0, 100, low_open=True))  # fmt: skip
    add("models.SourceInception", f"{M}:SourceInception", lambda: dict(in_channels=4),
        in_channels=Int(1, 4096))  # fmt: skip
    add("models.SourceGoogLeNet", f"{M}:SourceGoogLeNet", lambda: dict(num_classes=10),
        num_classes=Int(1, 10_000))  # fmt: skip
    add("models.DownsampleResidual", f"{M}:DownsampleResidual",
        lambda: dict(in_channels=4, out_channels=8),
        in_channels=Int(1, 4096), out_channels=Int(1, 4096))  # fmt: skip
    add("models.StridedResNetMini", f"{M}:StridedResNetMini", lambda: dict(num_classes=10),
        num_classes=CLASSES)  # fmt: skip
    add("viz.layer_labels", f"{V}:layer_labels", lambda: dict(network=_lenet()), network=Net())
    add("viz.probabilities", f"{V}:probabilities", lambda: dict(network=_lenet(), image=_image()),
        network=Net(), image=Arr((3, 4)))  # fmt: skip
    add("viz.top_activating", f"{V}:top_activating",
        lambda: dict(network=_lenet(), layer="features.3", channel=2,
                     images=_image()[None].repeat(4, 0), k=3, batch_size=2),
        network=Net(), layer=Choice("features.3"), channel=Int(0, 15), images=Arr(4),
        k=Int(1, 4), batch_size=SIZE)  # fmt: skip
    for name in ("DrawingPad", "drawing_pad"):
        add(f"widgets.{name}", f"{W}:{name}",
            lambda: dict(predict=_uniform_prediction, size=96, brush=6),
            size=Int(28, 1024), brush=Int(1, 64))  # fmt: skip
    add("widgets.DrawingPad.add_stroke", _method("pad", "add_stroke"),
        lambda: dict(points=[[10.0, 10.0], [50.0, 60.0]]), points=Arr(2))  # fmt: skip
    add("widgets.DrawingPad.clear", _method("pad", "clear"), _nothing)
    add("widgets.DrawingPad.update", _method("pad", "update"), _nothing)
    add("widgets.drawing_pad_figure", f"{W}.drawing_pad:drawing_pad_figure",
        lambda: dict(steps=None, probabilities=None),
        probabilities=Arr(1, optional=True))  # fmt: skip

    # exercise checks: a learner's answer of any kind gets a verdict, never an exception
    from_checks = [
        "check_batch_norm_forward", "check_batch_norm_param_count", "check_bottleneck_macs",
        "check_conv2d_strided", "check_conv_output_size", "check_conv_param_count",
        "check_conv_weight_shape", "check_corr2d", "check_dense_block", "check_dropout_answer",
        "check_horizontal_edge_kernel", "check_inception_channels", "check_inception_macs",
        "check_lenet_class", "check_lenet_param_count", "check_max_pool",
        "check_misclassified_count", "check_pool_output_size", "check_projection_residual",
        "check_same_padding", "check_saliency", "check_tf_output_size", "check_class_counts",
        "check_model_input", "check_centre_of_mass",
    ]  # fmt: skip
    first = {
        "check_dense_block": "make", "check_lenet_class": "make",
        "check_projection_residual": "make", "check_dropout_answer": "answer",
        "check_horizontal_edge_kernel": "kernel",
    }  # fmt: skip
    for name in from_checks:
        param = first.get(name, "fn")
        add(f"checks.{name}", f"{CH}:{name}", lambda param=param: {param: None},
            **{param: Answer()})  # fmt: skip
    add("checks.check_worst_occlusion", f"{CH}:check_worst_occlusion",
        lambda: dict(answer=None, network=_lenet(), image=_image(), class_index=1, patch=7,
                     stride=7),
        answer=Answer())  # fmt: skip
    return t


def _set_language(**kwargs):
    from course_utils import i18n

    try:
        return i18n.set_language(**kwargs)
    finally:
        i18n.reset_language()


def _closing(path):
    """Call a function that returns a figure, then close the figure."""
    call = _fn(path)

    def run(**kwargs):
        import matplotlib.pyplot as plt

        fig = call(**kwargs)
        plt.close("all")
        return fig

    return run


def _closing_ax(path):
    call = _fn(path)

    def run(**kwargs):
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        try:
            return call(ax=ax, **kwargs)
        finally:
            plt.close(fig)

    return run


def _figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    return fig


def _steps():
    from course_utils.kernels import window_steps

    import numpy as np

    return list(window_steps(np.ones((3, 3)), np.ones((2, 2))))


def _saved():
    def make():
        from course_utils.checkpoints import save_checkpoint

        return str(save_checkpoint(_prepared(), _tmp("saved")))

    return once("saved", make)


def _meta():
    from course_utils.checkpoints import describe_layers

    return {"network": "LeNet", "layers": describe_layers(_lenet())}


def _params():
    return {k: v.numpy() for k, v in _lenet().state_dict().items()}


TARGETS = _targets()
BY_NAME = {target.name: target for target in TARGETS}

#: Public callables that take no argument a learner chooses: called once each, they must not raise.
NO_ARGUMENTS = [
    "course_utils.config:quick_mode",
    "course_utils.config:grading_mode",
    "course_utils.config:describe_mode",
    "course_utils.config:use_all_cores",
    "course_utils.i18n:get_language",
    "course_utils.i18n:reset_language",
    "course_utils.device:best_device",
    "course_utils.data:data_status",
    "course_utils.data:repo_data_dir",
    "course_utils.checkpoints:checkpoint_dir",
    "course_utils.callbacks:in_notebook",
    "course_utils.callbacks:peak_memory_mb",
    "course_utils.plotting:cjk_font",
    "course_utils.config:usable_cores",
    "course_utils.data:cifar10_class_names",
]

#: Public names the property test does not call, and why (reported, never skipped silently).
NOT_CALLED = {
    "data.download": "downloads from the internet (reached through mnist/cifar10; tests "
    "in test_data.py cover it with local files)",
    "data.fetch": "downloads from the internet (reached through mnist/cifar10)",
    "data.verify_mnist_file": "internal file check on downloaded files (test_data.py)",
    "data.verify_cifar10_file": "internal file check on downloaded files (test_data.py)",
    "checks.Verdict": "the result class of the checks (returned, never built by a learner)",
    "callbacks.record_benchmark": "called by History at the end of a complete run under "
    "make bench (test_callbacks.py)",
    "checks.verdict": "the lessons' own verdict (ok, hints), not a learner's answer",
    "sizes.LayerCost": "a record (NamedTuple) returned by network_costs",
    "data.DataError": "an exception class",
    "checkpoints.CheckpointError": "an exception class",
    "kernels.WindowStep": "a record (NamedTuple) yielded by window_steps",
    "viz.FoolingResult": "a record (dataclass) returned by smallest_fooling_epsilon",
    "config.SettingWarning": "a warning class",
    "widgets.WindowPlayer.show": "the redraw behind the step slider (scenario test)",
    "widgets.PoolingExplorer.update": "the callback of every control (scenario test)",
    "widgets.FeatureMapExplorer.update": "the callback of every control (scenario test)",
    "checks.check_onnx_labels": "needs an ONNX Runtime session of lesson 10's exported "
    "network; tests/test_checks_lesson10.py gives it wrong answers of every kind",
    "plotting.png_size": "reads the size of a PNG that show_figure has just written",
    "plotting.show_figure": "how widgets show a figure (every widget test goes through it)",
}


# ---------------------------------------------------------------- the worker


def build(recipe):
    """A bad value from its recipe (plain data, or a special object made here)."""
    if isinstance(recipe, tuple) and len(recipe) == 2 and recipe[0] == "special":
        return _SPECIALS[recipe[1]]()
    return recipe


class _BadRepr:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class _NotALayerClass:
    def __init__(self, *args):
        pass


def _layer_class_returning_none():
    import paddle

    class Broken(paddle.nn.Layer):
        def __init__(self, *args):
            super().__init__()

        def forward(self, x):
            return None

    return Broken


def _layer_class_raising():
    import paddle

    class Raising(paddle.nn.Layer):
        def __init__(self, *args):
            raise ValueError("boom")

    return Raising


def _empty_dataset():
    from course_utils.arraydata import ArrayDataset

    import numpy as np

    return ArrayDataset(np.zeros((0, 1, 28, 28), "float32"), np.zeros(0, "int64"))


def _tiny_layer():
    import paddle

    return paddle.nn.Linear(2, 2)


def _nan_tensor():
    import paddle

    return paddle.full([1, 28, 28], float("nan"))


_SPECIALS = {
    "object": object,
    "bad_repr": _BadRepr,
    "function": lambda: lambda *args: 0,
    "raising": lambda: lambda *args: 1 / 0,
    "none": lambda: lambda *args: None,
    "nan": lambda: lambda *args: float("nan"),
    "string": lambda: lambda *args: "abc",
    "huge_list": lambda: lambda *args: [1] * 10_000,
    "returns_bad_repr": lambda: lambda *args: _BadRepr(),
    "returns_dict": lambda: lambda *args: {"a": 1},
    "returns_bool": lambda: lambda *args: True,
    "wrong_arity": lambda: lambda: 0,
    "not_a_layer_class": lambda: _NotALayerClass,
    "layer_class_none": _layer_class_returning_none,
    "layer_class_raising": _layer_class_raising,
    "layer": _tiny_layer,
    "layer_class": lambda: __import__("paddle").nn.Linear,
    "model": _model,
    "empty_dataset": _empty_dataset,
    "nan_tensor": _nan_tensor,
    "history_class": lambda: __import__("course_utils.callbacks", fromlist=["x"]).History,
    "generator": lambda: (i for i in range(3)),
    "exception_class": lambda: ValueError,
}


_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,][A-Za-z]{2,}")


def clear_message(message: str, param: str) -> bool:
    """Both languages, and the parameter named in backquotes (`param`, `param[0]`...)."""
    named = re.search(rf"`{re.escape(param)}(`|\[| )", message) is not None
    return named and bool(_CJK.search(message)) and bool(_ENGLISH.search(message))


def classify(target: Target, param: str, tag: str, result, error) -> tuple[str, str]:
    """``(outcome, detail)``: 'clear', 'accepted' or 'other' ('hang' is set by the caller)."""
    if target.is_check:
        from course_utils.checks import Verdict

        if error is not None:
            return "other", f"{type(error).__name__}: {error}"
        if not isinstance(result, Verdict):
            return "other", f"returned {type(result).__name__}, not a Verdict"
        return ("accepted", "a bad answer passed") if result.ok else ("clear", "")
    if error is None:
        return "accepted", f"returned {type(result).__name__}"
    wanted = TypeError if tag == "type" else ValueError
    message = str(error)
    if type(error) in (TypeError, ValueError) and clear_message(message, param):
        if isinstance(error, wanted):
            return "clear", ""
        return "other", f"{type(error).__name__} for a wrong {tag}: {message[:300]}"
    return "other", f"{type(error).__name__}: {message[:300]}"


def run_one(name: str, param: str, tag: str, recipe):
    """Call one target with one bad value; return ``(outcome, detail)``."""
    target = BY_NAME[name]
    try:
        kwargs = dict(target.good())
        kwargs[param] = build(recipe)
    except Exception:  # noqa: BLE001 - a broken fixture is a test error, reported as such
        return "setup", traceback.format_exc(limit=3)
    result, error = None, None
    try:
        result = target.call(**kwargs)
    except Exception as err:  # noqa: BLE001 - classified below
        error = err
    outcome, detail = classify(target, param, tag, result, error)
    if outcome == "other" and error is not None:
        detail += "\n" + "".join(traceback.format_exception(error, limit=-4))[-1500:]
    return outcome, detail


def run_good(name: str):
    """Call a target with its good arguments: it must work (the test's own sanity check)."""
    target = BY_NAME[name]
    try:
        target.call(**target.good())
    except Exception:  # noqa: BLE001
        return "error", traceback.format_exc(limit=-4)
    return "ok", ""


def run_no_arguments(path: str):
    try:
        _fn(path)()
    except Exception:  # noqa: BLE001
        return "error", traceback.format_exc(limit=-4)
    return "ok", ""


def serve(conn) -> None:
    """The worker: answer requests ``(function name, args)`` until told to stop."""
    import resource
    import warnings

    # A bad size that slips through fails with MemoryError here instead of filling the machine.
    limit = int(os.environ.get("COURSE_BAD_INPUT_MEMORY_GB", "12")) << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.pop("COURSE_STRICT_CHECKS", None)
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - verdict lines and notices
    warnings.simplefilter("ignore")
    import course_utils  # noqa: F401 - quiet start-up first
    from course_utils.checks import runner

    # Load Paddle, matplotlib and the widgets now: the first call must not pay for it.
    for name in ("models", "viz", "train", "widgets.kernel_explorer", "widgets.feature_maps",
                 "widgets.window_player", "widgets.pooling_explorer", "checks"):  # fmt: skip
        __import__(f"course_utils.{name}")
    import matplotlib.pyplot  # noqa: F401

    # Learner mode whatever the environment: checks print a verdict and never raise.
    runner._MODE = runner.Mode(strict=False, quiet=False, seed="")
    functions = {
        "one": run_one,
        "good": run_good,
        "none": run_no_arguments,
        "scenario": run_scenario,
    }
    conn.send("ready")
    while True:
        request = conn.recv()
        if request is None:
            break
        kind, args = request
        conn.send(functions[kind](*args))


# ---------------------------------------------------------------- widget callbacks


def _bilingual(text: str) -> bool:
    return bool(_CJK.search(text)) and bool(_ENGLISH.search(text))


def _message(widget) -> str:
    """The widget's message as text (an attribute or an HTML widget's value)."""
    import html

    message = getattr(widget, "message", "")
    message = getattr(message, "value", message)
    return html.unescape(re.sub(r"<[^>]+>", "", str(message)))


def _window_player(moves):
    from course_utils.sizes import conv_output_size
    from course_utils.widgets import WindowPlayer

    import numpy as np

    player = WindowPlayer(grid=np.arange(4.0).reshape(2, 2), padding=1)  # 3x3 kernel
    for slider, value in moves:
        getattr(player, slider).value = min(max(value, getattr(player, slider).min),
                                            getattr(player, slider).max)  # fmt: skip
        padding, stride = player.padding.value, player.stride.value
        possible = 3 <= 2 + 2 * padding
        if possible:
            n = conv_output_size(2, 3, padding=padding, stride=stride)
            if len(player.steps) != n * n or _message(player):
                return "other", f"padding={padding}, stride={stride}: steps or message wrong"
        elif not _bilingual(_message(player)):
            return "accepted", f"padding={padding}: no bilingual message ({_message(player)!r})"
    return "clear", ""


def _kernel_explorer(moves):
    from course_utils.widgets import KernelExplorer

    import numpy as np

    explorer = once("scenario-kernel", lambda: KernelExplorer(image="pattern", preset="identity"))
    explorer.set_preset("identity")
    for row, col, text in moves:
        explorer.set_entry(row, col, text)
        if not np.isfinite(explorer.output).all():
            return "accepted", f"{text!r}: the output holds NaN or infinity"
        message = _message(explorer)
        if message and not _bilingual(message):
            return "other", f"{text!r}: message not bilingual: {message!r}"
        if text in ("", "abc", "1/0", "nan", "inf", "3e39") and not message:
            return "accepted", f"{text!r} accepted without a message"
    return "clear", ""


def _pooling_explorer(moves):
    from course_utils.widgets import PoolingExplorer
    from course_utils.widgets.pooling_explorer import pooling_result, source_image

    explorer = once("scenario-pooling", PoolingExplorer)
    for control, value in moves:
        widget = getattr(explorer, control)
        if control == "mode":
            widget.value = ("max", "avg")[value % 2]
        elif control == "source":
            widget.value = ("grid", "photo")[value % 2]
        else:
            widget.value = min(max(value, widget.min), widget.max)
        image = source_image(explorer.source.value)
        settings = (explorer.mode.value, explorer.k.value, explorer.stride.value,
                    explorer.padding.value)  # fmt: skip
        try:
            pooling_result(image, *settings)
            possible = True
        except ValueError:
            possible = False
        message = _message(explorer)
        if possible and message:
            return "other", f"{settings}: a message for a good setting: {message!r}"
        if not possible and not _bilingual(message):
            return "accepted", f"{settings}: no bilingual message ({message!r})"
    return "clear", ""


def _feature_map_explorer(moves):
    from course_utils.widgets import FeatureMapExplorer

    import numpy as np

    good = _image()
    images = [good, good * 2, np.zeros((1, 4)), np.full((1, 28, 28), np.nan)]
    explorer = FeatureMapExplorer(_lenet(), images, labels=[1, 2, 3, 4])
    for control, value in moves:
        if control == "index":
            explorer.index.value = value
        else:
            options = explorer.layer.options
            explorer.layer.value = options[value % len(options)]
        message = _message(explorer)
        bad = explorer.index.value >= 2
        if bad and not _bilingual(message):
            return "accepted", f"image {explorer.index.value}: no bilingual message ({message!r})"
        if not bad and message:
            return "other", f"image {explorer.index.value}: a message for a good image {message!r}"
    return "clear", ""


_SCENARIOS = {
    "window_player": _window_player,
    "kernel_explorer": _kernel_explorer,
    "pooling_explorer": _pooling_explorer,
    "feature_map_explorer": _feature_map_explorer,
}


def run_scenario(name: str, moves):
    try:
        return _SCENARIOS[name](moves)
    except Exception as err:  # noqa: BLE001 - an exception escaped a callback
        return "other", f"{type(err).__name__}: {err}\n" + traceback.format_exc(limit=-4)


# ---------------------------------------------------------------- what is public


def public_names() -> list[str]:
    """``module.name`` of every public callable (and ``widgets.Class.method``)."""
    import importlib
    import inspect

    import course_utils
    from course_utils import checks, widgets

    names = {f"{module}.{name}" for name, module in course_utils._WHERE.items()}
    modules = ["viz", "sizes", "kernels", "pooling", "images", "data", "train", "callbacks",
               "checkpoints", "models", "plotting", "config", "i18n", "device"]  # fmt: skip
    for short in modules:
        module = importlib.import_module(f"course_utils.{short}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                names.add(f"{short}.{name}")
    names |= {f"checks.{n}" for n in checks.__all__ if callable(getattr(checks, n))}
    for name in widgets.__all__:
        obj = getattr(widgets, name)
        names.add(f"widgets.{name}")
        if inspect.isclass(obj):
            for method, fn in vars(obj).items():
                if not method.startswith("_") and inspect.isfunction(fn):
                    names.add(f"widgets.{name}.{method}")
    constants = {"kernels.PRESETS", "data.CIFAR10_CLASSES", "data.CIFAR10_CLASSES_ZH"}
    return sorted(names - constants)
