"""Record what a notebook shows beyond its text outputs (used by ``nbexec``, not by lessons).

Loaded into the kernel by :func:`course_utils.nbexec.execute` before the first
cell, :func:`install` records, cell by cell:

- ``figure_text``: every visible text that matplotlib draws (titles, labels,
  tick labels, legends, text in the axes), whether the figure is shown inline
  or saved to PNG for a widget;
- ``widget_stills``: for every widget displayed, a static HTML copy of its
  state at the end of the cell that displayed it (controls drawn disabled,
  pictures as PNG), keyed by the widget's model id;
- ``bilingual``: the ``[zh, en]`` pair of every :func:`course_utils.i18n.bilingual`
  message made in the cell (errors are always in both languages, by design).

After each cell the records are sent as one output of type :data:`MIME`;
``nbexec`` moves them into the cell's metadata. Nothing here changes what a
cell computes or shows.
"""

from __future__ import annotations

import base64
import html
import sys

__all__ = ["MIME", "install", "still_html"]

MIME = "application/vnd.course-utils.capture+json"

_records: dict[str, list] = {"figure_text": [], "bilingual": []}
_widgets: dict[str, object] = {}
_installed = False


def _record_texts(fig) -> None:
    from matplotlib.text import Text

    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text.strip() and artist.get_visible() and text not in _records["figure_text"]:
            _records["figure_text"].append(text)


def _patch_matplotlib() -> None:
    from matplotlib.figure import Figure

    original = Figure.draw

    def draw(self, renderer):
        result = original(self, renderer)
        _record_texts(self)
        return result

    Figure.draw = draw


def _patch_bilingual() -> None:
    from . import i18n

    original = i18n.bilingual

    def bilingual(zh: str, en: str) -> str:
        _records["bilingual"].append([zh, en])
        return original(zh, en)

    bilingual.__doc__ = original.__doc__
    i18n.bilingual = bilingual
    # Modules already loaded bound the original name; later imports get the wrapper.
    for name, module in list(sys.modules.items()):
        if name.startswith("course_utils.") and getattr(module, "bilingual", None) is original:
            module.bilingual = bilingual


def _patch_widgets() -> None:
    try:
        from ipywidgets import Widget
    except ImportError:
        return
    original = Widget._repr_mimebundle_

    def _repr_mimebundle_(self, **kwargs):
        bundle = original(self, **kwargs)
        if bundle:
            _widgets[self.model_id] = self
        return bundle

    Widget._repr_mimebundle_ = _repr_mimebundle_


def _flush(result=None) -> None:
    from IPython.display import display

    data = {key: list(values) for key, values in _records.items() if values}
    if _widgets:
        data["widget_stills"] = {mid: still_html(w) for mid, w in _widgets.items()}
    for values in _records.values():
        values.clear()
    _widgets.clear()
    if data:
        display({MIME: data}, raw=True)


def install() -> None:
    """Start recording in this IPython kernel (once; later calls do nothing)."""
    global _installed
    if _installed:
        return
    from IPython import get_ipython

    _patch_matplotlib()
    _patch_bilingual()
    _patch_widgets()
    get_ipython().events.register("post_run_cell", _flush)
    _installed = True


# --- a widget as static HTML ----------------------------------------------------------------


def _attr(value) -> str:
    return html.escape(str(value), quote=True)


def _described(widget, inner: str) -> str:
    description = getattr(widget, "description", "")
    label = f'<span class="still-label">{html.escape(description)}</span> ' if description else ""
    return f'<div class="still-control">{label}{inner}</div>'


def still_html(widget) -> str:
    """Static HTML for `widget` as it is now: controls disabled, pictures as PNG.

    Examples
    --------
    >>> import ipywidgets as w
    >>> still_html(w.IntSlider(value=3, min=1, max=5, description="k"))  # doctest: +ELLIPSIS
    '<div class="still-control"><span class="still-label">k</span> <input type="range" ...'
    """
    import ipywidgets as w

    if isinstance(widget, w.Box):
        inner = "".join(still_html(child) for child in widget.children)
        if isinstance(widget, w.GridBox):
            columns = widget.layout.grid_template_columns or "auto"
            style = f"display:grid;grid-template-columns:{columns};gap:2px"
        else:
            row = isinstance(widget, w.HBox)
            style = f"display:flex;flex-direction:{'row' if row else 'column'};gap:0.4em"
            style += ";align-items:flex-start;flex-wrap:wrap"
        return f'<div class="still-box" style="{style}">{inner}</div>'
    if isinstance(widget, w.Image):
        data = base64.b64encode(bytes(widget.value)).decode("ascii")
        size = "".join(
            f' {name}="{_attr(value)}"'
            for name, value in (("width", widget.width), ("height", widget.height))
            if value
        )
        return f'<img class="still-picture" src="data:image/{widget.format};base64,{data}"{size}>'
    if isinstance(widget, w.HTML | w.HTMLMath):
        return _described(widget, f'<div class="still-html">{widget.value}</div>')
    if isinstance(widget, w.Label):
        return f'<div class="still-control">{html.escape(str(widget.value))}</div>'
    if isinstance(widget, w.Play):
        return '<div class="still-control"><button disabled>▶</button></div>'
    if isinstance(widget, w.widgets.widget_int._BoundedInt | w.widgets.widget_float._BoundedFloat):
        value = widget.value
        slider = (
            f'<input type="range" min="{_attr(widget.min)}" max="{_attr(widget.max)}" '
            f'step="{_attr(widget.step)}" value="{_attr(value)}" disabled> '
            f'<span class="still-value">{html.escape(str(value))}</span>'
        )
        return _described(widget, slider)
    if isinstance(widget, w.widgets.widget_selection._Selection):
        chosen = widget.label if widget.label is not None else ""
        if isinstance(widget, w.ToggleButtons | w.RadioButtons):
            mark = ' class="still-chosen"'
            buttons = "".join(
                f"<button disabled{mark if label == chosen else ''}>"
                f"{html.escape(str(label))}</button>"
                for label in widget._options_labels
            )
            return _described(widget, buttons)
        options = "".join(
            f"<option{' selected' if label == chosen else ''}>{html.escape(str(label))}</option>"
            for label in widget._options_labels
        )
        return _described(widget, f"<select disabled>{options}</select>")
    if isinstance(widget, w.Text | w.Textarea):
        field = f'<input type="text" value="{_attr(widget.value)}" size="6" disabled>'
        return _described(widget, field)
    if isinstance(widget, w.Button | w.ToggleButton | w.Checkbox):
        button = f"<button disabled>{html.escape(widget.description)}</button>"
        return f'<div class="still-control">{button}</div>'
    return ""
