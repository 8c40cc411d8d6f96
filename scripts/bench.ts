/**
 * `npm run bench`: measures the production build in Chromium and prints the figures.
 *
 * - step latency: from a Next-step keypress to the updated graph painted (median, p95), on
 *   every library scenario and on a generated scenario with about 1,000 objects;
 * - first graph: from navigation to the first rendered graph;
 * - initial JavaScript, gzipped;
 * - core throughput: scenario operations per second of the simulated kernel (`--core`: only
 *   this, without building or a browser; see bench/core.ts);
 * - `--peers` (`npm run bench:peers`): only the app's step latency beside the same graphs in
 *   Cytoscape.js and React Flow (see bench/peers.ts); `--sizes=15,150` picks the sizes.
 *
 * Serves dist/ itself (a small static server on 127.0.0.1) so nothing else is needed.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { coreLines, coreThroughput } from './bench/core';
import { benchScenarioYaml } from './bench/generated';
import { peers } from './bench/peers';
import { stats } from './bench/stats';

const DIST = resolve('dist');
/** Content types by file extension (a Map: a path's extension is never an object key). */
const TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.yaml': 'text/yaml',
    '.json': 'application/json',
  }),
);

function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = join(DIST, path);
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, { 'content-type': TYPES.get(extname(file)) ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}

/** Presses → (next step) `n` times; for each, the time until the step counter changed and a frame was painted. */
async function stepTimes(page: Page, n: number): Promise<[number, number][]> {
  // Passed as source text: the script runner would otherwise wrap inner functions in helpers
  // that do not exist in the page.
  const script = `(async (count) => {
    const counter = document.querySelector('[data-testid="step-counter"]');
    const out = [];
    for (let i = 0; i < count; i++) {
      const before = counter && counter.textContent;
      const [at, total] = (before || '0 / 0').split(' / ').map(Number);
      if (at >= total) break;
      // The update is measured up to the moment React has committed the new step to the DOM
      // (a MutationObserver sees the counter change), and up to the next painted frame.
      const committed = new Promise((done) => {
        const mo = new MutationObserver(() => {
          if (counter.textContent !== before) { mo.disconnect(); done(performance.now()); }
        });
        mo.observe(counter, { childList: true, characterData: true, subtree: true });
      });
      const t0 = performance.now();
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      const t1 = await committed;
      const t2 = await new Promise((done) => requestAnimationFrame(() => done(performance.now())));
      out.push([t1 - t0, t2 - t0]);
    }
    return out;
  })(${n})`;
  return (await page.evaluate(script)) as [number, number][];
}

function initialJsGz(): { files: string[]; bytes: number } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map(
    (m) => m[1] ?? '',
  );
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(join(DIST, f))).length, 0);
  return { files, bytes };
}

async function main() {
  const core = coreLines(coreThroughput());
  if (process.argv.includes('--core')) {
    process.stdout.write(`${core.join('\n')}\n`);
    return;
  }
  if (process.argv.includes('--peers')) {
    await peers(process.argv.find((a) => a.startsWith('--sizes='))?.slice(8));
    return;
  }
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` first');
  mkdirSync(join(DIST, 'bench'), { recursive: true });
  writeFileSync(join(DIST, 'bench', 'bench-1000.yaml'), benchScenarioYaml());
  const { server, url } = await serve();
  const executablePath =
    process.env.PLAYWRIGHT_CHROMIUM_PATH ??
    (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const ids = readdirSync('src/scenario/library')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));

  const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
  const firstGraph: number[] = [];
  const lib: [number, number][] = [];
  for (const id of ids) {
    const t0 = Date.now();
    await page.goto(`${url}?scenario=${id}`);
    await page.getByTestId('graph').waitFor();
    firstGraph.push(Date.now() - t0);
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
  await browser.close();
  server.close();

  const js = initialJsGz();
  const l = stats(lib.map((x) => x[0]));
  const lp = stats(lib.map((x) => x[1]));
  const b = stats(big.map((x) => x[0]));
  const bp = stats(big.map((x) => x[1]));
  const f = stats(firstGraph);
  const lines = [
    `step latency, library scenarios (${lib.length} steps): keypress → DOM updated median ${l.median.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms; → next frame median ${lp.median.toFixed(1)} ms, p95 ${lp.p95.toFixed(1)} ms  [budget: median ≤ 16 ms]`,
    `step latency, generated scenario (${Math.max(objects, nodesAtEnd)} objects on screen, ${big.length} steps): keypress → DOM updated median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms; → next frame median ${bp.median.toFixed(1)} ms, p95 ${bp.p95.toFixed(1)} ms  [budget: median ≤ 50 ms]`,
    `navigation to first graph (${firstGraph.length} loads): median ${f.median} ms, p95 ${f.p95} ms  [budget: ≤ 1000 ms]`,
    `initial JavaScript: ${(js.bytes / 1024).toFixed(1)} KiB gzipped (${js.files.join(', ')})  [budget: ≤ 150 KB]`,
    ...core,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
