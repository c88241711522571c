import { anneal, type AnnealResult } from "../../anneal/anneal.js";
import type { FmModel } from "../../fm/model.js";
import type { FactorizedQubo } from "../../qubo/types.js";
import type { FmTrainOptions } from "../../fm/options.js";
import type { FmTrainer } from "../../fm/trainer.js";
import type { Random } from "../../util/random.js";
import { bitKey, bitsFromKey, type BitDomain } from "./bit-domain.js";
import { Candidates, distinctUnseen, type ProposeContext, type Proposer } from "../../loop/proposer.js";

/** Settings of the paper's method: FM surrogate -> factorized QUBO -> simulated annealing. */
export interface FmaSettings {
  /** FM rank k (default 8). */
  rank: number;
  /** Training epochs per round (warm-started from the previous round's model); used when `steps` is 0. */
  epochs: number;
  /**
   * Adam steps per warm-started round (0: `epochs` instead). Bounds a round's training cost
   * whatever the number of samples; each step's batch holds the newest sample (see the FM
   * option `steps`).
   */
  steps: number;
  /** Epochs of the first training (from scratch). */
  firstEpochs: number;
  learningRate: number;
  /** L2 on w and on V. */
  l2: number;
  /** Annealing sweeps per read and number of reads. */
  sweeps: number;
  reads: number;
  /** Optional [hot, cold] inverse temperatures; default derived from the QUBO. */
  betaRange?: [number, number];
  /**
   * Candidates: the reads and every single-bit flip of each distinct read, ranked together by
   * predicted cost (true), or the reads alone, as in the paper (false).
   */
  flips: boolean;
  /**
   * Restart: after this many evaluations without a new best cost, the next round drops the
   * warm-started model and trains a fresh one (new random initialisation, `firstEpochs` over
   * all samples). 0: never.
   */
  restartAfter: number;
  /** Further FM training options, passed through (validationShare defaults to 0 here). */
  fm: Partial<FmTrainOptions>;
  /** Invalid codes: `penalty` (evaluated as the worst valid cost so far) or `repair`. */
  invalidPolicy: "penalty" | "repair";
}

/**
 * The `fma` proposer (Koshikawa et al. 2024): train the FM on the samples so far (warm start
 * from the previous round), anneal its QUBO, and propose the unseen candidates of lowest
 * predicted cost — the reads, and with `flips` also every single-bit flip of each distinct
 * read; when every candidate was seen, flip random bits of the best read until unseen.
 *
 * Restarts (`restartAfter`). Far from its samples the FM extrapolates badly (on burma14 after
 * 1000 evaluations it predicted the optimal tour at about twice its length), so a run whose
 * warm-started model has settled on one region keeps proposing that region's neighbours. A
 * fresh model, trained from a new random initialisation on the same samples, fits them as well
 * but extrapolates differently: it sends the search elsewhere at no cost in evaluations.
 */
export class FmaProposer implements Proposer<Uint8Array> {
  readonly method: string;
  private samples: Uint8Array[] = [];
  private targets: number[] = [];
  private model: FmModel | null = null;
  private bestValue = Infinity;
  private sinceBest = 0;

  constructor(
    private readonly domain: BitDomain,
    private readonly trainer: FmTrainer,
    private readonly settings: FmaSettings,
    methodName: string,
  ) {
    this.method = methodName;
  }

  key(code: Uint8Array): string {
    return bitKey(code);
  }

  toJSON(code: Uint8Array): unknown {
    return bitKey(code);
  }

  fromJSON(json: unknown): Uint8Array {
    const n = this.domain.bits;
    if (typeof json !== "string" || json.length !== n || !/^[01]*$/.test(json)) throw new TypeError(`expected a code of ${n} bits as a 0/1 string`);
    return bitsFromKey(json);
  }

  initial(count: number, rng: Random, seen: ReadonlySet<string>): Uint8Array[] {
    return distinctUnseen(count, () => this.domain.randomCode(rng), bitKey, seen);
  }

  observe(code: Uint8Array, value: number): void {
    this.samples.push(code);
    this.targets.push(value);
    if (value < this.bestValue) {
      this.bestValue = value;
      this.sinceBest = 0;
    } else this.sinceBest++;
  }

  async propose(q: number, ctx: ProposeContext): Promise<Uint8Array[]> {
    const t0 = performance.now();
    const model = await this.train(ctx.rng.seed());
    const t1 = performance.now();
    const qubo = model.toQubo();
    const reads = anneal(qubo, {
      sweeps: this.settings.sweeps,
      reads: Math.max(this.settings.reads, q),
      seed: ctx.rng.seed(),
      betaRange: this.settings.betaRange,
      deadline: ctx.deadline,
    });
    ctx.timings.train += (t1 - t0) / 1000;
    ctx.timings.anneal += (performance.now() - t1) / 1000;
    return this.pick(q, qubo, reads, ctx);
  }

  /** Train the FM on every sample: warm-started from the last model, or fresh after a restart. */
  private async train(seed: number): Promise<FmModel> {
    const s = this.settings;
    if (s.restartAfter > 0 && this.sinceBest >= s.restartAfter) {
      this.model = null;
      this.sinceBest = 0;
    }
    this.model = await this.trainer.train(this.samples, this.targets, {
      // The loop's data is small and every sample is worth fitting; with `steps` the loss is
      // not monitored, so a held-out share would only be wasted.
      validationShare: 0,
      ...s.fm,
      rank: s.rank,
      epochs: this.model ? s.epochs : s.firstEpochs,
      steps: this.model ? s.steps : 0,
      learningRate: s.learningRate,
      l2w: s.l2,
      l2v: s.l2,
      seed,
      warmStart: this.model ?? undefined,
    });
    return this.model;
  }

