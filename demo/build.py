"""Build the draw-a-digit page into build/demo (``make demo``).

Steps:

1. The model: lesson 05's LeNet from its checkpoint (``course-checkpoints/lenet``), or trained
   briefly when there is none (the page says which), exported with ``paddle.jit.save``
   and converted to ONNX with ``course_utils.deploy.onnx_export``, as in lesson 10.
2. The runtime: ``npm ci`` installs the onnxruntime-web version pinned in
   ``demo/package.json`` / ``package-lock.json`` (into ``build/demo-npm``, never into
   the repository).
3. The page: ``demo/src`` plus the runtime and the model as ``<script>`` files. A page
   opened from disk (``file://``) may not fetch other files, so the WebAssembly binary
   (gzip, base64), its JavaScript glue and the model travel as JavaScript text; the
   page never loads anything from the network.

The output folder carries a marker file; the build replaces only a folder it made.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MARKER = ".course-demo"
RUNTIME_FILES = ("ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")


def say(zh: str, en: str) -> None:
    print(f"{zh} / {en}", flush=True)


def prepare_output(out: Path) -> None:
    """Empty `out` if the build made it; refuse anything else that is there."""
    if out.exists() or out.is_symlink():
        if not (out.is_dir() and (out / MARKER).is_file()):
            sys.exit(
                f"{out} 已经存在，但不是 make demo 生成的：不会覆盖它。\n"
                f"{out} exists and was not made by make demo: it is left alone."
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("made by demo/build.py\n", "utf-8")


def install_runtime(work: Path) -> Path:
    """npm ci the pinned onnxruntime-web into `work`; reuse it when the lock file is unchanged."""
    work.mkdir(parents=True, exist_ok=True)
    lock = (HERE / "package-lock.json").read_text("utf-8")
    dist = work / "node_modules" / "onnxruntime-web" / "dist"
    if (
        (work / "package-lock.json").is_file()
        and (work / "package-lock.json").read_text("utf-8") == lock
        and all((dist / name).is_file() for name in RUNTIME_FILES)
    ):
        return dist
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(HERE / name, work / name)
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "需要 npm（Node.js）来安装 onnxruntime-web。\n"
            "npm (Node.js) is needed to install onnxruntime-web."
        )
    say("npm ci：安装 onnxruntime-web", "npm ci: installing onnxruntime-web")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=work,
        check=True,
    )
    return dist


def export_model(steps: int) -> tuple[bytes, dict]:
    """The ONNX LeNet and a line that says where it came from and how accurate it is."""
    from course_utils import deploy, i18n, seed_everything
    from course_utils.data import mnist

    import paddle

    i18n.set_language("both")
    seed_everything(0)  # the same brief training every time
    network, loaded = deploy.trained_lenet(steps, say=lambda line: print(line, flush=True))
    with tempfile.TemporaryDirectory() as tmp:
        spec = paddle.static.InputSpec([None, 1, 28, 28], "float32", "image")
        paddle.jit.save(network, f"{tmp}/lenet", input_spec=[spec])
        onnx_path = deploy.onnx_export(Path(tmp) / "lenet", Path(tmp) / "lenet.onnx")
        session = deploy.onnx_session(onnx_path)
        test = mnist("test", quick=False)
        outputs = session.run(None, {session.get_inputs()[0].name: test.images})[0]
        accuracy = float((outputs.argmax(axis=1) == test.labels.reshape(-1)).mean())
        model = onnx_path.read_bytes()
    where = (
        ("第 05 课的检查点", "lesson 05's checkpoint")
        if loaded
        else ("简短训练", "trained briefly")
    )
    info = {
        "source": "checkpoint" if loaded else "brief",
        "accuracy": accuracy,
        "info": f"LeNet（{where[0]}），MNIST 测试准确率 {accuracy:.2%} · "
        f"LeNet ({where[1]}), MNIST test accuracy {accuracy:.2%}",
    }
    say(f"ONNX 模型：测试准确率 {accuracy:.2%}", f"ONNX model: test accuracy {accuracy:.2%}")
    return model, info


def write_page(out: Path, dist: Path, model: bytes, info: dict) -> None:
    for name in ("index.html", "app.js", "style.css"):
        shutil.copy2(HERE / "src" / name, out / name)
    vendor = out / "vendor"
    vendor.mkdir()
    shutil.copy2(dist / "ort.wasm.min.js", vendor / "ort.wasm.min.js")
    wasm = gzip.compress((dist / "ort-wasm-simd-threaded.wasm").read_bytes(), 9, mtime=0)
    runtime = {
        "glue": (dist / "ort-wasm-simd-threaded.mjs").read_text("utf-8"),
        "wasmGzipBase64": base64.b64encode(wasm).decode("ascii"),
    }
    (vendor / "ort-runtime.js").write_text(
        "// onnxruntime-web's WebAssembly runtime, packed by demo/build.py\n"
        f"window.ORT_RUNTIME = {json.dumps(runtime)};\n",
        "utf-8",
    )
    package = json.loads((dist.parent / "package.json").read_text("utf-8"))
    (vendor / "THIRD_PARTY.txt").write_text(
        f"{package['name']} {package['version']} ({package.get('license', '?')} license), "
        f"{package.get('repository', {}).get('url', '')}\n"
        "Copied from the npm package by demo/build.py: ort.wasm.min.js, and packed into "
        "ort-runtime.js: ort-wasm-simd-threaded.mjs, ort-wasm-simd-threaded.wasm.\n",
        "utf-8",
    )
    model_data = {"base64": base64.b64encode(model).decode("ascii"), **info}
    (out / "model.js").write_text(
        "// The course's LeNet in ONNX format, packed by demo/build.py\n"
        f"window.LENET_MODEL = {json.dumps(model_data, ensure_ascii=False)};\n",
        "utf-8",
    )
    (out / "lenet.onnx").write_bytes(model)  # the same model as a file, for other tools
    write_font_css(out)


def write_font_css(out: Path) -> None:
    """font.css: the course's CJK font, cut down to the page's characters, as a data URL.

    A page opened from disk may not load a font file (browsers treat file:// fonts as
    cross-origin), so the font travels inside the stylesheet.
    """
    from course_utils.fonts import web_font

    text = "".join((out / name).read_text("utf-8") for name in ("index.html", "app.js", "model.js"))
    font = base64.b64encode(web_font("".join(sorted(set(re.findall(r"[^\x00-\x7f]", text))))))
    (out / "font.css").write_text(
        "/* Noto Sans CJK SC (SIL Open Font License), cut down by demo/build.py */\n"
        '@font-face { font-family: "Course CJK"; '
        f'src: url("data:font/woff;base64,{font.decode("ascii")}") format("woff"); }}\n',
        "utf-8",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "demo")
    parser.add_argument("--npm-dir", type=Path, default=REPO / "build" / "demo-npm")
    parser.add_argument("--steps", type=int, default=400, help="batches of brief training")
    args = parser.parse_args(argv)
    start = time.monotonic()
    dist = install_runtime(args.npm_dir.resolve())
    model, info = export_model(args.steps)
    out = args.out.resolve()
    prepare_output(out)
    write_page(out, dist, model, info)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    seconds = time.monotonic() - start
    say(
        f"网页已生成：{out / 'index.html'}（{size / 2**20:.1f} MiB，用时 {seconds:.0f} 秒）。"
        "直接用浏览器打开它，或放到任意静态网站上。",
        f"Page built: {out / 'index.html'} ({size / 2**20:.1f} MiB, {seconds:.0f} s). "
        "Open it in a browser, or put the folder on any static web server.",
    )


if __name__ == "__main__":
    main()
