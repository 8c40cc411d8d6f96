/**
 * Lanes are in their fewest-crossings order: a library scenario's comes with it (computed when
 * the app was built), a user scenario's from the lane-order worker, and both are the same
 * order for the same scenario, which is not simply the order objects first appear in.
 */
import type { Page } from '@playwright/test';
import { encodeShare } from '../src/share/encode';
import { buildTimeline } from '../src/store/timeline';
import { timelineStory } from '../src/view/stepGraph';
import { expect, libraryScenarios, runOf, test } from './support';

const ID = 'teach-poison';
const STEP = 6;

/** Node ids per lane (by x), top to bottom, as drawn. */
async function lanesOnScreen(page: Page): Promise<string[][]> {
  const placed = await page
    .locator('[data-testid="graph"] [data-testid^="node."]')
    .evaluateAll((els) =>
      els.map((el) => {
        const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(el.getAttribute('transform') ?? '');
        return {
          id: (el.getAttribute('data-testid') ?? '').slice('node.'.length),
          x: Number(m?.[1]),
          y: Number(m?.[2]),
        };
      }),
    );
  const lanes = new Map<number, { id: string; y: number }[]>();
  for (const p of placed) lanes.set(p.x, [...(lanes.get(p.x) ?? []), p]);
  return [...lanes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, list]) => list.sort((a, b) => a.y - b.y).map((p) => p.id));
}

test('a library scenario and the same scenario as a user file get the same lane order', async ({
  page,
  baseURL,
}) => {
  await page.goto(`/?scenario=${ID}&step=${STEP}`);
  const graph = page.getByTestId('graph');
  await expect(graph).toHaveAttribute('data-lane-order', 'ordered');
  await expect(graph).toHaveAttribute('data-detail', 'story');
  const library = await lanesOnScreen(page);
  expect(library.flat().length).toBeGreaterThan(5);

  // The order objects first appear in, from the same layout code without an order.
  const scenario = libraryScenarios().find((s) => s.id === ID);
  if (!scenario) throw new Error(`no ${ID}`);
  const plain = timelineStory(buildTimeline(runOf(ID)), scenario.focus).layout;
  const shown = new Set(library.flat());
  const firstAppearance = library.map((lane) => {
    const ids = lane.filter((id) => shown.has(id));
    return [...ids].sort((a, b) => (plain.boxes.get(a)?.y ?? 0) - (plain.boxes.get(b)?.y ?? 0));
  });
  expect(library).not.toEqual(firstAppearance);

  await page.goto(
    encodeShare(
      { scenario: { kind: 'inline', scenario }, step: STEP },
      baseURL ?? 'http://localhost:4173/',
    ),
  );
  await expect(page.getByTestId('graph')).toHaveAttribute('data-lane-order', 'ordered', {
    timeout: 20_000,
  });
  expect(await lanesOnScreen(page)).toEqual(library);
});
