"""JupyterHub settings for the CNN course on one server: The Littlest JupyterHub (TLJH).

Copy this file to /opt/tljh/config/jupyterhub_config.d/cnn-course.py and run
``sudo tljh-config reload hub`` (docs/deployment.md has every step). ``make test-hub`` loads
this same file into the hub it starts on localhost, so what is tested is what teachers use.

What it sets for every student's server:

- ``COURSE_DATA_DIR``: one read-only copy of the data for the class (/srv/course-data, or
  the hub's own COURSE_DATA_DIR when set);
- ``COURSE_CHECKPOINT_DIR``: ``course-checkpoints/`` in the student's own home, so trained
  models never mix between students;
- ``FLAGS_paddle_num_threads``: Paddle's CPU threads, the server's CPU limit (not one
  thread per core of the whole machine, which many students would share);
- JupyterLab as the page students land on.
"""

import os
import pwd

DATA_DIR = os.environ.get("COURSE_DATA_DIR") or "/srv/course-data"
# Not "checkpoints": Jupyter's file API reserves .../checkpoints in its URLs, so JupyterLab's
# file browser could not open a folder of that name.
CHECKPOINT_FOLDER = "course-checkpoints"


def course_home(spawner) -> str:
    """The home folder of the student whose server `spawner` starts."""
    home = getattr(spawner, "home_dir", "")  # SimpleLocalProcessSpawner (make test-hub)
    if home:
        return home
    try:  # TLJH runs each student as the system user jupyter-<name>
        from tljh.normalize import generate_system_username

        name = generate_system_username("jupyter-" + spawner.user.name)
    except ImportError:  # LocalProcessSpawner: a system user of the same name
        name = spawner.user.name
    return pwd.getpwnam(name).pw_dir


def checkpoint_dir(spawner) -> str:
    """The checkpoint folder in the student's home."""
    return os.path.join(course_home(spawner), CHECKPOINT_FOLDER)


def paddle_threads(spawner) -> str:
    """Paddle's CPU threads: the server's CPU limit, else the machine's cores."""
    limit = getattr(spawner, "cpu_limit", None) or os.cpu_count() or 1
    return str(max(1, int(limit)))


c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
c.Spawner.environment.update(
    {
        "COURSE_DATA_DIR": DATA_DIR,
        "COURSE_CHECKPOINT_DIR": checkpoint_dir,
        "FLAGS_paddle_num_threads": paddle_threads,
    }
)
c.Spawner.default_url = "/lab"
