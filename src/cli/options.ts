import { methodDefinitions } from "../methods/registry.js";

/**
 * Option definitions several commands share, and help texts built from the method registry
 * (src/methods/registry.ts), so that a method's defaults are declared once and the CLI's help
 * says what the library does.
 */

/** The positional TSPLIB problem file of `solve`, `info`, `tour`. */
export const tspFileArg = { type: "string", demandOption: true, describe: "TSPLIB .tsp file (TYPE TSP), or .atsp file (TYPE ATSP)" } as const;

/** `--json` of the commands that print one object. */
export const jsonOption = { type: "boolean", default: false, describe: "Print one JSON object" } as const;

/**
 * A "Methods:" table, one line per method with its description, for the epilogue of the
 * commands that take `--method` or `--methods`.
 */
export function methodsEpilogue(filter: (name: string) => boolean = () => true): string {
  const list = methodDefinitions().filter((d) => filter(d.name));
  const width = Math.max(...list.map((d) => d.name.length));
  return "Methods:\n" + list.map((d) => `  ${d.name.padEnd(width)}  ${d.description}`).join("\n");
}

/**
 * The methods' defaults of one option as help text: the most common value first, then the
 * methods that differ, e.g. "default 30; penalty-qubo 300". Methods that do not take the
 * option are left out; `only` limits the text to the methods named.
 */
export function methodDefaultText(option: string, only?: readonly string[]): string {
  const byValue = new Map<string, string[]>();
  for (const d of methodDefinitions()) {
    if (only && !only.includes(d.name)) continue;
    const value = (d.defaults as Record<string, unknown>)[option];
    if (value === undefined) continue;
    const key = String(value);
    byValue.set(key, [...(byValue.get(key) ?? []), d.name]);
  }
  const groups = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length);
  if (groups.length === 0) return "";
  const [[common], ...others] = groups;
  return [`default ${common}`, ...others.map(([value, names]) => `${names.join(", ")} ${value}`)].join("; ");
}
