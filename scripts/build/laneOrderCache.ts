/**
 * Library scenarios' lane orders, computed when the app is built (vite.config.ts) and kept in
 * node_modules/.cache so that the dev server and the unit tests, which import library
 * scenarios too, compute each one once. A cached order is keyed by the scenario's text and by
 * every source file the order depends on (the simulated kernel, the graph, the views).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaneOrders } from '../../src/graph/laneOrder';
import { runScenario } from '../../src/scenario/run';
import type { Scenario } from '../../src/scenario/schema';
import { buildTimeline } from '../../src/store/timeline';
import { computeLaneOrders } from '../../src/view/laneOrders';

const ROOT = join(import.meta.dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'structops-lab', 'lane-orders');
const SOURCES = ['src/core', 'src/graph', 'src/libbpf', 'src/scenario', 'src/store', 'src/view'];

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return files(p);
      return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
    });
}

/** A digest of the code an order depends on. */
function digestOfSources(): string {
  const h = createHash('sha256');
  for (const dir of SOURCES) for (const f of files(join(ROOT, dir))) h.update(readFileSync(f));
  return h.digest('hex');
}

/** Read when this module loads, with the code it imports (not later, when that may differ). */
const CODE_DIGEST = digestOfSources();

/** The lane orders of a library scenario (validated `scenario`, parsed from `text`). */
export async function libraryLaneOrders(text: string, scenario: Scenario): Promise<LaneOrders> {
  const key = createHash('sha256').update(CODE_DIGEST).update(text).digest('hex').slice(0, 32);
  const file = join(CACHE, `${scenario.id}-${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LaneOrders;
  } catch {
    // Not cached yet.
  }
  const orders = await computeLaneOrders(buildTimeline(runScenario(scenario)), scenario.focus);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, JSON.stringify(orders));
  return orders;
}
