/**
 * `npm run bench:layout`: edge crossings and edges under cards per library scenario, summed
 * over the graph a viewer sees after each step, before (objects in the order they first
 * appear) and after (the lane order the build ships: src/view/laneOrders.ts), in the Story and
 * All views. Prints a Markdown table for BENCHMARKS.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../src/scenario/parse';
import { runScenario } from '../src/scenario/run';
import { buildTimeline } from '../src/store/timeline';
import { timelineGraphs } from '../src/view/stepGraph';
import { bestCandidate, laneOrderCandidates, type Candidate } from '../src/view/laneOrders';

const dir = join(import.meta.dirname, '..', 'src', 'scenario', 'library');
const cell = (c: Candidate | undefined) =>
  c ? `${c.crossings} / ${c.underCards} / ${Math.round(c.span / 1000)}k` : '–';
const rows: string[] = [
  '| scenario | Story: before | Story: after | Story: order | All: before | All: after | All: order |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
const totals = { sb: 0, sa: 0, ab: 0, aa: 0 };
for (const f of readdirSync(dir)
  .filter((n) => n.endsWith('.yaml'))
  .sort()) {
  const r = parseScenario(readFileSync(join(dir, f), 'utf8'));
  if (!r.ok) throw new Error(`invalid scenario ${f}`);
  const timeline = buildTimeline(runScenario(r.scenario));
  const graphs = timelineGraphs(timeline, r.scenario.focus);
  const story = await laneOrderCandidates(timeline, 'story', r.scenario.focus, graphs);
  const all = await laneOrderCandidates(timeline, 'all', r.scenario.focus, graphs);
  const sb = story[0];
  const sa = bestCandidate(story);
  const ab = all[0];
  const aa = bestCandidate(all);
  totals.sb += sb?.crossings ?? 0;
  totals.sa += sa?.crossings ?? 0;
  totals.ab += ab?.crossings ?? 0;
  totals.aa += aa?.crossings ?? 0;
  rows.push(
    `| ${r.scenario.id} | ${cell(sb)} | ${cell(sa)} | ${sa?.name ?? ''} | ${cell(ab)} | ${cell(aa)} | ${aa?.name ?? ''} |`,
  );
  process.stderr.write('.');
}
process.stderr.write('\n');
rows.push(
  `| **all scenarios, crossings** | ${totals.sb} | ${totals.sa} | | ${totals.ab} | ${totals.aa} | |`,
);
process.stdout.write(`${rows.join('\n')}\n`);
