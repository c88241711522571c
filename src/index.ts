/**
 * fmanneal — the public library API. Everything not exported here is internal.
 * @packageDocumentation
 */
export { Random } from "./util/random.js";
export { UserError, InputError } from "./util/errors.js";
export type { Qubo, DenseQubo, SparseQubo, FactorizedQubo } from "./qubo/types.js";
export { createLabeling, labelingNames } from "./labelings/registry.js";
export type { Labeling, LabelingName } from "./labelings/labeling.js";
