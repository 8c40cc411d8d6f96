import type { Page } from '@playwright/test';
import { toGraph } from '../src/graph/toGraph';
import { buildTimeline, pointForStep, stepBase } from '../src/store/timeline';
import { expect, test, libraryScenarios, runOf, watchErrors } from './support';

const scenarios = libraryScenarios();

/** Asserts the graph's data-* attributes at the current point equal the core's projection. */
async function expectGraphMatches(page: Page, id: string, step: number) {
  const t = buildTimeline(runOf(id));
  const at = pointForStep(t, step);
  const p = t.points[at];
  if (!p) throw new Error('no point');
  const g = toGraph(p.state, stepBase(t, at));
  // The Story view (the default) folds maps the story does not need into a chip: those are
  // checked in story-focus.spec.ts; every object is drawn with `detail=all`.
  const all = (await page.getByTestId('graph').getAttribute('data-detail')) === 'all';
  for (const n of g.nodes.filter((x) => x.kind === 'prog' || x.kind === 'map')) {
    const el = page.getByTestId(`node.${n.kind}.${n.name}`);
    if (!all && (await el.count()) === 0) continue;
    await expect(el, `${n.id} at step ${step}`).toHaveAttribute('data-state', n.state);
    if (n.refcnt !== null)
      await expect(el, `${n.id} refcnt`).toHaveAttribute('data-refcnt', String(n.refcnt));
    if (n.assoc !== null) await expect(el, `${n.id} assoc`).toHaveAttribute('data-assoc', n.assoc);
  }
  if (!all) return;
  const counted = g.edges.filter((e) => e.counted).length;
  await expect(page.locator('[data-testid^="edge."][data-counted="true"]')).toHaveCount(counted);
}

for (const s of scenarios) {
  test(`${s.id}: loads, steps to its end and back without errors`, async ({ page }) => {
    const { errors } = watchErrors(page);
    await page.goto(`/?scenario=${s.id}`);
    const counter = page.getByTestId('step-counter');
    await expect(counter).toHaveText(`0 / ${s.steps.length}`);
    const next = page.getByRole('button', { name: 'Next step' });
    for (let i = 1; i <= s.steps.length; i++) {
      await next.click();
      await expect(counter).toHaveText(`${i} / ${s.steps.length}`);
    }
    await expect(next).toBeDisabled();
    await expectGraphMatches(page, s.id, s.steps.length);
    await page.getByRole('button', { name: 'First step' }).click();
    await expect(counter).toHaveText(`0 / ${s.steps.length}`);
    expect(errors).toEqual([]);
  });
}

test('the graph shows what the core says: refcnt, association and poison at chosen steps', async ({
  page,
}) => {
  await page.goto('/?scenario=selftest-st-ops-assoc&step=3&detail=all');
  await expectGraphMatches(page, 'selftest-st-ops-assoc', 3);
  await expect(page.getByTestId('node.prog.syscall_prog_a')).toHaveAttribute(
    'data-assoc',
    'st_ops_map_a',
  );
  await expect(page.getByTestId('node.map.st_ops_map_a')).toHaveAttribute('data-refcnt', '2');
  await expect(page.getByTestId('edge.assoc.syscall_prog_a.st_ops_map_a')).toHaveAttribute(
    'data-counted',
    'true',
  );

  await page.goto('/?scenario=selftest-st-ops-assoc-reuse&step=4&detail=all');
  await expectGraphMatches(page, 'selftest-st-ops-assoc-reuse', 4);
  const poisoned = page.getByTestId('node.prog.test_1_a');
  await expect(poisoned).toHaveAttribute('data-assoc', 'POISON');
  await expect(poisoned).toContainText('BPF_PTR_POISON');
});

