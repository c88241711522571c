import type { Argv, CommandModule } from "yargs";
import { createLabeling, labelingNames } from "../../labelings/registry.js";
import { UserError } from "../../util/errors.js";
import { knownOptimum } from "../../tsp/optima.js";
import { readTsplib } from "../../tsp/tsplib.js";
import type { CliIo } from "../io.js";
import { jsonOption, tspFileArg } from "../options.js";

interface InfoArgs {
  file: string;
  json: boolean;
}

/**
 * `fmanneal info <file.tsp>`: what the instance is and how long each labeling's codes are.
 * JSON: `{ name, comment, dimension, edgeWeightType, edgeWeightFormat, optimum, bits: { natural,
 * gray, lehmer, onehot } }`; `optimum` is null when not known, a bit count is null when the
 * labeling does not apply (fewer than 3 cities).
 */
export function infoCommand(io: CliIo): CommandModule<object, InfoArgs> {
  return {
    command: "info <file>",
    describe: "Describe a TSPLIB instance: size, distance type, known optimum, code length of each labeling",
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
        comment: inst.comment,
        dimension: inst.dimension,
        edgeWeightType: inst.edgeWeightType,
        edgeWeightFormat: inst.edgeWeightFormat,
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
        ...(report.comment ? ([["comment", report.comment.replace(/\n/g, " / ")]] as [string, string][]) : []),
        ["dimension", String(report.dimension)],
        ["edge weight type", report.edgeWeightType],
        ["edge weight format", report.edgeWeightFormat ?? "-"],
        ["known optimum", report.optimum === null ? "-" : String(report.optimum)],
        ...labelingNames.map((name): [string, string] => [`bits ${name}`, bits[name] === null ? "-" : String(bits[name])]),
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      io.out(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join(""));
    },
  };
}
