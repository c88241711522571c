// FM training throughput: the typed-array kernel (trainFm) vs a plain dense TS baseline
// (bench/fm-baseline.mjs), k = 8, 1000 samples with half the bits set, n = 40, 120, 400.
// Throughput is reported as set bits x k per second (the work unit of the sparse kernel: one
// forward and one backward touch of v_i for each set bit i) and as sample-epochs per second,
// counting the samples trained on. trainFm runs with its defaults (20% held out, whose forward
// pass each epoch is included in the time as overhead) except that it never stops early; the
// baseline trains on all samples with no validation.
//   npx tsc -p . && node bench/fm.bench.mjs          (or through bench/run.mjs)
import Benchmark from "benchmark";
import { trainFm } from "../dist/fm/train.js";
import { trainFmBaseline } from "./fm-baseline.mjs";
import { Random } from "../dist/util/random.js";

const k = 8;
const count = 1000;
const sizes = (process.env.FM_BENCH_SIZES ?? "40,120,400").split(",").map(Number);

function data(n, seed) {
  const r = new Random(seed);
  const X = [];
  const y = [];
  let nnz = 0;
  for (let s = 0; s < count; s++) {
    const x = new Uint8Array(n);
    for (let i = 0; i < n; i++) nnz += x[i] = r.u32() & 1;
    X.push(x);
    y.push(r.normal());
  }
  return { X, y, nnz };
}

export function fmSuite() {
  const suite = new Benchmark.Suite("fm training");
  const meta = new Map();
  for (const n of sizes) {
    const { X, y, nnz } = data(n, n);
    // Fixed work per call: no early stop, no plateau decay.
    const fastEpochs = Math.max(2, Math.round(16000 / n)); // ~0.1-0.3 s per call
    const fixed = { k, patience: 1e9, maxDecays: 0, seed: 1 };
    const fastName = `trainFm       n=${n}`;
    const { trainSamples } = trainFm(X, y, { ...fixed, epochs: 1 }).report;
    // bits are i.i.d., so the trained part holds its share of the set bits in expectation
    meta.set(fastName, { epochs: fastEpochs, nnz: (nnz * trainSamples) / count, samples: trainSamples });
    suite.add(fastName, () => trainFm(X, y, { ...fixed, epochs: fastEpochs }));
    const baseName = `plain TS base n=${n}`;
    const baseEpochs = Math.max(1, Math.round(400 / n));
    meta.set(baseName, { epochs: baseEpochs, nnz, samples: count });
    suite.add(baseName, () => trainFmBaseline(X, y, { k, epochs: baseEpochs, seed: 1 }));
  }
  suite.on("cycle", (event) => {
    const b = event.target;
    const { epochs, nnz, samples } = meta.get(b.name);
    const callsPerSec = b.hz;
    console.log(
      `${b.name}: ${((callsPerSec * epochs * nnz * k) / 1e6).toFixed(1).padStart(7)}e6 nnz·k/s, ` +
        `${Math.round(callsPerSec * epochs * samples).toString().padStart(8)} sample-epochs/s ` +
        `(±${b.stats.rme.toFixed(1)}%, ${b.stats.sample.length} runs of ${epochs} epoch${epochs > 1 ? "s" : ""})`,
    );
  });
  return suite;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`FM training, k = ${k}, ${count} samples, half the bits set, Adam, batch 64; node ${process.version}`);
  fmSuite().run({ async: false, maxTime: 3, minSamples: 5 });
}