test('deep links land on the step, and the URL follows the view', async ({ page }) => {
  const s = scenarios.find((x) => x.id === 'teach-ebusy');
  if (!s) throw new Error('teach-ebusy missing');
  await page.goto('/?scenario=teach-ebusy&step=2');
  await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${s.steps.length}`);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page).toHaveURL(/scenario=teach-ebusy&step=3/);
});

test('keyboard: arrows step whole steps, Shift+arrows single kernel events, Home and End', async ({
  page,
}) => {
  const run = runOf('selftest-st-ops-assoc');
  const total = run.frames.length;
  const eventsIn = (step: number) => run.frames[step - 1]?.events.length ?? 0;
  await page.goto('/?scenario=selftest-st-ops-assoc');
  const counter = page.getByTestId('step-counter');
  const events = page.getByTestId('event-counter');
  // → runs all of step 1: the counter and the event counter stand at its end.
  await page.keyboard.press('ArrowRight');
  await expect(counter).toHaveText(`1 / ${total}`);
  await expect(events).toHaveText(`event ${eventsIn(1)} / ${eventsIn(1)}`);
  // Shift+→ goes one event: step 2 makes none, so that is all of step 2.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(counter).toHaveText(`2 / ${total}`);
  await page.keyboard.press('End');
  await expect(counter).toHaveText(`${total} / ${total}`);
  await page.keyboard.press('Home');
  await expect(counter).toHaveText(`0 / ${total}`);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(counter).toHaveText(`3 / ${total}`);
  // One event into step 4, then ← back to the end of step 3.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(counter).toHaveText(`4 / ${total}`);
  await expect(events).toHaveText(`event 1 / ${eventsIn(4)}`);
  await page.keyboard.press('ArrowLeft');
  await expect(counter).toHaveText(`3 / ${total}`);
  await expect(events).toHaveText(`event ${eventsIn(3)} / ${eventsIn(3)}`);
  // Shift+← steps back one event within step 3.
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(events).toHaveText(`event ${eventsIn(3) - 1} / ${eventsIn(3)}`);
});

test('the console pokes the kernel, prints the errno, branches the timeline and undoes', async ({
  page,
}) => {
  const run = runOf('selftest-st-ops-assoc');
  await page.goto('/?scenario=selftest-st-ops-assoc&step=3');
  const input = page.getByTestId('console-input');
  await input.fill('assoc syscall_prog_a st_ops_map_b');
  await input.press('Enter');
  const out = page.getByTestId('console-output');
  await expect(out).toContainText('-EBUSY (16)');
  await expect(page.getByTestId('branch-badge')).toContainText('branched after step 3');
  await expect(page.getByTestId('step-counter')).toHaveText('4 / 4');
  await input.fill('close 99');
  await input.press('Enter');
  await expect(out).toContainText('-EBADF (9)');
  await input.fill('assoc test_1_a st_ops_map_a');
  await input.press('Enter');
  await expect(out).toContainText('-EINVAL (22)');
  await input.fill('frobnicate');
  await input.press('Enter');
  await expect(out).toContainText("unknown command 'frobnicate'");
  await page.getByRole('button', { name: 'Undo console step' }).click();
  await page.getByRole('button', { name: 'Undo console step' }).click();
  await page.getByRole('button', { name: 'Undo console step' }).click();
  await expect(page.getByTestId('branch-badge')).toHaveCount(0);
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${run.frames.length}`);
});

