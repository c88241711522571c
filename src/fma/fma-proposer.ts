import { anneal } from "../anneal/anneal.js";
import type { FmModel } from "../fm/model.js";
import type { FmTrainOptions } from "../fm/options.js";
import type { FmTrainer } from "../fm/trainer.js";
import type { Random } from "../util/random.js";
import { bitKey, bitsFromKey, type BitDomain } from "./bit-domain.js";
import type { ProposeContext, Proposer } from "./loop.js";

/** Settings of the paper's method: FM surrogate -> factorized QUBO -> simulated annealing. */
export interface FmaSettings {
  /** FM rank k (default 8). */
  rank: number;
  /** Training epochs per round (warm-started from the previous round's model). */
  epochs: number;
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
  /** Further FM training options, passed through. */
  fm: Partial<FmTrainOptions>;
  /** Invalid codes: `penalty` (evaluated as the worst valid cost so far) or `repair`. */
  invalidPolicy: "penalty" | "repair";
}

/**
 * The `fma` proposer (Koshikawa et al. 2024): train the FM on every sample so far (warm start
 * from the previous round), anneal its QUBO, and propose the lowest-energy reads not seen
 * before; when every read was seen, flip random bits of the best read until unseen.
 */
export class FmaProposer implements Proposer<Uint8Array> {
  readonly method: string;
  private samples: Uint8Array[] = [];
  private targets: number[] = [];
  private model: FmModel | null = null;

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
    return bitsFromKey(String(json));
  }

  initial(count: number, rng: Random, seen: ReadonlySet<string>): Uint8Array[] {
    const out: Uint8Array[] = [];
    const mine = new Set<string>();
    // Bounded: a tiny domain may have fewer than `count` unseen valid codes.
    for (let attempt = 0; out.length < count && attempt < count * 50 + 1000; attempt++) {
      const c = this.domain.randomCode(rng);
      const k = bitKey(c);
      if (seen.has(k) || mine.has(k)) continue;
      mine.add(k);
      out.push(c);
    }
    return out;
  }

  observe(code: Uint8Array, value: number): void {
    this.samples.push(code);
    this.targets.push(value);
  }

  async propose(q: number, ctx: ProposeContext): Promise<Uint8Array[]> {
    const s = this.settings;
    const t0 = performance.now();
    this.model = await this.trainer.train(this.samples, this.targets, {
      ...s.fm,
      rank: s.rank,
      epochs: this.model ? s.epochs : s.firstEpochs,
      learningRate: s.learningRate,
      l2w: s.l2,
      l2v: s.l2,
      seed: ctx.rng.seed(),
      warmStart: this.model ?? undefined,
    });
    const t1 = performance.now();
    const result = anneal(this.model.toQubo(), {
      sweeps: s.sweeps,
      reads: Math.max(s.reads, q),
      seed: ctx.rng.seed(),
      betaRange: s.betaRange,
      deadline: ctx.deadline,
    });
    const t2 = performance.now();
    ctx.timings.train += (t1 - t0) / 1000;
    ctx.timings.anneal += (t2 - t1) / 1000;

    const picked: Uint8Array[] = [];
    const mine = new Set<string>();
    const take = (code: Uint8Array): boolean => {
      if (this.settings.invalidPolicy === "repair" && this.domain.repair && !this.domain.isValid(code)) {
        code = this.domain.repair(code);
      }
      const k = bitKey(code);
      if (ctx.seen.has(k) || mine.has(k)) return false;
      mine.add(k);
      picked.push(code);
      return true;
    };
    for (const sample of result.samples) {
      if (picked.length >= q) break;
      take(sample);
    }
    // Every read was seen: perturb the best read, flipping more bits the longer it takes.
    const base = result.samples[0] ?? this.domain.randomCode(ctx.rng);
    const n = this.domain.bits;
    for (let attempt = 0; picked.length < q && attempt < 200 * (n + 1); attempt++) {
      const flips = 1 + Math.floor(attempt / (4 * n + 1));
      const c = base.slice();
      for (let f = 0; f < flips; f++) c[ctx.rng.int(n)] ^= 1;
      take(c);
    }
    for (let attempt = 0; picked.length < q && attempt < 1000; attempt++) take(this.domain.randomCode(ctx.rng));
    return picked;
  }

  async close(): Promise<void> {}
}
