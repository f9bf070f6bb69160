# The course's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# pip itself is pinned too; everything else comes from requirements.lock.
PIP_VERSION := 26.3
# The course's environment as a named Jupyter kernel (nbgrader and JupyterHub look it up).
KERNEL := cnn-course
# Offline copies of the data sets beside the repository (CI, this machine).
export COURSE_DATA_DIR ?= $(wildcard $(abspath ../shared/data))
# Language of the nbgrader course: both, zh or en (make assignments LESSON_LANG=zh).
LESSON_LANG ?= both
# Benchmark options, e.g. make bench BENCH_ARGS="--lessons 05 06".
BENCH_ARGS ?=
# Options of demo/build.py, e.g. make demo DEMO_ARGS="--steps 800".
DEMO_ARGS ?=
# Extra JupyterLab options, e.g. make lab LAB_ARGS="--no-browser --port 8890".
LAB_ARGS ?=
# Jupyter refuses to run as root (containers) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# COURSE_LANG=zh make lab: JupyterLab's own menus in Chinese too (the pinned language pack,
# chosen by a settings default in etc/jupyter-zh; nothing is written to the home folder).
LAB_ENV := $(if $(filter zh,$(COURSE_LANG)),JUPYTER_CONFIG_PATH=$(CURDIR)/etc/jupyter-zh$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH)))
# Website options, e.g. make site SITE_ARGS=--allow-errors.
SITE_ARGS ?=

.PHONY: help setup lock wheel image lab test test-unit test-browser test-grading test-hub test-zh site test-site handouts demo notebooks assignments bench lesson-times lint format clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 12), \
	  "Python 3.11 or 3.12 needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	  --display-name "Python 3 (CNN course 卷积神经网络课程)" >/dev/null
	touch $(STAMP)

setup: $(STAMP) ## Create .venv with the pinned dependencies and the course package

lock: ## Re-resolve requirements.txt into requirements.lock (every package pinned, with hashes)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile requirements.txt --universal --generate-hashes \
	  --python-version 3.11 --quiet -o requirements.lock