  /**
   * The proposal from the annealer's reads: the unseen candidates of lowest predicted cost (the
   * reads, with `flips` also their single-bit flips); when every one was seen, flips of the best
   * read, more bits the longer it takes; then random codes. With the `repair` policy an invalid
   * candidate is replaced by its repair.
   */
  private pick(q: number, qubo: FactorizedQubo, reads: AnnealResult, ctx: ProposeContext): Uint8Array[] {
    const out = new Candidates(bitKey, ctx.seen);
    const repair = this.settings.invalidPolicy === "repair" && this.domain.repair !== undefined;
    const take = (code: Uint8Array) => out.take(repair && !this.domain.isValid(code) ? this.domain.repair!(code) : code);
    const ranked = this.settings.flips ? rankedCodes(qubo, reads.samples, reads.energies) : reads.samples;
    for (const code of ranked) {
      if (out.length >= q) break;
      take(code);
    }
    const base = reads.samples[0] ?? this.domain.randomCode(ctx.rng);
    const n = this.domain.bits;
    for (let attempt = 0; out.length < q && attempt < 200 * (n + 1); attempt++) {
      const c = base.slice();
      for (let f = 1 + Math.floor(attempt / (4 * n + 1)); f > 0; f--) c[ctx.rng.int(n)] ^= 1;
      take(c);
    }
    for (let attempt = 0; out.length < q && attempt < 1000; attempt++) take(this.domain.randomCode(ctx.rng));
    return out.points;
  }

  /** Closes the trainer it was given (the proposer owns it). */
  async close(): Promise<void> {
    await this.trainer.close();
  }
}

/**
 * The distinct reads and every single-bit flip of each, with their QUBO energies, sorted by
 * energy (ties: reads first, then in generation order). Flipping bit i of x changes the energy
 * by (1 − 2x_i)(linear_i + ⟨v_i, s⟩ − x_i‖v_i‖²) with s = Σ_j x_j v_j (the i-th term of s is
 * removed by the −x_i‖v_i‖²), so all n flips of a read cost O(n·k).
 */
export function rankedCandidates(
  qubo: FactorizedQubo,
  reads: Uint8Array[],
  energies: number[],
): { code: Uint8Array; energy: number }[] {
  return Array.from(rankedEntries(qubo, reads, energies));
}

/** The codes of `rankedCandidates`, in order, each made only when asked for. */
function* rankedCodes(qubo: FactorizedQubo, reads: Uint8Array[], energies: number[]): Generator<Uint8Array> {
  for (const c of rankedEntries(qubo, reads, energies)) yield c.code;
}

/**
 * `rankedCandidates` lazily: the energies of all (read, flip) pairs are computed and sorted
 * (O(reads·n) numbers), but a flipped code is copied only when the caller gets to it. Copying
 * every flip up front would take reads·n² bytes (31 GB for the 56,000 bits of gray at 5000
 * cities), where a proposal needs a handful.
 */
function* rankedEntries(qubo: FactorizedQubo, reads: Uint8Array[], energies: number[]): Generator<{ code: Uint8Array; energy: number }> {
  const { n, k, linear, factors: V } = qubo;
  const distinct: Uint8Array[] = [];
  const distinctEnergy: number[] = [];
  const keys = new Set<string>();
  for (let r = 0; r < reads.length; r++) {
    const key = bitKey(reads[r]);
    if (keys.has(key)) continue;
    keys.add(key);
    distinct.push(reads[r]);
    distinctEnergy.push(energies[r]);
  }
  // Entry e < count is read e itself; entry count + r*n + i is read r with bit i flipped.
  const count = distinct.length;
  const energy = new Float64Array(count * (n + 1));
  const s = new Float64Array(k);
  for (let r = 0; r < count; r++) {
    const x = distinct[r];
    const e0 = distinctEnergy[r];
    energy[r] = e0;
    s.fill(0);
    for (let i = 0; i < n; i++) if (x[i]) for (let f = 0; f < k; f++) s[f] += V[i * k + f];
    for (let i = 0; i < n; i++) {
      let dot = 0;
      let sq = 0;
      for (let f = 0; f < k; f++) {
        const v = V[i * k + f];
        dot += v * s[f];
        sq += v * v;
      }
      energy[count + r * n + i] = e0 + (x[i] ? -(linear[i] + dot - sq) : linear[i] + dot);
    }
  }
  // Ties keep the entry order (reads first, then in generation order), as a stable sort would.
  const order = new Int32Array(energy.length);
  for (let e = 0; e < order.length; e++) order[e] = e;
  order.sort((a, b) => energy[a] - energy[b] || a - b);
  for (const e of order) {
    if (e < count) {
      yield { code: distinct[e], energy: energy[e] };
      continue;
    }
    const r = Math.floor((e - count) / n);
    const i = (e - count) % n;
    const y = distinct[r].slice();
    y[i] ^= 1;
    yield { code: y, energy: energy[e] };
  }
}
