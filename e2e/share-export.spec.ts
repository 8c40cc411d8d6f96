/**
 * Share links and graph exports, on the real page: a copied link reopens the same scenario at
 * the same step; an inline (edited) scenario travels in `?s=1.…`; damaged or future links say
 * what is wrong without crashing; SVG and PNG exports download under the right names with the
 * right content.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { parseScenario } from '../src/scenario/parse';
import { encodeShare } from '../src/share/encode';
import { expect, test, libraryScenarios, watchErrors } from './support';

const stepsOf = (id: string): number => {
  const s = libraryScenarios().find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s.steps.length;
};

const SMALL = `format: 1
id: shared-by-link
title: Shared through a link (e2e)
summary: A small edited scenario that travels inside its link.
objects:
  obj:
    maps:
      ops_map:
        type: struct_ops
        struct: bpf_testmod_multi_st_ops
        members: { test_1: test_1 }
    progs:
      test_1:
        section: struct_ops/test_1
        body: [return 1]
      helper:
        section: syscall
        body: [return 0]
steps:
  - op: open_and_load
    object: obj
    say: Load the object.
  - op: assoc
    prog: helper
    map: ops_map
    say: Associate the helper with the map.
`;

/** Page errors only (a refused link may log to the console, but must not throw). */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function exportAs(page: Page, format: 'SVG' | 'PNG'): Promise<Download> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: format, exact: true }).click(),
  ]);
  return download;
}

async function contentOf(download: Download): Promise<Buffer> {
  return readFileSync(await download.path());
}

