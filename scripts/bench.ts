/**
 * `npm run bench`: measures the production build in Chromium and prints the figures.
 *
 * - step latency: from a Next-step keypress to the updated graph painted (median, p95), on
 *   every library scenario and on a generated scenario with about 1,000 objects; and by size,
 *   at about 100, 1,000 and 3,000 objects (bench/steps.ts; `--steps`: only this);
 * - first graph: from navigation to the first frame with the graph, timed by the page;
 * - initial JavaScript, gzipped;
 * - core throughput: scenario operations per second of the simulated kernel (`--core`: only
 *   this, without building or a browser; see bench/core.ts);
 * - load by size: navigation → first graph and heap for 100 to 3,000 objects (bench/load.ts;
 *   `--load`: only this);
 * - peers: the app's step latency beside the same graphs in Cytoscape.js and React Flow, and
 *   the ratios (bench/peers.ts; `--peers` or `npm run bench:peers`: only this; `--sizes=15,150`
 *   picks the sizes; `--pace` adds steps each pressed with the page at rest).
 *
 * Serves dist/ itself (a small static server on 127.0.0.1) so nothing else is needed.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  firstGraphMs,
  launchChromium,
  probeFirstGraph,
  serveFolders,
  stepTimes,
} from './bench/browser';
import { coreLines, coreThroughput } from './bench/core';
import { benchScenarioYaml } from './bench/generated';
import { loadBench } from './bench/load';
import { peers } from './bench/peers';
import { stats } from './bench/stats';
import { stepLatencyBySize } from './bench/steps';

const DIST = resolve('dist');

function initialJsGz(): { files: string[]; bytes: number } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map(
    (m) => m[1] ?? '',
  );
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(join(DIST, f))).length, 0);
  return { files, bytes };
}

async function main() {
  const sizesArg = process.argv.find((a) => a.startsWith('--sizes='))?.slice(8);
  const pace = process.argv.includes('--pace');
  const core = coreLines(coreThroughput());
  if (process.argv.includes('--core')) {
    process.stdout.write(`${core.join('\n')}\n`);
    return;
  }
  if (process.argv.includes('--peers')) {
    await peers(sizesArg, { pace });
    return;
  }
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const progressLoad = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
  if (process.argv.includes('--load')) {
    process.stdout.write(`${(await loadBench(DIST, progressLoad)).join('\n')}\n`);
    return;
  }
  mkdirSync(join(DIST, 'bench'), { recursive: true });
  writeFileSync(join(DIST, 'bench', 'bench-1000.yaml'), benchScenarioYaml());
  const { server, url } = await serveFolders([['/', DIST]]);
  const browser = await launchChromium();
  if (process.argv.includes('--steps')) {
    process.stdout.write(`${(await stepLatencyBySize(browser, url, DIST)).join('\n')}\n`);
    await browser.close();
    server.close();
    return;
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const ids = readdirSync('src/scenario/library')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));

  const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
  const firstGraph: number[] = [];
  const lib: [number, number][] = [];
  await probeFirstGraph(page);
  for (const id of ids) {
    await page.goto(`${url}?scenario=${id}`);
    firstGraph.push(await firstGraphMs(page, 30_000));
    await page.waitForTimeout(100);
    lib.push(...(await stepTimes(page, 8)));
    progress(`${id}: done`);
  }
  progress('generated scenario: loading');
  await page.goto(`${url}?src=bench/bench-1000.yaml`);
  await page.getByTestId('graph').waitFor({ timeout: 60_000 });
  const objects = await page.locator('[data-testid^="node."]').count();
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(200);
  const big = await stepTimes(page, 30);
  const nodesAtEnd = await page.locator('[data-testid^="node."]').count();
  const bySize = await stepLatencyBySize(browser, url, DIST);
  await browser.close();
  server.close();
  const load = await loadBench(DIST, progressLoad);
  const peerLines = await peers(sizesArg, { print: false, pace });

  const js = initialJsGz();
  const l = stats(lib.map((x) => x[0]));
  const lp = stats(lib.map((x) => x[1]));
  const b = stats(big.map((x) => x[0]));
  const bp = stats(big.map((x) => x[1]));
  const f = stats(firstGraph);
  const lines = [
    `step latency, library scenarios (${lib.length} steps): keypress → DOM updated median ${l.median.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms; → next frame median ${lp.median.toFixed(1)} ms, p95 ${lp.p95.toFixed(1)} ms  [budget: median ≤ 16 ms]`,
    `step latency, generated scenario (${Math.max(objects, nodesAtEnd)} objects on screen, ${big.length} steps): keypress → DOM updated median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms; → next frame median ${bp.median.toFixed(1)} ms, p95 ${bp.p95.toFixed(1)} ms  [budget: median ≤ 50 ms]`,
    ...bySize,
    `navigation to first graph (${firstGraph.length} loads): median ${f.median.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms  [budget: ≤ 1000 ms]`,
    `initial JavaScript: ${(js.bytes / 1024).toFixed(1)} KiB gzipped (${js.files.join(', ')})  [budget: ≤ 150 KB]`,
    ...load,
    'peers, the same graphs and steps in Cytoscape.js and React Flow (bench/peers.ts):',
    ...peerLines,
    ...core,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
