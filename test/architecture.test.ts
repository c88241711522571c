import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * The folders of src/ are the architecture (docs/design.md, "Layout"): this test reads every
 * import of src/**\/*.ts (type imports, re-exports and dynamic import() included), folds them
 * into a graph between the top-level folders of src/, and checks the layering. Files directly
 * in src/ (index.ts, the public API) are the root and may import anything.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/**
 * The layers, lowest first: a folder imports only folders of a lower layer. This is the
 * folder table of docs/design.md; a new top-level folder needs a row here and there.
 */
const LAYERS: Record<string, number> = {
  util: 0,
  tsp: 1,
  qubo: 2,
  labelings: 2,
  anneal: 3,
  fm: 3,
  loop: 3,
  methods: 4,
  study: 5,
  cli: 6,
};

/** Folders of primitives and kernels, and what they must never reach. */
const FOUNDATIONS = ["util", "tsp", "qubo", "labelings", "anneal"];
const UPPER = ["fm", "loop", "methods", "study", "cli"];
/** All that the kernel folder may import: it knows QUBOs and tours, no method. */
const KERNEL_IMPORTS = ["util", "tsp", "qubo"];

interface Edge {
  from: string;
  to: string;
  /** One import that makes the edge: `file:line -> specifier`. */
  site: string;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f))
    .sort();
}

/** The module specifiers a file imports, with their line numbers (comments are not code). */
export function importSpecifiers(text: string): { spec: string; line: number }[] {
  // Blank out comments, keeping line breaks so that line numbers stay right.
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"'`])\/\/.*$/gm, (_m, p: string) => p);
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*$\s{},]*?)\s*from\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const out: { spec: string; line: number }[] = [];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      out.push({ spec: m[1]!, line: code.slice(0, m.index).split("\n").length });
    }
  }
  return out;
}

/** Top-level folder of a path under src/, or "<root>" for files directly in src/. */
function folderOf(path: string): string {
  const rel = relative(SRC, path).split(sep);
  return rel.length === 1 ? "<root>" : rel[0]!;
}

function folderEdges(): Edge[] {
  const edges = new Map<string, Edge>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    for (const { spec, line } of importSpecifiers(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue; // packages and node: builtins
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue; // e.g. ../../native/fmanneal.wasm
      const to = folderOf(target);
      if (to === from || from === "<root>") continue;
      const key = `${from}->${to}`;
      if (!edges.has(key)) edges.set(key, { from, to, site: `src/${relative(SRC, file)}:${line} -> ${spec}` });
    }
  }
  return [...edges.values()];
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

const describeEdges = (list: Edge[]) => list.map((e) => `${e.from} -> ${e.to} (${e.site})`).sort();

describe("the folder import graph of src/", () => {
  const edges = folderEdges();

  it("finds the imports it checks (the scanner works)", () => {
    expect(edges.length).toBeGreaterThan(10);
    expect(importSpecifiers('import type { A } from "../a.js";\nexport * from "./b.js";\nconst m = await import("../c.js");\n// import "../d.js"'))
      .toEqual([{ spec: "../a.js", line: 1 }, { spec: "./b.js", line: 2 }, { spec: "../c.js", line: 3 }]);
  });

  it("has no cycle", () => {
    const found = cycles(edges).map((scc) => {
      const inside = edges.filter((e) => scc.includes(e.from) && scc.includes(e.to));
      return `cycle through ${scc.join(", ")}:\n  ${describeEdges(inside).join("\n  ")}`;
    });
    expect(found, found.join("\n")).toEqual([]);
  });

  it("keeps the primitives and kernels (util, tsp, qubo, labelings, anneal) free of fm, loop, methods, study and cli", () => {
    const bad = edges.filter((e) => FOUNDATIONS.includes(e.from) && UPPER.includes(e.to));
    expect(describeEdges(bad)).toEqual([]);
  });

  it("keeps the annealing kernels (anneal/) free of every method: they import only util, tsp and qubo", () => {
    const bad = edges.filter((e) => e.from === "anneal" && !KERNEL_IMPORTS.includes(e.to));
    expect(describeEdges(bad)).toEqual([]);
  });

  it("loads bullmq and ioredis only on the queue paths: import() in src/study/runner/, type imports elsewhere", () => {
    // Start-up of every other command, and the local path, must not pay for them (docs/design.md, "Where tasks run").
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const code = readFileSync(file, "utf8");
      const rel = `src/${relative(SRC, file)}`;
      for (const m of code.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s*["'](bullmq|ioredis)["']/gm)) found.push(`${rel}: static import of ${m[1]}`);
      if (!rel.startsWith("src/study/runner/")) for (const m of code.matchAll(/\bimport\s*\(\s*["'](bullmq|ioredis)["']/g)) found.push(`${rel}: import() of ${m[1]}`);
    }
    expect(found).toEqual([]);
  });

  it("follows the layer table: every import goes to a lower layer", () => {
    const unknown = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((f) => !(f in LAYERS));
    expect(unknown, "folders missing from LAYERS (and from docs/design.md)").toEqual([]);
    const upward = edges.filter((e) => LAYERS[e.to]! >= LAYERS[e.from]!);
    expect(describeEdges(upward)).toEqual([]);
  });
});
