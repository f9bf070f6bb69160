"""The hub that make test-hub starts: localhost only, three students, the course's settings.

Everything machine-specific comes from environment variables set by tests/hub/conftest.py
(HUBTEST_*). The course's own settings are loaded from deploy/tljh/cnn-course.py, the file
teachers copy to a TLJH server. Local processes stand in for the containers or system users
of a real hub (SimpleLocalProcessSpawner: every server runs as this machine's user, in its
own home folder under the test's temporary folder).
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub
env = os.environ
base = Path(env["HUBTEST_BASE"])
venv_bin = Path(env["HUBTEST_VENV"]) / "bin"

load_subconfig(str(Path(env["HUBTEST_REPO"]) / "deploy" / "tljh" / "cnn-course.py"))  # noqa: F821

c.JupyterHub.bind_url = f"http://127.0.0.1:{env['HUBTEST_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env['HUBTEST_HUB_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['HUBTEST_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [env["HUBTEST_CHP"]]
c.ConfigurableHTTPProxy.pid_file = str(base / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{base / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(base / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(base / "jupyterhub.pid")
c.JupyterHub.check_running_servers = False
c.JupyterHub.log_level = "INFO"

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = env["HUBTEST_PASSWORD"]
c.Authenticator.allowed_users = set(env["HUBTEST_USERS"].split(","))

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(base / "homes" / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment.update({"COURSE_QUICK": env.get("COURSE_QUICK", "1")})
if hasattr(os, "getuid") and os.getuid() == 0:  # containers and CI run as root
    c.Spawner.args = ["--allow-root"]

# The idle culler, as Zero to JupyterHub and TLJH run it (an hour, checked every 10 minutes).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            "--timeout=3600",
            "--cull-every=600",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
