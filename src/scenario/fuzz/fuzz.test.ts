/**
 * Hostile scenario text, a few thousand variants of the library (src/scenario/fuzz/mutate.ts):
 * loading never throws, every problem's line:column is in the text, prototype names are plain
 * names, and the load job returns within its budget (a run past it stops as `too-slow`).
 * `npm run fuzz -- --n 100000` runs the long version.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../parse';
import { mutate, MUTATION_KINDS, PROTO_KEYS, seededRandom } from './mutate';
import { isInside, probe } from './probe';

const dir = join(import.meta.dirname, '..', 'library');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(dir, f), 'utf8'));

/** A clock that advances 1 ms per reading: the budget is reached by work, not by wall time. */
function steppingClock(): () => number {
  let t = 0;
  return () => t++;
}

describe('scenario fuzz', () => {
  it('isInside accepts the places a text has, and only those', () => {
    expect(isInside('ab\ncd', 1, 1)).toBe(true);
    expect(isInside('ab\ncd', 1, 3)).toBe(true);
    expect(isInside('ab\ncd', 1, 4)).toBe(false);
    expect(isInside('ab\ncd', 3, 1)).toBe(false);
    expect(isInside('', 1, 1)).toBe(true);
    expect(isInside('ab', 0, 1)).toBe(false);
  });

  it.each(MUTATION_KINDS)(
    '%s: no throw, every line:column in the text',
    (kind) => {
      const rand = seededRandom(kind.length * 7919);
      const n = 200;
      let invalid = 0;
      for (let i = 0; i < n; i++) {
        const base = corpus[Math.floor(rand() * corpus.length)] ?? '';
        const m = mutate(rand, base, corpus, kind);
        const p = probe(m.text, 400, steppingClock());
        expect(p.threw, `${kind} #${i} threw`).toBeNull();
        expect(
          p.misplaced.map((x) => `${x.line}:${x.column} ${x.message}`),
          `${kind} #${i}`,
        ).toEqual([]);
        expect(['ok', 'invalid', 'too-slow']).toContain(p.outcome);
        if (p.outcome === 'invalid') invalid++;
      }
      // The mutations do break things (a mutator that changed nothing would pass trivially).
      expect(invalid).toBeGreaterThan(0);
    },
    180_000,
  );

  it.each(PROTO_KEYS)(
    '%s as an object, a program, a member or a step name is a plain name',
    (key) => {
      const base = corpus.find((t) => t.includes('op: scx_op')) ?? '';
      const named = base.replace(/member: runnable/, `member: ${key}`);
      expect(named).not.toBe(base);
      const p = probe(named, 100_000, steppingClock());
      expect(p.threw).toBeNull();
      expect(p.misplaced).toEqual([]);
      const asObject = parseScenario(base.replace(/object: (\S+)/, `object: ${key}`));
      expect(asObject.ok).toBe(false);
      if (!asObject.ok)
        expect(asObject.issues.map((i) => i.message).join('\n')).toMatch(
          key === '__proto__' ? /__proto__/ : new RegExp(`no object '${key}'`),
        );
    },
  );
});
