/**
 * `npm run fuzz:kernel -- --n 100000 [--seed 1]`: random kernel command sequences (with names
 * every JavaScript object inherits among the members and functions), the invariants checked
 * after every event, every fd closed and the kernel settled at the end of each; prints counts.
 * Exits non-zero on any throw, invariant violation or leak.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { findLeaks, isQuiescent } from '../src/core/invariants';
import {
  checkedEvents,
  checkedStep,
  closeAllAndSettle,
  cmdArb,
  initialState,
  toOps,
  type Cmd,
} from '../src/testing/kernelCommands';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } },
});
const n = Number(values.n);
const seed = Number(values.seed);
const initial = initialState();
const counts = {
  sequences: 0,
  commands: 0,
  ops: 0,
  throws: 0,
  violations: 0,
  leaks: 0,
  notQuiet: 0,
};
const byCommand = new Map<string, number>();
const failures: string[] = [];
const started = performance.now();
const BATCH = 1000;
for (let b = 0; b * BATCH < n; b++) {
  const batch = fc.sample(fc.array(cmdArb, { maxLength: 40, size: 'max' }), {
    seed: seed * 1_000_003 + b,
    numRuns: Math.min(BATCH, n - b * BATCH),
  });
  for (const cmds of batch) {
    counts.sequences++;
    try {
      let s = initial;
      for (const c of cmds as readonly Cmd[]) {
        counts.commands++;
        byCommand.set(c.t, (byCommand.get(c.t) ?? 0) + 1);
        for (const op of toOps(s, c)) {
          counts.ops++;
          s = checkedStep(s, op);
        }
      }
      const end = closeAllAndSettle(s);
      if (!isQuiescent(end)) counts.notQuiet++;
      const leaks = findLeaks(end);
      if (leaks.length > 0) {
        counts.leaks++;
        if (failures.length < 5) failures.push(`leaks: ${leaks.join('; ')}`);
      }
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (msg.startsWith('invariant violated')) counts.violations++;
      else counts.throws++;
      if (failures.length < 5) failures.push(msg.slice(0, 400));
    }
  }
  process.stderr.write(
    `${counts.sequences} of ${n} (${Math.round((performance.now() - started) / 1000)} s)\n`,
  );
}
console.table(
  [...byCommand].sort((a, b) => b[1] - a[1]).map(([command, count]) => ({ command, count })),
);
console.log(
  `sequences ${counts.sequences}, commands ${counts.commands}, kernel operations ${counts.ops}, events checked ${checkedEvents.count}, throws ${counts.throws}, invariant violations ${counts.violations}, leaks ${counts.leaks}, not quiescent ${counts.notQuiet} (seed ${seed}, ${Math.round((performance.now() - started) / 1000)} s)`,
);
for (const f of failures) console.log(f);
process.exitCode = counts.throws + counts.violations + counts.leaks + counts.notQuiet > 0 ? 1 : 0;
