/**
 * The typed annealing API over the three QUBO forms. TypeScript validates, converts the QUBO to
 * the kernel layout (native/anneal.c), builds the beta schedule, drives the kernel in chunks and
 * collects the reads; the kernel (wasm, or the bit-identical TypeScript reference) does the work.
 */
import { quboEnergy } from "../qubo/energy.js";
import type { Qubo } from "../qubo/types.js";
import { chooseLayout, fieldsLength, FORM_DENSE, FORM_FACTORIZED, FORM_SPARSE, plainAlloc, prepareProblem, problemBytes, scratchLength, type KernelProblem, type Layout } from "./problem.js";
import { referenceAnneal, type KernelRun } from "./reference.js";
import { factorizedExact, geometricSchedule, kernelBetaRange, kernelDeltaRange } from "./schedule.js";
import { Arena, wasmKernel } from "./wasm.js";
import { OptionError } from "../util/errors.js";

/** Options of {@link anneal}. */
export interface AnnealOptions {
  /** Sweeps per read (one sweep = one flip attempt per variable, in order 0..n-1). Default 1000, or schedule.length * sweepsPerBeta when a schedule is given. */
  sweeps?: number;
  /** Independent reads (restarts), each from its own initial state and generator stream. Default 10. */
  reads?: number;
  /** Seed (any finite number; folded to 32 bits). Same seed and inputs -> same result. Default 1. */
  seed?: number;
  /** [hot, cold] betas of the geometric schedule. Default: derived from the problem ({@link defaultBetaRange}: dwave-neal's rule). */
  betaRange?: [number, number];
  /** Explicit betas; sweep t uses schedule[min(floor(t / sweepsPerBeta), length - 1)]. Overrides betaRange. */
  schedule?: Float64Array;
  /** Sweeps at each beta. Default 1. */
  sweepsPerBeta?: number;
  /** Stop after this many seconds (reads still running are not reported, see {@link AnnealResult}). */
  timeLimit?: number;
  /** Stop at this `performance.now()` timestamp (milliseconds, this thread's clock). With timeLimit, the earlier wins. */
  deadline?: number;
  /** Initial states (0/1, length n): read r starts from initialStates[r % length]. Default: uniformly random, drawn from the read's stream. */
  initialStates?: ArrayLike<number>[];
  /** "wasm" (default) or "ts" (the plain TypeScript reference: same results, slower). */
  kernel?: "wasm" | "ts";
  /**
   * Kernel layout: "auto" (default) takes the dense kernel for dense and sparse QUBOs with at
   * least n^2/6 couplings (problem.ts DENSE_SHARE) and n <= 8192, the sparse kernel for the
   * others, the factorized kernel for factorized QUBOs; "dense" or "sparse" force one (a
   * factorized QUBO is then expanded to Q_ij = <v_i, v_j>, n <= 8192).
   */
  layout?: Layout;
}

/** Result of {@link anneal}. */
export interface AnnealResult {
  /**
   * The best state seen in each finished read (best at sweep boundaries, initial state included),
   * sorted by energy ascending (ties: read order). Exception: when the run is interrupted before
   * any read finishes, it holds the interrupted read's best state so far, and `reads` is 0.
   */
  samples: Uint8Array[];
  /** `energies[i]` = quboEnergy(qubo, samples[i]), offset included (recomputed exactly, not tracked). */
  energies: number[];
  /** Reads that finished. */
  reads: number;
  /** Sweeps per read that were asked for. */
  sweeps: number;
  /**
   * Flip attempts the kernel executed: reads x sweeps x n, less the sweeps it skipped because the
   * state was frozen (every flip rejected without a draw at a beta no hotter than the last; such
   * a skip changes no result, see native/anneal.c).
   */
  attempts: number;
  /** Wall-clock seconds of the call. */
  seconds: number;
  /** True when the deadline / time limit stopped the run before all reads finished. */
  interrupted: boolean;
}

/**
 * Flip attempts per kernel call. V8 runs a wasm function in its baseline tier (Liftoff) until
 * the optimised code (TurboFan) is ready, and only later calls switch over. The kernel calls one
 * function per sweep (so it switches within a call, see native/anneal.c), and the host splits a
 * long anneal into calls of about this many attempts, so the driver loop is re-entered too. The
 * kernel's state lives in the arena, so chunking does not change the result; a call costs
 * ~1 us, i.e. < 0.1% at this size.
 */
export const ATTEMPTS_PER_CALL = 1 << 17;

/**
 * Simulated annealing (single-flip Metropolis, geometric beta schedule) on a QUBO in any form.
 *
 * @example
 * ```ts
 * import { anneal, readGset, maxCutToQubo, cutValue } from "fmanneal";
 * const graph = readGset("problems/gset/G1.txt");
 * const result = anneal(maxCutToQubo(graph), { sweeps: 1000, reads: 10, seed: 7 });
 * cutValue(graph, result.samples[0]); // -result.energies[0], about 11600
 * ```
 */
export function anneal(qubo: Qubo, options: AnnealOptions = {}): AnnealResult {
  return annealWith(qubo, options, ATTEMPTS_PER_CALL);
}

