import { createHash } from "node:crypto";
import { closeSync, existsSync, ftruncateSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { UserError } from "../util/errors.js";

/**
 * The run journal: one JSON object per line, appended with a synchronous write before the
 * loop goes on, so a run killed with SIGKILL loses at most the evaluations in flight
 * (docs/design.md, "Journal and lock").
 *
 *   line 1:  {"type":"header","version":2,"problem":...,"method":...,"seed":3,"settings":{...},"budget":{...},"sum":"..."}
 *   then:    {"type":"sample","key":"...","point":...,"value":123,"valid":true,"sum":"..."}
 *            {"type":"sample",...,"valid":false,"error":"..."}   a failed cost call, penalised (onCostError "penalize")
 *            {"type":"skipped","key":"...","point":...,"error":"...","sum":"..."}   a failed cost call, skipped
 *
 * `key` identifies the point (a bit string, or a canonical tour); `value` is what the loop
 * learned for it (the cost, or the penalty of an invalid code or a failed call). On resume the
 * journal is a cache of the cost function: the loop is deterministic, so it proposes the same
 * points again and gets their values from here instead of calling the cost (see loop.ts).
 *
 * **Checksums.** Every line ends with `sum`, a chained checksum: the first 16 hex digits of
 * SHA-256 over the previous line's sum and this line's JSON without `sum` (the header chains
 * from the constant "fmanneal-journal"). A value edited by hand, a line deleted, duplicated or
 * moved, or lines of two journals mixed, all break the chain at the first changed line, and
 * the journal is refused naming that file:line. It detects accidents and casual edits; it is
 * not a signature (anyone can recompute it).
 *
 * **Lock.** A run holds `<journal>.lock` (created atomically, holding its pid and host) while
 * it reads or writes the journal; a second run gets a JournalError naming the holder. A lock
 * whose process is gone (kill -9) is stale and taken over.
 */
export interface JournalHeader {
  type: "header";
  version: 2;
  /** Identifies the problem (instance name + distance fingerprint, or the caller's name). */
  problem: string;
  /** `fma:<labeling>:<policy>`, `edge`, ...: the proposer's identity. */
  method: string;
  /** The run seed. */
  seed: number;
  /**
   * Every setting that determines the run's proposals (the resolved options but the budget
   * and the run controls); a resume must match each one.
   */
  settings: Record<string, unknown>;
  /** The budget of the run that wrote the header, for the reader: a resume may change it. */
  budget: { maxEvaluations: number; iterations: number | null };
}

/** A sample: the value the loop learned for a point (cost, or penalty). */
export interface JournalSample {
  type: "sample";
  key: string;
  /** JSON form of the point (bits as a 0/1 string, or a tour as an array). */
  point: unknown;
  value: number;
  valid: boolean;
  /** Set when the value is the penalty of a failed cost call (onCostError "penalize"). */
  error?: string;
}

/** A failed cost call that was skipped (onCostError "skip"): not a sample, never proposed again. */
export interface JournalSkip {
  type: "skipped";
  key: string;
  point: unknown;
  error: string;
}

export type JournalEntry = JournalSample | JournalSkip;

/** One difference between a journal's header and the run that wants to resume it. */
export interface JournalDifference {
  /** The option, as the library names it (`seed`, `batch`, `labeling`...). */
  setting: string;
  /** Its value in the journal, and in this run (undefined: not set). */
  journal: unknown;
  run: unknown;
}

/** A journal that cannot be used for this run (other problem, settings or seed, damaged or tampered line, in use). */
export class JournalError extends UserError {
  override name = "JournalError";
  constructor(
    message: string,
    /** For a resume whose settings differ from the journal's: each difference. */
    readonly differences: readonly JournalDifference[] = [],
  ) {
    super(message);
  }
}

export interface LoadedJournal {
  header: JournalHeader;
  /** The entries after the header, each with its 1-based line in the file. */
  entries: (JournalEntry & { line: number })[];
  /** Set when the last line was cut short (a crash mid-write) and was dropped. */
  droppedPartialLine: boolean;
  /** The checksum of the last whole line: the chain continues from it. */
  lastSum: string;
}

const CHAIN_START = "fmanneal-journal";

/** The chained checksum of a line's JSON (without `sum`) after the line whose sum is `previous`. */
function lineSum(previous: string, json: string): string {
  return createHash("sha256").update(previous).update("\n").update(json).digest("hex").slice(0, 16);
}

/**
 * Read a journal written by `Journal`, checking every line's checksum and shape. A damaged or
 * changed line anywhere but last is an error naming `file:line`; a damaged last line (a write
 * cut short by a crash) is dropped and reported in `droppedPartialLine`.
 */
export function loadJournal(path: string): LoadedJournal {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new JournalError(`${path}: the journal is empty (no header line)`);
  const entries: (JournalEntry & { line: number })[] = [];
  let header: JournalHeader | null = null;
  let droppedPartialLine = false;
  let sum = CHAIN_START;
  for (let i = 0; i < lines.length; i++) {
    const at = `${path}:${i + 1}`;
    let obj: any;
    try {
      obj = JSON.parse(lines[i]);
    } catch {
      if (i === lines.length - 1 && i > 0 && !text.endsWith("\n")) {
        droppedPartialLine = true;
        break;
      }
      throw new JournalError(`${at}: damaged journal line (not JSON); expected one JSON object per line`);
    }
    if (i === 0) header = checkHeaderLine(obj, at);
    const { sum: given, ...rest } = (obj ?? {}) as Record<string, unknown>;
    if (typeof given !== "string") throw new JournalError(`${at}: journal line without its checksum ("sum"); the file was not written by this version of fmanneal or was edited`);
    const expected = lineSum(sum, JSON.stringify(rest));
    if (given !== expected) {
      throw new JournalError(
        `${at}: checksum mismatch: this line was changed, moved or deleted after it was written, or the journal is damaged; ` +
          `fmanneal does not trust it (restore the file, or start a new journal)`,
      );
    }
    sum = given;
    if (i > 0) entries.push({ ...checkEntry(rest, at), line: i + 1 });
  }
  return { header: header!, entries, droppedPartialLine, lastSum: sum };
}

function checkHeaderLine(obj: any, at: string): JournalHeader {
  if (obj?.type !== "header" || typeof obj.problem !== "string" || typeof obj.method !== "string") {
    throw new JournalError(`${at}: not an fmanneal journal (expected a header line)`);
  }
  if (obj.version !== 2) {
    throw new JournalError(
      `${at}: journal version ${String(obj.version)} was written by another fmanneal version (this one reads version 2, which records the seed and settings); start a new journal`,
    );
  }
  if (typeof obj.seed !== "number" || typeof obj.settings !== "object" || obj.settings === null || typeof obj.budget !== "object") {
    throw new JournalError(`${at}: damaged journal header; expected seed, settings and budget`);
  }
  const { sum: _sum, ...header } = obj;
  return header as JournalHeader;
}

/** A journal line after the header, checked field by field (the values are used as costs). */
function checkEntry(obj: any, at: string): JournalEntry {
  if (typeof obj.key !== "string" || !("point" in obj)) throw new JournalError(`${at}: damaged journal line; expected a key and a point`);
  if (obj.type === "skipped") {
    if (typeof obj.error !== "string") throw new JournalError(`${at}: damaged journal line; a skipped point needs its error`);
    return obj as JournalSkip;
  }
  if (obj.type !== "sample" || typeof obj.valid !== "boolean") {
    throw new JournalError(`${at}: damaged journal line; expected a sample with key, value and valid`);
  }
  if (typeof obj.value !== "number" || !Number.isFinite(obj.value)) {
    throw new JournalError(`${at}: the journal's value ${JSON.stringify(obj.value)} is not a finite number`);
  }
  if (obj.error !== undefined && typeof obj.error !== "string") throw new JournalError(`${at}: damaged journal line; error must be a string`);
  return obj as JournalSample;
}

/**
 * The journal at `path` for a resume, or null when there is none yet: no file, or a file
 * without one whole line (a run killed while it was creating the journal, before its header
 * was written), which a resume starts afresh.
 */
export function loadJournalForResume(path: string): LoadedJournal | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new JournalError(`${path}: cannot read the journal: ${(err as Error).message}`);
  }
  if (!text.includes("\n")) return null;
  return loadJournal(path);
}

