/**
 * Piscina entry of the `echo` task kind: the task back, unchanged. It does no work, so a run of
 * echo tasks measures what a runner itself costs per task (bench/queue.bench.mjs), and checks that
 * a task survives the trip (src/study/runner/wire.ts).
 */
export default function echo(task: unknown): unknown {
  return task;
}
