/**
 * What the browser benchmarks share: Chromium launched as the end-to-end tests launch it, a
 * static server for built folders on 127.0.0.1, the first graph's time after a navigation, as
 * the page saw it, and the step timer (→ pressed `n` times, each timed to the step counter's
 * change and the next frame).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium';

/**
 * Headless Chromium: `PLAYWRIGHT_CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`, else
 * Playwright's own browser; with the end-to-end tests' flags.
 */
export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [...CHROMIUM_ARGS],
  });
}

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

/**
 * Serves each folder under its URL prefix (the first prefix that matches; `roots` should end
 * with `/`) on a free port of 127.0.0.1; 404 for anything missing or outside the folder.
 */
export function serveFolders(
  roots: readonly (readonly [prefix: string, dir: string])[],
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const match = roots.find(([p]) => path.startsWith(p));
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const [prefix, root] = match;
    let file = join(root, path.slice(prefix.length));
    if (!file.startsWith(root) || !existsSync(file)) {
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

/**
 * The pause between two timed steps (plus 0–16 ms more in turn, see {@link stepTimes}): about
 * three refreshes at 60 Hz, short enough for a run of steps, long enough that each press comes
 * in its own task, as a person's does.
 */
export const STEP_REST_MS = 50;

/**
 * Where a press waits for the page to be at rest: no frame drawn but those asked for. The page
 * is at rest when a frame asked for comes at once (within 1.5 ms) three times in a row, asked
 * for 120 ms apart (while anything animates, one comes within 1.5 ms one time in eleven);
 * then, 100 ms later (Chromium stops drawing about 50 ms after the last frame), the press.
 * Given up after `AT_REST_LIMIT_MS`.
 */
export const AT_REST = 'at rest';
const AT_REST_LIMIT_MS = 8_000;

/**
 * Presses → (next step) `n` times; for each, the time until the step counter changed (the
 * app: React committed the step; a peer: its data change applied) and until the next
 * animation frame. `rest` pauses between steps, as a reader would, plus 0–16 ms more in turn
 * (step i waits `rest + (7 i mod 17)` ms): a rest of a fixed length would start every press
 * at the same point of the display's refresh (50 ms is three refreshes at 60 Hz), so "the next
 * frame" would measure that point, not the work; a person's presses fall anywhere in it, as
 * these do. No rest at all is worse: the next press would run in the frame's own animation
 * callbacks, right after the measure's, and its next frame would always be a whole refresh
 * away. {@link AT_REST}: each press waits until the page is at rest.
 */
export async function stepTimes(
  page: Page,
  n: number,
  rest: number | typeof AT_REST = STEP_REST_MS,
): Promise<[number, number][]> {
  // Passed as source text: the script runner would otherwise wrap inner functions in helpers
  // that do not exist in the page.
  const script = `(async (count, rest, limit) => {
    const counter = document.querySelector('[data-testid="step-counter"]');
    const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
    const frame = () => new Promise((done) => requestAnimationFrame(() => done(performance.now())));
    const atRest = async (i) => {
      const t0 = performance.now();
      let quiet = 0;
      while (quiet < 3 && performance.now() - t0 < limit) {
        await sleep(120);
        const asked = performance.now();
        quiet = (await frame()) - asked < 1.5 ? quiet + 1 : 0;
      }
      await sleep(100 + ((7 * i) % 17));
    };
    const out = [];
    for (let i = 0; i < count; i++) {
      const before = counter && counter.textContent;
      const [at, total] = (before || '0 / 0').split(' / ').map(Number);
      if (at >= total) break;
      if (rest === null) await atRest(i);
      const committed = new Promise((done) => {
        const mo = new MutationObserver(() => {
          if (counter.textContent !== before) { mo.disconnect(); done(performance.now()); }
        });
        mo.observe(counter, { childList: true, characterData: true, subtree: true });
      });
      const t0 = performance.now();
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      const t1 = await committed;
      const t2 = await frame();
      out.push([t1 - t0, t2 - t0]);
      if (rest > 0) await sleep(rest + ((7 * i) % 17));
    }
    return out;
  })(${n}, ${rest === AT_REST ? 'null' : rest}, ${AT_REST_LIMIT_MS})`;
  return (await page.evaluate(script)) as [number, number][];
}

/**
 * Run in the page before its own scripts, on every navigation: at each animation frame, until
 * it is there, looks for the graph (`[data-testid="graph"]`, with a box and not hidden: what
 * Playwright calls visible) and keeps the time of the first frame that has it (the frame that
 * paints it), in milliseconds since the navigation started (the document's time origin).
 */
const FIRST_GRAPH_PROBE = `(() => {
  const look = () => {
    const el = document.querySelector('[data-testid="graph"]');
    if (el) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true })) {
        window.__firstGraphMs = performance.now();
        return;
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})()`;

/** Makes every navigation of `page` from now on time its first graph ({@link firstGraphMs}). */
export async function probeFirstGraph(page: Page): Promise<void> {
  await page.addInitScript({ content: FIRST_GRAPH_PROBE });
}

/**
 * Waits for the current document's first graph and returns its time: navigation start → the
 * first animation frame with the graph on screen, as the page measured it
 * ({@link probeFirstGraph} must have been called before the navigation). Not Playwright's own
 * wait for the element as the time: that polls at growing intervals (0, 20, 50, 100, 100 ms,
 * then every 500 ms), so the time it returns is late by up to half a second.
 */
export async function firstGraphMs(page: Page, timeoutMs: number): Promise<number> {
  // A function, not source text: the app's Content Security Policy forbids `eval`.
  const handle = await page.waitForFunction(
    () => (window as Window & { __firstGraphMs?: number }).__firstGraphMs,
    undefined,
    { timeout: timeoutMs, polling: 'raf' },
  );
  const ms: unknown = await handle.jsonValue();
  if (typeof ms !== 'number') throw new Error('the page recorded no first graph time');
  return ms;
}
