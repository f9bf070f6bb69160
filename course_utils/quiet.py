"""Keep Paddle's notices for developers out of the lessons (introduced in lesson 00).

Paddle prints a few things that say nothing to a learner: a warning that
``ccache`` (a C++ build cache) is missing, its C++ log lines ("New Executor
is Running", graph passes), and warnings from its own metric and batch-norm
code. :func:`quiet_startup` silences exactly these, by message, once, when
``course_utils`` is imported; it never silences warnings in general.
"""

from __future__ import annotations

import os
import warnings

#: Messages of Paddle's own warnings that are silenced (each a regular expression prefix).
PADDLE_NOTICES = (
    "No ccache found",  # on import: a C++ extension cache the course never uses
    "To copy construct from a tensor",  # inside Paddle's metric code during Model.fit
    "When training, we now always track",  # BatchNorm2D, on every training step
)


def quiet_startup() -> None:
    """Silence Paddle's developer notices; call before Paddle is first imported.

    Sets ``GLOG_minloglevel=2`` (errors only) unless the user chose a level,
    so Paddle's C++ log lines stay out of notebooks, and ignores the warnings
    listed in :data:`PADDLE_NOTICES`.

    Examples
    --------
    >>> quiet_startup(); os.environ["GLOG_minloglevel"] in ("0", "1", "2", "3")
    True
    """
    os.environ.setdefault("GLOG_minloglevel", "2")
    for message in PADDLE_NOTICES:
        warnings.filterwarnings("ignore", message=message, category=UserWarning)
