import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Issue 17, item 9: the README's library examples run to completion unchanged. Every fenced
 * ts/js block of README.md that loads "fmanneal" is run as it is, in a fresh node process,
 * from a consumer directory whose node_modules/fmanneal is this repository (its dist/), with
 * the shipped problems/ next to it. The pricing service of the logistics example is a local
 * fake: `fetch` is replaced before the example runs (an asymmetric route cost of the posted
 * tour). A block must therefore be runnable JavaScript; a process that does not exit (a
 * timer left behind, a never-settling wait) fails on the spawn timeout.
 */

const FAKE_FETCH = `
globalThis.fetch = async (url, init) => {
  const tour = JSON.parse(init.body);
  let minutes = 0;
  for (let i = 0; i < tour.length; i++) {
    const a = tour[i], b = tour[(i + 1) % tour.length];
    minutes += 3 + ((a * 7 + b * 13) % 11) + (a < b ? 0 : 2);
  }
  return { ok: true, status: 200, json: async () => ({ minutes }) };
};
`;

/** The fenced code blocks of the README that load the package, with their language. */
function readmeExamples(): { lang: string; code: string; line: number }[] {
  const text = readFileSync("README.md", "utf8");
  const out: { lang: string; code: string; line: number }[] = [];
  // A fence may be indented (a block inside a list item): its lines lose that indentation.
  const fence = /^( *)```(ts|js)\n([\s\S]*?)^\1```$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const code = m[3].replace(new RegExp(`^${m[1]}`, "gm"), "");
    if (/from "fmanneal"|require\("fmanneal"\)/.test(code)) out.push({ lang: m[2], code, line: text.slice(0, m.index).split("\n").length });
  }
  return out;
}

function consumerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fmanneal-readme-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-examples", private: true }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(resolve("."), join(dir, "node_modules", "fmanneal"), "dir");
  symlinkSync(resolve("problems"), join(dir, "problems"), "dir");
  writeFileSync(join(dir, "fake-fetch.mjs"), FAKE_FETCH);
  return dir;
}

describe("README library examples", () => {
  const examples = readmeExamples();

  it("finds the examples (the quick one, the logistics one, the CommonJS one)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.some((e) => e.code.includes("CostFunctionError"))).toBe(true);
    expect(examples.some((e) => e.code.includes('require("fmanneal")'))).toBe(true);
  });

  for (const example of examples) {
    it(`README.md:${example.line} runs to completion and exits on its own`, () => {
      const dir = consumerDir();
      const commonjs = example.code.includes('require("fmanneal")');
      const file = join(dir, commonjs ? "example.cjs" : "example.mjs");
      writeFileSync(file, example.code);
      const out = spawnSync(process.execPath, ["--import", "./fake-fetch.mjs", file], { cwd: dir, encoding: "utf8", timeout: 60_000 });
      expect(out.error).toBeUndefined(); // ETIMEDOUT when the process does not exit
      expect(out.stderr).toBe("");
      expect(out.status).toBe(0);
      expect(out.stdout).not.toBe("");
    });
  }
});
