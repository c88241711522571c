import type { Argv, CommandModule } from "yargs";
import { tourLength } from "../../tsp/tour.js";
import { readTour, readTsplib } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";
import { gapBasis, gapText, gapTo, referenceLine } from "../gap.js";
import { jsonOption, numberFlag, tspFileArg } from "../options.js";

interface TourArgs {
  problem: string;
  tour: string;
  optimum?: number;
  json: boolean;
}

/**
 * `fmanneal tour <file.tsp> <file.tour> [--optimum N]`: the length of a tour, and its relative
 * gap `(length - optimum) / optimum` to --optimum or the instance's known optimum; when neither
 * is known, its gap to a reference tour (the engine's own white-box local search on the known
 * distances, src/methods/reference.ts), labelled as not an optimum. On an ATSP instance the
 * length is directed: the tour runs in the order of its file, closing edge included.
 * JSON: `{ name, dimension, tour, length, optimum, optimumSource, gap, reference, referenceGap }`
 * (`optimum`, `optimumSource`, `gap` null without an optimum; `reference` `{ length, how }` and
 * `referenceGap` null with one; `tour` is the tour file's NAME). A tour whose DIMENSION differs
 * from the instance's is an error.
 */
export function tourCommand(io: CliIo): CommandModule<object, TourArgs> {
  return {
    command: "tour <problem> <tour>",
    describe: "Measure a TSPLIB tour on an instance, with its gap to the known optimum",
    builder: (y: Argv) =>
      y
        .positional("problem", tspFileArg)
        .positional("tour", { type: "string", demandOption: true, describe: "TSPLIB .tour file for that instance" })
        .option("optimum", numberFlag("--optimum", "The optimum (or best known) tour length, for the gap; without it a shipped instance's known optimum is used, or else a reference tour", { min: 0, aboveMin: true }))
        .option("json", jsonOption) as unknown as Argv<TourArgs>,
    handler: (args) => {
      const inst = readTsplib(args.problem);
      const tour = readTour(args.tour, { dimension: inst.dimension });
      const length = tourLength(inst, tour.tour);
      const basis = gapBasis(inst, args.optimum);
      const optimum = basis?.kind === "optimum" ? basis : null;
      const reference = basis?.kind === "reference" ? basis : null;
      if (args.json) {
        io.out(
          JSON.stringify({
            name: inst.name,
            dimension: inst.dimension,
            tour: tour.name,
            length,
            optimum: optimum?.length ?? null,
            optimumSource: optimum?.source ?? null,
            gap: optimum ? gapTo(optimum, length) : null,
            reference: reference ? { length: reference.length, how: reference.how, note: "not an optimum" } : null,
            referenceGap: reference ? gapTo(reference, length) : null,
          }) + "\n",
        );
        return;
      }
      io.out(`${inst.name} (${inst.dimension} cities${inst.type === "ATSP" ? ", ATSP" : ""}): tour ${tour.name} has length ${length}` + (basis ? `, ${gapText(basis, length)}` : " (optimum not known)") + "\n");
      if (reference) io.out(referenceLine(reference) + "\n");
    },
  };
}
