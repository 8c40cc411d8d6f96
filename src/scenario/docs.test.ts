/**
 * docs/scenario-format.md tells the truth: its complete example (the first ```yaml block)
 * parses and verifies, and the tables it copies from the code list what the code has.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callableNames } from '../core/callables';
import { ERRNO } from '../core/errno';
import { formatIssues, parseScenario } from './parse';
import { runScenario } from './run';
import { STEP_OPS } from './schema';

const DOC = readFileSync(
  fileURLToPath(new URL('../../docs/scenario-format.md', import.meta.url)),
  'utf8',
);

/** The body of the first fenced block with this info string. */
function firstBlock(markdown: string, lang: string): string {
  const m = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'm').exec(markdown);
  if (!m?.[1]) throw new Error(`no \`\`\`${lang} block in the document`);
  return m[1];
}

describe('docs/scenario-format.md', () => {
  const example = firstBlock(DOC, 'yaml');

  it('its complete example parses with no issues', () => {
    const r = parseScenario(example);
    expect(r.ok ? [] : formatIssues(r.issues).split('\n')).toEqual([]);
  });

  it('its complete example runs with every expectation met and the invariants holding', () => {
    const r = parseScenario(example);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(r.scenario.steps.length).toBeGreaterThan(3);
    const run = runScenario(r.scenario, { checkInvariants: true });
    const failures = run.frames.flatMap((f) =>
      f.failures.map((msg) => `step ${f.index + 1} (${f.step.op}): ${msg}`),
    );
    expect(failures).toEqual([]);
    // It shows a refusal as well as successes.
    expect(run.frames.some((f) => f.result?.errno === 'EBUSY')).toBe(true);
  });

  it('documents every step op', () => {
    for (const op of STEP_OPS) expect(DOC, op).toContain(`| \`${op}\``);
  });

  it('has the state path table of expect.ts', () => {
    const header = readFileSync(fileURLToPath(new URL('./expect.ts', import.meta.url)), 'utf8')
      .split('*/')[0]
      ?.split('\n')
      .filter((l) => l.startsWith(' * | `'))
      .map((l) => l.slice(' * | '.length).split(' | ')[0] ?? '');
    expect(header?.length).toBeGreaterThan(5);
    for (const cell of header ?? []) expect(DOC, cell).toContain(`| ${cell} `);
  });

  it('lists every helper and kfunc, and every errno name', () => {
    for (const name of callableNames()) expect(DOC, name).toContain(`\`${name}(`);
    for (const name of Object.keys(ERRNO)) expect(DOC, name).toContain(`\`${name}\``);
  });
});
