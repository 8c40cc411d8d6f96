/**
 * Every step shows what it did: a refused operation draws the edge it tried (crossed out, with
 * its errno); a kfunc's lookup path plays hop by hop and stops visibly at NULL or
 * BPF_PTR_POISON; the kernel pane shows the step's key event with its line in full;
 * associations are the boldest edges and the legend draws them the same way; lines to freed
 * objects stay between objects on screen, and a freed card says FREED once.
 */
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './support';

const REFRESH = 'scx-layered-refresh';

async function openAt(page: Page, scenario: string, step: number): Promise<void> {
  await page.goto(`/?scenario=${scenario}&step=${step}`);
  await expect(page.getByTestId('step-counter')).toContainText(`${step} /`);
}

async function nextStep(page: Page, to: number): Promise<void> {
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('step-counter')).toContainText(`${to} /`);
}

test('the -EBUSY step draws the association it tried, crossed out, and says why', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await openAt(page, REFRESH, 18);
  const graph = page.getByTestId('graph');
  const refused = graph.getByTestId('edge.refused.refresh_layer_cpumasks.layered_2');
  await expect(refused).toHaveCount(0);
  await nextStep(page, 19);
  await expect(refused).toHaveAttribute('data-errno', 'EBUSY');
  await expect(refused).toContainText('-EBUSY');
  await expect(refused.locator('.refused-mark')).toBeVisible();
  // The attempt is not an association: the program keeps its first one.
  await expect(graph.getByTestId('node.prog.refresh_layer_cpumasks')).toHaveAttribute(
    'data-assoc',
    'layered',
  );
  await expect(page.getByTestId('narration')).toContainText('already associated with layered');
  // Only for that step.
  await nextStep(page, 20);
  await expect(graph.locator('[data-testid^="edge.refused."]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the kernel pane shows the association function returning -EBUSY, its line in full', async ({
  page,
}) => {
  await openAt(page, REFRESH, 18);
  await nextStep(page, 19);
  const pane = page.getByTestId('kernel-pane');
  await expect(pane).toHaveAttribute('data-function', 'bpf_prog_assoc_struct_ops');
  const current = pane.getByTestId('kernel-code').locator('[aria-current="step"]');
  await expect(current).toContainText('return -EBUSY');
  // Fully visible: nothing of the line is cut at the pane's right edge.
  const cut = await current.evaluate((el) => {
    const pre = el.closest('pre');
    if (!pre) return 'no pre';
    const line = el.getBoundingClientRect();
    const box = pre.getBoundingClientRect();
    return el.scrollWidth > el.clientWidth + 1 || line.right > box.right + 1 ? 'cut' : 'whole';
  });
  expect(cut).toBe('whole');
});

test('the kernel pane shows the poisoning on the POISON step, not bpf_struct_ops_link_create', async ({
  page,
}) => {
  await openAt(page, 'teach-poison', 5);
  await nextStep(page, 6);
  const pane = page.getByTestId('kernel-pane');
  await expect(pane).toHaveAttribute('data-function', 'bpf_prog_assoc_struct_ops');
  await expect(pane.locator('[aria-current="step"]').first()).toContainText('BPF_PTR_POISON');
  await expect(pane).toHaveAttribute('data-key', 'true');
});

test('a kick draws its lookup path hop by hop: program → st_ops_assoc → map → kdata → ops->priv → sch1', async ({
  page,
}) => {
  await openAt(page, REFRESH, 11);
  const graph = page.getByTestId('graph');
  await expect(graph.getByTestId('lookup-path')).toHaveCount(0);
  // Click Next inside the page and watch every frame: note when each hop first shows.
  const watched = await page.evaluate(async () => {
    const next = Array.from(document.querySelectorAll('button')).find(
      (b) => b.getAttribute('aria-label') === 'Next step' || b.textContent === 'Next step',
    );
    next?.click();
    const seen = new Map<number, number>();
    const panes: string[] = [];
    for (let frame = 0; frame < 600; frame++) {
      await new Promise(requestAnimationFrame);
      const hops = Array.from(
        document.querySelectorAll<SVGGElement>('[data-testid="graph"] .lookup-hop'),
      );
      for (const h of hops) {
        const n = Number(h.dataset.hop);
        if (!seen.has(n) && Number(getComputedStyle(h).opacity) > 0.99) seen.set(n, frame);
      }
      const pane = document.querySelector('[data-testid="kernel-pane"]');
      const fn = pane?.getAttribute('data-function') ?? '';
      if (pane?.getAttribute('data-hop-following') === 'true' && panes.at(-1) !== fn)
        panes.push(fn);
      if (hops.length > 0 && seen.size === hops.length) break;
    }
    return {
      order: [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f),
      panes,
    };
  });
  const firstSeen = watched.order;
  // The kernel pane walks the lookup in step with the hops: the association, then ops->priv.
  expect(watched.panes).toEqual(['bpf_prog_get_assoc_struct_ops', 'scx_prog_sched']);
  await expect(page.getByTestId('step-counter')).toContainText('12 /');
  expect(firstSeen).toHaveLength(6);
  // Hop by hop: none shows before the one before it, and the last comes well after the first
  // (a slow frame may show two neighbours at once).
  for (let i = 1; i < firstSeen.length; i++)
    expect(firstSeen[i]).toBeGreaterThanOrEqual(firstSeen[i - 1] ?? Infinity);
  expect(firstSeen.at(-1)).toBeGreaterThan(firstSeen[0] ?? Infinity);

  const path = graph.getByTestId('lookup-path');
  await expect(path).toHaveAttribute('data-stop', 'none');
  await expect(path).toHaveAttribute('data-anim', 'done');
  const hops = path.locator('.lookup-hop');
  const what = await hops.evaluateAll((els) =>
    els.map(
      (e) =>
        `${e.getAttribute('data-hop')}:${e.getAttribute('data-what')}@${e.getAttribute('data-node')}`,
    ),
  );
  expect(what).toEqual([
    '0:program@prog.refresh_layer_cpumasks',
    '1:st_ops_assoc@prog.refresh_layer_cpumasks',
    '2:map@map.layered',
    '3:kdata@map.layered',
    '4:ops->priv@sched.sch1',
    '5:instance@sched.sch1',
  ]);
  await expect(path.getByTestId('lookup-end')).toHaveText('kicked CPU 0, 1');
  await expect(page.getByTestId('kernel-pane')).toHaveAttribute(
    'data-function',
    'bpf_prog_get_assoc_struct_ops',
  );
});

test('the unassociated kick stops at st_ops_assoc = NULL and shows the no-op', async ({ page }) => {
  await openAt(page, REFRESH, 24);
  const path = page.getByTestId('graph').getByTestId('lookup-path');
  await expect(path).toHaveAttribute('data-stop', 'NULL');
  await expect(path.locator('.lookup-hop')).toHaveCount(2);
  const stop = path.getByTestId('lookup-stop');
  await expect(stop).toHaveAttribute('data-at-hop', '1');
  await expect(stop).toContainText('NULL → no-op: CPU 3 not kicked');
  await expect(path.getByTestId('lookup-end')).toHaveCount(0);
});

test('the poisoned program’s lookup stops at BPF_PTR_POISON and shows -1', async ({ page }) => {
  await openAt(page, 'teach-poison', 7);
  const graph = page.getByTestId('graph');
  const poisoned = graph.locator('[data-testid="lookup-path"][data-stop="POISON"]');
  await expect(poisoned).toHaveCount(1);
  await expect(poisoned.locator('.lookup-hop[data-hop="1"]')).toHaveAttribute(
    'data-label',
    'st_ops_assoc = BPF_PTR_POISON',
  );
  await expect(poisoned.getByTestId('lookup-stop')).toContainText('BPF_PTR_POISON → returns -1');
  // The caller's own lookup still reaches the program in map_a's slot.
  const reached = graph.locator('[data-testid="lookup-path"][data-stop="none"]');
  await expect(reached.locator('.lookup-hop[data-what="slot"]')).toHaveAttribute(
    'data-node',
    'prog.shared',
  );
});

test('under reduced motion the lookup path is drawn at once, without movement', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openAt(page, REFRESH, 11);
  await nextStep(page, 12);
  const path = page.getByTestId('graph').getByTestId('lookup-path');
  await expect(path).toHaveAttribute('data-anim', 'still');
  const opacities = await path
    .locator('.lookup-hop')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).opacity));
  expect(opacities).toEqual(['1', '1', '1', '1', '1', '1']);
});

