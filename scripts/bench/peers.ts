/**
 * `npm run bench:peers` (`npm run bench -- --peers`): the app's step latency beside the same
 * graphs drawn by Cytoscape.js and React Flow, in one headless Chromium.
 *
 * For each size, the generated scenario (bench/generated.ts) is exported step by step as
 * graphs (bench/peers/graphs.ts); the app loads the scenario itself (`?src=`, `?detail=all`)
 * and the peers page (bench/peers/, built apart from the app into scripts/.tmp/peers-dist)
 * loads the graphs. Each renderer is then stepped with → for 30 steps per round, three rounds,
 * the order of the renderers rotated each round; each step is timed from the keypress to the
 * step counter's change (the data change committed) and to the next animation frame.
 *
 * The steps are about 50 ms apart, so the app's change marks of one step (pulses, deltas,
 * fading edges and a lookup's hops, animated for 0.9 to 4.6 s) still run at the next press:
 * Chromium then draws a frame at every refresh, and the next one comes at the refresh's own
 * time (0–16.7 ms after the commit). A page with nothing animating gets its frame as soon as
 * its commit asks for one, as the peers, which draw no marks, do. `--pace` measures the other
 * case as well: ten steps per round, two rounds, each press made when the renderer's page is
 * at rest (see `PACE`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { AT_REST, launchChromium, serveFolders, STEP_REST_MS, stepTimes } from './browser';
import { peerScenario } from './peers/graphs';
import { stats } from './stats';

const DIST = resolve('dist');
const PEERS = resolve('scripts/.tmp/peers-dist');
const DATA = resolve('scripts/.tmp/peers-data');

/** Sizes: struct_ops maps in the scenario (about 6 objects on screen each, and a process). */
const SIZES = [15, 150, 450];
const ROUNDS = 3;
const STEPS = 30;
/**
 * `--pace`: each press waits until the renderer's page is at rest (`AT_REST`): the app's change
 * marks of the step before run for 0.9 to 4.6 s. Cytoscape.js draws at every refresh whether
 * anything changed or not, so its page never is: its presses come `cytoscapeRestMs` apart.
 */
const PACE = { rounds: 2, steps: 10, cytoscapeRestMs: 1_700 } as const;
const RENDERERS = ['app', 'cytoscape', 'reactflow'] as const;
type Renderer = (typeof RENDERERS)[number];

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

