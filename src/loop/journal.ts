import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { UserError } from "../util/errors.js";

/**
 * The run journal: one JSON object per line, appended with a synchronous write before the
 * loop goes on, so a run killed with SIGKILL loses at most the evaluations in flight.
 *
 *   line 1:  {"type":"header","version":1,"problem":...,"method":...,"settings":{...}}
 *   then:    {"type":"sample","key":"...","point":...,"value":123,"valid":true}
 *
 * `key` identifies the point (a bit string, or a canonical tour); `value` is what the loop
 * learned for it (the cost, or the penalty of an invalid code). On resume the journal is a
 * cache of the cost function: the loop is deterministic, so it proposes the same points again
 * and gets their values from here instead of calling the cost (see loop.ts).
 */
export interface JournalHeader {
  type: "header";
  version: 1;
  /** Identifies the problem (instance name + distance fingerprint, or the caller's name). */
  problem: string;
  /** `fma:<labeling>` or `edge`, plus anything else whose change makes the journal meaningless. */
  method: string;
  /** Settings recorded for the reader; only `problem` and `method` are enforced. */
  settings: Record<string, unknown>;
}

export interface JournalSample {
  type: "sample";
  key: string;
  /** JSON form of the point (bits as a 0/1 string, or a tour as an array). */
  point: unknown;
  value: number;
  valid: boolean;
}

/** A journal that cannot be used for this run (other problem or method, damaged line). */
export class JournalError extends UserError {
  override name = "JournalError";
}

export interface LoadedJournal {
  header: JournalHeader;
  samples: JournalSample[];
  /** Set when the last line was cut short (a crash mid-write) and was dropped. */
  droppedPartialLine: boolean;
}

/**
 * Read a journal written by `Journal`. A damaged line anywhere but last is an error; a damaged
 * last line (a write cut short by a crash) is dropped and reported in `droppedPartialLine`.
 */
export function loadJournal(path: string): LoadedJournal {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new JournalError(`${path}: the journal is empty (no header line)`);
  const samples: JournalSample[] = [];
  let header: JournalHeader | null = null;
  let droppedPartialLine = false;
  for (let i = 0; i < lines.length; i++) {
    const last = i === lines.length - 1;
    let obj: any;
    try {
      obj = JSON.parse(lines[i]);
    } catch {
      if (last && i > 0 && !text.endsWith("\n")) {
        droppedPartialLine = true;
        break;
      }
      throw new JournalError(`${path}:${i + 1}: damaged journal line (not JSON); expected one JSON object per line`);
    }
    if (i === 0) {
      if (obj?.type !== "header" || obj.version !== 1 || typeof obj.problem !== "string" || typeof obj.method !== "string") {
        throw new JournalError(`${path}:1: not an fmanneal journal (expected a header line with version 1)`);
      }
      header = obj as JournalHeader;
      continue;
    }
    if (obj?.type !== "sample" || typeof obj.key !== "string" || typeof obj.value !== "number" || typeof obj.valid !== "boolean") {
      throw new JournalError(`${path}:${i + 1}: damaged journal line; expected a sample with key, value and valid`);
    }
    samples.push(obj as JournalSample);
  }
  return { header: header!, samples, droppedPartialLine };
}

/** Check that a loaded journal belongs to this run; throws a JournalError saying what differs. */
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
}

/** Append-only journal writer; every `append` reaches the OS before it returns. */
export class Journal {
  private fd: number;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /**
   * Open `path` for this run. With `resume` an existing journal is kept and appended to (the
   * caller has loaded it); otherwise an existing file is refused, so that no run overwrites
   * another's evaluations by accident, and a new file starts with `header`.
   */
  static open(path: string, header: JournalHeader, resume: boolean, truncatePartial = false): Journal {
    const exists = existsSync(path);
    if (exists && !resume) {
      throw new JournalError(`${path}: journal already exists; pass resume to continue it, or choose another file`);
    }
    if (exists && truncatePartial) {
      // Drop a partial last line so the next append starts on a fresh line.
      const text = readFileSync(path, "utf8");
      const cut = text.lastIndexOf("\n");
      const fdw = openSync(path, "r+");
      try {
        ftruncateSync(fdw, cut + 1);
      } finally {
        closeSync(fdw);
      }
    }
    const fd = openSync(path, "a");
    const journal = new Journal(fd);
    if (!exists) journal.write(header);
    return journal;
  }

  append(sample: JournalSample): void {
    this.write(sample);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private write(obj: unknown): void {
    if (this.fd < 0) throw new Error("journal is closed");
    writeSync(this.fd, JSON.stringify(obj) + "\n");
  }
}