/**
 * Check that a loaded journal belongs to this run: the same problem, method, seed and
 * settings (the budget may differ: a larger one extends the run, a smaller one stops it
 * earlier). Throws a JournalError naming everything that differs.
 */
export function checkJournal(path: string, loaded: JournalHeader, expected: JournalHeader): void {
  if (loaded.problem !== expected.problem) {
    throw new JournalError(
      `${path}: the journal is for problem '${loaded.problem}', this run is '${expected.problem}'; use another journal file or drop --resume`,
    );
  }
  if (loaded.method !== expected.method) {
    throw new JournalError(
      `${path}: the journal was written by method '${loaded.method}', this run uses '${expected.method}'; use the same method and labeling to resume`,
    );
  }
  const differences: JournalDifference[] = [];
  if (loaded.seed !== expected.seed) differences.push({ setting: "seed", journal: loaded.seed, run: expected.seed });
  const keys = new Set([...Object.keys(loaded.settings), ...Object.keys(expected.settings)]);
  for (const key of [...keys].sort()) {
    const a = loaded.settings[key];
    const b = expected.settings[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ setting: key, journal: a, run: b });
  }
  if (differences.length > 0) {
    throw new JournalError(
      `${path}: the journal was written with other settings: ${describeDifferences(differences)}; resume with the journal's settings, or start a new journal`,
      differences,
    );
  }
}