test('association edges are the boldest on screen, and the legend draws them the same way', async ({
  page,
}) => {
  await openAt(page, REFRESH, 13);
  await page.getByTestId('legend').locator('summary').click();
  const style = (sel: string) =>
    page.locator(sel).evaluate((el) => {
      const s = getComputedStyle(el);
      return { stroke: s.stroke, width: s.strokeWidth, dash: s.strokeDasharray };
    });
  const graphAssoc = await style(
    '[data-testid="edge.assoc.refresh_layer_cpumasks.layered"] path.edge-line',
  );
  const legendAssoc = await style('[data-testid="legend-assoc"] path.edge-line');
  expect(legendAssoc).toEqual(graphAssoc);
  const graphWeak = await style(
    '[data-testid="edge.assoc_weak.layered_select_cpu.layered"] path.edge-line',
  );
  const legendWeak = await style('[data-testid="legend-assoc_weak"] path.edge-line');
  expect(legendWeak).toEqual(graphWeak);
  expect(graphWeak.dash).not.toBe('none');
  // Labelled on the line.
  await expect(
    page.getByTestId('edge.assoc.refresh_layer_cpumasks.layered').locator('.edge-label'),
  ).toHaveText('st_ops_assoc');
  // Every other edge is thinner than the thinnest association.
  const widths = await page
    .getByTestId('graph')
    .locator('g.edge:not(.edge-assoc):not(.edge-assoc_weak) > path.edge-line')
    .evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).strokeWidth)));
  expect(widths.length).toBeGreaterThan(10);
  expect(Math.max(...widths)).toBeLessThan(parseFloat(graphWeak.width));
});

