"""Execute the single-language copies of the lessons, once, for the website and the checks.

:func:`execute_copy` builds the zh or en copy of a source notebook
(:func:`course_utils.nbbuild.single_language`), runs it with nbclient in quick
mode (unless told otherwise) and writes it to ``OUT/LANG/NAME``. The kernel
first loads :mod:`course_utils.capture`, so every code cell's metadata also
holds what the cell drew (``course_capture``: figure text, still copies of its
widgets, the English halves of bilingual messages).

An executed copy is reused while its fingerprint matches: the source
notebook, the language, the mode and every file of ``course_utils``. The
website (``make site``) and the language check (``make test-zh``) share them.

Command line::

    python -m course_utils.nbexec [--src notebooks] [--out build/executed] [--lang zh en]
                                  [--full] [--force] [NAME ...]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import os
import sys
import time
from pathlib import Path

from course_utils.capture import MIME
from course_utils.i18n import bilingual
from course_utils.nbbuild import single_language

import nbformat
from nbformat import NotebookNode

__all__ = ["CAPTURE_KEY", "EXECUTION_KEY", "execute", "execute_copy", "fingerprint", "main"]

#: Cell metadata key holding what the cell drew (see :mod:`course_utils.capture`).
CAPTURE_KEY = "course_capture"
#: Notebook metadata key describing the run (fingerprint, mode, seconds).
EXECUTION_KEY = "course_execution"
HOOK_SOURCE = "import course_utils.capture\ncourse_utils.capture.install()"
PACKAGE = Path(__file__).resolve().parent


def fingerprint(source: Path, lang: str, quick: bool) -> str:
    """Hash of what an executed copy depends on: source, language, mode, course_utils."""
    digest = hashlib.sha256()
    digest.update(f"{lang}|{quick}|".encode())
    digest.update(Path(source).read_bytes())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _environment(values: dict[str, str]):
    """Set environment variables for the kernel started inside, then restore them."""
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _move_captures(nb: NotebookNode) -> None:
    """Move the capture outputs of each code cell into its metadata."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept, captured = [], {}
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                for key, values in data[MIME].items():
                    if isinstance(values, dict):
                        captured.setdefault(key, {}).update(values)
                    else:
                        captured.setdefault(key, []).extend(values)
            else:
                kept.append(output)
        cell.outputs = kept
        if captured:
            cell.metadata[CAPTURE_KEY] = captured


def execute(
    nb: NotebookNode, cwd: Path, timeout: int = 900, allow_errors: bool = False
) -> NotebookNode:
    """Run every cell of `nb` (a copy is returned) with the capture hook loaded first.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell raises, unless `allow_errors` (then the error is an output).
    """
    from nbclient import NotebookClient

    run = nbformat.from_dict(nbformat.v4.new_notebook())
    run.metadata = copy.deepcopy(nb.metadata)
    run.cells = [nbformat.v4.new_code_cell(HOOK_SOURCE), *copy.deepcopy(nb.cells)]
    for cell in run.cells:
        cell.pop("id", None)
    run.nbformat_minor = 4  # no cell ids needed: the cells are matched by position
    client = NotebookClient(
        run,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    run.cells = run.cells[1:]
    for cell, original in zip(run.cells, nb.cells, strict=True):
        if "id" in original:
            cell["id"] = original["id"]
    run.nbformat_minor = nb.nbformat_minor
    _move_captures(run)
    return run


def execute_copy(
    source: str | Path,
    lang: str,
    out_dir: str | Path = "build/executed",
    quick: bool = True,
    force: bool = False,
    allow_errors: bool = False,
) -> Path:
    """Write the executed `lang` copy of `source` to ``out_dir/lang/NAME``; return its path.

    The copy is reused when its fingerprint matches (see :func:`fingerprint`)
    unless `force`. Quick mode sets ``COURSE_QUICK=1`` for the kernel; tests'
    checkpoints go to ``out_dir/checkpoints`` unless ``COURSE_CHECKPOINT_DIR``
    is set.

    Raises
    ------
    ValueError
        If `lang` is not ``'zh'`` or ``'en'`` or the source breaks the notebook
        conventions.
    nbclient.exceptions.CellExecutionError
        If a cell raises; nothing is written then.
    """
    source, out_dir = Path(source), Path(out_dir)
    target = out_dir / lang / source.name
    stamp = fingerprint(source, lang, quick)
    if target.exists() and not force:
        old = nbformat.read(target, as_version=4)
        run = old.metadata.get(EXECUTION_KEY, {})
        if run.get("fingerprint") == stamp and (allow_errors or not run.get("errors")):
            return target
    nb = single_language(nbformat.read(source, as_version=4), lang)
    env = {"COURSE_QUICK": "1" if quick else "0"}
    env.setdefault("COURSE_CHECKPOINT_DIR", os.environ.get("COURSE_CHECKPOINT_DIR", ""))
    if not env["COURSE_CHECKPOINT_DIR"]:
        env["COURSE_CHECKPOINT_DIR"] = str((out_dir / "checkpoints").resolve())
    started = time.monotonic()
    with _environment(env):
        executed = execute(nb, cwd=source.resolve().parent, allow_errors=allow_errors)
    executed.metadata[EXECUTION_KEY] = {
        "fingerprint": stamp,
        "lang": lang,
        "quick": quick,
        "errors": sum(
            output.get("output_type") == "error"
            for cell in executed.cells
            for output in cell.get("outputs", [])
        ),
        "seconds": round(time.monotonic() - started, 1),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (1 if a notebook fails)."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.nbexec", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--src", default="notebooks", help="source notebooks folder")
    parser.add_argument("--out", default="build/executed", help="output folder")
    parser.add_argument("--lang", nargs="+", default=["zh", "en"], choices=["zh", "en"])
    parser.add_argument("--full", action="store_true", help="full mode instead of quick mode")
    parser.add_argument("--force", action="store_true", help="execute even if up to date")
    parser.add_argument(
        "--allow-errors", action="store_true", help="keep going after a failing cell"
    )
    parser.add_argument("names", nargs="*", help="only these notebooks (e.g. 01_convolution)")
    args = parser.parse_args(argv)
    sources = sorted(Path(args.src).glob("*.ipynb"))
    if args.names:
        sources = [s for s in sources if s.stem in args.names or s.name in args.names]
    if not sources:
        print(bilingual(f"{args.src} 中没有笔记本", f"no notebooks in {args.src}"), file=sys.stderr)
        return 1
    status = 0
    for lang in args.lang:
        for source in sources:
            started = time.monotonic()
            try:
                path = execute_copy(
                    source,
                    lang,
                    args.out,
                    quick=not args.full,
                    force=args.force,
                    allow_errors=args.allow_errors,
                )
            except Exception as error:  # report every notebook, then fail
                print(f"FAILED {lang}/{source.name}: {error}", file=sys.stderr)
                status = 1
                continue
            print(f"{path}  ({time.monotonic() - started:.0f} s)", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
