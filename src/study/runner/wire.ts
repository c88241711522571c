import { createHash } from "node:crypto";

/**
 * Tasks and replies as they travel through Redis (the queue runner, src/study/runner/): JSON,
 * with what JSON cannot carry tagged instead of silently changed.
 *
 * - A non-finite number (`NaN` in a trial's `bestSoFar` before the first valid tour, `Infinity`)
 *   becomes `{ "$num": "NaN" | "Infinity" | "-Infinity" }`; JSON alone would turn it into null.
 * - A typed array becomes `{ "$typed": "Float64Array", "base64": ... }` (its bytes: exact, NaN
 *   included), or, when the encoder has a blob store and the array is at least
 *   `BLOB_MIN_BYTES`, `{ "$typed": "Float64Array", "blob": <sha256 of the bytes> }`: the bytes
 *   travel once, stored under their content hash, and every task that holds the same array (every
 *   trial of one instance) refers to them. A distance matrix is such an array.
 * - `undefined` object fields are dropped (as JSON does); a function, a symbol, a bigint, a
 *   class instance other than a plain object, array or typed array is refused (TypeError): it
 *   would not arrive as it left.
 *
 * Object keys that begin with "$" are reserved for the tags and refused in data.
 * `decode(encode(x))` equals `x` for every value the encoder accepts.
 */

/** Typed arrays of at least this many bytes go to the blob store when the encoder has one. */
export const BLOB_MIN_BYTES = 1024;

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/** Where the encoder puts large typed arrays: hash -> bytes, filled by `encode`. */
export type BlobSink = Map<string, Uint8Array>;

/** sha256 of bytes, hex. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

// A typed array is hashed once, however many tasks hold it (every trial of an instance shares
// its distance matrix): the matrix is not changed while a study runs.
const hashOf = new WeakMap<Typed, string>();

function typedName(v: object): TypedName | null {
  for (const name of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[name]) return name;
  return null;
}

function bytesOf(v: Typed): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * The wire form of `value` (plain JSON data). With `blobs`, typed arrays of at least
 * BLOB_MIN_BYTES are replaced by references and their bytes added to `blobs`.
 * @throws TypeError for a value JSON cannot carry faithfully (see the module comment)
 */
export function encode(value: unknown, blobs?: BlobSink, path = "task"): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    return { $num: Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity" };
  }
  if (typeof value !== "object") throw new TypeError(`${path}: a ${typeof value} cannot travel through the queue (plain data only)`);
  if (Array.isArray(value)) return value.map((v, i) => (v === undefined ? null : encode(v, blobs, `${path}[${i}]`)));
  if (ArrayBuffer.isView(value)) {
    const name = typedName(value);
    if (name === null) throw new TypeError(`${path}: a ${value.constructor.name} cannot travel through the queue`);
    const typed = value as Typed;
    if (blobs && typed.byteLength >= BLOB_MIN_BYTES) {
      let hash = hashOf.get(typed);
      if (hash === undefined) {
        hash = sha256(bytesOf(typed));
        hashOf.set(typed, hash);
      }
      if (!blobs.has(hash)) blobs.set(hash, bytesOf(typed).slice());
      return { $typed: name, blob: hash };
    }
    return { $typed: name, base64: Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength).toString("base64") };
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new TypeError(`${path}: a ${value.constructor?.name ?? "class instance"} cannot travel through the queue (plain data only)`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("$")) throw new TypeError(`${path}: key "${k}" is reserved (keys beginning with $ tag what JSON cannot carry)`);
    if (v === undefined) continue;
    out[k] = encode(v, blobs, `${path}.${k}`);
  }
  return out;
}

/** The hashes of the blobs `wire` refers to. */
export function blobRefs(wire: unknown, into = new Set<string>()): Set<string> {
  if (wire === null || typeof wire !== "object") return into;
  if (Array.isArray(wire)) {
    for (const v of wire) blobRefs(v, into);
    return into;
  }
  const o = wire as Record<string, unknown>;
  if (typeof o.$typed === "string" && typeof o.blob === "string") into.add(o.blob);
  else for (const v of Object.values(o)) blobRefs(v, into);
  return into;
}

/**
 * The value `wire` encodes. `blobs` answers the blob references (hash -> bytes).
 * @throws Error for a malformed tag or a blob that is not in `blobs`
 */
export function decode(wire: unknown, blobs?: ReadonlyMap<string, Uint8Array>): unknown {
  if (wire === null || typeof wire !== "object") return wire;
  if (Array.isArray(wire)) return wire.map((v) => decode(v, blobs));
  const o = wire as Record<string, unknown>;
  if ("$num" in o) {
    if (o.$num === "NaN") return NaN;
    if (o.$num === "Infinity") return Infinity;
    if (o.$num === "-Infinity") return -Infinity;
    throw new Error(`malformed number tag ${JSON.stringify(o)}`);
  }
  if ("$typed" in o) {
    const name = o.$typed as TypedName;
    if (!Object.hasOwn(TYPED, name)) throw new Error(`unknown typed array ${String(o.$typed)}`);
    const Ctor = TYPED[name];
    let bytes: Uint8Array;
    if (typeof o.blob === "string") {
      const b = blobs?.get(o.blob);
      if (!b) throw new Error(`blob ${o.blob} is missing`);
      bytes = b;
    } else bytes = Buffer.from(String(o.base64), "base64");
    // A fresh, aligned buffer: a Buffer's bytes may sit at any offset of a shared pool.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Ctor(copy.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decode(v, blobs);
  return out;
}

/** JSON with object keys sorted at every level: one text per value, whatever the key order. */
export function canonicalJson(wire: unknown): string {
  if (wire === null || typeof wire !== "object") return JSON.stringify(wire);
  if (Array.isArray(wire)) return `[${wire.map(canonicalJson).join(",")}]`;
  const o = wire as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}
