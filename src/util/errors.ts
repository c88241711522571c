/**
 * An error the user caused (bad file, bad option, a misbehaving cost callback).
 * The CLI prints `message` alone on stderr and exits with status 2 — no stack trace.
 * Library callers get an ordinary `Error` subclass they can catch by type.
 */
export class UserError extends Error {
  override name = "UserError";
}

/**
 * A problem in an input file, located by file and line: `file:line: what was expected`.
 * `file` is the path given by the caller, or `<input>` for text parsed from memory.
 */
export class InputError extends UserError {
  override name = "InputError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly detail: string,
  ) {
    super(line === null ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
  }
}
