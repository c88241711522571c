import { describe, expect, it } from "vitest";
import { Random, SeedSalt, deriveSeed, roundSeed } from "../../src/util/random.js";

describe("deriveSeed", () => {
  it("gives distinct seeds over a grid of (base, round), with no XOR relation between them", () => {
    const seen = new Set<number>();
    for (let base = 0; base < 200; base++) for (let r = 0; r < 200; r++) seen.add(deriveSeed(base, r));
    expect(seen.size).toBe(200 * 200);
    // The earlier derivation XORed base into the part, so (s, r) and (s', r ^ s ^ s') collided.
    for (let s = 2; s <= 10; s++) for (let r = 1; r <= 50; r++) expect(deriveSeed(s, r)).not.toBe(deriveSeed(1, r ^ s ^ 1));
  });

  it("is a pure function of its arguments", () => {
    expect(deriveSeed(7, 1, 2)).toBe(deriveSeed(7, 1, 2));
    expect(deriveSeed(7, 1, 2)).not.toBe(deriveSeed(7, 2, 1));
  });
});

describe("SeedSalt and roundSeed", () => {
  it("no round's seed equals a salted seed (sa-2opt's old salt 0x5a was round 90)", () => {
    const salts = Object.values(SeedSalt);
    expect(new Set(salts).size).toBe(salts.length);
    for (const salt of salts) if (salt !== SeedSalt.init) expect(salt).toBeGreaterThanOrEqual(2 ** 31);
    for (const seed of [1, 2, 3, 1234567]) {
      const salted = new Set(salts.map((salt) => deriveSeed(seed, salt)));
      for (let r = 1; r <= 10_000; r++) expect(salted.has(roundSeed(seed, r))).toBe(false);
    }
  });

  it("keeps every other round's seed: roundSeed(seed, r) = deriveSeed(seed, r)", () => {
    for (const r of [1, 2, 90, 6678, 6680, 100_000]) expect(roundSeed(5, r)).toBe(deriveSeed(5, r));
    expect(roundSeed(5, SeedSalt.init)).not.toBe(deriveSeed(5, SeedSalt.init));
  });
});

describe("Random", () => {
  it("same seed, same stream; integers uniform enough", () => {
    const a = new Random(5);
    const b = new Random(5);
    for (let i = 0; i < 100; i++) expect(a.u32()).toBe(b.u32());
    const r = new Random(9);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500); // > 5 sigma
  });
});
