import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import type { Revision } from '../core/types';
import { compareRuns, firstDifference, reviewBetween } from './compare';

function run(id: string, revision: Revision) {
  const text = readFileSync(
    fileURLToPath(new URL(`../scenario/library/${id}.yaml`, import.meta.url)),
    'utf8',
  );
  const p = parseScenario(text);
  if (!p.ok) throw new Error(id);
  return runScenario(p.scenario, { revision });
}

describe('compare two revisions', () => {
  it('v3 against v4 on the leak: the second association is the first difference (refcount)', () => {
    const steps = compareRuns(run('history-reassoc-leak', 'v3'), run('history-reassoc-leak', 'v4'));
    expect(firstDifference(steps)).toBe(2);
    expect(steps[2]?.differs).toEqual(['refcount']);
    expect(steps.at(-1)?.differs).toContain('report');
    expect(steps.at(-1)?.left.reports[0]).toMatch(/^kmemleak: /);
    expect(steps.at(-1)?.right.reports).toEqual([]);
  });

  it('v2 against v3 on the poison: the association and a hazard differ at the map free', () => {
    const steps = compareRuns(
      run('history-poison-cleared', 'v2'),
      run('history-poison-cleared', 'v3'),
    );
    const first = firstDifference(steps);
    expect(first).not.toBeNull();
    expect(steps[first ?? 0]?.differs).toEqual(expect.arrayContaining(['association', 'report']));
  });

  it('the same revision on both sides never differs', () => {
    expect(
      firstDifference(compareRuns(run('teach-poison', 'v8'), run('teach-poison', 'v8'))),
    ).toBeNull();
  });

  it('says what the review changed between two revisions, in order', () => {
    const r = reviewBetween('v2', 'v3');
    expect(r.map((x) => x.rev)).toEqual(['v3']);
    expect(r[0]?.lines.join(' ')).toContain('BPF_PTR_POISON back to NULL');
    expect(reviewBetween('v5', 'v3').map((x) => x.rev)).toEqual(['v4', 'v5']);
  });
});
