/** Shortest closed tour by trying every order of cities 1..n-1 after city 0 (Heap's algorithm). */
export function bruteForce(n: number, d: Float64Array): number {
  if (n === 1) return 0;
  const perm = Array.from({ length: n - 1 }, (_, i) => i + 1);
  const len = () => {
    let s = d[0 * n + perm[0]] + d[perm[n - 2] * n + 0];
    for (let i = 0; i + 1 < perm.length; i++) s += d[perm[i] * n + perm[i + 1]];
    return s;
  };
  let best = len();
  const c = new Array<number>(perm.length).fill(0);
  let i = 0;
  while (i < perm.length) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      [perm[j], perm[i]] = [perm[i], perm[j]];
      best = Math.min(best, len());
      c[i]++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return best;
}
