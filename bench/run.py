"""Benchmark: run the training lessons in full mode and tabulate every model.

``make bench`` (or ``python bench/run.py [--lessons 05 06]``) executes the
notebooks in full mode with ``COURSE_BENCH_FILE`` set, so each complete
training run (``model.fit`` with a ``cu.History``, from the first epoch,
evaluated every epoch) appends a record named after its network; then it
writes ``bench/results.md``: the machine, one row per model (epochs, batch
size, device, seconds per epoch, images per second, test accuracy, peak
memory) and whether the syllabus's accuracy targets are met. The exit
status is 1 when a notebook fails or a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ("05", "06", "07", "08")
# Full-mode test-accuracy targets from the syllabus (COURSE.md).
TARGETS = {
    "LeNet(activation='sigmoid', pool='avg')": 0.985,
    "LeNet(activation='relu', pool='max')": 0.990,
    "GoogLeNetMini": 0.990,
    "ResNetMini": 0.992,
}


def notebooks(lessons: list[str]) -> list[Path]:
    """The source notebooks of the given lesson numbers, in order."""
    found = []
    for lesson in lessons:
        matches = sorted((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))
        if not matches:
            raise SystemExit(f"no notebook for lesson {lesson!r} in {ROOT / 'notebooks'}")
        found += matches
    return found


def run_notebook(path: Path, timeout: int) -> tuple[float, str | None]:
    """Execute a notebook in full mode; return (seconds, error or None)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
        error = None
    except Exception as err:  # noqa: BLE001 - reported in the table, the run goes on
        error = f"{type(err).__name__}: {str(err).strip().splitlines()[-1][:200]}"
    return time.perf_counter() - start, error


def machine() -> list[str]:
    """Lines describing this machine and the software versions."""
    import paddle

    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]  # fmt: skip
        cpu = names[0] if names else cpu
    memory = ""
    if Path("/proc/meminfo").is_file():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    gpu = (
        "yes"
        if paddle.device.is_compiled_with_cuda() and paddle.device.cuda.device_count()
        else "no"
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores{memory}; GPU used: {gpu}",
        f"- Paddle CPU threads: {os.environ.get('FLAGS_paddle_num_threads')}",
        f"- Python {platform.python_version()}, PaddlePaddle {paddle.__version__}, "
        f"{platform.system()} {platform.release()}",
    ]


def _pct(value) -> str:
    return "—" if value is None else f"{value:.2%}"


