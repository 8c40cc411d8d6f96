/**
 * The Story view and the camera that follows the steps: the detail level (toolbar, URL), the
 * fd table and the "+N maps" chip, badges that still count every holder, "Whole graph", and the
 * font-size floor with the step's subject in view on every step of every library scenario.
 */
import { expect, test, type Page } from '@playwright/test';
import { libraryScenarios, watchErrors } from './support';

const scenarios = libraryScenarios();

/** Node titles' rendered size (CSS px), the least on screen, and subjects not fully in view. */
async function measure(page: Page): Promise<{ min: number; outside: string[]; titles: number }> {
  return page.evaluate(() => {
    const fit = document.querySelector('.fit')?.getBoundingClientRect();
    let min = Infinity;
    const titles = Array.from(
      document.querySelectorAll<SVGTextElement>('[data-testid="graph"] .node-title'),
    );
    for (const t of titles) {
      const ctm = t.getScreenCTM();
      if (!ctm) continue;
      min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b));
    }
    const outside = Array.from(document.querySelectorAll('[data-subject="true"]'))
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return (
          !fit ||
          r.left < fit.left - 1 ||
          r.top < fit.top - 1 ||
          r.right > fit.right + 1 ||
          r.bottom > fit.bottom + 1
        );
      })
      .map((e) => e.getAttribute('data-testid') ?? '?');
    return { min, outside, titles: titles.length };
  });
}

/** For every node with a badge: counted edges drawn into it + folded fds that hold it. */
async function badgeMismatches(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const folded = new Map<string, number>();
    for (const card of Array.from(document.querySelectorAll('[data-fds]')))
      for (const item of (card.getAttribute('data-fds') ?? '').split(' ').filter(Boolean)) {
        const target = item.slice(item.indexOf(':') + 1);
        folded.set(target, (folded.get(target) ?? 0) + 1);
      }
    const out: string[] = [];
    for (const node of Array.from(
      document.querySelectorAll('[data-testid^="node."][data-refcnt]'),
    )) {
      const id = (node.getAttribute('data-testid') ?? '').slice('node.'.length);
      const edges = document.querySelectorAll(
        `[data-testid^="edge."][data-counted="true"][data-to="${CSS.escape(id)}"]`,
      ).length;
      const held = edges + (folded.get(id) ?? 0);
      if (String(held) !== node.getAttribute('data-refcnt'))
        out.push(
          `${id}: refcnt ${node.getAttribute('data-refcnt')}, ${held} holders drawn or folded`,
        );
    }
    return out;
  });
}

test('the Story view is the default, and the toolbar switches to every object and back', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { errors } = watchErrors(page);
  await page.goto('/?scenario=scx-layered-refresh&step=2');
  const graph = page.getByTestId('graph');
  await expect(graph).toHaveAttribute('data-detail', 'story');
  await expect(page.locator('[data-testid^="node.fd."]')).toHaveCount(0);
  const card = page.getByTestId('node.process.scx_layered');
  await expect(card).toContainText('fd 4 → layered');
  await expect(card).toContainText('fd 14 → refresh_layer_cpumasks');
  // The step's two fds have their edges; the others are folded holders.
  await expect(page.locator('[data-testid^="edge.fd."]')).toHaveCount(2);
  await expect(card).toHaveAttribute('data-fds', /5:map\.gpu_tid/);
  await expect(page.getByTestId('node.map.gpu_tid')).toHaveCount(0);

  const detail = page
    .getByRole('toolbar', { name: 'Graph view' })
    .getByRole('combobox', { name: 'Detail' });
  await detail.selectOption({ label: 'All objects' });
  await expect(graph).toHaveAttribute('data-detail', 'all');
  await expect(page.getByTestId('node.fd.scx_layered:4')).toBeVisible();
  await expect(page.getByTestId('node.map.gpu_tid')).toHaveCount(1);
  await detail.selectOption({ label: 'Story' });
  await expect(graph).toHaveAttribute('data-detail', 'story');
  await expect(page.locator('[data-testid^="node.fd."]')).toHaveCount(0);

  await page.goto('/?scenario=scx-layered-refresh&step=2&detail=all');
  await expect(graph).toHaveAttribute('data-detail', 'all');
  await page.goto('/?embed=1&scenario=teach-ebusy&step=2&detail=all');
  await expect(graph).toHaveAttribute('data-detail', 'all');
  expect(errors).toEqual([]);
});

