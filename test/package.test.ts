import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Issue 17, item 11: the package as a consumer loads it. A CommonJS package (no "type") gets
 * the ESM build through `require("fmanneal")` on Node >= 20.19 (require(esm)), which needs an
 * exports condition that `require` matches and no top-level await anywhere in the module graph
 * of dist/index.js; an ES module gets it through `import`.
 */

const [major, minor] = process.versions.node.split(".").map(Number);
const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);

/** A consumer directory with node_modules/fmanneal linked to this repository (its built dist/). */
function consumer(type: "commonjs" | "module"): string {
  const dir = mkdtempSync(join(tmpdir(), "fmanneal-consumer-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(resolve("."), join(dir, "node_modules", "fmanneal"), "dir");
  return dir;
}

function run(dir: string, file: string, code: string) {
  writeFileSync(join(dir, file), code);
  return spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8", timeout: 60_000 });
}

const script = (load: string) => `${load}
solveTsp([[0, 1, 2, 1], [1, 0, 1, 2], [2, 1, 0, 1], [1, 2, 1, 0]], { method: "random", maxEvaluations: 3, seed: 1 })
  .then((r) => console.log(JSON.stringify({ cost: r.best.cost, errors: typeof CostFunctionError })));
`;

describe("loading the package from a consumer", () => {
  it.skipIf(!requireEsm)(`require("fmanneal") works from a CommonJS package (Node ${process.versions.node}; require(esm) needs >= 20.19)`, () => {
    const out = run(consumer("commonjs"), "index.js", script(`const { solveTsp, CostFunctionError } = require("fmanneal");`));
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({ cost: 4, errors: "function" });
  });

  it("import from an ES module package works", () => {
    const out = run(consumer("module"), "index.js", script(`import { solveTsp, CostFunctionError } from "fmanneal";`));
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({ cost: 4, errors: "function" });
  });
});
