/**
 * Accessibility: axe (WCAG 2.0/2.1 A and AA) finds nothing serious or critical on the main
 * page (light and dark), on every library scenario at its end, in the embed and
 * presentation modes, in the speaker view (light and dark), in the video export dialog and
 * with the scenario editor open; the graph's SVG text, which axe cannot judge, has enough
 * contrast; the page works from the keyboard alone; and with reduced motion nothing moves.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, libraryScenarios, watchErrors } from './support';

const scenarios = libraryScenarios();
const DEFAULT_ID = 'scx-layered-refresh';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

function stepsOf(id: string): number {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s.steps.length;
}

/**
 * Known and accepted (reported, not fixed): axe's `label-content-name-mismatch` on graph nodes.
 * A node is one `role="button"` whose aria-label describes it in words ("map map_b, …,
 * refcnt 1, usercnt 1, state INIT") while its visible content is several SVG texts (name,
 * subtitle, slots, badges) that axe glues together without spaces ("map_bbpf_testmod…INIT1u1"),
 * so no descriptive name can match. What WCAG 2.5.3 asks — the visible label, the node's
 * name, is part of its accessible name — is checked instead by `expectNodeNamesInLabels`.
 * Only this rule, only on graph nodes; anything else serious or critical fails.
 */
function isKnownNodeLabelMismatch(v: Violation): boolean {
  return (
    v.id === 'label-content-name-mismatch' &&
    v.nodes.every((n) => {
      const tag = /^<g\s[^>]*>/.exec(n.html)?.[0] ?? '';
      return /\sdata-testid="node\./.test(tag) && /\srole="button"/.test(tag);
    })
  );
}

/** WCAG 2.5.3 on the graph: each node's visible name (maybe cut short with …) is in its name. */
async function expectNodeNamesInLabels(page: Page): Promise<void> {
  const bad = await page.locator('[data-testid^="node."]').evaluateAll((els) =>
    els.flatMap((el) => {
      // A name cut short (in the middle or at its end) shows pieces of the name: each piece
      // must stand in the accessible name, in order.
      const title = (el.querySelector('.node-title')?.textContent ?? '').trim();
      const label = el.getAttribute('aria-label') ?? '';
      const pieces = title.split('…').filter((p) => p.length > 0);
      let from = 0;
      const inOrder = pieces.every((p) => {
        const at = label.indexOf(p, from);
        from = at + p.length;
        return at >= 0;
      });
      return pieces.length > 0 && inOrder
        ? []
        : [`${el.getAttribute('data-testid')}: "${title}" not in "${label}"`];
    }),
  );
  expect(bad, 'graph nodes whose visible name is not in their accessible name').toEqual([]);
}

interface LowContrast {
  readonly node: string;
  readonly selector: string;
  readonly text: string;
  readonly fg: string;
  readonly bg: string;
  readonly opacity: number;
  readonly ratio: number;
  /** In a node drawn faded because it is freed in this step (`.node-ghost`). */
  readonly ghost: boolean;
}

/**
 * WCAG 1.4.3 for the graph's SVG text, which axe leaves "incomplete" (it cannot tell what is
 * behind SVG text). Each text against what it is drawn on — its node's frame, the refcount
 * circle, or the lane — with the opacity of the groups it is in; below 4.5:1 is listed.
 */
