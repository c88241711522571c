import { OptionError } from "../util/errors.js";
import { penaltyQuboMethod } from "./baselines/penalty-qubo.js";
import { randomMethod } from "./baselines/random.js";
import { sa2optMethod } from "./baselines/sa-2opt.js";
import { edgeMethod } from "./edge/method.js";
import { fmaMethod } from "./fma/method.js";
import type { Method, MethodDefinition } from "./method.js";

/**
 * Every method `solveTsp` runs, by name, in the order the CLI and the docs list them. A method
 * declares its name, description, defaults, needs and factory once, in its own folder
 * (src/methods/<name>/); `solveTsp`, the CLI (`solve --method`, `compare --methods`) and the
 * comparison runs read them from here. Add a method by writing its definition and listing it.
 */
const METHODS = {
  fma: fmaMethod,
  edge: edgeMethod,
  random: randomMethod,
  "sa-2opt": sa2optMethod,
  "penalty-qubo": penaltyQuboMethod,
} as const satisfies Record<Method, MethodDefinition<object>>;

/** The names of the methods, `fma` first. */
export const methodNames: readonly Method[] = Object.keys(METHODS) as Method[];

/** Whether `name` is a method of the registry. */
export function isMethodName(name: string): name is Method {
  return Object.hasOwn(METHODS, name);
}

/**
 * The definition of a method.
 * @throws OptionError naming the valid methods, for an unknown name
 */
export function methodDefinition(name: string): MethodDefinition<object> {
  if (!isMethodName(name)) throw new OptionError("method", `unknown method "${name}": expected one of ${methodNames.join(", ")}`);
  return METHODS[name];
}

/** Every definition, in `methodNames` order. */
export function methodDefinitions(): MethodDefinition<object>[] {
  return methodNames.map((m) => METHODS[m]);
}
