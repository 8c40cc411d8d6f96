/**
 * One fuzz probe: load `text` as the app does (src/scenario/worker/loadJob.ts, within a
 * budget) and report what went wrong, if anything: a throw, or an issue whose line:column is
 * not in the text.
 */
import type { ScenarioIssue } from '../parse';
import { runLoadJob, type LoadOutcome } from '../worker/loadJob';

export interface Probe {
  readonly outcome: LoadOutcome['kind'] | 'threw';
  /** What escaped as an exception (never expected). */
  readonly threw: string | null;
  /** Issues whose position is not in the text. */
  readonly misplaced: readonly ScenarioIssue[];
}

/**
 * Whether line:column names a place in `text`: lines as the parser counts them (after each
 * line feed), columns from 1 to one past the line's last character (where a missing value is).
 */
export function isInside(text: string, line: number, column: number): boolean {
  const lines = text.split('\n');
  const here = lines[line - 1];
  if (!Number.isInteger(line) || !Number.isInteger(column) || here === undefined) return false;
  return column >= 1 && column <= here.length + 1;
}

export function probe(text: string, budgetMs: number, now: () => number): Probe {
  try {
    const r = runLoadJob({ kind: 'text', text }, { budgetMs, now });
    const misplaced =
      r.kind === 'invalid' ? r.issues.filter((i) => !isInside(text, i.line, i.column)) : [];
    return { outcome: r.kind, threw: r.kind === 'failed' ? r.message : null, misplaced };
  } catch (e) {
    return { outcome: 'threw', threw: e instanceof Error ? e.message : String(e), misplaced: [] };
  }
}
