#!/usr/bin/env bash
# Build native/fmanneal.wasm: every native/*.c linked into ONE module (one loader serves every
# kernel: src/anneal/wasm.ts). Functions are exported by FM_EXPORT (export_name attribute) in
# the sources, so adding a kernel file needs no change here.
#
# Guarantees checked below:
#   - no unresolved symbol: wasm-ld fails on undefined symbols (no --allow-undefined); the only
#     imports are functions declared with FM_IMPORT, and the built module's import list must
#     equal ALLOWED_IMPORTS exactly;
#   - determinism: no debug info, no producers/name sections (--strip-all), sources compiled in
#     sorted order with relative paths; CI rebuilds and fails when the committed file differs.
#     `bash native/build.sh --check` builds twice and compares.
set -euo pipefail
cd "$(dirname "$0")"

CC=${CC_WASM:-clang-19}
LD_CHECK=${WASM_LD:-wasm-ld-19}
OUT=fmanneal.wasm
ALLOWED_IMPORTS="env.now_ms"

command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (apt-get install clang-19 lld-19)" >&2; exit 1; }
command -v "$LD_CHECK" >/dev/null || { echo "build.sh: $LD_CHECK not found (apt-get install lld-19)" >&2; exit 1; }

# -msimd128: the kernels' explicit SIMD paths (the sweeps' f32x4 field and factor-sum updates and
#   factor dot products; f64x2 exact fields and the factorized beta-range statistics).
#   Measured (best of 15 calls, default schedule): dense n=100 1.45x, dense n=1000 1.9x,
#   factorized n=1000 k=8 1.3x faster than without; sparse unchanged. The other feature flags
#   tried (-mbulk-memory, -msign-ext, -mmutable-globals: byte-identical output;
#   -mnontrapping-fptoint: no measurable change) are left out.
# -fno-builtin: no loop becomes a memcpy/memset call (there is no libc to resolve it).
# -ffp-contract=off: no fused multiply-add, so wasm, native and the TypeScript mirror agree bit for bit.
CFLAGS=(--target=wasm32 -O3 -nostdlib -ffreestanding -fno-builtin -ffp-contract=off -msimd128
  -std=c11 -Wall -Wextra -Werror -fuse-ld=lld)
LDFLAGS=(-Wl,--no-entry -Wl,--strip-all -Wl,--export=__heap_base -Wl,-z,stack-size=65536
  -Wl,--initial-memory=131072 -Wl,--error-limit=0)

build() {
  local out=$1
  # shellcheck disable=SC2046
  "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$out" $(LC_ALL=C ls ./*.c)
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    const [file, allowed] = process.argv.slice(1);
    const mod = new WebAssembly.Module(readFileSync(file));
    const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`).sort();
    const ok = allowed.split(/\s+/).filter(Boolean).sort();
    if (JSON.stringify(imports) !== JSON.stringify(ok)) {
      console.error(`build.sh: ${file} imports [${imports}], allowed exactly [${ok}]`);
      process.exit(1);
    }
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const need of ["memory", "__heap_base"]) {
      if (!exports.includes(need)) { console.error(`build.sh: ${file} does not export ${need}`); process.exit(1); }
    }
  ' "$out" "$ALLOWED_IMPORTS"
}

if [[ "${1:-}" == "--check" ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  build "$tmp/a.wasm"
  build "$tmp/b.wasm"
  cmp "$tmp/a.wasm" "$tmp/b.wasm" || { echo "build.sh: two builds differ" >&2; exit 1; }
  if [[ -f $OUT ]] && ! cmp -s "$tmp/a.wasm" "$OUT"; then
    echo "build.sh: $OUT is not what the sources build to; run npm run build:native" >&2
    exit 1
  fi
  echo "build.sh: deterministic ($(wc -c <"$tmp/a.wasm") bytes), matches $OUT"
else
  trap 'rm -f "$OUT.tmp"' EXIT
  build "$OUT.tmp"
  mv "$OUT.tmp" "$OUT"
  echo "build.sh: wrote native/$OUT ($(wc -c <"$OUT") bytes)"
fi