test('teardown: lines to freed objects stay between objects on screen, and FREED shows once', async ({
  page,
}) => {
  test.slow();
  for (const step of [25, 28, 34]) {
    await openAt(page, REFRESH, step - 1);
    await nextStep(page, step);
    const graph = page.getByTestId('graph');
    // Every line that went in this step runs between two objects still drawn.
    const missing = await graph.locator('g.edge-removed').evaluateAll((els) =>
      els
        .flatMap((e) => [e.getAttribute('data-from'), e.getAttribute('data-to')])
        .filter((id) => {
          const drawn = (testid: string) =>
            document.querySelector(`[data-testid="graph"] [data-testid="${testid}"]`);
          if (drawn(`node.${id ?? ''}`)) return false;
          // An fd of the Story view's fd table (or just closed from it) is drawn on its
          // process card, where its line starts.
          const fd = /^fd\.(.+):(\d+)$/.exec(id ?? '');
          return !(fd && drawn(`node.process.${fd[1]}`));
        }),
    );
    expect(missing).toEqual([]);
    const ghosts = graph.locator('.node-ghost');
    const texts = await ghosts.evaluateAll((els) =>
      els.map(
        (e) =>
          Array.from(e.querySelectorAll('text')).filter((t) => /freed/i.test(t.textContent ?? ''))
            .length,
      ),
    );
    for (const n of texts) expect(n).toBe(1);
  }
  // The link destroyed in step 25 goes as a ghost that says FREED once.
  await openAt(page, REFRESH, 24);
  await nextStep(page, 25);
  const link = page.getByTestId('graph').getByTestId('node.link.link1');
  await expect(link).toHaveAttribute('data-state', 'FREED');
  await expect(link.locator('text', { hasText: /freed/i })).toHaveCount(1);
});
