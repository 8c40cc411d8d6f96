/**
 * Core throughput: scenario operations per second of the simulated kernel, no browser.
 *
 * The mix: every library scenario's operations, recorded once through the scenario runner,
 * plus a generated scenario of about 100 kernel objects; each timed run replays all of them
 * from their initial states (`replay(initial, ops)`, what loading a scenario costs the core)
 * enough times to last about a second. Seven runs; the median and p95 of their ops/s.
 *
 * Throughput is given per second of wall time and per second of CPU time used by the process
 * (which says more on a busy machine). The invariant checker is not timed: after each run it
 * checks the final state of every frame of that run's last pass (a sample: the tests check
 * after every event).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkInvariants } from '../../src/core/invariants';
import { replay, type Op } from '../../src/core/machine';
import type { KernelState } from '../../src/core/types';
import { parseScenario } from '../../src/scenario/parse';
import { runScenario } from '../../src/scenario/run';
import { generateScenario } from '../../src/testing/generateScenario';
import { stats } from './stats';

interface Recorded {
  readonly initial: KernelState;
  readonly ops: readonly Op[];
}

/** The mix: library scenarios and a generated one of about `objects` objects. */
export function coreMix(objects = 100, steps = 350): { runs: Recorded[]; ops: number } {
  const dir = resolve('src/scenario/library');
  const runs: Recorded[] = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const p = parseScenario(readFileSync(join(dir, f), 'utf8'));
      if (!p.ok) throw new Error(`${f}: ${p.issues[0]?.message ?? 'invalid'}`);
      const run = runScenario(p.scenario);
      return { initial: run.initial, ops: run.frames.flatMap((x) => x.ops) };
    });
  const gen = runScenario(generateScenario({ objects, steps }));
  runs.push({ initial: gen.initial, ops: gen.frames.flatMap((x) => x.ops) });
  return { runs, ops: runs.reduce((n, r) => n + r.ops.length, 0) };
}

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** One timed run: replays the mix until `ms` of wall time passed; ops/s (wall and CPU). */
function timedRun(runs: readonly Recorded[], ms: number): { wall: number; cpu: number } {
  let ops = 0;
  const t0 = performance.now();
  const c0 = cpuMs();
  let last: ReturnType<typeof replay>[] = [];
  do {
    last = runs.map((r) => replay(r.initial, r.ops));
    ops += runs.reduce((n, r) => n + r.ops.length, 0);
  } while (performance.now() - t0 < ms);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (cpuMs() - c0) / 1000;
  for (const frames of last)
    for (const f of frames) {
      const v = checkInvariants(f.state).violations;
      if (v.length) throw new Error(`invariant violated: ${v.join('; ')}`);
    }
  return { wall: ops / wall, cpu: ops / cpu };
}

export interface CoreFigures {
  /** Operations in one pass over the mix. */
  readonly ops: number;
  readonly median: number;
  /** The slow tail: 95 % of the runs were at least this fast. */
  readonly p95: number;
  readonly cpuMedian: number;
}

/** `runs` timed runs of about `ms` each, after a warm-up. */
export function coreThroughput(runs = 7, ms = 1000): CoreFigures {
  const mix = coreMix();
  timedRun(mix.runs, 300);
  const xs: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) xs.push(timedRun(mix.runs, ms));
  // Rates: the p95 of the slowness is the 5th percentile of the rate.
  const w = stats(xs.map((x) => -x.wall));
  return {
    ops: mix.ops,
    median: -w.median,
    p95: -w.p95,
    cpuMedian: stats(xs.map((x) => x.cpu)).median,
  };
}

export function coreLines(f: CoreFigures): string[] {
  const k = (n: number) => `${Math.round(n).toLocaleString('en-US')} ops/s`;
  return [
    `core throughput (${f.ops} ops per pass: library scenarios + generated ~100 objects; 7 runs): median ${k(f.median)}, p95 ${k(f.p95)}; per CPU second ${k(f.cpuMedian)}  [goal: ≥ 100,000 ops/s]`,
  ];
}
