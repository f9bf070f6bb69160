"""Feature-map explorer (lesson 09): pick a digit and a layer, see its feature maps.

The logic lives in plain functions that tests call without Jupyter:
:func:`feature_map_figure` draws one input and the maps of one layer (also
the static fallback when widgets do not render). :class:`FeatureMapExplorer`
is a thin ipywidgets view over it and :func:`course_utils.viz.feature_maps`.
"""

from __future__ import annotations

import numpy as np

from ..i18n import t
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

    maps = dict(feature_maps(network, image))
    if layer not in maps:
        raise ValueError(
            t(
                f"`layer` 必须是 {list(maps)} 之一，收到 {layer!r}。",
                f"`layer` must be one of {list(maps)}, got {layer!r}.",
            )
        )
    chosen = maps[layer][:max_maps]
    cols = 8 if len(chosen) > 6 else len(chosen)
    rows = int(np.ceil(len(chosen) / cols))
    cjk_font()
    fig = Figure(figsize=(1.3 * (cols + 2), 1.45 * max(rows, 2)), layout="constrained")
    grid = fig.add_gridspec(max(rows, 2), cols + 2)
    ax = fig.add_subplot(grid[:2, :2])
    ax.imshow(np.asarray(image).reshape(np.shape(image)[-2:]), cmap="gray")
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

        self.network = network
        self.images = images
        self.labels = labels
        names = [name for name, _ in feature_maps(network, images[0])]
        self.index = w.IntSlider(value=0, min=0, max=len(images) - 1)
        self.index.description = t("图像", "image")
        self.layer = w.Dropdown(options=names, value=layer or names[0])
        self.layer.description = t("层", "layer")
        self.caption = w.HTML()
        self.picture = w.Image(format="png")
        for control in (self.index, self.layer):
            control.observe(self.update, "value")
        self.update()
        self.view = w.VBox([self.index, self.layer, self.caption, self.picture])

    def update(self, change=None) -> None:
        """Redraw the maps for the chosen image and layer."""
        i = self.index.value
        if self.labels is not None:
            self.caption.value = t(f"标签：{self.labels[i]}", f"label: {self.labels[i]}")
        figure = feature_map_figure(self.network, self.images[i], self.layer.value)
        show_figure(self.picture, figure, dpi=80)  # 8 maps a row: about 1000 px wide

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.view)


def feature_map_explorer(network, images, labels=None, **kwargs) -> FeatureMapExplorer:
    """Create and return a :class:`FeatureMapExplorer` (show it as a cell's last line)."""
    return FeatureMapExplorer(network, images, labels, **kwargs)
