import type { Argv, CommandModule } from "yargs";
import { knownOptimum } from "../../tsp/optima.js";
import { tourLength } from "../../tsp/tour.js";
import { readTour, readTsplib } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";
import { jsonOption, tspFileArg } from "../options.js";

interface TourArgs {
  problem: string;
  tour: string;
  json: boolean;
}

/**
 * `fmanneal tour <file.tsp> <file.tour>`: the length of a tour, and its relative gap
 * `(length - optimum) / optimum` when the instance's optimum is known. On an ATSP instance the
 * length is directed: the tour runs in the order of its file, closing edge included.
 * JSON: `{ name, dimension, tour, length, optimum, gap }` (`optimum`, `gap` null when unknown;
 * `tour` is the tour file's NAME). A tour whose DIMENSION differs from the instance's is an error.
 */
export function tourCommand(io: CliIo): CommandModule<object, TourArgs> {
  return {
    command: "tour <problem> <tour>",
    describe: "Measure a TSPLIB tour on an instance, with its gap to the known optimum",
    builder: (y: Argv) =>
      y
        .positional("problem", tspFileArg)
        .positional("tour", { type: "string", demandOption: true, describe: "TSPLIB .tour file for that instance" })
        .option("json", jsonOption) as unknown as Argv<TourArgs>,
    handler: (args) => {
      const inst = readTsplib(args.problem);
      const tour = readTour(args.tour, { dimension: inst.dimension });
      const length = tourLength(inst, tour.tour);
      const optimum = knownOptimum(inst.name, inst.dimension);
      const gap = optimum === null ? null : (length - optimum) / optimum;
      if (args.json) {
        io.out(JSON.stringify({ name: inst.name, dimension: inst.dimension, tour: tour.name, length, optimum, gap }) + "\n");
        return;
      }
      io.out(
        `${inst.name} (${inst.dimension} cities${inst.type === "ATSP" ? ", ATSP" : ""}): tour ${tour.name} has length ${length}` +
          (optimum === null ? " (optimum not known)" : `, optimum ${optimum}, gap ${(gap! * 100).toFixed(2)}%`) +
          "\n",
      );
    },
  };
}
