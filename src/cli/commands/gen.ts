import type { Argv, CommandModule } from "yargs";
import { randomInstance } from "../../tsp/generate.js";
import { formatTsplib, MAX_DIMENSION } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";
import { numberFlag, refuseToReplace, writeOutputFile } from "../options.js";

interface GenArgs {
  cities: number;
  seed: number;
  out?: string;
  force: boolean;
}

/**
 * `fmanneal gen --cities N --seed S [--out FILE]`: a random EUC_2D instance in TSPLIB format
 * (`randomInstance`: integer coordinates in [0, 1000), named rand{N}-s{S}); the same seed gives
 * the same file. Written to stdout, or to FILE with a one-line confirmation (an existing FILE
 * only with --force).
 */
export function genCommand(io: CliIo): CommandModule<object, GenArgs> {
  return {
    command: "gen",
    describe: "Generate a random EUC_2D instance in TSPLIB format (same seed, same file)",
    builder: (y: Argv) =>
      y
        .option("cities", numberFlag("--cities", `Number of cities (1..${MAX_DIMENSION})`, { integer: true, min: 1, max: MAX_DIMENSION }, { demandOption: true }))
        .option("seed", numberFlag("--seed", "Seed of the coordinates (a non-negative integer)", { integer: true, min: 0 }, { default: 1 }))
        .option("out", { type: "string", describe: "Write the .tsp file here instead of to stdout (an existing file only with --force)" })
        .option("force", { type: "boolean", default: false, describe: "Let --out replace an existing file" }) as unknown as Argv<GenArgs>,
    handler: (args) => {
      if (args.out !== undefined) refuseToReplace(args.out, args.force);
      const inst = randomInstance(args.cities, args.seed);
      const text = formatTsplib(inst);
      if (args.out === undefined) {
        io.out(text);
        return;
      }
      writeOutputFile(args.out, text, args.force);
      io.out(`wrote ${inst.name} (${inst.dimension} cities) to ${args.out}\n`);
    },
  };
}