async function graphTextContrast(page: Page): Promise<LowContrast[]> {
  return page.locator('[data-testid="graph"]').evaluate((svg) => {
    type Rgba = [number, number, number, number];
    const probe = document.createElement('canvas').getContext('2d');
    const rgba = (css: string): Rgba | null => {
      if (!probe || !css || css === 'none') return null;
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = '#000';
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0, a = 0] = probe.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top: Rgba, under: Rgba, alpha = top[3]): Rgba => [
      top[0] * alpha + under[0] * (1 - alpha),
      top[1] * alpha + under[1] * (1 - alpha),
      top[2] * alpha + under[2] * (1 - alpha),
      1,
    ];
    const lum = (c: Rgba) => {
      const f = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [x, y] = [lum(a), lum(b)];
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    const hex = (c: Rgba) =>
      `#${c
        .slice(0, 3)
        .map((v) => Math.round(v).toString(16).padStart(2, '0'))
        .join('')}`;
    const fillOf = (el: Element | null | undefined) =>
      el ? rgba(getComputedStyle(el).fill) : null;
    const pageBg = rgba(getComputedStyle(document.body).backgroundColor) ?? [255, 255, 255, 1];
    const rootBg = rgba(getComputedStyle(document.documentElement).backgroundColor);
    const canvas = pageBg[3] > 0 ? pageBg : rootBg && rootBg[3] > 0 ? rootBg : [255, 255, 255, 1];
    const out: LowContrast[] = [];
    for (const t of Array.from(svg.querySelectorAll<SVGTextElement>('text'))) {
      if (!t.textContent?.trim()) continue;
      const lane = Array.from(svg.querySelectorAll('.lane-bg')).find((r) => {
        const a = r.getBoundingClientRect();
        const b = t.getBoundingClientRect();
        return b.left >= a.left - 1 && b.right <= a.right + 1;
      });
      const laneFill = fillOf(lane);
      const laneColour = laneFill ? over(laneFill, canvas as Rgba) : (canvas as Rgba);
      const node = t.closest('[data-testid^="node."]');
      const badge = t.closest('.refcnt-badge');
      const under =
        badge && !t.classList.contains('usercnt')
          ? fillOf(badge.querySelector('circle'))
          : node && !t.classList.contains('delta')
            ? fillOf(node.querySelector('.node-frame'))
            : null;
      let opacity = 1;
      for (let e: Element | null = t; e && e !== svg; e = e.parentElement)
        opacity *= Number(getComputedStyle(e).opacity);
      const fg = fillOf(t);
      if (!fg) continue;
      const bgFull = under ? over(under, laneColour) : laneColour;
      // The group's opacity fades text and its background together over the lane.
      const bg = over(bgFull, laneColour, opacity);
      const fgc = over(over(fg, bgFull), laneColour, opacity);
      const r = ratio(fgc, bg);
      if (r < 4.5)
        out.push({
          node: node?.getAttribute('data-testid') ?? '(lane)',
          selector: `text.${Array.from(t.classList).join('.')}`,
          text: t.textContent.slice(0, 24),
          fg: getComputedStyle(t).fill,
          bg: hex(bg),
          opacity: Math.round(opacity * 100) / 100,
          ratio: Math.round(r * 100) / 100,
          ghost: node?.classList.contains('node-ghost') ?? false,
        });
    }
    return out;
  });
}

