/**
 * `scenario verify --rev all`: the library on every revision. The shape is checked cell by
 * cell where the review history fixes it: the four selftests pass on v8 and on mainline (with
 * the renamed kfunc), every scenario runs clean on v8 and mainline, and each "Review history"
 * scenario shows its bug on the revisions that have it and passes from the fix on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REVIEW_BUGS } from '../core/revisions/bugs';
import { REVISIONS } from '../core/revisions/spec';
import { parseScenario } from './parse';
import { formatRevisionTable, revisionRow, rowProblems, type RevisionRow } from './revisionTable';
import { outcomeOn } from './run';
import type { Scenario } from './schema';

const DIR = fileURLToPath(new URL('./library', import.meta.url));

function load(file: string): Scenario {
  const r = parseScenario(readFileSync(join(DIR, file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.scenario;
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const rows = new Map<string, RevisionRow>();
const rowOf = (id: string): RevisionRow => {
  let r = rows.get(id);
  if (!r) {
    r = revisionRow(load(`${id}.yaml`));
    rows.set(id, r);
  }
  return r;
};
const cell = (id: string, rev: string) => rowOf(id).cells.find((c) => c.revision === rev);

describe('the four selftests', () => {
  for (const id of [
    'selftest-st-ops-assoc',
    'selftest-st-ops-assoc-reuse',
    'selftest-st-ops-assoc-in-timer',
    'selftest-st-ops-assoc-in-timer-no-uref',
  ]) {
    it(`${id} passes on v8 and on mainline`, { timeout: 60_000 }, () => {
      expect(cell(id, 'v8')?.verdict).toBe('pass');
      expect(cell(id, 'mainline')?.verdict).toBe('pass');
    });
  }

  it(
    'the v4-era tests behave as v3 and v2 code would: reuse clears the poison on v2, the timer races map free up to v3',
    { timeout: 60_000 },
    () => {
      expect(cell('selftest-st-ops-assoc-reuse', 'v2')?.verdict).toBe('bug');
      expect(cell('selftest-st-ops-assoc-reuse', 'v2')?.reports).toContain('poison-cleared');
      expect(cell('selftest-st-ops-assoc-reuse', 'v3')?.verdict).toBe('pass');
      expect(cell('selftest-st-ops-assoc-in-timer-no-uref', 'v3')?.reports).toContain('dangling');
      expect(cell('selftest-st-ops-assoc-in-timer-no-uref', 'v4')?.verdict).toBe('pass');
    },
  );
});

describe('the review history chapter', () => {
  for (const bug of REVIEW_BUGS) {
    it(
      `${bug.scenario} shows ${bug.id} on ${bug.revisions.join(', ')} and not from ${bug.fixedIn} on`,
      { timeout: 60_000 },
      () => {
        const row = rowOf(bug.scenario);
        const ofScenario = REVIEW_BUGS.filter((b) => b.scenario === bug.scenario);
        expect(ofScenario.flatMap((b) => b.revisions)).toContain(row.own);
        expect(rowProblems(row)).toEqual([]);
        for (const c of row.cells) {
          const fixed = REVISIONS.indexOf(c.revision) >= REVISIONS.indexOf(bug.fixedIn);
          if (bug.revisions.includes(c.revision) && !bug.unreachable)
            expect(c.reports, c.revision).toContain(bug.kind);
          if (fixed) expect(c.reports, c.revision).not.toContain(bug.kind);
        }
        if (!ofScenario.some((b) => b.revisions.includes(bug.fixedIn)))
          expect(cell(bug.scenario, bug.fixedIn)?.verdict).toBe('pass');
      },
    );
  }
});

describe('verify --rev all over the library', () => {
  it(
    'every scenario is clean on v8 and mainline and holds on its own revision; the table has one column per revision',
    { timeout: 300_000 },
    () => {
      const all = files.map((f) => rowOf(f.replace(/\.yaml$/, '')));
      for (const r of all) expect(rowProblems(r)).toEqual([]);
      const text = formatRevisionTable(all);
      const [head, ...lines] = text.split('\n');
      expect(head?.split(/\s+/)).toEqual(['scenario', ...REVISIONS]);
      expect(lines.filter((l) => /^[a-z]/.test(l)).map((l) => l.split(/\s+/).length)).toEqual(
        all.map(() => 1 + REVISIONS.length),
      );
      expect(text).toMatch(/history-reassoc-leak\s+bug\s+bug\s+bug\*\s+pass/);
      expect(text).toMatch(/history-poison-cleared\s+bug\s+bug\*\s+pass/);
    },
  );
});

describe('outcomeOn', () => {
  it("lays a revision's entry over the common expectation, merging state paths", () => {
    const ex = {
      ret: 0,
      state: { 'map.m.refcnt': 3, 'map.m.state': 'INIT' },
      on: { v4: { state: { 'map.m.refcnt': 2 } }, v8: { reports: 'none' as const } },
    };
    expect(outcomeOn(ex, 'v4')).toEqual({
      ret: 0,
      state: { 'map.m.refcnt': 2, 'map.m.state': 'INIT' },
    });
    expect(outcomeOn(ex, 'v3')).toEqual({ ret: 0, state: ex.state });
    expect(outcomeOn(ex, 'v8')).toMatchObject({ reports: 'none', state: ex.state });
  });

  it('names the testmod kfunc in called and oops_at as the revision spells it', () => {
    const impl = 'bpf_kfunc_multi_st_ops_test_1_impl';
    const ex = {
      called: [impl, 'bpf_map_put'],
      oops_at: { function: impl, kind: 'use-after-free' },
    };
    expect(outcomeOn(ex, 'mainline')).toEqual({
      called: ['bpf_kfunc_multi_st_ops_test_1_assoc', 'bpf_map_put'],
      oops_at: { function: 'bpf_kfunc_multi_st_ops_test_1_assoc', kind: 'use-after-free' },
    });
    expect(outcomeOn(ex, 'v8')).toEqual(ex);
  });
});
