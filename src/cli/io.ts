/** Where a CLI command writes. Tests pass a capturing implementation to `main(argv, io)`. */
export interface CliIo {
  /** Standard output (results, JSON). */
  out(text: string): void;
  /** Standard error (errors, progress). */
  err(text: string): void;
  /** True when stdout is an interactive terminal: progress bars are drawn only then. */
  isTTY: boolean;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY) && Boolean(process.stderr.isTTY),
  };
}

/** An `io` that records everything, for tests. */
export function captureIo(isTTY = false): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}
