/** Durations in scenarios: nanoseconds, or text such as `500ms`, `1s`, `20us`, `3ns`. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)$/;

/** A duration in nanoseconds. */
export function toNs(d: number | string): number {
  if (typeof d === 'number') return d;
  const m = DURATION_PATTERN.exec(d);
  if (!m) return 0;
  const unit = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }[
    m[2] as 'ns' | 'us' | 'µs' | 'ms' | 's'
  ];
  return Math.round(Number(m[1]) * unit);
}
