// Draw a digit; the course's LeNet (ONNX) reads it with onnxruntime-web, offline.
//
// The preprocessing repeats course_utils/deploy/preprocess.py step by step (the browser
// test checks that both give the same input for the same pixels):
//   ink = red channel / 255 (white strokes on black, like MNIST)
//   crop to the ink -> pad to a square -> area-average to 20x20
//   -> place in 28x28 with the centre of mass on pixel (14, 14) -> normalise (float32).
"use strict";

(() => {
  const FIELD = 28;
  const BOX = 20;
  const BRUSH = 20;
  const MEAN = Math.fround(0.1307);
  const STD = Math.fround(0.3081);
  const TEXT = {
    loading: ["正在加载模型…", "Loading the model…"],
    draw: ["画一个数字", "Draw a digit"],
    prediction: ["预测", "Prediction"],
    error: ["出错了", "Something went wrong"],
  };
  const both = ([zh, en]) => `${zh} · ${en}`;

  // ---------------------------------------------------------------- preprocessing

  /** (m x n) weights: output pixel i takes input pixel j by the fraction of overlap. */
  function areaWeights(n, m) {
    const scale = n / m;
    const rows = [];
    for (let i = 0; i < m; i++) {
      const low = i * scale;
      const high = (i + 1) * scale;
      const row = new Float64Array(n);
      for (let j = Math.floor(low); j < Math.min(n, Math.ceil(high)); j++) {
        row[j] = (Math.min(high, j + 1) - Math.max(low, j)) / scale;
      }
      rows.push(row);
    }
    return rows;
  }

  /** Scale an n x n square (row-major Float64Array) to m x m by area averaging. */
  function areaResize(square, n, m) {
    const w = areaWeights(n, m);
    const left = new Float64Array(m * n); // W @ square
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < n; k++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += w[i][j] * square[j * n + k];
        left[i * n + k] = sum;
      }
    }
    const out = new Float64Array(m * m); // (W @ square) @ W^T
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < m; k++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += left[i * n + j] * w[k][j];
        out[i * m + k] = sum;
      }
    }
    return out;
  }

  /** Ink in [0, 1] from canvas pixels: the red channel of white-on-black strokes. */
  function inkOf(imageData) {
    const { data, width, height } = imageData;
    const ink = new Float64Array(width * height);
    for (let p = 0; p < width * height; p++) ink[p] = data[4 * p] / 255;
    return ink;
  }

  /** The steps from a drawing to the network's input; null when there is no ink. */
  function digitSteps(ink, width, height, threshold = 0) {
    let top = height;
    let bottom = -1;
    let left = width;
    let right = -1;
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        if (ink[r * width + c] > threshold) {
          top = Math.min(top, r);
          bottom = Math.max(bottom, r);
          left = Math.min(left, c);
          right = Math.max(right, c);
        }
      }
    }
    if (bottom < 0) return null;
    const h = bottom - top + 1;
    const w = right - left + 1;
    const side = Math.max(h, w);
    const square = new Float64Array(side * side);
    const dr = Math.floor((side - h) / 2);
    const dc = Math.floor((side - w) / 2);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) square[(dr + r) * side + dc + c] = ink[(top + r) * width + left + c];
    }
    const scaled = areaResize(square, side, BOX);
    let total = 0;
    let rowSum = 0;
    let colSum = 0;
    for (let r = 0; r < BOX; r++) {
      for (let c = 0; c < BOX; c++) {
        const v = scaled[r * BOX + c];
        total += v;
        rowSum += v * r;
        colSum += v * c;
      }
    }
    const centre = [rowSum / total, colSum / total];
    const place = (x) => Math.min(Math.max(Math.floor(FIELD / 2 - x + 0.5), 0), FIELD - BOX);
    const offset = [place(centre[0]), place(centre[1])];
    const centred = new Float64Array(FIELD * FIELD);
    const tensor = new Float32Array(FIELD * FIELD);
    for (let r = 0; r < BOX; r++) {
      for (let c = 0; c < BOX; c++) {
        centred[(offset[0] + r) * FIELD + offset[1] + c] = scaled[r * BOX + c];
      }
    }
    for (let p = 0; p < FIELD * FIELD; p++) {
      // float32 arithmetic, step by step, as NumPy does it in float32
      tensor[p] = Math.fround(Math.fround(Math.fround(centred[p]) - MEAN) / STD);
    }
    return { box: [top, left, bottom + 1, right + 1], scaled, centre, offset, centred, tensor };
  }

  function softmax(logits) {
    const top = Math.max(...logits);
    const e = Array.from(logits, (z) => Math.exp(z - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }

  // ---------------------------------------------------------------- loading the runtime

  function bytesOf(base64) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  async function gunzip(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function createSession() {
    // A page opened from disk may not fetch other files, so the WebAssembly binary, its
    // JavaScript glue and the model come from <script> files as text (vendor/ort-runtime.js
    // and model.js, written by demo/build.py).
    const runtime = window.ORT_RUNTIME;
    ort.env.wasm.numThreads = 1; // threads need cross-origin isolation, which a file lacks
    ort.env.wasm.wasmBinary = await gunzip(bytesOf(runtime.wasmGzipBase64));
    const glue = new Blob([runtime.glue], { type: "text/javascript" });
    ort.env.wasm.wasmPaths = { mjs: URL.createObjectURL(glue) };
    return ort.InferenceSession.create(bytesOf(window.LENET_MODEL.base64), {
      executionProviders: ["wasm"],
    });
  }

  // ---------------------------------------------------------------- the page

  const pad = document.getElementById("pad");
  const ctx = pad.getContext("2d", { willReadFrequently: true });
  const preview = document.getElementById("input").getContext("2d");
  const status = document.getElementById("status");
  const prediction = document.getElementById("prediction");
  const bars = document.getElementById("bars");
  const state = { session: null, inputName: null, last: null, predictions: 0, queue: null };

  for (let digit = 0; digit < 10; digit++) {
    const item = document.createElement("li");
    item.innerHTML = `<span>${digit}</span><div class="bar"></div><span class="value"></span>`;
    bars.appendChild(item);
  }

  function blank() {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.strokeStyle = ctx.fillStyle = "#fff";
    ctx.lineWidth = BRUSH;
    ctx.lineCap = ctx.lineJoin = "round";
  }

  function show(result) {
    const items = bars.children;
    const probabilities = result ? result.probabilities : new Array(10).fill(0);
    for (let d = 0; d < 10; d++) {
      items[d].classList.toggle("best", result !== null && d === result.label);
      items[d].querySelector(".bar").style.width = `${(100 * probabilities[d]).toFixed(1)}%`;
      items[d].querySelector(".value").textContent = result ? probabilities[d].toFixed(3) : "";
    }
    const image = preview.createImageData(FIELD, FIELD);
    for (let p = 0; p < FIELD * FIELD; p++) {
      const v = result ? Math.round(255 * result.steps.centred[p]) : 0;
      image.data.set([v, v, v, 255], 4 * p);
    }
    preview.putImageData(image, 0, 0);
    if (result === null) {
      status.textContent = both(TEXT.draw);
      prediction.textContent = "";
    } else {
      const p = result.probabilities[result.label].toFixed(2);
      status.textContent = `${both(TEXT.prediction)}: ${result.label} (p = ${p})`;
      prediction.textContent = String(result.label);
    }
  }

  async function predict() {
    const steps = digitSteps(inkOf(ctx.getImageData(0, 0, pad.width, pad.height)), pad.width, pad.height);
    let result = null;
    if (steps !== null) {
      const input = new ort.Tensor("float32", steps.tensor, [1, 1, FIELD, FIELD]);
      const outputs = await state.session.run({ [state.inputName]: input });
      const logits = Array.from(outputs[state.session.outputNames[0]].data);
      const probabilities = softmax(logits);
      const label = probabilities.indexOf(Math.max(...probabilities));
      result = { steps, logits, probabilities, label };
    }
    state.last = result;
    show(result);
    state.predictions += 1;
    document.body.dataset.predictions = String(state.predictions);
  }

  function schedule() {
    // one prediction at a time, in stroke order
    state.queue = (state.queue || Promise.resolve()).then(predict);
    return state.queue;
  }

  let drawing = false;
  let previous = null;
  const where = (event) => {
    const rect = pad.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) * pad.width) / rect.width,
      ((event.clientY - rect.top) * pad.height) / rect.height,
    ];
  };
  pad.addEventListener("pointerdown", (event) => {
    if (state.session === null) return;
    drawing = true;
    pad.setPointerCapture(event.pointerId);
    previous = where(event);
    ctx.beginPath();
    ctx.arc(previous[0], previous[1], BRUSH / 2, 0, 2 * Math.PI);
    ctx.fill();
  });
  pad.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const point = where(event);
    ctx.beginPath();
    ctx.moveTo(previous[0], previous[1]);
    ctx.lineTo(point[0], point[1]);
    ctx.stroke();
    previous = point;
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    schedule();
  };
  pad.addEventListener("pointerup", finish);
  pad.addEventListener("pointercancel", finish);
  document.getElementById("clear").addEventListener("click", () => {
    blank();
    schedule();
  });

  blank();
  show(null);
  status.textContent = both(TEXT.loading);
  document.getElementById("model-info").textContent = window.LENET_MODEL.info;
  const ready = createSession()
    .then((session) => {
      state.session = session;
      state.inputName = session.inputNames[0];
      document.getElementById("ort-version").textContent = ort.env.versions.web || "";
      show(null);
      document.body.dataset.state = "ready";
    })
    .catch((error) => {
      document.body.dataset.state = "error";
      status.textContent = `${both(TEXT.error)}: ${error}`;
      throw error;
    });

  // For the browser test and the curious: the same functions the page uses.
  window.digitDemo = {
    areaResize,
    digitSteps,
    inkOf,
    softmax,
    ready,
    idle: () => state.queue || Promise.resolve(),
    last: () => state.last,
  };
})();
