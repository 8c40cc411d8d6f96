/**
 * Stepping a newcomer understands: step 0 says what to press; →, Next step and Play move by
 * whole scenario steps; one kernel event is Shift+→ or the "Event by event" switch away.
 * Presentation mode shows the step's short caption in large type under a one-row toolbar at
 * 1280×720, embeds show it too, and a 390×844 phone gets the page without sideways scrolling,
 * with the graph in its pane and the controls and timeline at hand.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { libraryScenarios, runOf, watchErrors } from './support';

const DEFAULT_ID = 'scx-layered-refresh';
const scenarios = libraryScenarios();

function scenario(id: string) {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
}

/** A step's caption as shown (`code` marks dropped); `n` is 1-based. */
function captionOf(id: string, n: number): string {
  const c = scenario(id).steps[n - 1]?.caption;
  if (c === undefined) throw new Error(`${id} step ${n} has no caption`);
  return c.replaceAll('`', '');
}

async function fontPx(l: Locator): Promise<number> {
  return l.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

/** How many lines an element's text takes: rows of its text boxes, by their vertical centres. */
async function linesOf(l: Locator): Promise<number> {
  return l.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tolerance = parseFloat(getComputedStyle(el).fontSize) * 0.6;
    const rows: number[] = [];
    for (const r of Array.from(range.getClientRects())) {
      if (r.width === 0 || r.height === 0) continue;
      const mid = r.top + r.height / 2;
      if (!rows.some((m) => Math.abs(m - mid) < tolerance)) rows.push(mid);
    }
    return rows.length;
  });
}

async function noSideScroll(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? Infinity,
    innerWidth: window.innerWidth,
  }));
}

/** The start hint's box lies wholly below the graph's toolbar band (nothing of it under it). */
async function expectHintBelowToolbar(page: Page) {
  const [hint, band] = await Promise.all([
    page.getByTestId('start-hint').boundingBox(),
    page.locator('.graph-toolbar').first().boundingBox(),
  ]);
  if (!hint || !band) throw new Error('no start hint or toolbar');
  expect(hint.y).toBeGreaterThanOrEqual(band.y + band.height - 0.5);
}

