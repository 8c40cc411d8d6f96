/** Median and p95 (the value 95 % of the samples are at or below) of a list of samples. */
export function stats(xs: readonly number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? NaN;
  return { median: at(0.5), p95: at(0.95) };
}
