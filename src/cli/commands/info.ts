import type { Argv, CommandModule } from "yargs";
import { createLabeling, labelingNames } from "../../labelings/registry.js";
import { UserError } from "../../util/errors.js";
import { knownOptimum } from "../../tsp/optima.js";
import { isSymmetric } from "../../tsp/tour.js";
import { readTsplib } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";
import { jsonOption, tspFileArg } from "../options.js";

interface InfoArgs {
  file: string;
  json: boolean;
}

/**
 * `fmanneal info <file.tsp | file.atsp>`: what the instance is and how long each labeling's codes are.
 * JSON: `{ name, type, comment, dimension, edgeWeightType, edgeWeightFormat, symmetric, optimum,
 * bits: { natural, gray, lehmer, onehot } }`; `type` is the file's TYPE (TSP or ATSP),
 * `symmetric` whether the distance matrix is (an ATSP file's need not be, a TSP file's is);
 * `optimum` is null when not known, a bit count is null when the labeling does not apply (fewer
 * than 3 cities). The labelings code tours with city 0 first in their direction, so an ATSP
 * instance has the same bit counts as a TSP instance of its size.
 */
export function infoCommand(io: CliIo): CommandModule<object, InfoArgs> {
  return {
    command: "info <file>",
    describe: "Describe a TSPLIB instance (TSP or ATSP): size, distance type, symmetry, known optimum, code length of each labeling",
    builder: (y: Argv) =>
      y
        .positional("file", tspFileArg)
        .option("json", jsonOption) as unknown as Argv<InfoArgs>,
    handler: (args) => {
      const inst = readTsplib(args.file);
      const bits: Record<string, number | null> = {};
      for (const name of labelingNames) {
        try {
          bits[name] = createLabeling(name, inst.dimension).bits;
        } catch (err) {
          // The registry refuses sizes a labeling does not cover (N < 3): report "not applicable".
          if (!(err instanceof UserError)) throw err;
          bits[name] = null;
        }
      }
      const report = {
        name: inst.name,
        type: inst.type,
        comment: inst.comment,
        dimension: inst.dimension,
        edgeWeightType: inst.edgeWeightType,
        edgeWeightFormat: inst.edgeWeightFormat,
        symmetric: isSymmetric(inst),
        optimum: knownOptimum(inst.name, inst.dimension),
        bits,
      };
      if (args.json) {
        io.out(JSON.stringify(report) + "\n");
        return;
      }
      const rows: [string, string][] = [
        ["name", report.name],
        ["file", args.file],
        ["type", report.type],
        ...(report.comment ? ([["comment", report.comment.replace(/\n/g, " / ")]] as [string, string][]) : []),
        ["dimension", String(report.dimension)],
        ["edge weight type", report.edgeWeightType],
        ["edge weight format", report.edgeWeightFormat ?? "-"],
        ["symmetric", report.symmetric ? "yes" : "no"],
        ["known optimum", report.optimum === null ? "-" : String(report.optimum)],
        ...labelingNames.map((name): [string, string] => [`bits ${name}`, bits[name] === null ? "-" : String(bits[name])]),
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      io.out(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join(""));
    },
  };
}