test('the "+N maps" chip opens on click and closes again', async ({ page }) => {
  await page.goto('/?scenario=scx-layered-refresh&step=2');
  const chip = page.getByTestId('node.fold.scx_layered');
  await expect(chip).toContainText('+4 maps');
  await expect(chip).toHaveAttribute('aria-expanded', 'false');
  await chip.click();
  await expect(chip).toHaveAttribute('aria-expanded', 'true');
  for (const m of ['gpu_tid', 'gpu_tgid', 'task_ctxs', 'task_layer'])
    await expect(page.getByTestId(`node.map.${m}`)).toHaveCount(1);
  await chip.click();
  await expect(chip).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('node.map.gpu_tid')).toHaveCount(0);
});

test('badges count every holder in the Story view: drawn edges plus folded fds', async ({
  page,
}) => {
  const picks: [string, number[]][] = [
    ['scx-layered-refresh', [1, 2, 9, 13, 19, 20, 24, 27, 31, 42]],
    ['teach-poison', [2, 5, 9, 14]],
    ['teach-timer-after-map', [2, 5, 10]],
  ];
  test.setTimeout(180_000);
  for (const [id, steps] of picks) {
    await page.goto(`/?scenario=${id}`);
    await expect(page.getByTestId('graph')).toHaveAttribute('data-detail', 'story');
    const total = scenarios.find((s) => s.id === id)?.steps.length ?? 0;
    let at = 0;
    for (const step of steps) {
      while (at < step) {
        await page.getByRole('button', { name: 'Next step' }).click();
        at += 1;
        await expect(page.getByTestId('step-counter')).toContainText(`${at} / ${total}`);
      }
      expect(await badgeMismatches(page), `${id} step ${step}`).toEqual([]);
    }
  }
});

test('"Whole graph" shows every object, and pressing it again follows the step', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/?scenario=scx-layered-refresh&step=24');
  const whole = page.getByRole('button', { name: 'Whole graph' });
  await expect(whole).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('node.prog.refresh_layer_cpumasks_3')).toHaveAttribute(
    'data-subject',
    'true',
  );
  expect((await measure(page)).outside).toEqual([]);
  await whole.click();
  await expect(whole).toHaveAttribute('aria-pressed', 'true');
  const inView = await page.evaluate(() => {
    const fit = document.querySelector('.fit')?.getBoundingClientRect();
    return Array.from(document.querySelectorAll('[data-testid^="node."]')).every((e) => {
      const r = e.getBoundingClientRect();
      return (
        !!fit && r.left >= fit.left - 1 && r.right <= fit.right + 1 && r.bottom <= fit.bottom + 1
      );
    });
  });
  expect(inView).toBe(true);
  await whole.click();
  await expect(whole).toHaveAttribute('aria-pressed', 'false');
});

/** The views of the floor: the main view, an embed, presentation mode; and its floor (px). */
const VIEWS: { name: string; query: string; w: number; h: number; floor: number }[] = [
  { name: 'main 1440×900', query: '', w: 1440, h: 900, floor: 11 },
  { name: 'main 1280×720', query: '', w: 1280, h: 720, floor: 11 },
  { name: 'embed 720×400', query: 'embed=1&', w: 720, h: 400, floor: 11 },
  { name: 'embed 640×360', query: 'embed=1&', w: 640, h: 360, floor: 11 },
  { name: 'presentation 1280×720', query: 'present=1&', w: 1280, h: 720, floor: 16 },
];

for (const view of VIEWS)
  for (const s of scenarios)
    test(`${view.name}, ${s.id}: node titles ≥ ${view.floor} px and the subject in view on every step`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: view.w, height: view.h });
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(`/?${view.query}scenario=${s.id}`);
      const counter = page.getByTestId('step-counter');
      const next = page.getByRole('button', { name: 'Next step' });
      const problems: string[] = [];
      let least = Infinity;
      for (let i = 0; i <= s.steps.length; i++) {
        if (i > 0) await next.click();
        await expect(counter).toContainText(`${i} / ${s.steps.length}`);
        // The camera has measured its box and placed the drawing (shown only then).
        await expect(page.locator('.fit[data-scale]')).toBeVisible();
        const m = await measure(page);
        if (m.titles > 0) least = Math.min(least, m.min);
        if (m.titles > 0 && m.min < view.floor)
          problems.push(`step ${i}: node titles at ${m.min.toFixed(2)} px`);
        if (m.outside.length > 0)
          problems.push(`step ${i}: ${m.outside.join(', ')} not fully in view`);
      }
      console.log(`floor ${view.name} ${s.id}: least node title ${least.toFixed(2)} px`);
      expect(problems).toEqual([]);
    });
