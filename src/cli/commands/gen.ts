import type { Argv, CommandModule } from "yargs";
import { UserError } from "../../util/errors.js";
import { randomInstance } from "../../tsp/generate.js";
import { formatTsplib, MAX_DIMENSION, writeTextFile } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";

interface GenArgs {
  cities: number;
  seed: number;
  out?: string;
}

/**
 * `fmanneal gen --cities N --seed S [--out FILE]`: a random EUC_2D instance in TSPLIB format
 * (`randomInstance`: integer coordinates in [0, 1000), named rand{N}-s{S}); the same seed gives
 * the same file. Written to stdout, or to FILE with a one-line confirmation.
 */
export function genCommand(io: CliIo): CommandModule<object, GenArgs> {
  return {
    command: "gen",
    describe: "Generate a random EUC_2D instance in TSPLIB format (same seed, same file)",
    builder: (y: Argv) =>
      y
        .option("cities", { type: "number", demandOption: true, describe: `Number of cities (1..${MAX_DIMENSION})` })
        .option("seed", { type: "number", default: 1, describe: "Seed of the coordinates (a non-negative integer)" })
        .option("out", { type: "string", describe: "Write the .tsp file here instead of to stdout" }) as unknown as Argv<GenArgs>,
    handler: (args) => {
      if (!Number.isInteger(args.cities) || args.cities < 1 || args.cities > MAX_DIMENSION) {
        throw new UserError(`--cities must be an integer in 1..${MAX_DIMENSION}, got ${String(args.cities)}`);
      }
      if (!Number.isSafeInteger(args.seed) || args.seed < 0) {
        throw new UserError(`--seed must be a non-negative integer, got ${String(args.seed)}`);
      }
      const inst = randomInstance(args.cities, args.seed);
      const text = formatTsplib(inst);
      if (args.out === undefined) {
        io.out(text);
        return;
      }
      writeTextFile(args.out, text);
      io.out(`wrote ${inst.name} (${inst.dimension} cities) to ${args.out}\n`);
    },
  };
}
