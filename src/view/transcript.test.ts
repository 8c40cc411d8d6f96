/** The transcript lists every step of a real run, with returns and narration, as text. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatRet } from '../core/errno';
import { formatIssues, parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { transcriptOf, transcriptText } from './transcript';

function run(id: string) {
  const file = fileURLToPath(new URL(`../scenario/library/${id}.yaml`, import.meta.url));
  const r = parseScenario(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(formatIssues(r.issues, file));
  return runScenario(r.scenario);
}

describe('transcript', () => {
  const r = run('teach-ebusy');
  const entries = transcriptOf(r.frames);

  it('has one entry per step, in order, with label, return and narration', () => {
    expect(entries).toHaveLength(r.scenario.steps.length);
    entries.forEach((e, i) => {
      const f = r.frames[i];
      if (!f) throw new Error('missing frame');
      expect(e.n).toBe(i + 1);
      expect(e.label).toBe(f.label);
      expect(e.say).toBe(f.step.say);
      expect(e.caption).toBe(f.step.caption ?? null);
      expect(e.ret).toBe(f.result ? formatRet(f.result.ret) : null);
      expect(e.failed).toBe(f.result !== null && f.result.ret < 0);
      expect(e.chapter).toBe(f.step.chapter ?? null);
    });
  });

  it('shows failures with their errno name and reason', () => {
    const failed = entries.filter((e) => e.failed);
    expect(failed.length).toBeGreaterThan(0);
    for (const e of failed) expect(e.ret).toMatch(/^-E[A-Z]+ \(\d+\)$/);
  });

  it('prints as plain text, every step once', () => {
    const text = transcriptText(r.scenario.title, entries);
    expect(text.startsWith(`${r.scenario.title}\n`)).toBe(true);
    for (const e of entries) expect(text).toContain(`${e.n}. ${e.label}`);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toMatch(/<[a-z]/i);
  });
});