test.describe('stepping', () => {
  test('step 0 says in one line what to press, and is gone once stepping starts', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.goto('/');
    const hint = page.getByTestId('start-hint');
    await expect(hint).toBeVisible();
    await expect(hint).toContainText('Press → to run step 1');
    await expect(hint).toContainText('Shift+→ one kernel event');
    expect(await linesOf(hint)).toBe(1);
    await expectHintBelowToolbar(page);
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step-counter')).toHaveText(
      `1 / ${scenario(DEFAULT_ID).steps.length}`,
    );
    await expect(hint).toHaveCount(0);
    await page.getByRole('button', { name: 'First step' }).click();
    await expect(page.getByTestId('start-hint')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('→, Next step and Play move by whole steps; the buttons say which key does what', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    const run = runOf(DEFAULT_ID);
    const total = run.frames.length;
    const eventsIn = (n: number) => run.frames[n - 1]?.events.length ?? 0;
    expect(eventsIn(1)).toBeGreaterThan(1);
    await page.goto(`/?scenario=${DEFAULT_ID}`);
    const counter = page.getByTestId('step-counter');
    const events = page.getByTestId('event-counter');
    await expect(counter).toHaveText(`0 / ${total}`);
    await expect(page.getByRole('button', { name: 'Next step' })).toHaveAttribute(
      'title',
      'Next step (→)',
    );
    await expect(page.getByRole('button', { name: 'Next event' })).toHaveAttribute(
      'title',
      'Next kernel event (Shift+→)',
    );
    // → shows the whole of step 1: its last event, and its narration with the graph.
    await page.keyboard.press('ArrowRight');
    await expect(counter).toHaveText(`1 / ${total}`);
    await expect(events).toHaveText(`event ${eventsIn(1)} / ${eventsIn(1)}`);
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(counter).toHaveText(`2 / ${total}`);
    await expect(events).toHaveText(`event ${eventsIn(2)} / ${eventsIn(2)}`);
    await page.keyboard.press('ArrowLeft');
    await expect(counter).toHaveText(`1 / ${total}`);

    // Play goes on to step 2, then 3: each shown whole, never stopping part-way in a step.
    await page.getByLabel('Speed').selectOption('4');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect(counter).toHaveText(`2 / ${total}`, { timeout: 15_000 });
    await expect(events).toHaveText(`event ${eventsIn(2)} / ${eventsIn(2)}`);
    await expect(counter).toHaveText(`3 / ${total}`, { timeout: 15_000 });
    await expect(events).toHaveText(`event ${eventsIn(3)} / ${eventsIn(3)}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('one kernel event: Shift+→, or the "Event by event" switch for → and Play', async ({
    page,
  }) => {
    test.slow();
    const { errors } = watchErrors(page);
    const run = runOf(DEFAULT_ID);
    const total = run.frames.length;
    const k = run.frames[0]?.events.length ?? 0;
    expect(k).toBeGreaterThan(3);
    await page.goto(`/?scenario=${DEFAULT_ID}`);
    const counter = page.getByTestId('step-counter');
    const events = page.getByTestId('event-counter');
    await page.keyboard.press('Shift+ArrowRight');
    await expect(counter).toHaveText(`1 / ${total}`);
    await expect(events).toHaveText(`event 1 / ${k}`);
    await page.keyboard.press('Shift+ArrowRight');
    await expect(events).toHaveText(`event 2 / ${k}`);
    await page.keyboard.press('Shift+ArrowLeft');
    await expect(events).toHaveText(`event 1 / ${k}`);
    await page.keyboard.press('Home');

    // The switch: → and Play now go one event at a time, Shift+→ a whole step.
    const byEvent = page.getByRole('checkbox', { name: 'Event by event' });
    await byEvent.check();
    await expect(page.getByRole('button', { name: 'Next event' })).toHaveAttribute(
      'title',
      'Next kernel event (→)',
    );
    await expect(page.getByRole('button', { name: 'Next step' })).toHaveAttribute(
      'title',
      'Next step (Shift+→)',
    );
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowRight');
    await expect(events).toHaveText(`event 1 / ${k}`);
    await page.keyboard.press('Shift+ArrowRight');
    await expect(events).toHaveText(`event ${k} / ${k}`);
    await page.keyboard.press('Home');
    await page.getByLabel('Speed').selectOption('0.5');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(events).toHaveText(`event 2 / ${k}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(counter).toHaveText(`1 / ${total}`);
    await byEvent.uncheck();
    await expect(page.getByRole('button', { name: 'Next step' })).toHaveAttribute(
      'title',
      'Next step (→)',
    );
    expect(errors).toEqual([]);
  });
});

test.describe('presentation at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  for (const step of [0, 19, 42]) {
    test(`step ${step}: one-row toolbar, and the caption large on at most two lines`, async ({
      page,
    }) => {
      const { errors } = watchErrors(page);
      await page.goto(`/?scenario=${DEFAULT_ID}&step=${step}&present=1`);
      await expect(page.getByTestId('presentation')).toBeVisible();
      // Every control of the bar sits on one row: the bar is one control high.
      const bar = page.locator('.present-bar');
      const boxes = await bar
        .locator('button, select')
        .evaluateAll((els) =>
          els.map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0),
        );
      expect(boxes.length).toBeGreaterThan(8);
      const tallest = Math.max(...boxes.map((b) => b.height));
      const tops = boxes.map((b) => b.top + b.height / 2);
      expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(tallest / 2);
      const barBox = await bar.boundingBox();
      expect(barBox?.height ?? Infinity).toBeLessThan(tallest * 1.8);

      if (step === 0) {
        await expect(page.getByTestId('start-hint')).toContainText('Press → to run step 1');
        expect(await fontPx(page.getByTestId('start-hint'))).toBeGreaterThanOrEqual(24);
      } else {
        const caption = page.getByTestId('caption');
        await expect(caption).toHaveText(captionOf(DEFAULT_ID, step));
        expect(await fontPx(caption)).toBeGreaterThanOrEqual(28);
        expect(await linesOf(caption)).toBeLessThanOrEqual(2);
        // The long narration is not on the slide.
        const say = runOf(DEFAULT_ID).frames[step - 1]?.step.say ?? '';
        await expect(page.getByTestId('presentation')).not.toContainText(
          say.replaceAll('`', '').slice(0, 60),
        );
        // Caption and graph share the screen: the caption takes at most a quarter of it.
        const box = await page.locator('.present-caption').boundingBox();
        expect(box?.height ?? Infinity).toBeLessThanOrEqual(720 / 4);
      }
      expect(errors).toEqual([]);
    });
  }

  test('→ steps and the caption follows; the slide has no event buttons', async ({ page }) => {
    await page.goto(`/?scenario=teach-poison&step=5&present=1`);
    await expect(page.getByTestId('caption')).toHaveText(captionOf('teach-poison', 5));
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('caption')).toHaveText(captionOf('teach-poison', 6));
    await expect(page.getByTestId('caption')).toContainText('BPF_PTR_POISON');
    await expect(page.getByRole('button', { name: 'Next event' })).toHaveCount(0);
  });
});

test('an embed at 720×400 shows the caption, and the start hint at step 0', async ({ page }) => {
  await page.setViewportSize({ width: 720, height: 400 });
  await page.goto(`/?scenario=teach-timer-after-map&embed=1`);
  await expect(page.getByTestId('start-hint')).toContainText('Next step');
  await page.getByRole('button', { name: 'Last step' }).click();
  const caption = page.getByTestId('caption');
  await expect(caption).toHaveText(captionOf('teach-timer-after-map', 10));
  expect(await fontPx(caption)).toBeGreaterThanOrEqual(16);
  expect(await linesOf(caption)).toBeLessThanOrEqual(2);
  const sides = await noSideScroll(page);
  expect(sides.scrollWidth).toBeLessThanOrEqual(sides.innerWidth);
});