/** {@link anneal} with an explicit chunk size (benchmarks: Infinity = one kernel call per run). */
export function annealWith(qubo: Qubo, options: AnnealOptions, attemptsPerCall: number): AnnealResult {
  const started = performance.now();
  const reads = intOption("reads", options.reads ?? 10, 0);
  const sweepsPerBeta = intOption("sweepsPerBeta", options.sweepsPerBeta ?? 1, 1);
  const seed = foldSeed(options.seed ?? 1);
  const deadline = resolveDeadline(options, started);
  const kernel = options.kernel ?? "wasm";
  if (kernel !== "wasm" && kernel !== "ts") throw new OptionError("kernel", `anneal: kernel must be "wasm" or "ts", got ${String(kernel)}`);
  let sweeps: number;
  if (options.schedule) {
    for (const b of options.schedule) if (!(b >= 0) || !Number.isFinite(b)) throw new OptionError("schedule", `anneal: schedule betas must be finite and >= 0, got ${b}`);
    sweeps = intOption("sweeps", options.sweeps ?? options.schedule.length * sweepsPerBeta, 0);
    if (sweeps > 0 && options.schedule.length === 0) throw new OptionError("schedule", "anneal: empty schedule with sweeps > 0");
  } else {
    sweeps = intOption("sweeps", options.sweeps ?? 1000, 0);
    if (options.betaRange) geometricSchedule(options.betaRange[0], options.betaRange[1], 1); // validates
  }
  const nbetas = options.schedule ? options.schedule.length : Math.ceil(sweeps / sweepsPerBeta);
  /** The schedule: given, or geometric over the given or default range (from the kernel layout: one pass). */
  const scheduleFor = (problem: KernelProblem, range: (p: KernelProblem) => { max: number; min: number } = kernelDeltaRange): Float64Array => {
    if (options.schedule) return options.schedule;
    const [hot, cold] = options.betaRange ?? (sweeps > 0 ? kernelBetaRange(problem, range) : [1, 1]);
    return geometricSchedule(hot, cold, nbetas);
  };
  const n = qubo.n;
  const initial = options.initialStates;
  if (initial) {
    if (initial.length === 0) throw new OptionError("initialStates", "anneal: initialStates is empty");
    initial.forEach((s, i) => {
      if (s.length !== n) throw new OptionError("initialStates", `anneal: initialStates[${i}] has ${s.length} entries, the QUBO has ${n} variables`);
    });
  }

  const form = n === 0 ? FORM_SPARSE : chooseLayout(qubo, options.layout ?? "auto");
  let raw: RawRun;
  if (n === 0) {
    raw = { finished: reads, interrupted: false, best: new Uint8Array(0), energies: new Float64Array(2 * reads), partial: false, attempts: 0 };
  } else if (kernel === "ts") {
    const problem = prepareProblem(qubo, plainAlloc, form);
    const run = newRun(problem, scheduleFor(problem), sweepsPerBeta, sweeps, reads, seed, initial, {
      u8: (len) => new Uint8Array(len),
      u32: (len) => new Uint32Array(len),
      i32: (len) => new Int32Array(len),
      f32: (len) => new Float32Array(len),
      f64: (len) => new Float64Array(len),
    });
    const finished = referenceAnneal(problem, run, Infinity, deadline);
    raw = collect(run, finished, n);
  } else {
    const { exports: w, arena } = wasmKernel();
    const bytes =
      problemBytes(qubo, form) +
      Arena.size(8 * nbetas) +
      2 * Arena.size(reads * n) +
      Arena.size(16 * reads) +
      Arena.size(4 * Math.max(n, qubo.kind === "factorized" ? qubo.k : 0)) + // fields
      Arena.size(8 * Math.max(n, qubo.kind === "factorized" ? qubo.k : 0)) + // scratch
      2 * Arena.size(16) + Arena.size(32) + // rng, cursor; track
      (qubo.kind === "factorized" ? Arena.size(8 * n) + Arena.size(16) : 0);
    arena.begin(bytes);
    const problem = prepareProblem(qubo, arena, form);
    // the exact factorized statistics in wasm (same numbers as the TS mirror, ~10x faster)
    const range = (p: KernelProblem) => {
      if (p.form !== FORM_FACTORIZED || !factorizedExact(p.n, p.k)) return kernelDeltaRange(p);
      const rowSum = arena.f64(p.n);
      const out = arena.f64(2);
      w.fm_factorized_delta_range(p.n, p.k, p.V.byteOffset, p.lin.byteOffset, rowSum.byteOffset, out.byteOffset);
      return { max: out[0], min: out[1] };
    };
    const run = newRun(problem, scheduleFor(problem, range), sweepsPerBeta, sweeps, reads, seed, initial, arena, true);
    const ptr = (a: ArrayBufferView) => a.byteOffset;
    const common = [
      ptr(run.betas), run.betas.length, sweepsPerBeta, sweeps, reads, seed, run.randomInit ? 1 : 0,
      ptr(run.states), ptr(run.best), ptr(run.energies), ptr(run.fields), ptr(run.scratch), ptr(run.rng), ptr(run.cursor), ptr(run.track),
    ] as const;
    const budget = attemptsPerCall > 0 ? attemptsPerCall : Infinity;
    let finished = 0;
    for (;;) {
      if (problem.form === FORM_DENSE) {
        finished = w.fm_anneal_dense(n, ptr(problem.J), ptr(problem.J32), ptr(problem.lin), ...common, budget, deadline);
      } else if (problem.form === FORM_SPARSE) {
        finished = w.fm_anneal_sparse(n, ptr(problem.rowPtr), ptr(problem.col), ptr(problem.val), ptr(problem.val32), ptr(problem.lin), ...common, budget, deadline);
      } else {
        finished = w.fm_anneal_factorized(n, problem.k, ptr(problem.V), ptr(problem.V32), ptr(problem.lin), ptr(problem.lin1), ...common, budget, deadline);
      }
      if (finished >= reads || run.cursor[3]) break;
    }
    raw = collect(run, finished, n);
  }

  const order: number[] = [];
  const energies: number[] = [];
  const samples: Uint8Array[] = [];
  for (let r = 0; r < raw.finished; r++) order.push(r);
  const energyOf = (r: number) => raw.energies[2 * r + 1] + qubo.offset;
  order.sort((a, b) => energyOf(a) - energyOf(b) || a - b);
  for (const r of order) {
    samples.push(raw.best.slice(r * n, (r + 1) * n));
    energies.push(energyOf(r));
  }
  if (raw.partial) {
    // interrupted before any read finished: report the running read's best-so-far state
    const s = raw.best.slice(0, n);
    samples.push(s);
    energies.push(quboEnergy(qubo, s));
  }
  return {
    samples,
    energies,
    reads: raw.finished,
    sweeps,
    attempts: raw.attempts,
    seconds: (performance.now() - started) / 1000,
    interrupted: raw.interrupted,
  };
}

