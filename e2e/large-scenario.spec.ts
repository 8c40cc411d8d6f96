/**
 * A large scenario from a file: its run is too large to post from the loader's worker, so the
 * page runs it too, alongside the worker (src/app/loader/runOnPage.ts) or after it
 * (src/app/loader/rerun.ts), and shows the same run the runner makes; and a large drawing's
 * camera, which moves at once where a glide would take too long to paint (FittedGraph's
 * `glides`).
 */
import type { Page } from '@playwright/test';
import { benchScenarioYaml } from '../scripts/bench/generated';
import { describeState } from '../src/core/describe';
import { eventCount, RERUN_MIN_EVENTS } from '../src/app/loader/rerun';
import { parseScenario } from '../src/scenario/parse';
import { runScenario } from '../src/scenario/run';
import { generateScenarioYaml } from '../src/testing/generateScenario';
import { expect, test, watchErrors } from './support';

const YAML = generateScenarioYaml({ objects: 300, steps: 600 });

test('a large scenario loads by the page running it too, the same run as the runner’s', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const parsed = parseScenario(YAML);
  if (!parsed.ok) throw new Error('the generated scenario does not parse');
  const run = runScenario(parsed.scenario);
  // Large enough that the worker hands it back rather than post it.
  expect(eventCount(run)).toBeGreaterThanOrEqual(RERUN_MIN_EVENTS);
  const total = run.frames.length;
  const final = run.frames[total - 1]?.state;
  if (!final) throw new Error('the run has no steps');

  const { errors } = watchErrors(page);
  const chunks: string[] = [];
  page.on('request', (r) => {
    const m = /\/assets\/([\w-]+?)-[\w-]{8}\.js$/.exec(new URL(r.url()).pathname);
    if (m?.[1]) chunks.push(m[1]);
  });
  await page.route('**/large.yaml', (route) =>
    route.fulfill({ status: 200, contentType: 'text/yaml', body: YAML }),
  );
  await page.goto('/?src=large.yaml&step=0');
  await expect(page.getByTestId('step-counter')).toHaveText(`0 / ${total}`, { timeout: 60_000 });
  // The page loaded the runner to run it (nothing else on this page needs it).
  expect(chunks).toContain('run');
  await page.getByRole('button', { name: 'Last step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`${total} / ${total}`);
  await page.getByText('Kernel state as text').click();
  await expect(page.getByTestId('kernel-state')).toHaveText(describeState(final).join('\n'));
  expect(errors).toEqual([]);
});

/**
 * Records the camera glides the page starts on its graph (`svg.graph`), from page load on: the
 * zoom of each (its larger scale over its smaller; 1 for a pan at one scale).
 */
async function recordGlides(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const zooms: number[] = [];
    (window as unknown as { glides: number[] }).glides = zooms;
    const animate = Element.prototype.animate;
    Element.prototype.animate = function (this: Element, ...args: Parameters<Element['animate']>) {
      if (this.matches('svg.graph') && Array.isArray(args[0])) {
        const scales = args[0].map((f) =>
          Number(/scale\(([^)]+)\)/.exec(String(f.transform))?.[1] ?? NaN),
        );
        zooms.push(Math.max(...scales) / Math.min(...scales));
      }
      return animate.apply(this, args);
    };
  });
}

const glidesSoFar = (page: Page) =>
  page.evaluate(() => (window as unknown as { glides: number[] }).glides);

test('the camera glides on a library scenario and moves at once on a large drawing', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { errors } = watchErrors(page);
  await recordGlides(page);
  await page.goto('/?step=0');
  await expect(page.getByTestId('step-counter')).toHaveText(/^0 \//);
  for (let i = 1; i <= 4; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step-counter')).toHaveText(new RegExp(`^${i} /`));
  }
  expect(
    (await glidesSoFar(page)).length,
    'glides over the default scenario’s first steps',
  ).toBeGreaterThan(0);
  // The largest glide of the library: a presentation in a docs-sized frame turning to the whole
  // graph (an 18× zoom out over the default scenario's Story view, 141 cards).
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 720, height: 400 });
  await page.goto('/?step=10&present=1');
  await expect(page.getByTestId('step-counter')).toHaveText(/^10 \//);
  await expect.poll(() => page.evaluate(() => document.getAnimations().length)).toBe(0);
  const before = (await glidesSoFar(page)).length;
  await page.getByRole('button', { name: 'Whole graph' }).click();
  await expect
    .poll(async () => (await glidesSoFar(page)).slice(before).some((z) => z > 10), {
      message: 'a glide out to the whole graph',
    })
    .toBe(true);
  if (viewport) await page.setViewportSize(viewport);

  // 150 groups, all loaded by the first step: 452 cards on a drawing far taller than the box.
  await page.route('**/wide.yaml', (route) =>
    route.fulfill({ status: 200, contentType: 'text/yaml', body: benchScenarioYaml(150, 40) }),
  );
  await page.goto('/?src=wide.yaml&step=0');
  await expect(page.getByTestId('step-counter')).toHaveText(/^0 \//, { timeout: 60_000 });
  // From the whole drawing (about 1% scale) to the first step's part of it: too much to paint
  // as a glide, so the camera moves at once; pans at one scale may glide.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-counter')).toHaveText(/^1 \//);
  await expect(page.locator('svg.graph')).toHaveCSS('transform', /matrix/);
  expect(await page.locator('svg.graph .node').count()).toBeGreaterThan(400);
  const zooms = await glidesSoFar(page);
  expect(
    zooms.every((z) => z < 1.5),
    `zooms of the glides on the large drawing: ${zooms}`,
  ).toBe(true);
  expect(errors).toEqual([]);
});
