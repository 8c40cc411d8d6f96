/** Text and JSON reports of a scenario run (the headless runner's output). */
import { formatRet } from '../core/errno';
import { summarizeChange } from '../core/diff';
import type { ScenarioRun } from './run';

function brief(parts: string[], max = 5): string {
  if (parts.length === 0) return '(no change)';
  return parts.length > max
    ? `${parts.slice(0, max).join('; ')}; +${parts.length - max} more`
    : parts.join('; ');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A fixed-width table: step, operation, return, what changed, and failed expectations. */
export function stepTable(run: ScenarioRun): string {
  const rows = run.frames.map((f, i) => [
    String(f.index + 1),
    f.label.length > 58 ? `${f.label.slice(0, 57)}…` : f.label,
    f.result ? formatRet(f.result.ret) + (f.result.oops ? ' OOPS' : '') : '-',
    brief(summarizeChange(run.frames[i - 1]?.state ?? run.initial, f.state)),
  ]);
  const head = ['#', 'operation', 'return', 'what changed'];
  const widths = [3, 58, 14];
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? pad(c, widths[i] ?? 0) : c)).join('  ');
  const out = [
    run.scenario.title,
    '',
    line(head),
    line(head.map((_h, i) => '-'.repeat(i < 3 ? (widths[i] ?? 0) : 12))),
  ];
  run.frames.forEach((f, i) => {
    out.push(line(rows[i] ?? []));
    for (const msg of f.failures) out.push(`     ✗ ${msg}`);
  });
  const failed = run.frames.filter((f) => f.failures.length).length;
  out.push(
    '',
    failed
      ? `${failed} step(s) failed their expectations`
      : `${run.frames.length} steps, all expectations met`,
  );
  return out.join('\n');
}

/**
 * The `--json` shape: `{ id, title, frames: [{ step, op, label, ret, errno, reason, retval,
 * failures, events: [{ fn, file, kind, target, field, before, after, why }] }], final }`,
 * where `final` is the kernel state after the last step.
 */
export function runToJson(run: ScenarioRun): unknown {
  return {
    id: run.scenario.id,
    title: run.scenario.title,
    frames: run.frames.map((f) => ({
      step: f.index + 1,
      op: f.step.op,
      label: f.label,
      ret: f.result?.ret ?? null,
      errno: f.result?.errno ?? null,
      reason: f.result?.reason ?? null,
      retval: f.retval ?? null,
      failures: f.failures,
      events: f.events.map(({ fn, file, kind, target, field, before, after, why }) => ({
        fn,
        file,
        kind,
        target,
        field,
        before,
        after,
        why,
      })),
    })),
    final: run.frames.at(-1)?.state ?? run.initial,
  };
}
