import { UserError } from "../util/errors.js";
import {
  badBit,
  checkCities,
  checkLength,
  factorialBig,
  freePartOf,
  type Labeling,
} from "./labeling.js";

/** Largest N for onehot: (N-1)^2 <= 2^30 bits keeps a code a reasonable typed array. */
export const ONEHOT_MAX_CITIES = 32769;

/**
 * One-hot labeling (docs/design.md, Definitions): x[c][p] = 1 iff free city c (1..N-1) is at free position p
 * (1..N-1, position p is the p-th city after city 0), bit index (c-1)*(N-1) + (p-1);
 * (N-1)^2 bits. Valid iff the bits form a permutation matrix (exactly one 1 in every row and
 * every column). This is the variable set of the conventional penalty QUBO for the TSP.
 *
 * Repair rule (greedy, deterministic): for c = 1..N-1 in order, city c takes the lowest free
 * position p with x[c][p] = 1, if any; the cities left without a position then take the
 * remaining positions, both in increasing order. On a permutation matrix every city takes its
 * own position, so repair equals decode on valid codes.
 */
export class OneHotLabeling implements Labeling {
  readonly name = "onehot" as const;
  readonly cities: number;
  readonly bits: number;
  readonly validCodes: bigint;
  private readonly m: number;
  private readonly free: Int32Array;
  /** cityAt[p] = city at free position p (1-based), 0 = empty. */
  private readonly cityAt: Int32Array;
  /** Cities 1..m that got no position in repair. */
  private readonly unplaced: Int32Array;

  /** @param cities 3 <= N <= ONEHOT_MAX_CITIES. */
  constructor(cities: number) {
    checkCities("onehot", cities);
    if (cities > ONEHOT_MAX_CITIES) {
      throw new UserError(
        `onehot labeling supports at most ${ONEHOT_MAX_CITIES} cities ((N-1)^2 bits), got ${cities}`,
      );
    }
    this.cities = cities;
    this.m = cities - 1;
    this.bits = this.m * this.m;
    this.validCodes = factorialBig(this.m);
    this.free = new Int32Array(this.m);
    this.cityAt = new Int32Array(this.m + 1);
    this.unplaced = new Int32Array(this.m);
  }

  encode(tour: ArrayLike<number>): Uint8Array {
    const m = this.m;
    freePartOf(tour, this.cities, this.free);
    const out = new Uint8Array(this.bits);
    for (let p = 1; p <= m; p++) out[(this.free[p - 1] - 1) * m + (p - 1)] = 1;
    return out;
  }

  decode(bits: ArrayLike<number>): number[] | null {
    checkLength("onehot", this.cities, this.bits, bits);
    const m = this.m;
    const cityAt = this.cityAt;
    cityAt.fill(0);
    let valid = true;
    let k = 0;
    for (let c = 1; c <= m; c++) {
      let ones = 0;
      let pos = 0;
      for (let p = 1; p <= m; p++, k++) {
        const b = bits[k];
        if (b === 1) {
          ones++;
          pos = p;
        } else if (b !== 0) {
          throw badBit("onehot", k, b);
        }
      }
      // m rows with one 1 each, in m distinct columns, fill every column exactly once
      if (ones !== 1 || cityAt[pos] !== 0) valid = false;
      else cityAt[pos] = c;
    }
    if (!valid) return null;
    const out = new Array<number>(this.cities);
    out[0] = 0;
    for (let p = 1; p <= m; p++) out[p] = cityAt[p];
    return out;
  }

  /** Repair rule: the greedy assignment described on the class. */
  repair(bits: ArrayLike<number>): number[] {
    checkLength("onehot", this.cities, this.bits, bits);
    const m = this.m;
    const cityAt = this.cityAt;
    cityAt.fill(0);
    let nUnplaced = 0;
    let k = 0;
    for (let c = 1; c <= m; c++) {
      let placed = false;
      for (let p = 1; p <= m; p++, k++) {
        const b = bits[k];
        if (b === 1) {
          if (!placed && cityAt[p] === 0) {
            cityAt[p] = c;
            placed = true;
          }
        } else if (b !== 0) {
          throw badBit("onehot", k, b);
        }
      }
      if (!placed) this.unplaced[nUnplaced++] = c;
    }
    const out = new Array<number>(this.cities);
    out[0] = 0;
    let u = 0;
    for (let p = 1; p <= m; p++) out[p] = cityAt[p] !== 0 ? cityAt[p] : this.unplaced[u++];
    return out;
  }
}
