/**
 * One scenario on two revisions, step by step: what each step returned, the refcounts, the
 * associations and the kernel reports on each side, and the first step where they differ.
 * Pure; the compare view draws it.
 */
import { assocText } from '../core/names';
import { REVISIONS, revisionSpec } from '../core/revisions/spec';
import type { KernelState, Revision } from '../core/types';
import type { ScenarioRun } from '../scenario/run';

/** What one side looks like at the end of a step, in comparable lines. */
export interface SideAt {
  readonly ret: string;
  /** `st_map refcnt 2`, `refresh st_ops_assoc st_map`, ... sorted. */
  readonly facts: readonly string[];
  /** Titles of the reports this step made. */
  readonly reports: readonly string[];
}

export type DiffKind = 'return value' | 'refcount' | 'association' | 'report';

export interface StepCompare {
  readonly index: number;
  readonly label: string;
  readonly left: SideAt;
  readonly right: SideAt;
  /** What differs at this step (empty when both sides agree). */
  readonly differs: readonly DiffKind[];
}

function factsOf(s: KernelState): string[] {
  const out: string[] = [];
  for (const m of Object.values(s.maps))
    if (m.type === 'BPF_MAP_TYPE_STRUCT_OPS')
      out.push(`${m.name} refcnt ${m.refcnt}${m.lifecycle === 'live' ? '' : ` (${m.lifecycle})`}`);
  for (const p of Object.values(s.progs)) {
    if (p.lifecycle === 'freed') continue;
    out.push(`${p.name} st_ops_assoc ${assocText(s, p.aux.st_ops_assoc)}`);
  }
  return out.sort();
}

function sideAt(run: ScenarioRun, i: number): SideAt {
  const f = run.frames[i];
  const prev = i === 0 ? run.initial : run.frames[i - 1]?.state;
  const before = prev?.reports?.length ?? 0;
  const r = f?.result;
  return {
    ret: !r ? '—' : r.ret < 0 ? `-${r.errno ?? r.ret}` : String(r.ret),
    facts: f ? factsOf(f.state) : [],
    reports: (f?.state.reports ?? []).slice(before).map((x) => `${x.tool}: ${x.title}`),
  };
}

/** Step by step, what differs between `left` and `right` (the same scenario, two revisions). */
export function compareRuns(left: ScenarioRun, right: ScenarioRun): StepCompare[] {
  const n = Math.min(left.frames.length, right.frames.length);
  const out: StepCompare[] = [];
  for (let i = 0; i < n; i++) {
    const a = sideAt(left, i);
    const b = sideAt(right, i);
    const differs: DiffKind[] = [];
    if (a.ret !== b.ret) differs.push('return value');
    const only = (x: SideAt, y: SideAt, word: string) =>
      x.facts.filter((f) => f.includes(word) && !y.facts.includes(f));
    if (only(a, b, 'refcnt').length || only(b, a, 'refcnt').length) differs.push('refcount');
    if (only(a, b, 'st_ops_assoc').length || only(b, a, 'st_ops_assoc').length)
      differs.push('association');
    if (a.reports.join('\n') !== b.reports.join('\n')) differs.push('report');
    out.push({ index: i, label: left.frames[i]?.label ?? '', left: a, right: b, differs });
  }
  return out;
}

/** The first step where the two runs differ, or null. */
export function firstDifference(steps: readonly StepCompare[]): number | null {
  return steps.find((s) => s.differs.length > 0)?.index ?? null;
}

/**
 * What the review changed between two revisions, oldest to newest, in our own words: each
 * revision after the older one up to the newer one, its changes and the review behind them.
 */
export function reviewBetween(a: Revision, b: Revision): { rev: Revision; lines: string[] }[] {
  const [lo, hi] = REVISIONS.indexOf(a) <= REVISIONS.indexOf(b) ? [a, b] : [b, a];
  const out: { rev: Revision; lines: string[] }[] = [];
  for (const r of REVISIONS.slice(REVISIONS.indexOf(lo) + 1, REVISIONS.indexOf(hi) + 1)) {
    const prev = revisionSpec(REVISIONS[REVISIONS.indexOf(r) - 1] ?? r);
    out.push({
      rev: r,
      lines: [
        ...(prev.review ? [`Review of ${prev.id}: ${prev.review}`] : []),
        ...revisionSpec(r).changes,
      ],
    });
  }
  return out;
}
