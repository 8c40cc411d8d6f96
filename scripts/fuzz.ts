/**
 * `npm run fuzz -- --n 100000 [--seed 1] [--budget 2000]`: loads N hostile variants of the
 * library scenarios (src/scenario/fuzz/mutate.ts) the way the app does, and prints counts by
 * kind of mutation: outcomes, throws, stalls (past the budget), misplaced line:columns.
 * Exits non-zero when anything threw, stalled or was misplaced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  mutate,
  MUTATION_KINDS,
  seededRandom,
  type MutationKind,
} from '../src/scenario/fuzz/mutate';
import { probe } from '../src/scenario/fuzz/probe';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    budget: { type: 'string', default: '2000' },
  },
});
const n = Number(values.n);
const budget = Number(values.budget);
const rand = seededRandom(Number(values.seed));
const dir = join(import.meta.dirname, '..', 'src', 'scenario', 'library');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(dir, f), 'utf8'));

interface Row {
  tried: number;
  valid: number;
  invalid: number;
  tooSlow: number;
  threw: number;
  stalled: number;
  misplaced: number;
  maxMs: number;
}
const rows = new Map<MutationKind, Row>(
  MUTATION_KINDS.map((k) => [
    k,
    { tried: 0, valid: 0, invalid: 0, tooSlow: 0, threw: 0, stalled: 0, misplaced: 0, maxMs: 0 },
  ]),
);
const examples: string[] = [];
const started = performance.now();
for (let i = 0; i < n; i++) {
  const base = corpus[Math.floor(rand() * corpus.length)] ?? '';
  // Now and then a mutant of a mutant.
  let m = mutate(rand, base, corpus);
  if (rand() < 0.2) m = { ...mutate(rand, m.text, corpus), kind: m.kind };
  const row = rows.get(m.kind);
  if (!row) continue;
  const t = performance.now();
  const p = probe(m.text, budget, () => performance.now());
  const ms = performance.now() - t;
  row.tried++;
  row.maxMs = Math.max(row.maxMs, ms);
  if (p.outcome === 'ok' || p.outcome === 'library') row.valid++;
  else if (p.outcome === 'invalid') row.invalid++;
  else if (p.outcome === 'too-slow') row.tooSlow++;
  if (p.threw !== null) row.threw++;
  // Past the budget by more than one step's worth: the budget did not hold.
  if (ms > budget + 1000) row.stalled++;
  if (p.misplaced.length > 0) row.misplaced++;
  if ((p.threw !== null || p.misplaced.length > 0) && examples.length < 5)
    examples.push(
      `#${i} ${m.kind}: ${p.threw ?? p.misplaced.map((x) => `${x.line}:${x.column} ${x.message}`).join('; ')}`,
    );
  if ((i + 1) % 10000 === 0)
    process.stderr.write(
      `${i + 1} of ${n} (${Math.round((performance.now() - started) / 1000)} s)\n`,
    );
}

const table = [...rows].map(([kind, r]) => ({ kind, ...r, maxMs: Math.round(r.maxMs) }));
console.table(table);
const sum = (k: keyof Row) => table.reduce((a, r) => a + r[k], 0);
console.log(
  `inputs tried ${sum('tried')}, throws ${sum('threw')}, stalls ${sum('stalled')}, wrong positions ${sum('misplaced')} (seed ${values.seed}, ${Math.round((performance.now() - started) / 1000)} s)`,
);
for (const e of examples) console.log(e);
process.exitCode = sum('threw') + sum('stalled') + sum('misplaced') > 0 ? 1 : 0;