async function open(page: Page, url: string, r: Renderer, n: number): Promise<boolean> {
  const t0 = Date.now();
  try {
    if (r === 'app') {
      await page.goto(`${url}?src=data/peers-${n}.yaml&detail=all`);
      await page.getByTestId('graph').waitFor({ timeout: 300_000 });
      // Step 1 loads every object; the measured steps start after it, as the peers' do.
      await page.keyboard.press('ArrowRight');
      await page.getByTestId('step-counter').filter({ hasText: /^1 \// }).waitFor();
    } else {
      await page.goto(`${url}peers/?lib=${r}&data=../data/peers-${n}.json`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 300_000 });
    }
    await page.waitForTimeout(500);
    progress(`${r} at size ${n}: ready in ${Date.now() - t0} ms`);
    return true;
  } catch (e) {
    progress(
      `${r} at size ${n}: not loaded (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
    );
    return false;
  }
}

/**
 * Steps the app and both peers at each size (`sizesArg`: comma-separated, default 15,150,450)
 * and returns the lines; `print` also writes each size's lines as it is done.
 */
export async function peers(
  sizesArg?: string,
  { print = true, pace = false } = {},
): Promise<string[]> {
  const sizes = sizesArg ? sizesArg.split(',').map(Number) : SIZES;
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` first');
  progress('building the peers page');
  execFileSync(
    'npx',
    ['vite', 'build', '--configLoader', 'runner', '--config', 'scripts/bench/peers/vite.config.ts'],
    { stdio: 'inherit' },
  );
  mkdirSync(DATA, { recursive: true });
  const shape = new Map<number, string>();
  for (const n of sizes) {
    const s = peerScenario(n, ROUNDS * STEPS + (pace ? PACE.rounds * PACE.steps : 0));
    writeFileSync(join(DATA, `peers-${n}.yaml`), s.yaml);
    writeFileSync(join(DATA, `peers-${n}.json`), JSON.stringify(s.graphs));
    const g0 = s.graphs[0];
    const gl = s.graphs.at(-1);
    shape.set(
      n,
      `${g0?.nodes.length}–${gl?.nodes.length} nodes, ${g0?.edges.length}–${gl?.edges.length} edges`,
    );
    progress(`size ${n}: exported ${s.graphs.length} graphs (${shape.get(n)})`);
  }
  const { server, url } = await serveFolders([
    ['/peers/', PEERS],
    ['/data/', DATA],
    ['/', DIST],
  ]);
  const browser = await launchChromium();
  const lines: string[] = [];
  try {
    for (const n of sizes) {
      const pages = new Map<Renderer, Page>();
      for (const r of RENDERERS) {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        if (await open(page, url, r, n)) pages.set(r, page);
        else await page.close();
      }
      const runs: { label: string; times: Map<Renderer, [number, number][]> }[] = [
        {
          label: `steps ${STEP_REST_MS} ms apart`,
          times: await rounds(pages, n, ROUNDS, STEPS, () => STEP_REST_MS),
        },
      ];
      if (pace)
        runs.push({
          label: `each step from rest (Cytoscape.js: ${PACE.cytoscapeRestMs / 1000} s apart)`,
          times: await rounds(pages, n, PACE.rounds, PACE.steps, (r) =>
            r === 'cytoscape' ? PACE.cytoscapeRestMs : AT_REST,
          ),
        });
      for (const p of pages.values()) await p.close();
      const start = lines.length;
      lines.push(`size ${n} maps (${shape.get(n)}):`);
      for (const { label, times } of runs) {
        const block = ratioLines(times);
        lines.push(...(runs.length > 1 ? [`  ${label}:`, ...block.map((l) => `  ${l}`)] : block));
      }
      if (print) process.stdout.write(`${lines.slice(start).join('\n')}\n`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  return lines;
}

/**
 * `count` rounds of `steps` steps per renderer, each renderer's `rest` apart (see
 * `stepTimes`), the order of the renderers rotated each round.
 */
async function rounds(
  pages: ReadonlyMap<Renderer, Page>,
  n: number,
  count: number,
  steps: number,
  rest: (r: Renderer) => number | typeof AT_REST,
): Promise<Map<Renderer, [number, number][]>> {
  const times = new Map<Renderer, [number, number][]>(RENDERERS.map((r) => [r, []]));
  for (let round = 0; round < count; round++) {
    const order = RENDERERS.map((_, i) => RENDERERS[(i + round) % RENDERERS.length]);
    for (const r of order) {
      const page = r && pages.get(r);
      if (!r || !page) continue;
      await page.bringToFront();
      await page.waitForTimeout(200);
      times.get(r)?.push(...(await stepTimes(page, steps, rest(r))));
    }
    progress(`size ${n}: round ${round + 1} of ${count} done (${order.join(', ')})`);
  }
  return times;
}

/** `a ÷ b` to two places; `n/a` when either is missing. */
function ratioOf(a: number, b: number): string {
  const r = a / b;
  return Number.isFinite(r) ? r.toFixed(2) : 'n/a';
}

/** One renderer's figures: its line, and its medians to the next frame. */
function figuresOf(
  r: Renderer,
  t: readonly [number, number][],
): { line: string; frame: number; frameP95: number } {
  if (t.length === 0) return { line: `${r}: not measured`, frame: NaN, frameP95: NaN };
  const c = stats(t.map((x) => x[0]));
  const f = stats(t.map((x) => x[1]));
  return {
    line: `${r} (${t.length} steps): → committed median ${c.median.toFixed(1)} ms, p95 ${c.p95.toFixed(1)} ms; → next frame median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms`,
    frame: f.median,
    frameP95: f.p95,
  };
}

/** Each renderer's figures, and the app's time to the next frame ÷ each peer's. */
function ratioLines(times: ReadonlyMap<Renderer, [number, number][]>): string[] {
  const app = figuresOf('app', times.get('app') ?? []);
  const peers = (['cytoscape', 'reactflow'] as const).map((r) => ({
    r,
    p: figuresOf(r, times.get(r) ?? []),
  }));
  return [
    `  ${app.line}`,
    ...peers.map(({ p }) => `  ${p.line}`),
    ...peers.map(
      ({ r, p }) =>
        `  app ÷ ${r}, to the next frame: median ${ratioOf(app.frame, p.frame)}, p95 ${ratioOf(app.frameP95, p.frameP95)}`,
    ),
  ];
}
