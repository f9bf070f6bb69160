#!/bin/sh
# Install the course environment into the Python given as $1: the pinned requirements,
# Paddle's GPU build when asked, the course package from a wheel, the hub extras
# (deploy/requirements-image.txt) and the Jupyter kernel "cnn-course".
#
# Used by deploy/image/Dockerfile and by `make test-hub` (which builds build/hub-venv the
# same way), so the image's recipe runs on every machine that runs the hub test.
#
#   deploy/image/install-course-env.sh PYTHON WHEEL
#
# Environment: PADDLE_DEVICE=cpu|gpu (default cpu), CUDA=cu126 (Paddle's CUDA tag for the
# GPU build), KERNEL=cnn-course. Run from the repository root.
set -eu
PY=${1:?usage: install-course-env.sh PYTHON WHEEL}
WHEEL=${2:?usage: install-course-env.sh PYTHON WHEEL}
KERNEL=${KERNEL:-cnn-course}

"$PY" -c 'import sys; v = sys.version_info[:2]; assert (3, 11) <= v <= (3, 12), \
  "the course needs Python 3.11 or 3.12, found %d.%d" % v'

# The lock file (exact versions and hashes of the whole environment) when there is one.
REQ=requirements.txt
if [ -f requirements.lock ]; then REQ=requirements.lock; fi
"$PY" -m pip install -r "$REQ"

if [ "${PADDLE_DEVICE:-cpu}" = gpu ]; then
    VERSION=$(sed -n 's/^paddlepaddle==\([0-9][0-9.]*\).*/\1/p' "$REQ" | head -n 1)
    test -n "$VERSION" || { echo "no paddlepaddle== pin in $REQ" >&2; exit 1; }
    "$PY" -m pip uninstall -y paddlepaddle
    "$PY" -m pip install "paddlepaddle-gpu==$VERSION" \
        -i "https://www.paddlepaddle.org.cn/packages/stable/${CUDA:-cu126}/"
fi

# The course package alone: its dependencies are the pinned ones installed above.
"$PY" -m pip install --no-deps --force-reinstall "$WHEEL"
"$PY" -m pip install -r deploy/requirements-image.txt
"$PY" -m ipykernel install --sys-prefix --name "$KERNEL" \
    --display-name "Python 3 (CNN course 卷积神经网络课程)"

# Fail the build now rather than in class.
"$PY" -m pip check
"$PY" -c 'import course_utils, nbgitpuller, jupyterhub; from course_utils import hosted; \
print("course_utils", course_utils.__file__); print("paddle:", hosted.installed_paddle())'
"$PY" -m jupyter kernelspec list | grep -q "^ *$KERNEL " || {
    echo "kernel $KERNEL is not registered" >&2; exit 1; }
