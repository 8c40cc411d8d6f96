/**
 * Load time by size: a generated scenario (bench/generated.ts) of about 100, 300, 1,000 and
 * 3,000 objects on screen and about ten kernel events per object, opened with `?src=`, each
 * load in a fresh tab. For each size: navigation → first graph (the first animation frame with
 * the graph visible, timed by the page: ./browser.ts `firstGraphMs`), median and p95 over a few
 * loads; the tab's JavaScript heap once the graph is there (after a garbage collection, CDP
 * `Runtime.getHeapUsage`: the page's main thread, not its workers); whether the renderer
 * survived. A load that shows no graph within the timeout counts as that timeout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { firstGraphMs, launchChromium, probeFirstGraph, serveFolders } from './browser';
import { sizedScenario, type ScenarioSize } from './generated';
import { stats } from './stats';

/** One size measured `loads` times. */
export interface LoadSize extends ScenarioSize {
  readonly loads: number;
}

/** The sizes `npm run bench` measures, with the budget each is reported against. */
export const LOAD_SIZES: readonly LoadSize[] = [
  { objects: 100, events: 1_000, loads: 5 },
  { objects: 300, events: 3_000, loads: 5 },
  { objects: 1_000, events: 10_000, loads: 3 },
  { objects: 3_000, events: 30_000, loads: 3 },
];

const BUDGET: ReadonlyMap<number, string> = new Map([
  [1_000, '[budget: ≤ 1500 ms]'],
  [3_000, '[budget: ≤ 5000 ms, heap < 500 MB]'],
]);

/** One load: its time to the first graph (null: none within the timeout) and the heap. */
interface Load {
  readonly ms: number | null;
  readonly heapMb: number | null;
  /** The renderer did not crash (it may still be computing after the timeout). */
  readonly survived: boolean;
  /** Why there is no graph or heap figure. */
  readonly error: string | null;
}

async function loadOnce(browser: Browser, url: string, timeoutMs: number): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  let crashed = false;
  page.on('crash', () => {
    crashed = true;
  });
  const cdp = await context.newCDPSession(page);
  let ms: number | null = null;
  let heapMb: number | null = null;
  let error: string | null = null;
  try {
    await probeFirstGraph(page);
    await page.goto(url);
    ms = await firstGraphMs(page, timeoutMs);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    heapMb = heap.usedSize / 2 ** 20;
  } catch (e) {
    // No graph within the timeout, or the renderer went away: reported as such.
    error = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
  }
  // A renderer that still computes after the timeout is alive; only a crash ends it.
  const survived = !crashed;
  await context.close().catch(() => undefined);
  return { ms, heapMb, survived, error };
}

/**
 * Measures load time by size against the build in `dist` (the scenarios are written to
 * `dist/bench/`); one line per size. `timeoutMs` caps a load's wait for its first graph.
 */
export async function loadBySize(
  browser: Browser,
  dist: string,
  { sizes = LOAD_SIZES, timeoutMs = 120_000, progress = (_: string) => {} } = {},
): Promise<string[]> {
  const dir = join(dist, 'bench');
  mkdirSync(dir, { recursive: true });
  const events = new Map<number, number>();
  for (const s of sizes) {
    progress(`load: generating ${s.objects} objects, ${s.events} events`);
    const { yaml, events: n } = sizedScenario(s);
    events.set(s.objects, n);
    writeFileSync(join(dir, `load-${s.objects}.yaml`), yaml);
  }
  const { server, url } = await serveFolders([['/', dist]]);
  const lines: string[] = [];
  try {
    for (const s of sizes) {
      const loads: Load[] = [];
      for (let i = 0; i < s.loads; i++) {
        loads.push(await loadOnce(browser, `${url}?src=bench/load-${s.objects}.yaml`, timeoutMs));
        const last = loads[loads.length - 1];
        progress(
          `load ${s.objects} objects #${i + 1}: ${last?.ms ?? '-'} ms${last?.error ? ` (${last.error})` : ''}`,
        );
      }
      const t = stats(loads.map((l) => l.ms ?? timeoutMs));
      const heaps = loads.flatMap((l) => (l.heapMb === null ? [] : [l.heapMb]));
      const missed = loads.filter((l) => l.ms === null).length;
      const survived = loads.filter((l) => l.survived).length;
      lines.push(
        [
          `load, ${s.objects} objects / ${events.get(s.objects) ?? '?'} events (${loads.length} loads):`,
          `navigation → first graph median ${t.median.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms, max ${Math.max(...loads.map((l) => l.ms ?? timeoutMs)).toFixed(0)} ms`,
          missed > 0 ? `(${missed} without a graph within ${timeoutMs} ms)` : '',
          heaps.length > 0
            ? `; JS heap after load ${Math.max(...heaps).toFixed(0)} MB (largest)`
            : '; JS heap: no graph to measure',
          `; renderer survived ${survived}/${loads.length}`,
          BUDGET.get(s.objects) ?? '',
        ]
          .filter(Boolean)
          .join(' '),
      );
    }
  } finally {
    server.close();
  }
  return lines;
}

/**
 * The load section on its own (`npx tsx scripts/bench.ts --load`, after `npm run build`):
 * launches Chromium, measures `dist`, and closes it.
 */
export async function loadBench(
  dist: string,
  progress: (msg: string) => void = () => {},
  timeoutMs?: number,
): Promise<string[]> {
  const browser = await launchChromium();
  try {
    return await loadBySize(browser, dist, { progress, ...(timeoutMs ? { timeoutMs } : {}) });
  } finally {
    await browser.close();
  }
}
