import { describe, expect, it } from "vitest";
import { BLOB_MIN_BYTES, blobRefs, canonicalJson, decode, encode, sha256 } from "../../../src/study/runner/wire.js";

/** The trip a task or reply makes: encode, JSON text (what Redis stores), parse, decode. */
function trip(value: unknown, blobs?: Map<string, Uint8Array>): unknown {
  return decode(JSON.parse(JSON.stringify(encode(value, blobs))), blobs);
}

describe("the wire form of tasks and replies", () => {
  it("non-finite numbers survive (JSON alone turns them into null)", () => {
    const record = { best: null, bestSoFar: [NaN, NaN, 12, 10], gap: Infinity, low: -Infinity };
    expect(JSON.parse(JSON.stringify(record)).bestSoFar).toEqual([null, null, 12, 10]);
    const back = trip(record) as typeof record;
    expect(back.bestSoFar).toEqual([NaN, NaN, 12, 10]);
    expect(back.gap).toBe(Infinity);
    expect(back.low).toBe(-Infinity);
    expect(back.best).toBeNull();
  });

  it("typed arrays come back with their type and exact bytes, NaN included", () => {
    const d = new Float64Array([0, 1.5, NaN, -2, 1e-300]);
    const back = trip({ distances: d, bits: new Uint8Array([1, 0, 1]) }) as { distances: Float64Array; bits: Uint8Array };
    expect(back.distances).toBeInstanceOf(Float64Array);
    expect(Object.is(back.distances[2], NaN)).toBe(true);
    expect([...back.distances]).toEqual([...d]);
    expect(back.bits).toEqual(new Uint8Array([1, 0, 1]));
  });

  it("large typed arrays travel once, by content hash: every task holding the matrix refers to one blob", () => {
    const n = 30;
    const matrix = new Float64Array(n * n).map((_, i) => (i * 7919) % 101);
    expect(matrix.byteLength).toBeGreaterThanOrEqual(BLOB_MIN_BYTES);
    const blobs = new Map<string, Uint8Array>();
    const tasks = [1, 2, 3].map((seed) => encode({ instance: { name: "x", dimension: n, distances: matrix }, seed }, blobs));
    expect(blobs.size).toBe(1);
    const [hash] = [...blobs.keys()];
    expect(hash).toBe(sha256(new Uint8Array(matrix.buffer)));
    expect(JSON.stringify(tasks[0]).length).toBeLessThan(200); // the matrix is not inside the task
    expect([...blobRefs(tasks[2])]).toEqual([hash]);
    // A copy of the matrix (same content) is the same blob.
    expect([...blobRefs(encode({ d: matrix.slice() }, blobs))]).toEqual([hash]);
    const back = decode(JSON.parse(JSON.stringify(tasks[1])), blobs) as { instance: { distances: Float64Array }; seed: number };
    expect([...back.instance.distances]).toEqual([...matrix]);
    expect(back.seed).toBe(2);
    expect(() => decode(tasks[0], new Map())).toThrow(/blob .* is missing/);
  });

  it("refuses what would not arrive as it left: functions, class instances, reserved keys", () => {
    expect(() => encode({ cost: () => 1 })).toThrow(/task.cost: a function cannot travel/);
    expect(() => encode({ when: new Date(0) })).toThrow(/task.when: a Date cannot travel/);
    expect(() => encode({ m: new Map() })).toThrow(/a Map cannot travel/);
    expect(() => encode({ $num: 1 })).toThrow(/key "\$num" is reserved/);
    expect(encode({ a: undefined, b: [undefined] })).toEqual({ b: [null] }); // as JSON does
  });

  it("canonical JSON does not depend on key order (job ids hash it)", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "s" } })).toBe(canonicalJson({ a: { c: "s", d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});
