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
# Extra JupyterLab options, e.g. make lab LAB_ARGS="--no-browser --port 8890".
LAB_ARGS ?=
# Jupyter refuses to run as root (containers) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup lock wheel lab test test-unit test-browser test-grading notebooks assignments bench lint format clean

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

wheel: setup ## Build the course_utils wheel into build/dist
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation -w build/dist .

lab: setup ## Set up, then open the course in JupyterLab
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/

# Tests keep their checkpoints out of the learner's checkpoints/ folder.
TEST_ENV := COURSE_QUICK=1 COURSE_CHECKPOINT_DIR=$(CURDIR)/build/test-checkpoints

test: setup ## Set up, then run the unit tests and every notebook in quick mode
	$(TEST_ENV) COURSE_STRICT_CHECKS=1 $(BIN)/python -m pytest -q \
	  -m "not browser and not grading_all"

test-unit: setup ## Unit tests and doctests only (no notebooks)
	$(TEST_ENV) $(BIN)/python -m pytest -q -m "not notebook and not browser and not grading" \
	  tests course_utils

test-browser: setup ## Lessons 00-01 in JupyterLab in headless Chromium, used like a learner
	$(TEST_ENV) COURSE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -m browser tests/browser

test-grading: setup ## Grade every lesson with nbgrader: correct, wrong, blank and tampering answers
	$(TEST_ENV) $(BIN)/python -m pytest -q -m grading tests/test_grading.py

assignments: setup ## Write an nbgrader course into build/nbgrader (LESSON_LANG=both|zh|en)
	$(BIN)/python -m course_utils.assignments --src notebooks --out build/nbgrader \
	  --lang $(LESSON_LANG) $(if $(COURSE_DATA_DIR),--data-dir $(COURSE_DATA_DIR))

notebooks: setup ## Build zh, en and student copies into build/notebooks
	$(BIN)/python -m course_utils.nbbuild --src notebooks --out build/notebooks

bench: setup ## Train lessons 05-08 in full mode (about 30 min on 2 CPU cores); write bench/results.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: setup ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

clean: ## Remove build outputs (keeps .venv)
	rm -rf build
