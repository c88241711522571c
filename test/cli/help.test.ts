import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.js";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

/** Issue 17, item 12: help text wraps between words, never inside one. */
describe("--help layout", () => {
  it("the top-level help keeps every word whole: the description and each command's summary read intact", async () => {
    const io = captureIo();
    expect(await main(["--help"], io)).toBe(0);
    const flat = io.stdout.replace(/\s+/g, " ");
    expect(flat).toContain("Factorization machines with annealing for black-box TSP and QUBO optimisation.");
    for (const factory of commands) {
      const describe = String(factory(io).describe);
      expect(flat).toContain(describe);
    }
    for (const line of io.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("a command's help keeps its option descriptions whole", async () => {
    const io = captureIo();
    expect(await main(["solve", "--help"], io)).toBe(0);
    expect(io.stdout.replace(/\s+/g, " ")).toContain("Budget of evaluated samples, invalid codes included");
  });
});
