"""Feature-map explorer (lesson 09): pick a digit and a layer, see its feature maps.

The logic lives in plain functions that tests call without Jupyter:
:func:`feature_map_figure` draws one input and the maps of one layer (also
the static fallback when widgets do not render). :class:`FeatureMapExplorer`
is a thin ipywidgets view over it and :func:`course_utils.viz.feature_maps`.
"""

from __future__ import annotations

import numpy as np

from .. import validate
from ..i18n import bilingual, explain, t
from ..plotting import cjk_font, label, show_figure
from ..viz import feature_maps

__all__ = ["FeatureMapExplorer", "feature_map_explorer", "feature_map_figure"]


def feature_map_figure(network, image, layer: str, max_maps: int = 16):
    """One figure: `image` and up to `max_maps` feature maps of `layer`.

    Raises
    ------
    ValueError
        If `layer` is not a convolution or pooling layer of `network`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    validate.text(layer, "layer")
    max_maps = validate.integer(max_maps, "max_maps", low=1, high=64)
    maps = dict(feature_maps(network, image))
    if layer not in maps:
        raise ValueError(
            bilingual(
                f"`layer` 必须是 {list(maps)} 之一，收到 {layer!r}。",
                f"`layer` must be one of {list(maps)}, got {layer!r}.",
            )
        )
    shown = validate.array(image, "image", ndim=(3, 4))
    shown = shown.reshape((-1, *shown.shape[-2:]))[0]  # the first channel
    chosen = maps[layer][:max_maps]
    cols = 8 if len(chosen) > 6 else len(chosen)
    rows = int(np.ceil(len(chosen) / cols))
    cjk_font()
    fig = Figure(figsize=(1.3 * (cols + 2), 1.45 * max(rows, 2)), layout="constrained")
    grid = fig.add_gridspec(max(rows, 2), cols + 2)
    ax = fig.add_subplot(grid[:2, :2])
    ax.imshow(shown, cmap="gray")
    ax.set_title(label("输入", "input"), fontsize=9)
    ax.set_axis_off()
    for k, fmap in enumerate(chosen):
        sub = fig.add_subplot(grid[k // cols, 2 + k % cols])
        sub.imshow(fmap, cmap="viridis")
        sub.set_title(f"{k}", fontsize=8)
        sub.set_axis_off()
    fig.suptitle(f"{layer}: {maps[layer].shape[0]} × {maps[layer].shape[1]}×{maps[layer].shape[2]}")
    return fig


class FeatureMapExplorer:
    """Widget view: choose a digit (by index into `images`) and a layer.

    Attributes a test can drive: ``index`` (slider), ``layer`` (dropdown),
    ``caption`` (HTML), ``picture`` (Image widget holding PNG bytes).
    """

    def __init__(self, network, images, labels=None, layer: str | None = None):
        import ipywidgets as w

        network = validate.layer(network)
        if isinstance(images, np.ndarray):
            images = list(images)
        images = validate.sequence(images, "images", min_length=1)
        validate.array(images[0], "images[0]", ndim=(3, 4))
        if labels is not None:
            if isinstance(labels, np.ndarray):
                labels = labels.tolist()
            labels = validate.sequence(labels, "labels", length=len(images))
        self.network = network
        self.images = images
        self.labels = labels
        names = [name for name, _ in feature_maps(network, images[0])]
        if layer is not None:
            validate.choice(layer, "layer", names)
        self.index = w.IntSlider(value=0, min=0, max=len(images) - 1)
        self.index.description = t("图像", "image")
        self.layer = w.Dropdown(options=names, value=layer or names[0])
        self.layer.description = t("层", "layer")
        self.caption = w.HTML()
        self.message = w.HTML()
        self.picture = w.Image(format="png")
        for control in (self.index, self.layer):
            control.observe(self.update, "value")
        self.update()
        self.view = w.VBox([self.index, self.layer, self.caption, self.message, self.picture])

    def update(self, change=None) -> None:
        """Redraw the maps for the chosen image and layer; an error is shown, never raised."""
        import html

        i = self.index.value
        if self.labels is not None:
            self.caption.value = t(f"标签：{self.labels[i]}", f"label: {self.labels[i]}")
        try:
            figure = feature_map_figure(self.network, self.images[i], self.layer.value)
        except Exception as err:  # noqa: BLE001 - a callback shows the error, never raises
            self.message.value = f"<pre style='color:#b00'>{html.escape(explain(err))}</pre>"
            return
        self.message.value = ""
        show_figure(self.picture, figure, dpi=80)  # 8 maps a row: about 1000 px wide

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.view)


def feature_map_explorer(network, images, labels=None, **kwargs) -> FeatureMapExplorer:
    """Create and return a :class:`FeatureMapExplorer` (show it as a cell's last line)."""
    return FeatureMapExplorer(network, images, labels, **kwargs)
