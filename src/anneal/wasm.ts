/**
 * The ONE loader of native/fmanneal.wasm (every kernel lives in that module).
 *
 * - Located next to the package root: `new URL("../../native/fmanneal.wasm", import.meta.url)`
 *   resolves the same from src/anneal/ (vitest, tsx) and dist/anneal/ (the published build).
 * - Compiled and instantiated synchronously, lazily, once per thread (module state is per
 *   isolate, so each worker thread gets its own instance and memory).
 * - The kernels own no memory: callers take space from the {@link Arena}, a bump allocator over
 *   the module's memory starting at `__heap_base`. The memory grows only when a call needs more
 *   than any call before it, and is reused from the start by the next call.
 * - Imports: `env.now_ms` = `performance.now()`, the clock of the kernels' deadlines
 *   (native/build.sh rejects a module with any other import).
 */
import { readFileSync } from "node:fs";
import { ProblemError } from "../util/errors.js";

type I = number;

/** The parts of the WebAssembly JS API used here (lib ES2022 and @types/node 20 do not declare them). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  value: unknown;
}
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
/** fm_anneal_dense / _sparse / _factorized, argument lists as in native/anneal.c (pointers are byte offsets). */
export interface FmAnnealExports {
  memory: WasmMemory;
  __heap_base: WasmGlobal;
  fm_anneal_dense(n: I, J: I, J32: I, lin: I, betas: I, nbetas: I, spb: I, sweeps: I, reads: I, seed: I, randomInit: I,
    states: I, best: I, energies: I, fields: I, scratch: I, rng: I, cursor: I, track: I, maxAttempts: number, deadline: number): number;
  fm_anneal_sparse(n: I, rowPtr: I, col: I, val: I, val32: I, lin: I, betas: I, nbetas: I, spb: I, sweeps: I, reads: I, seed: I,
    randomInit: I, states: I, best: I, energies: I, fields: I, scratch: I, rng: I, cursor: I, track: I, maxAttempts: number, deadline: number): number;
  fm_factorized_delta_range(n: I, k: I, V: I, lin: I, rowSum: I, out: I): void;
  fm_anneal_factorized(n: I, k: I, V: I, V32: I, lin: I, lin1: I, betas: I, nbetas: I, spb: I, sweeps: I, reads: I, seed: I,
    randomInit: I, states: I, best: I, energies: I, sums: I, scratch: I, rng: I, cursor: I, track: I, maxAttempts: number, deadline: number): number;
}

/** The instance of this thread: raw exports (other kernels of the module are reached by name) and its arena. */
export interface WasmKernel {
  exports: FmAnnealExports & Record<string, unknown>;
  arena: Arena;
}

const PAGE = 65536;
const ALIGN = 16;

/**
 * Bump allocator over the wasm memory. Use: `begin(bytes)` (grows the memory once, to hold
 * `bytes` plus per-allocation alignment slack, and invalidates earlier allocations), then
 * `f64/i32/u32/u8(length)` views; a view's `byteOffset` is the pointer to pass to the kernel.
 * Views stay valid until the next `begin` (which may grow, and so detach, the buffer).
 */
export class Arena {
  private top: number;
  private end: number;

  constructor(
    private readonly memory: WasmMemory,
    private readonly base: number,
  ) {
    this.top = base;
    this.end = base;
  }

  /** Start a new call that needs at most `bytes` (allocations are rounded up to 16 bytes each). */
  begin(bytes: number): void {
    const need = align(this.base) + bytes;
    if (need > 4 * 1024 ** 3) throw new ProblemError(`wasm kernel: a call needs ${need} bytes, more than the 4 GiB wasm32 limit`);
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    this.top = align(this.base);
    this.end = need;
  }

  private take(bytes: number): number {
    const p = this.top;
    this.top = align(p + bytes);
    if (this.top > this.end) throw new Error(`Arena: allocation beyond the ${this.end - this.base} bytes reserved by begin()`);
    return p;
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.take(8 * length), length);
  }
  f32(length: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.take(4 * length), length);
  }
  i32(length: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(4 * length), length);
  }
  u32(length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, this.take(4 * length), length);
  }
  u8(length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, this.take(length), length);
  }

  /** Bytes to reserve for one allocation of `bytes` (alignment slack included). */
  static size(bytes: number): number {
    return align(bytes) + ALIGN;
  }
}

function align(x: number): number {
  return Math.ceil(x / ALIGN) * ALIGN;
}

/** Location of the module, relative to this file in src/anneal/ or dist/anneal/. */
export const WASM_URL = new URL("../../native/fmanneal.wasm", import.meta.url);

let kernel: WasmKernel | null = null;

/** This thread's kernel instance, created on first use. */
export function wasmKernel(): WasmKernel {
  if (kernel) return kernel;
  let bytes: Buffer;
  try {
    bytes = readFileSync(WASM_URL);
  } catch (err) {
    throw new Error(`fmanneal: cannot read the annealing kernel ${WASM_URL.pathname} (run 'npm run build:native'): ${(err as Error).message}`);
  }
  const module = new WA.Module(bytes);
  const instance = new WA.Instance(module, { env: { now_ms: () => performance.now() } });
  const exports = instance.exports as unknown as FmAnnealExports & Record<string, unknown>;
  kernel = { exports, arena: new Arena(exports.memory, exports.__heap_base.value as number) };
  return kernel;
}