lab: setup ## Set up, then open the course in JupyterLab (COURSE_LANG=zh: its menus in Chinese too)
	$(LAB_ENV) $(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/

# Tests keep their checkpoints out of the learner's course-checkpoints/ folder.
TEST_ENV := COURSE_QUICK=1 COURSE_CHECKPOINT_DIR=$(CURDIR)/build/test-checkpoints \
  MPLCONFIGDIR=$(CURDIR)/build/matplotlib

test: setup ## Set up, then run the unit tests and every notebook in quick mode
	$(TEST_ENV) COURSE_STRICT_CHECKS=1 $(BIN)/python -m pytest -q \
	  -m "not browser and not grading_all and not hub and not langcheck and not site"

test-unit: setup ## Unit tests and doctests only (no notebooks)
	$(TEST_ENV) $(BIN)/python -m pytest -q tests course_utils \
	  -m "not notebook and not browser and not grading and not hub and not langcheck and not site"

test-browser: setup demo ## Lessons 00, 01, 10 in JupyterLab and the demo page, in headless Chromium
	$(TEST_ENV) COURSE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -m browser tests/browser

test-grading: setup ## Grade every lesson with nbgrader: correct, wrong, blank and tampering answers
	$(TEST_ENV) $(BIN)/python -m pytest -q -m grading tests/test_grading.py

assignments: setup ## Write an nbgrader course into build/nbgrader (LESSON_LANG=both|zh|en)
	$(BIN)/python -m course_utils.assignments --src notebooks --out build/nbgrader \
	  --lang $(LESSON_LANG) $(if $(COURSE_DATA_DIR),--data-dir $(COURSE_DATA_DIR))

# --- A class on JupyterHub or hosted notebooks (deploy/, docs/deployment.md) ---------------
DIST     := build/dist
HUB_VENV := build/hub-venv
HUB_NODE := build/hub-node
IMAGE    ?= cnn-course
IMAGE_TAG = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
COURSE_SOURCES := pyproject.toml $(wildcard course_utils/*.py course_utils/*/*.py)

$(DIST)/.built: $(STAMP) $(COURSE_SOURCES)
	rm -rf $(DIST)
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir $(DIST) .
	touch $@

wheel: $(DIST)/.built ## Build the course package's wheel into build/dist (hosted notebooks, the image)
	@ls $(DIST)/*.whl

# The hub's environment is built with the image's own recipe (deploy/image/install-course-env.sh).
$(HUB_VENV)/.installed: $(DIST)/.built requirements.txt deploy/requirements-image.txt \
		deploy/requirements-hub.txt deploy/image/install-course-env.sh
	test -x $(HUB_VENV)/bin/python || $(PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet pip==$(PIP_VERSION)
	PIP_QUIET=1 sh deploy/image/install-course-env.sh $(HUB_VENV)/bin/python $(DIST)/*.whl
	$(HUB_VENV)/bin/python -m pip install --quiet -r deploy/requirements-hub.txt
	touch $@

$(HUB_NODE)/.installed: deploy/proxy/package.json deploy/proxy/package-lock.json
	rm -rf $(HUB_NODE) && mkdir -p $(HUB_NODE)
	cp deploy/proxy/package.json deploy/proxy/package-lock.json $(HUB_NODE)/
	cd $(HUB_NODE) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test-hub: $(HUB_VENV)/.installed $(HUB_NODE)/.installed ## A real JupyterHub on localhost: 3 students pull and run lesson 01
	$(TEST_ENV) COURSE_REQUIRE_HUB=1 COURSE_HUB_VENV=$(CURDIR)/$(HUB_VENV) \
	  COURSE_HUB_NODE=$(CURDIR)/$(HUB_NODE) COURSE_WHEEL_DIR=$(CURDIR)/$(DIST) \
	  $(BIN)/python -m pytest -q -m hub tests/hub
	@cat build/test-hub-report.md

image: ## Print the docker commands that build the course image (CPU, GPU, data baked in)
	@echo "docker build -f deploy/image/Dockerfile -t $(IMAGE):$(IMAGE_TAG)-cpu ."
	@echo "docker build -f deploy/image/Dockerfile --build-arg PADDLE_DEVICE=gpu --build-arg CUDA=cu126 -t $(IMAGE):$(IMAGE_TAG)-gpu-cu126 ."
	@echo "docker build -f deploy/image/Dockerfile --build-arg BAKE_DATA=1 -t $(IMAGE):$(IMAGE_TAG)-cpu-data ."

test-zh: setup ## Each lesson's zh copy shows Chinese only, its en copy English only (quick mode)
	$(TEST_ENV) $(BIN)/python -m pytest -q -m langcheck tests/test_lang_copies.py

site: setup ## Website with zh/ and en/ editions from the lessons executed in quick mode (build/site)
	$(BIN)/python site/build.py $(SITE_ARGS)

handouts: setup ## Executed answer keys (HTML) and slides of every lesson, zh and en (build/handouts)
	cd handouts && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python -m course_utils.nbexec --out build/executed --lang zh en
	$(BIN)/python -m course_utils.handouts --executed build/executed --out build/handouts

test-site: site ## Every page of both editions in headless Chromium (images, console, language switch)
	COURSE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -m site tests/website

notebooks: setup ## Build zh, en and student copies into build/notebooks
	$(BIN)/python -m course_utils.nbbuild --src notebooks --out build/notebooks

bench: setup ## Train lessons 05-08 in full mode (about 40 min on 2 CPU cores); write bench/results.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lesson-times: setup ## Time every lesson in MODE=quick|grading|full (idle machine); write bench/times-MODE.md
	$(BIN)/python bench/lesson_times.py --mode $(or $(MODE),quick)

demo: setup ## Build the offline draw-a-digit page (ONNX LeNet, onnxruntime-web) into build/demo
	$(BIN)/python demo/build.py $(DEMO_ARGS)

lint: setup ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

clean: ## Remove build outputs (keeps .venv)
	rm -rf build
