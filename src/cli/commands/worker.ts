import { availableParallelism } from "node:os";
import type { Argv, CommandModule } from "yargs";
import type { QueueWorker } from "../../study/runner/queue-worker.js";
import type { CliIo } from "../io.js";
import { numberFlag } from "../options.js";

interface WorkerArgs {
  queue: string;
  concurrency?: number;
  "lock-duration": number;
  "stalled-interval": number;
  verbose: boolean;
}

/**
 * `fmanneal worker --queue redis://HOST:PORT [--concurrency C] [--verbose]`: serve the queue of
 * `compare --queue` and `solve-many --queue` (src/study/runner/queue-worker.ts) — any number of
 * these, on any machines — running C jobs at a time in worker threads. Ctrl-C (or SIGTERM) takes
 * no new job, finishes the jobs in progress, and exits 0; a second Ctrl-C leaves at once (those
 * jobs then stall and run on another worker). Exit status 2 with one line when Redis cannot be
 * reached.
 *
 * Output (stdout): a line when it starts and one when it stops; each failed job; with
 * `--verbose` also `<time> start <job id> <task>` and `<time> done <job id> <task> (<s> s)` per job.
 */
export function workerCommand(io: CliIo): CommandModule<object, WorkerArgs> {
  return {
    command: "worker",
    describe: "Run the jobs of 'compare --queue' and 'solve-many --queue' from a Redis queue, on this machine, until Ctrl-C",
    builder: (y: Argv) =>
      y
        .option("queue", { type: "string", demandOption: true, describe: "The queue's Redis: redis://HOST:PORT[/DB] (rediss:// for TLS)" })
        .option("concurrency", numberFlag("--concurrency", "Jobs at a time, each in a worker thread (default: available cores)", { integer: true, min: 1 }))
        .option(
          "lock-duration",
          numberFlag(
            "--lock-duration",
            "Seconds a running job stays locked without renewal (renewed every half); a worker that died is noticed after this",
            { min: 0, aboveMin: true, noun: "a number of seconds" },
            { default: 30 },
          ),
        )
        .option(
          "stalled-interval",
          numberFlag("--stalled-interval", "Seconds between this worker's checks for jobs whose worker died (they go back to the queue)", { min: 0, aboveMin: true, noun: "a number of seconds" }, { default: 30 }),
        )
        .option("verbose", { type: "boolean", default: false, describe: "A line per job started and done" }) as unknown as Argv<WorkerArgs>,
    handler: async (args) => {
      const concurrency = args.concurrency ?? availableParallelism();
      const { checkQueueUrl } = await import("../../study/runner/redis.js");
      const { startQueueWorker } = await import("../../study/runner/queue-worker.js");
      const url = checkQueueUrl(args.queue);
      const at = () => new Date().toISOString();
      // Signals are ours before the first job can start: a Ctrl-C during start-up (or one that
      // would otherwise hit a shell's ignore-SIGINT default) still finishes the jobs and leaves.
      let worker: QueueWorker | null = null;
      let signals = 0;
      const stop = (w: QueueWorker) => {
        io.out(`${at()} stopping: finishing ${w.active} job${w.active === 1 ? "" : "s"} in progress (Ctrl-C again to leave now; they would run on another worker)\n`);
        void w.stop();
      };
      const onSignal = () => {
        if (++signals === 1) {
          if (worker) stop(worker);
        } else {
          io.err("leaving now\n");
          process.exit(130);
        }
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        worker = await startQueueWorker({
          url,
          concurrency,
          lockDuration: args["lock-duration"],
          stalledInterval: args["stalled-interval"],
          onEvent: (e) => {
            if (e.type === "warning") io.err(`${at()} warning: ${e.message}\n`);
            else if (e.type === "failed") io.out(`${at()} failed ${e.id} ${e.label}: ${e.message}\n`);
            else if (args.verbose && e.type === "start") io.out(`${at()} start ${e.id} ${e.label}\n`);
            else if (args.verbose && e.type === "done") io.out(`${at()} done ${e.id} ${e.label} (${e.seconds.toFixed(2)} s)\n`);
          },
        });
        io.out(`${at()} fmanneal worker ${worker.name}: serving ${worker.description} with ${concurrency} thread${concurrency === 1 ? "" : "s"}; Ctrl-C finishes the jobs in progress and leaves\n`);
        if (signals > 0) stop(worker);
        const counts = await worker.done;
        io.out(`${at()} fmanneal worker ${worker.name}: stopped; ${counts.completed} jobs done, ${counts.failed} failed\n`);
      } finally {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
      }
    },
  };
}