def table(records: list[dict]) -> list[str]:
    """Markdown rows for the benchmark records, with the accuracy targets.

    Examples
    --------
    >>> rows = table([{"model": "ResNetMini", "epochs": 4, "batch_size": 64, "device": "cpu",
    ...     "seconds_per_epoch": 50.0, "images_per_second": 1200.0, "test_acc": 0.9931,
    ...     "peak_memory_mb": 900.0}])
    >>> rows[-1]
    '| ResNetMini | 4 | 64 | cpu | 50.0 | 1200 | 99.31% | 900 | 99.20% | yes |'
    """
    rows = [
        "| model | epochs | batch size | device | s / epoch | images / s | test accuracy "
        "| peak memory (MB) | target | met |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in records:
        target = TARGETS.get(r["model"])
        met = "—" if target is None else ("yes" if (r["test_acc"] or 0) >= target else "**NO**")
        ips = r.get("images_per_second")
        rows.append(
            f"| {r['model']} | {r['epochs']} | {r['batch_size']} | {r['device']} "
            f"| {r['seconds_per_epoch']:.1f} | {'—' if ips is None else f'{ips:.0f}'} "
            f"| {_pct(r['test_acc'])} | {r['peak_memory_mb']:.0f} | {_pct(target)} | {met} |"
        )
    return rows


def missed(records: list[dict]) -> list[str]:
    """Targets not met, including models that produced no record."""
    best = {r["model"]: r["test_acc"] or 0 for r in records}
    return [name for name, target in TARGETS.items() if name in best and best[name] < target]


def report(records, runs, lessons, data_paths=()) -> str:
    """The whole results page."""
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {dt.date.today().isoformat()} (lessons {', '.join(lessons)}, "
        "full mode). Test accuracy is on the full test set after the last epoch. Peak memory "
        "is the notebook kernel's peak resident memory up to the end of that run (CPU), or the "
        "peak GPU memory allocated (GPU).",
        "",
        *machine(),
        "",
        *table(records),
        "",
        "| notebook | wall time (s) | result |",
        "| --- | ---: | --- |",
        *(f"| {name} | {secs:.0f} | {err or 'ok'} |" for name, secs, err in runs),
        "",
        *data_path_section(data_paths),
    ]
    if missed(records):
        lines.append(f"Targets missed: {', '.join(missed(records))}.")
    elif any(r["model"] in TARGETS for r in records):
        lines.append("Every accuracy target of the models run here was met.")
    return "\n".join(lines) + "\n"


def measure_data_paths() -> list[dict]:
    """One LeNet epoch by the three data paths of ``bench/data_path.py``, in a fresh process."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "data_path.py"), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.splitlines()[-1])


def data_path_section(rows: list[dict]) -> list[str]:
    """The data-path table and one sentence comparing the course with the bare loop."""
    if not rows:
        return []
    sys.path.insert(0, str(ROOT / "bench"))
    from data_path import table as data_path_table

    course = rows[0]
    return [
        *data_path_table(rows),
        "",
        f"The course's path takes {course['vs_bare_loop']:.2f} times the bare loop's epoch and "
        f"loads full MNIST in {course['load_seconds']:.1f} s.",
        "",
    ]


def load_saved(path: Path) -> dict:
    """Records and notebook runs of earlier benchmark runs (empty if none)."""
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"records": [], "runs": []}


def merge(saved: dict, records: list[dict], runs: list) -> tuple[list[dict], list]:
    """Earlier rows of the notebooks not run now, then the new rows, in lesson order.

    Examples
    --------
    >>> old = {"records": [{"model": "a", "notebook": "05_x.ipynb"},
    ...                    {"model": "b", "notebook": "06_y.ipynb"}],
    ...        "runs": [["05_x.ipynb", 9.0, None], ["06_y.ipynb", 8.0, None]]}
    >>> records, runs = merge(old, [{"model": "c", "notebook": "05_x.ipynb"}],
    ...                       [("05_x.ipynb", 7.0, None)])
    >>> [r["model"] for r in records], [r[1] for r in runs]
    (['c', 'b'], [7.0, 8.0])
    """
    done = {name for name, _, _ in runs}
    records = [r for r in saved["records"] if r.get("notebook") not in done] + records
    runs = [tuple(r) for r in saved["runs"] if r[0] not in done] + [tuple(r) for r in runs]
    return (
        sorted(records, key=lambda r: r.get("notebook", "")),
        sorted(runs, key=lambda r: r[0]),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="+", default=list(LESSONS))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    parser.add_argument(
        "--saved",
        type=Path,
        default=ROOT / "bench" / "records.json",
        help="records of earlier runs; lessons run now replace their own rows",
    )
    parser.add_argument(
        "--no-data-path", action="store_true", help="skip the data-path comparison (about 2 min)"
    )
    args = parser.parse_args(argv)

    os.environ.pop("COURSE_QUICK", None)  # full mode
    os.environ["COURSE_STRICT_CHECKS"] = "1"
    os.environ.setdefault("FLAGS_paddle_num_threads", str(os.cpu_count() or 1))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    saved = load_saved(args.saved)
    with tempfile.TemporaryDirectory() as tmp:
        records_file = Path(tmp) / "records.jsonl"
        records_file.touch()
        os.environ["COURSE_BENCH_FILE"] = str(records_file)
        runs, records = [], []
        for path in notebooks(args.lessons):
            print(f"running {path.name} in full mode ...", flush=True)
            seconds, error = run_notebook(path, args.timeout)
            print(f"  {seconds:.0f} s, {error or 'ok'}", flush=True)
            runs.append((path.name, seconds, error))
            lines = records_file.read_text().splitlines()[len(records) :]
            records += [{**json.loads(ln), "notebook": path.name} for ln in lines]
    records, runs = merge(saved, records, runs)
    data_paths = saved.get("data_path", [])
    if not args.no_data_path:
        print("timing one LeNet epoch by three data paths ...", flush=True)
        data_paths = measure_data_paths()
    kept = {"records": records, "runs": runs, "data_path": data_paths}
    args.saved.write_text(json.dumps(kept, indent=1) + "\n")
    lessons = sorted({name[:2] for name, _, _ in runs})
    text = report(records, runs, lessons, data_paths)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 1 if missed(records) or any(err for _, _, err in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
