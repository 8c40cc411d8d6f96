/**
 * One scenario on every revision of the series: a table of scenario × revision → `pass`
 * (every expectation holds, no kernel report), `bug` (the kernel's tools reported something:
 * kmemleak, KASAN, or a hazard) or `fail` (an expectation failed without any report).
 * The command line prints it (`scenario verify --rev all`); tests check its shape.
 */
import { REVISIONS } from '../core/revisions/spec';
import type { Revision } from '../core/types';
import { runScenario, type ScenarioRun } from './run';
import type { Scenario } from './schema';

export type Verdict = 'pass' | 'fail' | 'bug';

export interface RevisionCell {
  readonly revision: Revision;
  readonly verdict: Verdict;
  /** Unmet expectations (`step N: message`). */
  readonly failures: readonly string[];
  /** The kinds of the kernel reports the run produced, in order. */
  readonly reports: readonly string[];
}

export interface RevisionRow {
  readonly id: string;
  /** The revision the scenario is written for (`kernel.revision`). */
  readonly own: Revision;
  readonly cells: readonly RevisionCell[];
}

/** The verdict of one finished run. */
export function verdictOf(run: ScenarioRun): RevisionCell {
  const failures = run.frames.flatMap((f) => f.failures.map((m) => `step ${f.index + 1}: ${m}`));
  const reports = (run.frames.at(-1)?.state.reports ?? []).map((r) => r.kind);
  const verdict: Verdict = reports.length > 0 ? 'bug' : failures.length > 0 ? 'fail' : 'pass';
  return { revision: run.revision, verdict, failures, reports };
}

/** Runs `scenario` on each of `revisions` (invariants checked after every event). */
export function revisionRow(
  scenario: Scenario,
  revisions: readonly Revision[] = REVISIONS,
): RevisionRow {
  return {
    id: scenario.id,
    own: scenario.kernel.revision,
    cells: revisions.map((revision) =>
      verdictOf(runScenario(scenario, { revision, checkInvariants: true })),
    ),
  };
}

/**
 * Whether a row is acceptable: every expectation holds on the scenario's own revision, and
 * on v8 and mainline (the merged code and today's) it runs clean.
 */
export function rowProblems(row: RevisionRow): string[] {
  const out: string[] = [];
  for (const c of row.cells) {
    if (c.revision === row.own && c.failures.length)
      out.push(`${row.id} on ${c.revision} (its own revision): ${brief(c.failures)}`);
    if ((c.revision === 'v8' || c.revision === 'mainline') && c.verdict !== 'pass')
      out.push(
        `${row.id} on ${c.revision}: ${c.verdict} (${brief([...c.reports, ...c.failures])})`,
      );
  }
  return out;
}

/** The first few messages, and how many more. */
function brief(msgs: readonly string[]): string {
  const more = msgs.length > 3 ? `; and ${msgs.length - 3} more` : '';
  return `${msgs.slice(0, 3).join('; ')}${more}`;
}

/** The table as text: one row per scenario, one column per revision. */
export function formatRevisionTable(rows: readonly RevisionRow[]): string {
  const revs = rows[0]?.cells.map((c) => c.revision) ?? [];
  const idWidth = Math.max(8, ...rows.map((r) => r.id.length));
  const col = (s: string) => s.padEnd(9);
  const head = `${'scenario'.padEnd(idWidth)}  ${revs.map(col).join('')}`.trimEnd();
  const lines = rows.map((r) =>
    `${r.id.padEnd(idWidth)}  ${r.cells
      .map((c) => col(c.revision === r.own ? `${c.verdict}*` : c.verdict))
      .join('')}`.trimEnd(),
  );
  return [head, ...lines, '', "* the scenario's own revision (kernel.revision)"].join('\n');
}
