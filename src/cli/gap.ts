import { referenceTour } from "../methods/reference.js";
import type { TspInstance } from "../tsp/instance.js";
import { knownOptimum } from "../tsp/optima.js";

/**
 * What `solve` and `tour` measure a length against: the optimum (given with `--optimum`, or
 * known for a shipped instance), else a reference tour (src/methods/reference.ts) that is
 * labelled as such wherever its gap is printed, since it is not an optimum.
 */
export type GapBasis =
  | { kind: "optimum"; length: number; source: "known" | "--optimum" }
  | { kind: "reference"; length: number; how: string };

/** `--optimum` (checked by the command), else the known optimum, else the reference tour; null below 3 cities. */
export function gapBasis(instance: TspInstance, optimum: number | undefined): GapBasis | null {
  if (optimum !== undefined) return { kind: "optimum", length: optimum, source: "--optimum" };
  const known = knownOptimum(instance.name, instance.dimension);
  if (known !== null) return { kind: "optimum", length: known, source: "known" };
  if (instance.dimension < 3) return null;
  const ref = referenceTour(instance);
  return { kind: "reference", length: ref.length, how: ref.how };
}

/** The relative gap (length - basis) / basis. */
export function gapTo(basis: GapBasis, length: number): number {
  return (length - basis.length) / basis.length;
}

export function formatGap(g: number): string {
  return `${(g * 100).toFixed(2)}%`;
}

/** "optimum 3323, gap 0.00%" / "optimum 3000 from --optimum, gap 10.77%" / "gap 2.94% to the reference 10881". */
export function gapText(basis: GapBasis, length: number): string {
  const gap = formatGap(gapTo(basis, length));
  if (basis.kind === "reference") return `gap ${gap} to the reference ${basis.length}`;
  return `optimum ${basis.length}${basis.source === "--optimum" ? " from --optimum" : ""}, gap ${gap}`;
}

/** The line that says what a reference is (printed with every gap to it). */
export function referenceLine(basis: GapBasis & { kind: "reference" }): string {
  return `reference ${basis.length}: not an optimum, the engine's own white-box tour (${basis.how}); give --optimum N for a real gap`;
}
