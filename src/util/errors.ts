/**
 * An error the user caused (bad file, bad option, a misbehaving cost callback).
 * The CLI prints `message` alone on stderr and exits with status 2 — no stack trace.
 * Library callers get an ordinary `Error` subclass they can catch by type.
 *
 * The family (docs/design.md, "Errors"): `InputError` (a file, by file and line; `TsplibError`
 * below it), `OptionError` (an option or argument, by name), `ProblemError` (a problem a method
 * cannot take), `TourError` (not a tour), `JournalError`, `CostFunctionError` (the caller's cost
 * failed; carries the result so far) and the CLI's `UsageError`. Everything else that is thrown
 * is a bug (an internal invariant), a plain `Error`.
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

/**
 * A bad option or argument value: `option` names it as the caller spelled it (`lambda`,
 * `path.start`, `--workers`, `sweeps`), and the message says what was expected.
 */
export class OptionError extends UserError {
  override name = "OptionError";
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A problem that cannot be solved as given: a malformed QUBO or distance matrix, a problem
 * the chosen method cannot take (a cost callback where distances are needed), one too large.
 */
export class ProblemError extends UserError {
  override name = "ProblemError";
}
