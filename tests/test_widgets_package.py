"""Tests for the lazy course_utils.widgets package."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("first", "module"),
    [
        ("PoolingExplorer", "pooling_explorer"),
        ("pooling_explorer", "pooling_explorer"),
        ("KernelExplorer", "kernel_explorer"),
        ("WindowPlayer", "window_player"),
    ],
)
def test_function_names_are_not_shadowed_by_submodules(first, module):
    """whichever name is used first, `widgets.<name>` is the function, not the submodule."""
    code = (
        "import inspect, course_utils.widgets as w\n"
        f"w.{first}\n"
        f"assert inspect.isfunction(w.{module}), w.{module}\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_course_utils_needs_no_jupyter():
    """importing course_utils loads neither ipywidgets nor IPython."""
    code = (
        "import sys, course_utils\n"
        "assert 'ipywidgets' not in sys.modules and 'IPython' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