/** "seed 4 (journal: 3), batch 2 (journal: 1)", with `name` mapping option names (e.g. to CLI flags). */
export function describeDifferences(differences: readonly JournalDifference[], name: (setting: string) => string = (s) => s): string {
  const show = (v: unknown) => (v === undefined ? "unset" : JSON.stringify(v));
  return differences.map((d) => `${name(d.setting)} ${show(d.run)} (journal: ${show(d.journal)})`).join(", ");
}

/** Append-only journal writer; every `append` reaches the OS before it returns. */
export class Journal {
  private fd: number;
  private sum: string;

  private constructor(fd: number, sum: string) {
    this.fd = fd;
    this.sum = sum;
  }

  /**
   * Open `path` for this run. With `resume` an existing journal is kept and appended to (the
   * caller has loaded it: `loaded`); otherwise an existing file is refused, so that no run
   * overwrites another's evaluations by accident, and a new file starts with `header`.
   * The caller holds the journal's lock (`lockJournal`).
   */
  static open(path: string, header: JournalHeader, resume: boolean, loaded: LoadedJournal | null): Journal {
    const exists = existsSync(path);
    if (exists && !resume) {
      throw new JournalError(`${path}: journal already exists; pass resume to continue it, or choose another file`);
    }
    if (exists && (loaded === null || loaded.droppedPartialLine)) {
      // Drop a partial last line so the next append starts on a fresh line (all of a file
      // without a whole header line: see loadJournalForResume).
      const text = readFileSync(path, "utf8");
      const keep = loaded === null ? 0 : Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1));
      const fdw = openSync(path, "r+");
      try {
        ftruncateSync(fdw, keep);
      } finally {
        closeSync(fdw);
      }
    }
    const fd = openSync(path, "a");
    const journal = new Journal(fd, loaded ? loaded.lastSum : CHAIN_START);
    if (!loaded) journal.write(header);
    return journal;
  }

  append(entry: JournalEntry): void {
    this.write(entry);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private write(obj: object): void {
    if (this.fd < 0) throw new Error("journal is closed");
    const json = JSON.stringify(obj);
    this.sum = lineSum(this.sum, json);
    writeSync(this.fd, json.slice(0, -1) + `${json === "{}" ? "" : ","}"sum":"${this.sum}"}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// The lock

/** What a lock file holds. */
interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

/** Locks this process holds, removed on exit (however the process exits short of a signal kill). */
const heldLocks = new Set<string>();
let exitHookInstalled = false;

/** A held journal lock; `release()` removes the lock file. */
export interface JournalLock {
  readonly path: string;
  release(): void;
}

/**
 * Take the exclusive lock of the journal at `path`: the file `<path>.lock`, created atomically
 * (written under a temporary name, then hard-linked into place, which fails if it exists) with
 * this process's pid and host. A lock held by a live process (or by another host, which cannot
 * be checked) is refused with a JournalError naming the holder; a lock whose process is gone
 * (the run was killed) is stale and taken over.
 */
export function lockJournal(path: string): JournalLock {
  const lockPath = `${path}.lock`;
  const mine: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const text = JSON.stringify(mine) + "\n";
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreateLock(lockPath, text)) {
      heldLocks.add(lockPath);
      installExitHook();
      let released = false;
      return {
        path: lockPath,
        release() {
          if (released) return;
          released = true;
          heldLocks.delete(lockPath);
          removeQuietly(lockPath);
        },
      };
    }
    const holder = readLock(lockPath);
    if (holder === undefined) continue; // removed meanwhile: try again
    if (holder !== null && isLive(holder)) {
      const who = holder.pid === process.pid && holder.host === mine.host ? "another run in this process" : `process ${holder.pid}${holder.host !== mine.host ? ` on ${holder.host}` : ""} (since ${holder.started})`;
      throw new JournalError(
        `${path}: the journal is in use by ${who}; wait for that run to end (lock file ${lockPath}; delete it only if no fmanneal run uses the journal)`,
      );
    }
    if (holder === null) {
      throw new JournalError(`${lockPath}: unreadable lock file of the journal; delete it if no fmanneal run uses ${path}`);
    }
    takeOverStale(lockPath, holder);
  }
  throw new JournalError(`${path}: could not take the journal's lock ${lockPath} (other runs keep taking it)`);
}

let lockAttempts = 0;

/**
 * Create the lock file atomically, complete with its content; false if it exists. Where hard
 * links are not supported, `open(..., "wx")` creates it (atomic too, but a reader may see it
 * empty for a moment: `readLock` then reports it unreadable rather than stale).
 */
function tryCreateLock(lockPath: string, text: string): boolean {
  const tmp = `${lockPath}.${process.pid}-${++lockAttempts}.tmp`;
  const fail = (err: unknown): never => {
    throw new JournalError(`${lockPath}: cannot create the journal's lock file: ${(err as Error).message}`);
  };
  try {
    writeFileSync(tmp, text, { flag: "wx" });
  } catch (err) {
    fail(err);
  }
  try {
    linkSync(tmp, lockPath);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") fail(err);
  } finally {
    removeQuietly(tmp);
  }
  try {
    writeFileSync(lockPath, text, { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    return fail(err);
  }
}

/** The holder of a lock file; undefined if it does not exist, null if it cannot be read. */
function readLock(lockPath: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return null;
  }
  try {
    const h = JSON.parse(text);
    if (Number.isInteger(h?.pid) && typeof h.host === "string") return { pid: h.pid, host: h.host, started: String(h.started ?? "?") };
  } catch {
    // fall through
  }
  return null;
}

/**
 * Whether the lock's process still runs (a lock of another host cannot be checked: assumed
 * live). A killed process that its parent has not reaped yet (a zombie, state Z in
 * /proc/<pid>/stat on Linux) still answers signal 0 but runs no more.
 */
function isLive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${holder.pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): signal 0 is all we know
  }
}

/**
 * Remove a stale lock: renamed away first (atomic), then checked to be the stale one read
 * before; a fresh lock renamed by accident (another run took over in between) is put back.
 */
function takeOverStale(lockPath: string, stale: LockHolder): void {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new JournalError(`${lockPath}: cannot remove the stale lock of process ${stale.pid}: ${(err as Error).message}`);
  }
  const moved = readLock(aside);
  if (moved && (moved.pid !== stale.pid || moved.started !== stale.started)) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // Someone holds the lock again: theirs stays, ours is dropped below.
    }
  }
  removeQuietly(aside);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const lock of heldLocks) removeQuietly(lock);
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