test.describe('share links', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('a copied link opens the same scenario at the same step', async ({ page, context }) => {
    const { errors } = watchErrors(page);
    const n = stepsOf('teach-ebusy');
    await page.goto('/?scenario=teach-ebusy&step=2');
    await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${n}`);

    const share = page.getByRole('button', { name: 'Share', exact: true });
    await expect(share).toHaveAttribute('aria-expanded', 'false');
    await share.click();
    await expect(share).toHaveAttribute('aria-expanded', 'true');
    const field = page.getByRole('textbox', { name: 'Link' });
    await expect(field).toHaveValue(/\?scenario=teach-ebusy&step=2$/);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByTestId('share-status')).toHaveText('Link copied.');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(await field.inputValue());

    const other = await context.newPage();
    const otherErrors = pageErrors(other);
    await other.goto(link);
    await expect(other.getByTestId('step-counter')).toHaveText(`2 / ${n}`);
    await expect(other.getByTestId('scenario-picker')).toHaveValue('teach-ebusy');
    expect(otherErrors).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('"At this step" off links to the start; "Embed" gives an iframe snippet', async ({
    page,
  }) => {
    await page.goto('/?scenario=teach-poison&step=3');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('checkbox', { name: 'At this step' }).uncheck();
    await expect(page.getByRole('textbox', { name: 'Link' })).toHaveValue(
      /\?scenario=teach-poison$/,
    );
    await page.getByRole('checkbox', { name: 'At this step' }).check();
    await page.getByRole('checkbox', { name: 'Embed' }).check();
    const snippet = page.getByRole('textbox', { name: 'Embed code' });
    await expect(snippet).toHaveValue(
      /^<iframe src="http[^"]+\?scenario=teach-poison&amp;step=3&amp;embed=1[^"]*" width="800" height="450" title="structops-lab: [^"]+" loading="lazy"><\/iframe>$/,
    );
  });

  test('the popover is a keyboard citizen: Escape closes it and focus returns', async ({
    page,
  }) => {
    await page.goto('/?scenario=teach-ebusy');
    const share = page.getByRole('button', { name: 'Share', exact: true });
    await share.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Share this view' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Link' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Share this view' })).toHaveCount(0);
    await expect(share).toBeFocused();
    await expect(share).toHaveAttribute('aria-expanded', 'false');
  });

  test('an inline (edited) scenario travels in its link and opens', async ({ page, baseURL }) => {
    const r = parseScenario(SMALL);
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
    const link = encodeShare(
      { scenario: { kind: 'inline', scenario: r.scenario }, step: 1 },
      baseURL ?? 'http://localhost:4173/',
    );
    expect(link).toMatch(/\?s=1\.[A-Za-z0-9+$-]+&step=1$/);
    const errors = pageErrors(page);
    await page.goto(link);
    await expect(page.getByText('Shared through a link (e2e)').first()).toBeVisible();
    await expect(page.getByTestId('step-counter')).toHaveText('1 / 2');
    await expect(page.getByTestId('node.prog.helper')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('a damaged link says so and does not crash', async ({ page }) => {
    const errors = pageErrors(page);
    await page.goto('/?s=1.garbage');
    await expect(page.getByText(/the link is damaged/)).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('a link from a newer format version says the version is unknown', async ({ page }) => {
    const errors = pageErrors(page);
    await page.goto('/?s=9.x');
    await expect(page.getByText(/share format version 9, which this version/)).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test.describe('exports', () => {
  test('SVG: named for the scenario and step, the graph with its styles and metadata', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.goto('/?scenario=teach-ebusy&step=2');
    await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${stepsOf('teach-ebusy')}`);
    const download = await exportAs(page, 'SVG');
    expect(download.suggestedFilename()).toBe('structops-lab_teach-ebusy_step-2.svg');
    const text = (await contentOf(download)).toString('utf8');

    expect(text).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    expect(text).toContain('data-testid="node.');
    expect(text).toMatch(
      /<metadata[^>]*>\{[^<]*"scenario":"teach-ebusy","step":2[^<]*\}<\/metadata>/,
    );
    expect(text).toMatch(/<title>structops-lab: [^<]+, step 2<\/title>/);
    expect(text).toContain('data-export="background"');
    expect(text).not.toContain('var(');
    expect(text).toMatch(/class="node-frame"[^>]*style="[^"]*stroke: rgb\(/);

    // A well-formed SVG, as large as the graph's layout, with every node the page shows.
    const live = await page.getByTestId('graph').evaluate((svg) => ({
      viewBox: svg.getAttribute('viewBox'),
      nodes: svg.querySelectorAll('[data-testid^="node."]').length,
    }));
    const parsed = await page.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      const svg = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length,
        viewBox: svg.getAttribute('viewBox'),
        nodes: svg.querySelectorAll('[data-testid^="node."]').length,
        transforms: Array.from(svg.children)
          .filter((c) => c.tagName === 'g')
          .map((g) => g.getAttribute('transform')),
      };
    }, text);
    expect(parsed.error).toBe(0);
    expect(parsed.viewBox).toBe(live.viewBox);
    expect(parsed.nodes).toBe(live.nodes);
    expect(parsed.transforms.every((t) => t === null)).toBe(true);
    expect(errors).toEqual([]);
  });

  test('SVG: the lanes’ titles are where the lanes begin, wherever the camera was', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    // Step 12 of the default scenario: the view is far down the lanes, their titles at its top.
    await page.goto('/?step=12');
    await expect(page.getByTestId('graph')).toHaveAttribute('data-lane-heads', 'moved');
    const text = (await contentOf(await exportAs(page, 'SVG'))).toString('utf8');
    const file = await page.evaluate((t) => {
      const svg = new DOMParser().parseFromString(t, 'image/svg+xml').documentElement;
      return {
        titles: Array.from(svg.querySelectorAll('.lane-head .lane-title')).map(
          (el) => el.textContent,
        ),
        moved: Array.from(svg.querySelectorAll('.lane-heads')).map(
          (el) => el.getAttribute('style') ?? '',
        ),
        rules: svg.querySelectorAll('.lane-head-cover, .lane-head-rule').length,
      };
    }, text);
    expect(file.titles).toContain('Programs');
    expect(file.moved.every((s) => !s.includes('translate'))).toBe(true);
    expect(file.rules).toBe(0);
    expect(errors).toEqual([]);
  });

  test('SVG: the background is the theme’s', async ({ page }) => {
    await page.goto('/?scenario=teach-ebusy&step=1&theme=dark');
    const bg = await page
      .getByTestId('graph')
      .evaluate((svg) => getComputedStyle(svg).getPropertyValue('--bg').trim());
    const text = (await contentOf(await exportAs(page, 'SVG'))).toString('utf8');
    expect(text).toContain(`fill="${bg}" data-export="background"`);
    expect(bg).not.toBe('#ffffff');
  });

  test('PNG: named for the scenario and step, a PNG at twice the graph’s size', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.goto('/?scenario=teach-poison&step=4');
    await expect(page.getByTestId('step-counter')).toHaveText(`4 / ${stepsOf('teach-poison')}`);
    const download = await exportAs(page, 'PNG');
    expect(download.suggestedFilename()).toBe('structops-lab_teach-poison_step-4.png');
    const png = await contentOf(download);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const [, , w, h] = ((await page.getByTestId('graph').getAttribute('viewBox')) ?? '')
      .split(/\s+/)
      .map(Number);
    expect(png.readUInt32BE(16)).toBe(Math.round((w ?? 0) * 2));
    expect(png.readUInt32BE(20)).toBe(Math.round((h ?? 0) * 2));
    await expect(page.getByTestId('export-status')).toHaveText(
      'Saved structops-lab_teach-poison_step-4.png.',
    );
    expect(errors).toEqual([]);
  });

  test('the menu works from the keyboard', async ({ page }) => {
    await page.goto('/?scenario=teach-ebusy&step=1');
    const button = page.getByRole('button', { name: 'Export', exact: true });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('menuitem', { name: 'SVG', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'PNG', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: /^Video/ })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'SVG', exact: true })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
    await expect(button).toBeFocused();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      (async () => {
        await page.keyboard.press('Enter');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
      })(),
    ]);
    expect(download.suggestedFilename()).toBe('structops-lab_teach-ebusy_step-1.png');
  });
});
