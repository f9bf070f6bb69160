# The course's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The course's environment as a named Jupyter kernel (nbgrader and JupyterHub look it up).
KERNEL := cnn-course
# Offline copies of the data sets beside the repository (CI, this machine).
export COURSE_DATA_DIR ?= $(wildcard $(abspath ../shared/data))
# Benchmark options, e.g. make bench BENCH_ARGS="--lessons 05 06".
BENCH_ARGS ?=
# Options of demo/build.py, e.g. make demo DEMO_ARGS="--steps 800".
DEMO_ARGS ?=
# Extra JupyterLab options, e.g. make lab LAB_ARGS="--no-browser --port 8890".
LAB_ARGS ?=
# Jupyter refuses to run as root (containers) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup lab test test-unit test-browser notebooks bench demo lint format clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12), \
	  "Python 3.10-3.12 needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	  --display-name "Python 3 (CNN course 卷积神经网络课程)" >/dev/null
	touch $(STAMP)

setup: $(STAMP) ## Create .venv with the pinned dependencies and the course package

lab: setup ## Set up, then open the course in JupyterLab
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/

# Tests keep their checkpoints out of the learner's checkpoints/ folder.
TEST_ENV := COURSE_QUICK=1 COURSE_CHECKPOINT_DIR=$(CURDIR)/build/test-checkpoints

test: setup ## Set up, then run the unit tests and every notebook in quick mode
	$(TEST_ENV) COURSE_STRICT_CHECKS=1 $(BIN)/python -m pytest --nbval-lax -q -m "not browser"

test-unit: setup ## Unit tests and doctests only (no notebooks)
	$(TEST_ENV) $(BIN)/python -m pytest -q -m "not notebook and not browser" tests course_utils

test-browser: setup demo ## Lessons 00, 01, 10 in JupyterLab and the demo page, in headless Chromium
	$(TEST_ENV) COURSE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -m browser tests/browser

notebooks: setup ## Build zh, en and student copies into build/notebooks
	$(BIN)/python -m course_utils.nbbuild --src notebooks --out build/notebooks

bench: setup ## Train lessons 05-08 in full mode (about 30 min on 2 CPU cores); write bench/results.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)

demo: setup ## Build the offline draw-a-digit page (ONNX LeNet, onnxruntime-web) into build/demo
	$(BIN)/python demo/build.py $(DEMO_ARGS)

lint: setup ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

clean: ## Remove build outputs (keeps .venv)
	rm -rf build