/** Runs axe on the page as it is; fails with every serious or critical violation spelled out. */
async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const known = serious.filter(isKnownNodeLabelMismatch);
  if (known.length > 0) {
    test.info().annotations.push({
      type: 'known a11y issue',
      description: `${where}: label-content-name-mismatch on ${known[0]?.nodes.length ?? 0} graph node(s)`,
    });
    await expectNodeNamesInLabels(page);
  }
  const bad = serious.filter((v) => !known.includes(v));
  const report = bad
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map(
          (n) =>
            `    ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`,
        )
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `  ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
  expect(
    bad.map((v) => `${v.id} (${v.impact})`),
    `axe on ${where}:\n${report}`,
  ).toEqual([]);
}

/** Waits until the viewer is on screen at `step` of a scenario with `total` steps. */
async function ready(page: Page, step: number, total: number): Promise<void> {
  await expect(page.getByTestId('graph')).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText(`${step} / ${total}`);
}

test.describe('axe: no serious or critical WCAG 2.1 AA violations', () => {
  test('main page, default scenario, initial state', async ({ page }) => {
    await page.goto('/');
    await ready(page, 0, stepsOf(DEFAULT_ID));
    await expectNoSeriousViolations(page, '/ (initial)');
  });

  test('main page, default scenario, a middle step with the inspector and legend open', async ({
    page,
  }) => {
    const total = stepsOf(DEFAULT_ID);
    const mid = Math.floor(total / 2);
    await page.goto(`/?scenario=${DEFAULT_ID}&step=${mid}`);
    await ready(page, mid, total);
    // The step's subject: the camera keeps it in view.
    const node = page.locator('[data-subject="true"]').first();
    const name = (await node.getAttribute('data-testid'))?.split('.').slice(2).join('.') ?? '';
    await node.click();
    await expect(page.getByTestId('inspector')).toContainText(name);
    await page.getByTestId('legend').locator('summary').click();
    await expect(page.getByTestId('legend').getByRole('list')).toBeVisible();
    await expectNoSeriousViolations(
      page,
      `/?scenario=${DEFAULT_ID}&step=${mid} (inspector, legend)`,
    );
  });

  for (const s of scenarios) {
    test(`${s.id} at its last step`, async ({ page }) => {
      await page.goto(`/?scenario=${s.id}&step=${s.steps.length}`);
      await ready(page, s.steps.length, s.steps.length);
      await expectNoSeriousViolations(page, `${s.id} step ${s.steps.length}`);
    });
  }

  test('main page in the dark theme, a middle step', async ({ page }) => {
    const total = stepsOf(DEFAULT_ID);
    const mid = Math.floor(total / 2);
    await page.goto(`/?scenario=${DEFAULT_ID}&step=${mid}&theme=dark`);
    await ready(page, mid, total);
    await expectNoSeriousViolations(page, `/?scenario=${DEFAULT_ID}&step=${mid}&theme=dark`);
  });

  test('the video export dialog (Export → Video), light and dark', async ({ page }) => {
    const total = stepsOf('teach-ebusy');
    for (const theme of ['light', 'dark']) {
      await page.goto(`/?scenario=teach-ebusy&step=2&theme=${theme}`);
      await ready(page, 2, total);
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.getByRole('menuitem', { name: /^Video \(/ }).click();
      await expect(page.getByRole('dialog', { name: 'Export a video' })).toBeVisible();
      await expectNoSeriousViolations(page, `video export dialog (${theme})`);
    }
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the scenario editor open: a problem marked and listed, the completion list (${theme})`, async ({
      page,
    }) => {
      const { errors } = watchErrors(page);
      await page.goto(`/?scenario=teach-ebusy&step=2&theme=${theme}`);
      await ready(page, 2, stepsOf('teach-ebusy'));
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      const status = page.getByTestId('editor-status');
      await expect(status).toHaveText('No problems');
      await expectNoSeriousViolations(page, `the editor open (${theme})`);
      await page.locator('.cm-line', { hasText: 'id: teach-ebusy' }).click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('unknown_key: 1');
      await expect(status).toHaveText('1 problem');
      await expect(
        page.getByRole('button', { name: /^4:1 unknown key 'unknown_key'/ }),
      ).toBeVisible();
      await page.keyboard.press('Enter');
      await page.keyboard.type('pro');
      await expect(
        page.getByRole('listbox').getByRole('option', { name: /^processes/ }),
      ).toBeVisible();
      await expectNoSeriousViolations(page, `the editor with a problem and completions (${theme})`);
      expect(errors).toEqual([]);
    });
  }

  for (const flag of ['embed', 'present'] as const) {
    test(`?${flag}=1`, async ({ page }) => {
      const { errors } = watchErrors(page);
      const total = stepsOf('teach-ebusy');
      await page.goto(`/?scenario=teach-ebusy&step=2&${flag}=1`);
      await expect(page.getByTestId('graph')).toBeVisible();
      await expect(page.locator('[data-testid^="node."]').first()).toBeVisible();
      // The mode is on: neither an embed nor a presentation has the console.
      await expect(page.getByTestId('console-input')).toHaveCount(0);
      await expectNoSeriousViolations(page, `?${flag}=1`);
      // And at the last step, where the graph is fullest.
      await page.goto(`/?scenario=teach-ebusy&step=${total}&${flag}=1`);
      await expect(page.locator('[data-testid^="node."]').first()).toBeVisible();
      await expectNoSeriousViolations(page, `?${flag}=1 at step ${total}`);
      expect(errors).toEqual([]);
    });
  }

  test('two <structops-lab> elements on a page (element-example.html)', async ({ page }) => {
    const { errors } = watchErrors(page);
    await page.goto('/element-example.html');
    for (const id of ['ebusy', 'hello']) {
      await expect(page.frameLocator(`#${id} iframe`).getByTestId('graph')).toBeVisible();
    }
    await expectNoSeriousViolations(page, 'element-example.html');
    expect(errors).toEqual([]);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the speaker view (${theme})`, async ({ page, context }) => {
      const total = stepsOf(DEFAULT_ID);
      await page.goto(`/?scenario=${DEFAULT_ID}&step=8&present=1&theme=${theme}`);
      await expect(page.getByTestId('presentation')).toBeVisible();
      const [speaker] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('s')]);
      const { errors } = watchErrors(speaker);
      await expect(speaker.getByTestId('speaker-connection')).toHaveText(
        'Connected to the presentation',
      );
      await expect(speaker.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(speaker.getByTestId('speaker-step')).toHaveText(`8 / ${total}`);
      await expect(speaker.locator('[data-testid^="node."]').first()).toBeVisible();
      await expectNoSeriousViolations(speaker, `speaker view, ${theme}`);
      // At the end (no next step), and once the presentation is gone.
      await page.keyboard.press('End');
      await expect(speaker.getByTestId('speaker-next')).toContainText('End of scenario');
      await page.close();
      await expect(speaker.getByTestId('speaker-connection')).toHaveText(
        'The presentation window is closed',
        { timeout: 10_000 },
      );
      await expectNoSeriousViolations(speaker, `speaker view, ${theme}, closed`);
      expect(errors).toEqual([]);
    });
  }
});

test('graph text contrast, which axe cannot judge on SVG: at least 4.5:1, light and dark', async ({
  page,
}) => {
  // A step with a freed (ghost) node, a poisoned association, and the default scenario's middle.
  const pages = [
    ['teach-timer-after-map', 5],
    ['teach-poison', stepsOf('teach-poison')],
    [DEFAULT_ID, Math.floor(stepsOf(DEFAULT_ID) / 2)],
  ] as const;
  for (const theme of ['light', 'dark']) {
    for (const [id, step] of pages) {
      await page.goto(`/?scenario=${id}&step=${step}&theme=${theme}`);
      await ready(page, step, stepsOf(id));
      // A kfunc's lookup path reveals its labels hop by hop: judge them once drawn.
      await expect(page.locator('[data-testid="lookup-path"][data-anim="playing"]')).toHaveCount(0);
      // Freed (ghost) nodes fade their box only; their text must pass like every other.
      const bad = await graphTextContrast(page);
      expect(
        bad,
        `${theme} ${id}@${step}:\n${bad.map((l) => `  ${l.ratio}:1 ${l.node} ${l.selector} "${l.text}" ${l.fg} on ${l.bg}`).join('\n')}`,
      ).toEqual([]);
    }
  }
});

/** What has the focus: enough to tell the controls, the picker, the console and nodes apart. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      label: el?.getAttribute('aria-label') ?? '',
      testid: el?.getAttribute('data-testid') ?? '',
    };
  });
}

test.describe('keyboard', () => {
  test('Tab reaches the stepping buttons, the picker, the console and the graph nodes', async ({
    page,
  }) => {
    const total = stepsOf(DEFAULT_ID);
    const mid = Math.floor(total / 2);
    // A middle step, so that no stepping button is disabled (disabled buttons take no focus).
    await page.goto(`/?scenario=${DEFAULT_ID}&step=${mid}`);
    await ready(page, mid, total);
    const wanted = new Map<string, boolean>([
      ['button:First step', false],
      ['button:Previous step', false],
      ['button:Next step', false],
      ['button:Last step', false],
      ['button:Play', false],
      ['scenario-picker', false],
      ['console-input', false],
      ['graph node', false],
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 250 && [...wanted.values()].includes(false); i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      const key =
        f.tag === 'button'
          ? `button:${f.label}`
          : f.testid.startsWith('node.')
            ? 'graph node'
            : f.testid;
      seen.push(f.testid || `${f.tag}:${f.label}`);
      if (wanted.has(key)) wanted.set(key, true);
    }
    const missed = [...wanted].filter(([, hit]) => !hit).map(([k]) => k);
    expect(missed, `never focused by Tab; focus went: ${seen.join(' → ')}`).toEqual([]);
    await expect(page.getByTestId('step-counter')).toHaveText(`${mid} / ${total}`);
  });

  test('Enter on a focused node opens the inspector; arrows move to a neighbouring node', async ({
    page,
  }) => {
    const total = stepsOf(DEFAULT_ID);
    const mid = Math.floor(total / 2);
    // Every object, so that each fd is a node of its own (the Story view folds them).
    await page.goto(`/?scenario=${DEFAULT_ID}&step=${mid}&detail=all`);
    await ready(page, mid, total);
    // Tab into the graph: the first node to get the focus.
    let first = '';
    for (let i = 0; i < 60 && !first.startsWith('node.'); i++) {
      await page.keyboard.press('Tab');
      first = (await focused(page)).testid;
    }
    expect(first, 'Tab reaches a graph node').toMatch(/^node\./);
    await page.keyboard.press('Enter');
    const name = first.split('.').slice(2).join('.');
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toContainText(name.includes(':') ? 'fd' : name);
    await expect(page.getByTestId(first)).toHaveAttribute('aria-pressed', 'true');

    // A node with an edge: an fd (leftmost lane) points right, to what it holds.
    const fd = page.locator('[data-testid^="node.fd."]').first();
    const from = (await fd.getAttribute('data-testid')) ?? '';
    await fd.focus();
    await page.keyboard.press('ArrowRight');
    const to = (await focused(page)).testid;
    expect(to, `ArrowRight from ${from}`).toMatch(/^node\./);
    expect(to).not.toBe(from);
    await page.keyboard.press('ArrowLeft');
    expect((await focused(page)).testid, `ArrowLeft from ${to}`).toMatch(/^node\./);
    // Arrows inside the graph move the focus, not the timeline.
    await expect(page.getByTestId('step-counter')).toHaveText(`${mid} / ${total}`);
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid^="node."][aria-pressed="true"]')).toHaveCount(1);

    // ↑ and ↓ move within a lane: from the first fd down to the next one.
    const fds = page.locator('[data-testid^="node.fd."]');
    const second = (await fds.nth(1).getAttribute('data-testid')) ?? '';
    await fds.first().focus();
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).testid).toBe(second);
    await page.keyboard.press('ArrowUp');
    expect((await focused(page)).testid).toBe(from);
  });

  test('the graph is one Tab stop: the last focused node keeps it; Home and End', async ({
    page,
  }) => {
    const total = stepsOf(DEFAULT_ID);
    const mid = Math.floor(total / 2);
    await page.goto(`/?scenario=${DEFAULT_ID}&step=${mid}`);
    await ready(page, mid, total);
    const nodes = page.locator('[data-testid^="node."]');
    expect(await nodes.count()).toBeGreaterThan(5);
    await expect(page.locator('[data-testid^="node."][tabindex="0"]')).toHaveCount(1);
    let at = '';
    for (let i = 0; i < 60 && !at.startsWith('node.'); i++) {
      await page.keyboard.press('Tab');
      at = (await focused(page)).testid;
    }
    expect(at).toMatch(/^node\./);
    // Tab leaves the graph at once, whatever its size.
    await page.keyboard.press('Tab');
    expect((await focused(page)).testid).not.toMatch(/^node\./);
    // End goes to the last node; it becomes the Tab stop, so Shift+Tab comes back to it.
    await nodes.first().focus();
    await page.keyboard.press('End');
    const last = (await nodes.last().getAttribute('data-testid')) ?? '';
    expect((await focused(page)).testid).toBe(last);
    await expect(page.locator('[data-testid^="node."][tabindex="0"]')).toHaveAttribute(
      'data-testid',
      last,
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).testid).toBe(last);
    await page.keyboard.press('Home');
    expect((await focused(page)).testid).toBe(
      (await nodes.first().getAttribute('data-testid')) ?? '',
    );
  });
});

test('prefers-reduced-motion: stepping works and nothing animates', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const { errors } = watchErrors(page);
  const total = stepsOf(DEFAULT_ID);
  await page.goto(`/?scenario=${DEFAULT_ID}`);
  await ready(page, 0, total);
  expect(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(
    true,
  );
  const next = page.getByRole('button', { name: 'Next step' });
  for (let i = 1; i <= Math.min(4, total); i++) {
    await next.click();
    await expect(page.getByTestId('step-counter')).toHaveText(`${i} / ${total}`);
    // No CSS animation or transition, and no d3 transition: the change marks stand still.
    expect(
      await page.evaluate(() =>
        document.getAnimations().map((a) => {
          const t = a.effect instanceof KeyframeEffect ? a.effect.target : null;
          return `${a.constructor.name} on ${t?.getAttribute('class') ?? t?.tagName ?? '?'}`;
        }),
      ),
      `animations after step ${i}`,
    ).toEqual([]);
    expect(
      await page
        .locator(
          '.node-pulse[style*="opacity"], path.edge-line[stroke-dashoffset], .delta[transform]',
        )
        .count(),
      `d3 transitions after step ${i}`,
    ).toBe(0);
  }
  await page.getByRole('button', { name: 'Last step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`${total} / ${total}`);
  expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);
  expect(errors).toEqual([]);
});
