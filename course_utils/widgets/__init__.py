"""Interactive widgets for lessons 01-04 (thin ipywidgets views over plain functions).

Names are imported lazily so that ``import course_utils`` never needs Jupyter.

- ``kernel_explorer`` (lesson 01): kernels on an image, live.
- ``window_player`` (lesson 02): step a sliding window over a small grid.
- ``pooling_explorer`` (lesson 04): max/average pooling, live.
"""

from importlib import import_module

_WHERE = {
    "KernelExplorer": "kernel_explorer",
    "kernel_explorer": "kernel_explorer",
    "kernel_explorer_figure": "kernel_explorer",
    "WindowPlayer": "window_player",
    "window_player": "window_player",
    "window_player_figure": "window_player",
    "PoolingExplorer": "pooling_explorer",
    "pooling_explorer": "pooling_explorer",
    "pooling_figure": "pooling_explorer",
    "FeatureMapExplorer": "feature_maps",
    "feature_map_explorer": "feature_maps",
    "feature_map_figure": "feature_maps",
    **dict.fromkeys(["DrawingPad", "drawing_pad", "drawing_pad_figure"], "drawing_pad"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        module = import_module(f".{_WHERE[name]}", __name__)
        # Importing a submodule binds its name here; the function of the same
        # name must win, so bind every public name of that module explicitly.
        for public, where in _WHERE.items():
            if where == _WHERE[name]:
                globals()[public] = getattr(module, public)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
