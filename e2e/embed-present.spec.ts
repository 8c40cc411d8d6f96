/**
 * Demos, docs embeds and talks: `?embed=1` (graph, controls and narration in a small frame,
 * read-only, also inside cross-origin iframes and without storage), the example page with two
 * independent embeds, presentation mode (clicker keys, blank screen, chapters, auto-advance,
 * leaving), the transcript, and the theme switch (remembered, overridden by `?theme=`).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test, libraryScenarios, runOf, watchErrors } from './support';

const scenarios = libraryScenarios();

function stepsOf(id: string): number {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s.steps.length;
}

/** Narration text as shown: `code` marks dropped. */
function plain(text: string): string {
  return text.replaceAll('`', '');
}

/** The computed font size, in px, of the first element a locator finds. */
async function fontPx(l: Locator): Promise<number> {
  return l.first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

/**
 * The step on screen reads, once the camera has settled: its subject (`data-subject`) lies
 * inside the viewport, and node titles render at `floor` px or more (the graph fits its frame
 * when it can be read whole; otherwise the camera follows the step).
 */
async function expectStepInViewport(page: Page, floor = 11): Promise<void> {
  const vp = page.viewportSize();
  if (!vp) throw new Error('no viewport');
  // The view the step settles on: the camera's glide (a Web Animation on the drawing; the
  // first placement glides from the whole drawing fitted) is over.
  const graph = page.getByTestId('graph');
  await expect.poll(() => graph.evaluate((el) => el.getAnimations().length)).toBe(0);
  const out = await page.locator('[data-subject="true"]').evaluateAll(
    (els, [w, h]) =>
      els.flatMap((el) => {
        const r = el.getBoundingClientRect();
        return r.left >= -1 && r.top >= -1 && r.right <= w + 1 && r.bottom <= h + 1
          ? []
          : [`${el.getAttribute('data-testid')} at ${r.left},${r.top} ${r.width}x${r.height}`];
      }),
    [vp.width, vp.height] as const,
  );
  expect(out, 'the subject outside the viewport').toEqual([]);
  const least = await page.locator('[data-testid="graph"] .node-title').evaluateAll((els) =>
    Math.min(
      ...els.map((el) => {
        const ctm = (el as SVGGraphicsElement).getScreenCTM();
        return ctm ? parseFloat(getComputedStyle(el).fontSize) * Math.hypot(ctm.a, ctm.b) : 0;
      }),
    ),
  );
  expect(least, 'node titles (px)').toBeGreaterThanOrEqual(floor);
}

test.describe('embed', () => {
  test.use({ viewport: { width: 640, height: 360 } });

  test('at 640×360: graph, caption and controls only, legible, nothing outside the frame', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    const total = stepsOf('teach-ebusy');
    await page.goto('/?embed=1&scenario=teach-ebusy&step=3');
    await expect(page.getByTestId('graph')).toBeVisible();
    await expect(page.getByTestId('narration')).toBeVisible();
    await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${total}`);
    await expect(page.getByTestId('node.prog.helper')).toHaveAttribute('data-assoc', 'map_a');
    // Read-only and quiet: no picker, console, inspector, kernel pane or state text.
    await expect(page.getByTestId('console-input')).toHaveCount(0);
    await expect(page.getByTestId('scenario-picker')).toHaveCount(0);
    await expect(page.getByTestId('inspector')).toHaveCount(0);
    await expect(page.getByTestId('kernel-state')).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0);
    // Sized to the frame: no scrolling, and the graph fits both ways.
    const scroll = await page.evaluate(() => ({
      w: document.documentElement.scrollWidth,
      h: document.documentElement.scrollHeight,
    }));
    expect(scroll.w).toBeLessThanOrEqual(640);
    expect(scroll.h).toBeLessThanOrEqual(360);
    await expectStepInViewport(page);
    // The step's short caption, at reading size.
    await expect(page.getByTestId('caption')).toHaveText(
      plain(scenarios.find((x) => x.id === 'teach-ebusy')?.steps[2]?.caption ?? '?'),
    );
    expect(await fontPx(page.getByTestId('caption'))).toBeGreaterThanOrEqual(16);
    // The controls work.
    const next = page.getByRole('button', { name: 'Next step' });
    await expect(next).toBeVisible();
    await next.click();
    await expect(page.getByTestId('step-counter')).toHaveText(`4 / ${total}`);
    await expectStepInViewport(page);
    // The URL of an embed does not follow the step (the host page owns it).
    expect(new URL(page.url()).searchParams.get('step')).toBe('3');
    expect(errors).toEqual([]);
  });

  test('controls=0 hides the stepping controls; step= and theme= are honoured', async ({
    page,
  }) => {
    await page.goto('/?embed=1&scenario=teach-ebusy&step=2&controls=0&theme=dark');
    await expect(page.getByTestId('graph')).toBeVisible();
    await expect(page.getByTestId('narration')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next step' })).toHaveCount(0);
    await expect(page.getByTestId('step-counter')).toHaveCount(0);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const run = runOf('teach-ebusy');
    await expect(page.getByTestId('narration')).toContainText(run.frames[1]?.label ?? '?');
  });

  test('autoplay=1 advances by itself', async ({ page }) => {
    const total = stepsOf('teach-ebusy');
    await page.goto('/?embed=1&scenario=teach-ebusy&autoplay=1');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect(page.getByTestId('step-counter')).not.toHaveText(`0 / ${total}`, {
      timeout: 5000,
    });
  });

  test('works without storage (third-party frames may not use localStorage)', async ({ page }) => {
    const { errors } = watchErrors(page);
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    });
    await page.goto('/?embed=1&scenario=teach-ebusy');
    await expect(page.getByTestId('graph')).toBeVisible();
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(page.getByTestId('step-counter')).toHaveText(`1 / ${stepsOf('teach-ebusy')}`);
    expect(errors).toEqual([]);
  });
});

test('the example page embeds two scenarios that step independently', async ({ page }) => {
  const { errors } = watchErrors(page);
  await page.goto('/embed-example.html');
  const a = page.frameLocator('#embed-ebusy');
  const b = page.frameLocator('#embed-poison');
  const ebusy = stepsOf('teach-ebusy');
  const poison = stepsOf('teach-poison');
  await expect(a.getByTestId('graph')).toBeVisible();
  await expect(b.getByTestId('graph')).toBeVisible();
  await expect(a.getByTestId('step-counter')).toHaveText(`0 / ${ebusy}`);
  await expect(b.getByTestId('step-counter')).toHaveText(`2 / ${poison}`);
  await a.getByRole('button', { name: 'Next step' }).click();
  await a.getByRole('button', { name: 'Next step' }).click();
  await expect(a.getByTestId('step-counter')).toHaveText(`2 / ${ebusy}`);
  await expect(b.getByTestId('step-counter')).toHaveText(`2 / ${poison}`);
  await b.getByRole('button', { name: 'First step' }).click();
  await expect(b.getByTestId('step-counter')).toHaveText(`0 / ${poison}`);
  await expect(a.getByTestId('step-counter')).toHaveText(`2 / ${ebusy}`);
  expect(errors).toEqual([]);
});

test('an embed works inside an iframe on another origin', async ({ page, baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  const { errors } = watchErrors(page);
  // The host page is about:blank (an opaque origin): the frame is cross-origin to it.
  await page.setContent(
    `<iframe id="x" title="embed" style="width:640px;height:360px;border:0" src="${new URL('./?embed=1&scenario=teach-poison', baseURL).href}"></iframe>`,
  );
  const f = page.frameLocator('#x');
  await expect(f.getByTestId('graph')).toBeVisible();
  await f.getByRole('button', { name: 'Next step' }).click();
  await expect(f.getByTestId('step-counter')).toHaveText(`1 / ${stepsOf('teach-poison')}`);
  expect(errors).toEqual([]);
});

test.describe('presentation', () => {
  test('?present=1: large caption, PageDown/PageUp step, B blanks and unblanks, Escape leaves', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    const total = stepsOf('teach-ebusy');
    await page.goto('/?scenario=teach-ebusy&present=1');
    await expect(page.getByTestId('presentation')).toBeVisible();
    await expect(page.getByTestId('scenario-picker')).toHaveCount(0);
    await expect(page.getByTestId('console-input')).toHaveCount(0);
    const counter = page.getByTestId('step-counter');
    await expect(counter).toHaveText(`0 / ${total}`);
    await page.keyboard.press('PageDown');
    await expect(counter).toHaveText(`1 / ${total}`);
    await page.keyboard.press('PageDown');
    await expect(counter).toHaveText(`2 / ${total}`);
    await page.keyboard.press('ArrowRight');
    await expect(counter).toHaveText(`3 / ${total}`);
    await page.keyboard.press('PageUp');
    await expect(counter).toHaveText(`2 / ${total}`);
    await page.keyboard.press('ArrowLeft');
    await expect(counter).toHaveText(`1 / ${total}`);
    expect(await fontPx(page.getByTestId('caption'))).toBeGreaterThanOrEqual(28);
    await expectStepInViewport(page, 16);

    await page.keyboard.press('b');
    await expect(page.getByTestId('blank-screen')).toBeVisible();
    await page.keyboard.press('b');
    await expect(page.getByTestId('blank-screen')).toHaveCount(0);
    await page.keyboard.press('.');
    await expect(page.getByTestId('blank-screen')).toBeVisible();
    await page.keyboard.press('.');
    await expect(page.getByTestId('blank-screen')).toHaveCount(0);

    await page.keyboard.press('Escape');
    await expect(page.getByTestId('presentation')).toHaveCount(0);
    await expect(page.getByTestId('scenario-picker')).toBeVisible();
    await expect(counter).toHaveText(`1 / ${total}`);
    expect(new URL(page.url()).searchParams.has('present')).toBe(false);
    await expect(page.getByRole('button', { name: 'Present' })).toBeFocused();
    expect(errors).toEqual([]);
  });

  test('P enters and leaves; [ and ] move by chapter; the chapter list jumps', async ({ page }) => {
    const run = runOf('scx-layered-refresh');
    const starts = run.frames.flatMap((f, i) => (f.step.chapter ? [i] : []));
    expect(starts.length).toBeGreaterThan(2);
    const [first, second] = starts;
    if (first === undefined || second === undefined) throw new Error('chapters');
    await page.goto('/?scenario=scx-layered-refresh');
    await expect(page.getByTestId('graph')).toBeVisible();
    await page.keyboard.press('p');
    await expect(page.getByTestId('presentation')).toBeVisible();
    const counter = page.getByTestId('step-counter');
    const total = run.frames.length;
    await page.keyboard.press(']');
    await expect(counter).toHaveText(`${first + 1} / ${total}`);
    await page.keyboard.press(']');
    await expect(counter).toHaveText(`${second + 1} / ${total}`);
    await expect(page.getByTestId('narration')).toContainText(
      run.frames[second]?.step.chapter ?? '?',
    );
    await page.keyboard.press('PageDown');
    await page.keyboard.press('[');
    await expect(counter).toHaveText(`${second + 1} / ${total}`);
    await page.keyboard.press('[');
    await expect(counter).toHaveText(`${first + 1} / ${total}`);
    const last = starts.length - 1;
    await page.getByTestId('chapter-select').selectOption(String(last));
    await expect(counter).toHaveText(`${(starts[last] ?? 0) + 1} / ${total}`);
    await page.getByRole('button', { name: 'Next chapter' }).focus();
    await page.keyboard.press('p');
    await expect(page.getByTestId('presentation')).toHaveCount(0);
  });

  test('auto-advance: ?dwell= sets the pace, and a control starts and stops it', async ({
    page,
  }) => {
    const total = stepsOf('teach-ebusy');
    await page.goto('/?scenario=teach-ebusy&present=1&autoplay=1&dwell=1');
    const counter = page.getByTestId('step-counter');
    const stop = page.getByRole('button', { name: 'Stop auto-advance' });
    await expect(stop).toBeVisible();
    await expect(counter).toHaveText(`2 / ${total}`, { timeout: 4000 });
    await stop.click();
    const start = page.getByRole('button', { name: 'Start auto-advance' });
    await expect(start).toBeVisible();
    const held = await counter.textContent();
    await page.waitForTimeout(1600);
    await expect(counter).toHaveText(held ?? '');
    await start.click();
    await expect(counter).not.toHaveText(held ?? '', { timeout: 3000 });
  });

  test('a big graph: the camera follows what the step changed; Z shows the whole graph', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    const id = 'scx-layered-refresh';
    // Step 12 runs the trigger: a few objects change in a graph of dozens.
    await page.goto(`/?scenario=${id}&step=11&present=1`);
    await expect(page.getByTestId('presentation')).toBeVisible();
    await page.keyboard.press('PageDown');
    await expect(page.getByTestId('step-counter')).toHaveText(`12 / ${stepsOf(id)}`);
    const follow = page.getByRole('button', { name: 'Follow changes' });
    await expect(follow).toHaveAttribute('aria-pressed', 'true');
    const graph = page.getByTestId('graph');
    const width = async () => {
      // Wait out the camera's glide (a Web Animation on the drawing) before measuring: a fixed
      // wait can end before a glide that started late on a busy machine.
      await page.waitForTimeout(100);
      await expect.poll(() => graph.evaluate((el) => el.getAnimations().length)).toBe(0);
      return (await graph.boundingBox())?.width ?? 0;
    };
    const followed = await width();
    await page.keyboard.press('z');
    await expect(follow).toHaveAttribute('aria-pressed', 'false');
    const whole = await width();
    expect(followed).toBeGreaterThan(whole * 1.3);
    await follow.click();
    await expect(follow).toHaveAttribute('aria-pressed', 'true');
    expect(await width()).toBeCloseTo(followed, 0);
    expect(errors).toEqual([]);
  });
});

for (const { what, query, viewport } of [
  { what: 'presenting at 1280×720', query: 'present=1', viewport: { width: 1280, height: 720 } },
  { what: 'in a 720×400 embed', query: 'embed=1', viewport: { width: 720, height: 400 } },
]) {
  test(`before the first step, ${what}, the camera shows the objects already there`, async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.setViewportSize(viewport);
    // The default scenario starts with two processes, cards their lane places low and far
    // apart: the view moves down to the first (the lanes' titles go out of view), not past it.
    await page.goto(`/?${query}`);
    await expect(page.getByTestId('step-counter')).toHaveText(/^0 \//);
    const graph = page.getByTestId('graph');
    await expect(graph).toBeVisible();
    await page.waitForTimeout(100);
    await expect.poll(() => graph.evaluate((el) => el.getAnimations().length)).toBe(0);
    const cards = await page.locator('[data-testid^="node."]').evaluateAll(
      (els, [w, h]) => {
        const frame = document.querySelector('.graph-wrap')?.getBoundingClientRect();
        const top = Math.max(0, frame?.top ?? 0);
        const bottom = Math.min(h, frame?.bottom ?? h);
        const right = Math.min(w, frame?.right ?? w);
        return els
          .map((el) => {
            const r = el.getBoundingClientRect();
            const inView =
              r.left >= -1 && r.top >= top - 1 && r.right <= right + 1 && r.bottom <= bottom + 1;
            return { id: el.getAttribute('data-testid'), top: r.top, inView };
          })
          .sort((a, b) => a.top - b.top);
      },
      [viewport.width, viewport.height] as const,
    );
    expect(cards.map((c) => c.id)).toEqual([
      'node.process.scx_layered',
      'node.process.scx_layered_batch',
    ]);
    expect(cards[0]?.inView, 'the first object in view').toBe(true);
    expect(errors).toEqual([]);
  });
}

for (const { what, query, viewport } of [
  { what: 'presenting at 1280×720', query: 'present=1', viewport: { width: 1280, height: 720 } },
  { what: 'in a 720×400 embed', query: 'embed=1', viewport: { width: 720, height: 400 } },
  { what: 'at 1440×900', query: '', viewport: { width: 1440, height: 900 } },
]) {
  test(`${what}, the lanes' titles stay in view when the camera goes down the lanes`, async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.setViewportSize(viewport);
    const graph = page.getByTestId('graph');
    /** Each lane title in view across, and whether it is in the frame's top band. */
    const titles = async () => {
      await page.waitForTimeout(100);
      await expect.poll(() => graph.evaluate((el) => el.getAnimations().length)).toBe(0);
      return graph.evaluate((svg) => {
        const frame = svg.closest('.fit')?.getBoundingClientRect();
        const band = svg.closest('.fit')?.querySelector('.graph-toolbar')?.getBoundingClientRect();
        if (!frame || !band) throw new Error('no frame or toolbar');
        const right = Math.min(frame.right, window.innerWidth);
        const subjects = Array.from(svg.querySelectorAll('[data-subject="true"]')).map((el) =>
          el.getBoundingClientRect(),
        );
        return Array.from(svg.querySelectorAll('.lane-head')).flatMap((head) => {
          const t = head.querySelector('.lane-title')?.getBoundingClientRect();
          const bg = head.querySelector('.lane-head-bg')?.getBoundingClientRect();
          if (!t || !bg || t.left < frame.left || t.right > right) return [];
          return [
            {
              lane: head.getAttribute('data-lane-head'),
              // Below the toolbar's band, within the first 60 px of the frame under it.
              atTop: t.top >= band.bottom - 1 && t.bottom <= band.bottom + 60,
              // No subject of the step under the title's band.
              overSubject: subjects.some(
                (s) =>
                  s.left < bg.right && s.right > bg.left && s.top < bg.bottom && s.bottom > bg.top,
              ),
            },
          ];
        });
      });
    };
    // Step 12 of the default scenario: the trigger's kick, far down the programs' lane.
    await page.goto(`/?${query}${query ? '&' : ''}step=12`);
    await expect(page.getByTestId('step-counter')).toHaveText(/^12 \//);
    await expect(graph).toHaveAttribute('data-lane-heads', 'moved');
    const down = await titles();
    expect(down.map((t) => t.lane)).toContain('progs');
    for (const t of down) {
      expect(t.atTop, `${t.lane}'s title at the top of the view`).toBe(true);
      expect(t.overSubject, `${t.lane}'s title over the step's subject`).toBe(false);
    }
    // No step's subject goes under the titles (the camera frames it below them).
    await page.keyboard.press('Home');
    for (let n = 1; n <= 24; n++) {
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('step-counter')).toHaveText(new RegExp(`^${n} /`));
      for (const t of await titles())
        expect(t.overSubject, `step ${n}: ${t.lane}'s title over the step's subject`).toBe(false);
    }
    // Back at the start, the titles are where the lanes begin.
    await page.keyboard.press('Home');
    await expect(page.getByTestId('step-counter')).toHaveText(/^0 \//);
    const first = await titles();
    expect(first.length).toBeGreaterThan(0);
    if (viewport.width === 1440) {
      await expect(graph).not.toHaveAttribute('data-lane-heads', 'moved');
      for (const t of first) expect(t.atTop, `${t.lane}'s title`).toBe(true);
    }
    expect(errors).toEqual([]);
  });
}

for (const { what, query, viewport } of [
  { what: 'on a phone', query: '', viewport: { width: 390, height: 844 } },
  { what: 'in a 640×360 embed', query: 'embed=1', viewport: { width: 640, height: 360 } },
  { what: 'presenting at 1280×720', query: 'present=1', viewport: { width: 1280, height: 720 } },
]) {
  test(`${what}, a lane that starts left of the view has its title at the view's edge`, async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.setViewportSize(viewport);
    const graph = page.getByTestId('graph');
    /**
     * Lanes that start left of the frame, whose title is moved or has room in what shows of
     * the lane: whether the title is in view across, and whether it was moved.
     */
    const cutLanes = () =>
      graph.evaluate((svg) => {
        const frame = svg.closest('.fit')?.getBoundingClientRect();
        if (!frame) throw new Error('no frame');
        const right = Math.min(frame.right, window.innerWidth);
        return Array.from(svg.querySelectorAll('.lane-head')).flatMap((head) => {
          const t = head.querySelector('.lane-title')?.getBoundingClientRect();
          const bg = head.querySelector('.lane-head-bg')?.getBoundingClientRect();
          // Titles the view shows from top to bottom, of lanes that start left of it.
          if (!t || !bg || t.top < frame.top || t.bottom > frame.bottom) return [];
          if (bg.left >= frame.left) return [];
          const moved = getComputedStyle(head).getPropertyValue('--lane-title-dx').trim() !== '';
          // Room for the title in what shows of the lane (its margin and the lane's padding).
          const room = bg.right - frame.left >= t.width + 40;
          if (!room && !moved) return [];
          return [
            {
              lane: head.getAttribute('data-lane-head'),
              inView: t.left >= frame.left && t.right <= right,
              moved,
            },
          ];
        });
      });
    await page.goto(`/?${query}${query ? '&' : ''}step=1`);
    await expect(page.getByTestId('step-counter')).toHaveText(/^1 \//);
    let moved = 0;
    for (let n = 2; n <= 24; n++) {
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('step-counter')).toHaveText(new RegExp(`^${n} /`));
      await expect.poll(() => graph.evaluate((el) => el.getAnimations().length)).toBe(0);
      await expect
        .poll(async () => (await cutLanes()).filter((l) => !l.inView).map((l) => l.lane))
        .toEqual([]);
      moved += (await cutLanes()).filter((l) => l.moved).length;
    }
    // The camera did start inside a lane on some of these steps (the check was not empty).
    expect(moved).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
}

test('the transcript lists every step of the default scenario, as text', async ({ page }) => {
  const run = runOf('scx-layered-refresh');
  await page.goto('/');
  await page.getByRole('button', { name: 'Transcript' }).click();
  const dialog = page.getByRole('dialog', { name: /Transcript/ });
  await expect(dialog).toBeVisible();
  const items = dialog.getByTestId('transcript-step');
  await expect(items).toHaveCount(run.frames.length);
  for (const [i, f] of run.frames.entries()) {
    const item = items.nth(i);
    await expect(item).toContainText(f.label);
    await expect(item).toContainText(f.step.say.replaceAll('`', ''));
  }
  // No markup from scenario text reaches the DOM as HTML.
  expect(await dialog.locator('script, img, iframe').count()).toBe(0);
  await items.nth(4).getByRole('button', { name: 'Show step 5' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('step-counter')).toHaveText(`5 / ${run.frames.length}`);
  await page.getByRole('button', { name: 'Transcript' }).click();
  await expect(dialog).toBeVisible();
  // Keys in the dialog stay there: the viewer behind it does not step, P does not present.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('p');
  await expect(page.getByTestId('step-counter')).toHaveText(`5 / ${run.frames.length}`);
  await expect(page.getByTestId('presentation')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test.describe('theme', () => {
  test('the switch sets data-theme, is remembered across reloads, and ?theme= overrides it', async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    const html = page.locator('html');
    const theme = page.getByRole('combobox', { name: 'Theme' });
    await expect(theme).toHaveValue('system');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await theme.selectOption('dark');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    const bg = await page.evaluate(
      () => getComputedStyle(document.documentElement).backgroundColor,
    );
    expect(bg).toBe('rgb(15, 20, 25)');
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await expect(theme).toHaveValue('dark');
    // The URL wins over what was saved (an embed follows its host page).
    await page.goto('/?theme=light');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await page.goto('/');
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });

  test('system follows prefers-color-scheme, live', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/?theme=system');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(html).toHaveAttribute('data-theme', 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });
});