test.describe('a phone, 390×844', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const [id, step] of [
    [DEFAULT_ID, 0],
    [DEFAULT_ID, 19],
    [DEFAULT_ID, 42],
    ['teach-poison', 6],
    ['teach-timer-after-map', 10],
  ] as const) {
    test(`${id} step ${step}: no sideways scroll, the graph fits, the side panel is below`, async ({
      page,
    }) => {
      const { errors } = watchErrors(page);
      await page.goto(`/?scenario=${id}&step=${step}`);
      await expect(page.getByTestId('graph')).toBeVisible();
      const sides = await noSideScroll(page);
      expect(sides.scrollWidth).toBeLessThanOrEqual(sides.innerWidth);
      // The graph's pane: the camera may draw the graph larger than it and crop it.
      const graph = await page
        .locator('.graph-wrap', { has: page.getByTestId('graph') })
        .first()
        .boundingBox();
      if (!graph) throw new Error('no graph box');
      expect(graph.height).toBeGreaterThanOrEqual(200);
      expect(graph.x).toBeGreaterThanOrEqual(0);
      expect(graph.x + graph.width).toBeLessThanOrEqual(390 + 0.5);
      const narration = await page.getByTestId('narration').boundingBox();
      expect(narration?.y ?? 0).toBeGreaterThanOrEqual(graph.y + graph.height - 1);
      if (step === 0) await expectHintBelowToolbar(page);
      expect(errors).toEqual([]);
    });
  }

  test('the camera frames each step above the dock that sticks over the graph pane', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    const total = scenario(DEFAULT_ID).steps.length;
    await page.goto(`/?scenario=${DEFAULT_ID}`);
    const graph = page.getByTestId('graph');
    await expect(graph).toBeVisible();
    /** The boxes of `selector`'s elements, once the camera's glide is over, in page order. */
    const framed = async (selector: string) => {
      await page.waitForTimeout(100);
      await expect.poll(() => graph.evaluate((el) => el.getAnimations().length)).toBe(0);
      return page.locator(selector).evaluateAll((els) => {
        const pane = document.querySelector('.stage-graph .fit')?.getBoundingClientRect();
        const band = document.querySelector('.graph-toolbar')?.getBoundingClientRect();
        const dock = document.querySelector('.dock')?.getBoundingClientRect();
        if (!pane || !band || !dock) throw new Error('no pane, toolbar or dock');
        // What a person sees of the pane: below the toolbar's band, above the dock.
        const top = Math.max(pane.top, band.bottom);
        const bottom = Math.min(pane.bottom, dock.top, window.innerHeight);
        return els
          .map((el) => {
            const r = el.getBoundingClientRect();
            return {
              id: el.getAttribute('data-testid'),
              top: r.top,
              seen: r.top >= top - 1 && r.bottom <= bottom + 1 && r.left >= -1,
            };
          })
          .sort((a, b) => a.top - b.top);
      });
    };
    // Step 0: the first process's card, which its lane places low, is not under the dock.
    const cards = await framed('[data-testid^="node."]');
    expect(cards[0]?.id).toBe('node.process.scx_layered');
    expect(cards[0]?.seen, 'the first card between the toolbar and the dock').toBe(true);
    // The steps after it: each step's subject is there too.
    const next = page.getByRole('button', { name: 'Next step' });
    for (let n = 1; n <= 8; n++) {
      await next.click();
      await expect(page.getByTestId('step-counter')).toHaveText(`${n} / ${total}`);
      const subject = await framed('[data-subject="true"]');
      for (const s of subject) expect(s.seen, `step ${n}: ${s.id} above the dock`).toBe(true);
    }
    expect(errors).toEqual([]);
  });

  test('the controls and the timeline are on screen and work', async ({ page }) => {
    const { errors } = watchErrors(page);
    const total = scenario(DEFAULT_ID).steps.length;
    await page.goto(`/?scenario=${DEFAULT_ID}`);
    const next = page.getByRole('button', { name: 'Next step' });
    const timeline = page.getByRole('slider', { name: 'Timeline' });
    for (const control of [
      page.getByRole('button', { name: 'Previous step' }),
      page.getByRole('button', { name: 'Play' }),
      next,
      page.getByRole('button', { name: 'Last step' }),
      page.getByTestId('step-counter'),
      timeline,
    ]) {
      await expect(control).toBeInViewport({ ratio: 1 });
      const box = await control.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(control === timeline ? 10 : 20);
    }
    await next.click();
    await next.click();
    await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${total}`);
    // Scrolled down to the narration, the controls are still at hand.
    await page.getByTestId('narration').scrollIntoViewIfNeeded();
    await expect(next).toBeInViewport({ ratio: 1 });
    await next.click();
    await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${total}`);
    await timeline.focus();
    await page.keyboard.press('End');
    await expect(page.getByTestId('step-counter')).toHaveText(`${total} / ${total}`);
    const sides = await noSideScroll(page);
    expect(sides.scrollWidth).toBeLessThanOrEqual(sides.innerWidth);
    expect(errors).toEqual([]);
  });
});