interface RawRun {
  finished: number;
  interrupted: boolean;
  /** Copy of the best-state buffer (reads*n). */
  best: Uint8Array;
  /** Copy of the energies buffer (2*reads). */
  energies: Float64Array;
  /** True when no read finished but read 0 was started: best[0..n) is its best state so far. */
  partial: boolean;
  /** Flip attempts executed (track[2]). */
  attempts: number;
}

function collect(run: KernelRun, finished: number, n: number): RawRun {
  const interrupted = run.cursor[3] === 1 && finished < run.reads;
  return {
    finished,
    interrupted,
    best: run.best.slice(),
    energies: run.energies.slice(),
    partial: interrupted && finished === 0 && run.cursor[2] === 1 && n > 0,
    attempts: run.track[2],
  };
}

interface RunAlloc {
  u8(length: number): Uint8Array;
  u32(length: number): Uint32Array;
  i32(length: number): Int32Array;
  f32(length: number): Float32Array;
  f64(length: number): Float64Array;
}

function newRun(
  problem: KernelProblem,
  schedule: Float64Array,
  sweepsPerBeta: number,
  sweeps: number,
  reads: number,
  seed: number,
  initial: ArrayLike<number>[] | undefined,
  alloc: RunAlloc,
  copySchedule = false,
): KernelRun {
  const n = problem.n;
  let betas = schedule;
  if (copySchedule) {
    betas = alloc.f64(schedule.length);
    betas.set(schedule);
  }
  const states = alloc.u8(reads * n);
  const best = alloc.u8(reads * n);
  if (initial) {
    for (let r = 0; r < reads; r++) {
      const s = initial[r % initial.length];
      for (let i = 0; i < n; i++) states[r * n + i] = s[i] ? 1 : 0;
    }
  }
  const cursor = alloc.i32(4);
  cursor.fill(0);
  const track = alloc.f64(4);
  track.fill(0);
  return {
    betas,
    sweepsPerBeta,
    sweeps,
    reads,
    seed,
    randomInit: !initial,
    states,
    best,
    energies: alloc.f64(2 * reads),
    fields: alloc.f32(fieldsLength(problem)),
    scratch: alloc.f64(scratchLength(problem)),
    rng: alloc.u32(4),
    cursor,
    track,
  };
}

function intOption(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > 2 ** 31 - 1) {
    throw new OptionError(name, `anneal: ${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** Fold any finite number to an unsigned 32-bit seed (as util/random.ts does). */
function foldSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new OptionError("seed", `anneal: seed must be a finite number, got ${seed}`);
  return ((Math.trunc(seed) >>> 0) ^ Math.trunc(seed / 4294967296)) >>> 0;
}

function resolveDeadline(options: AnnealOptions, now: number): number {
  let deadline = Infinity;
  if (options.deadline !== undefined) {
    if (Number.isNaN(options.deadline)) throw new OptionError("deadline", "anneal: deadline must be a performance.now() timestamp, got NaN");
    deadline = options.deadline;
  }
  if (options.timeLimit !== undefined) {
    if (!(options.timeLimit >= 0)) throw new OptionError("timeLimit", `anneal: timeLimit must be >= 0 seconds, got ${options.timeLimit}`);
    deadline = Math.min(deadline, now + options.timeLimit * 1000);
  }
  return deadline;
}
