import cliProgress from "cli-progress";
import type { CliIo } from "./io.js";

/**
 * A progress bar on stderr for long runs, drawn only when `io.isTTY` and not `quiet`
 * (`--json`, or output piped to a file): a non-terminal gets no control characters.
 * Built on cli-progress (throttled redraws, terminal width handling, clean stop).
 */
export interface Progress {
  update(value: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

/** @param initial values of the format's `{field}` placeholders for the first frame. */
export function createProgress(io: CliIo, quiet: boolean, total: number, format: string, initial: Record<string, string | number> = {}): Progress {
  if (quiet || !io.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format, hideCursor: true, clearOnComplete: true, stopOnComplete: false, fps: 10, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, initial);
  return {
    update: (value, fields) => bar.update(value, fields),
    stop: () => bar.stop(),
  };
}

/**
 * Run `task` with a signal that SIGINT (Ctrl-C) aborts, so a long run stops after the work in
 * progress and still reports; `progress` is stopped when the task ends, however it ends.
 */
export async function interruptible<T>(progress: Progress, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  try {
    return await task(controller.signal);
  } finally {
    process.removeListener("SIGINT", onSigint);
    progress.stop();
  }
}
