/**
 * Simulated time as people read it. A module of its own (nothing else in it), so the page can
 * print times without loading the simulated kernel.
 */

/** Nanoseconds in the largest unit that keeps them readable: `2 s`, `1.5 ms`, `20 µs`, `7 ns`. */
export function formatNs(ns: number): string {
  if (ns >= 1e9 && ns % 1e6 === 0) return `${ns / 1e9} s`;
  if (ns >= 1e6) return `${ns / 1e6} ms`;
  if (ns >= 1e3) return `${ns / 1e3} µs`;
  return `${ns} ns`;
}
