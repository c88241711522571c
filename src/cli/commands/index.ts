import type { CommandModule } from "yargs";
import type { CliIo } from "../io.js";
import { genCommand } from "./gen.js";
import { infoCommand } from "./info.js";
import { landscapeCommand } from "./landscape.js";
import { tourCommand } from "./tour.js";
import { quboCommand } from "./qubo.js";
import { solveCommand } from "./solve.js";
import { compareCommand } from "./compare.js";
import { workerCommand } from "./worker.js";
import { solveManyCommand } from "./solve-many.js";

/**
 * Every CLI command is a yargs command module built from an `io` (so tests can capture
 * output). Add a command by writing `commands/<name>.ts` exporting a factory, and listing it here.
 */
export type CommandFactory = (io: CliIo) => CommandModule<any, any>;

export const commands: CommandFactory[] = [solveCommand, infoCommand, tourCommand, genCommand, landscapeCommand, quboCommand, compareCommand, solveManyCommand, workerCommand];