test('selecting a node opens the inspector with its holders, each selectable', async ({ page }) => {
  await page.goto('/?scenario=selftest-st-ops-assoc&step=8');
  await expect(page.getByTestId('step-counter')).toHaveText(/^8 \//);
  // Once the camera has placed the drawing: a click as it first moves lands where the node was.
  const graph = page.getByTestId('graph');
  await page.waitForTimeout(100);
  await expect.poll(() => graph.evaluate((el) => el.getAnimations().length)).toBe(0);
  await page.getByTestId('node.map.st_ops_map_a').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('kvalue.common.state');
  const holders = inspector.getByTestId('holders').getByRole('listitem');
  await expect(holders).toHaveCount(4);
  await inspector.getByRole('button', { name: /syscall_prog_a/ }).click();
  await expect(inspector).toContainText('aux->st_ops_assoc');
  await expect(inspector).toContainText('__prog fix-up');
});

test('an edge whose draw-in is cut short by the next step is drawn whole', async ({ page }) => {
  const { errors } = watchErrors(page);
  const total = runOf('teach-ebusy').frames.length;
  await page.goto('/?scenario=teach-ebusy&step=1');
  await expect(page.getByTestId('step-counter')).toHaveText(`1 / ${total}`);
  // Step 2 draws in helper's association edge; step 3 comes before that has finished.
  const next = page.getByRole('button', { name: 'Next step' });
  await next.click();
  await next.click();
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${total}`);
  // Long after every mark has finished, no edge is left dashed part-way.
  await page.waitForTimeout(1500);
  await expect(page.locator('path.edge-line[stroke-dashoffset]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the kernel pane shows the function acting, with its file and current line', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await page.goto('/?scenario=teach-ebusy&step=2');
  const code = page.getByTestId('kernel-code');
  // The paraphrased functions load after the page: they arrive without a further step.
  await expect(code).toBeVisible();
  await expect(code.locator('figcaption')).toContainText(/\w+\(\)\s+kernel\/bpf\//);
  await expect(code.locator('[aria-current="step"]')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a step reads no layout in the kernel pane, and a code view scrolled sideways comes back to its current line', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  // Counts reads of the layout (sizes, offsets, scroll positions, boxes) of elements in the
  // kernel pane while `window.countReads` is set: each one makes the browser lay the page out
  // there and then if anything changed since the last frame.
  await page.addInitScript(`(() => {
    window.layoutReads = 0;
    window.countReads = false;
    const count = (proto, name) => {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (!d) return;
      const inPane = (el) => window.countReads && el.closest && el.closest('.kernel-pane');
      if (d.get)
        Object.defineProperty(proto, name, { ...d, get() { if (inPane(this)) window.layoutReads++; return d.get.call(this); } });
      else if (typeof d.value === 'function')
        Object.defineProperty(proto, name, { ...d, value(...args) { if (inPane(this)) window.layoutReads++; return d.value.apply(this, args); } });
    };
    for (const n of ['offsetTop', 'offsetLeft', 'offsetHeight', 'offsetWidth']) count(HTMLElement.prototype, n);
    for (const n of ['clientHeight', 'clientWidth', 'scrollTop', 'scrollLeft', 'scrollHeight', 'scrollWidth', 'getBoundingClientRect', 'getClientRects']) count(Element.prototype, n);
  })()`);
  await page.goto('/?scenario=teach-ebusy&step=1');
  const code = page.getByTestId('kernel-code');
  await expect(code.locator('[aria-current="step"]')).toHaveCount(1);
  const pre = code.locator('pre');
  for (let i = 0; i < 3; i++) {
    const before = await page.getByTestId('step-counter').textContent();
    // From the keypress to the next frame: the step's render, its effects, and the frame.
    const reads = await page.evaluate(
      () =>
        new Promise<number>((done) => {
          const w = window as unknown as { layoutReads: number; countReads: boolean };
          // After the last step's frame and what follows it (its code views' observers
          // answer then): only this step is counted.
          const settled = () =>
            new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          void settled()
            .then(settled)
            .then(() => {
              w.layoutReads = 0;
              w.countReads = true;
              document.body.dispatchEvent(
                new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }),
              );
              requestAnimationFrame(() => {
                w.countReads = false;
                done(w.layoutReads);
              });
            });
        }),
    );
    await expect(page.getByTestId('step-counter')).not.toHaveText(before ?? '');
    expect(reads).toBe(0);
  }
  // The code is wider than its box at this size: scrolled sideways, the next step brings the
  // view back to the start of its current line.
  const scrolled = await pre.evaluate((el) => {
    el.scrollLeft = 80;
    return el.scrollLeft;
  });
  expect(scrolled).toBeGreaterThan(0);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => pre.evaluate((el) => el.scrollLeft)).toBe(0);
  const current = code.locator('[aria-current="step"]');
  const [line, box] = await Promise.all([current.boundingBox(), pre.boundingBox()]);
  expect(line && box && line.x >= box.x - 0.5 && line.y >= box.y - 0.5).toBe(true);
  expect(errors).toEqual([]);
});

test('chapter labels on the timeline never print over each other', async ({ page }) => {
  await page.goto('/?scenario=scx-layered-refresh&step=1');
  const marks = page.locator('.mark-chapter');
  await expect(marks.first()).toBeVisible();
  const boxes = await marks.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right };
    }),
  );
  expect(boxes.length).toBeGreaterThan(3);
  const sorted = [...boxes].sort((a, b) => a.left - b.left);
  for (let i = 1; i < sorted.length; i++) {
    expect(sorted[i]?.left ?? 0).toBeGreaterThanOrEqual((sorted[i - 1]?.right ?? 0) - 0.5);
  }
});
