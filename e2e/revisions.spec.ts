/**
 * Kernel revisions: the header's revision selector re-runs the scenario on another revision
 * of the series, `?rev=` opens on one, the compare view marks the first step where two
 * revisions differ, and the kernel's reports (kmemleak, KASAN) appear on screen.
 */
import { expect, test } from './support';

test('the revision selector re-runs the scenario on the chosen revision', async ({ page }) => {
  await page.goto('?scenario=history-reassoc-leak&step=3');
  const select = page.getByRole('combobox', { name: 'Kernel revision' });
  await expect(select).toHaveValue('v3');
  await expect(page.getByTestId('node.map.st_map')).toHaveAttribute('data-refcnt', '3');
  await select.selectOption('v4');
  await expect(page).toHaveURL(/[?&]rev=v4/);
  await expect(page.getByTestId('node.map.st_map')).toHaveAttribute('data-refcnt', '2');
  await select.selectOption('v3');
  await expect(page).not.toHaveURL(/[?&]rev=/);
  await expect(page.getByTestId('node.map.st_map')).toHaveAttribute('data-refcnt', '3');
});

test('?rev= opens the scenario on that revision, and a kmemleak report shows at the leak', async ({
  page,
}) => {
  await page.goto('?scenario=history-reassoc-leak&rev=v2&step=6');
  await expect(page.getByRole('combobox', { name: 'Kernel revision' })).toHaveValue('v2');
  const report = page.getByTestId('report.kmemleak');
  await expect(report).toBeVisible();
  await expect(report).toHaveAttribute('data-kind', 'leak');
  await expect(report).toContainText('unreferenced object');
  await expect(report).toContainText('refcnt 1');
  await page.goto('?scenario=history-reassoc-leak&rev=v8&step=6');
  await expect(page.getByTestId('kernel-reports')).toHaveCount(0);
});

test('a KASAN report shows at v5’s second put, with the access, the allocation and the free', async ({
  page,
}) => {
  await page.goto('?scenario=history-getter-stray-put&step=7');
  const kasan = page.getByTestId('report.KASAN');
  await expect(kasan).toContainText('BUG: KASAN: slab-use-after-free in bpf_map_put');
  await expect(kasan).toContainText('Allocated by task');
  await expect(kasan).toContainText('Freed by task');
  await expect(kasan).toHaveAttribute('data-new', 'true');
});

test('the compare view steps two revisions together and marks the first difference', async ({
  page,
}) => {
  await page.goto('?scenario=history-poison-cleared&rev=v2');
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/[?&]compare=v8/);
  await page.getByRole('combobox', { name: 'Right revision' }).selectOption('v3');
  await expect(page).toHaveURL(/[?&]compare=v3/);
  const view = page.getByTestId('compare-view');
  await expect(view.getByTestId('compare-left')).toHaveAttribute('data-revision', 'v2');
  await expect(view.getByTestId('compare-right')).toHaveAttribute('data-revision', 'v3');
  const first = view.getByTestId('first-difference');
  await expect(first).toHaveText(/^6\s*first difference$/);
  await expect(first).toHaveAttribute('data-differs', /association/);
  await expect(view.getByTestId('step-counter')).toHaveText('1 / 6');
  await view.getByRole('button', { name: 'Next step' }).click();
  await expect(view.getByTestId('step-counter')).toHaveText('2 / 6');
  await view.getByRole('button', { name: /^First difference: step 6$/ }).click();
  await expect(view.getByTestId('step-counter')).toHaveText('6 / 6');
  await expect(view.getByTestId('compare-now')).toHaveAttribute('data-differs', /report/);
  await expect(view.getByTestId('compare-left').getByTestId('node.prog.shared')).toHaveAttribute(
    'data-assoc',
    'none',
  );
  await expect(view.getByTestId('compare-right').getByTestId('node.prog.shared')).toHaveAttribute(
    'data-assoc',
    'POISON',
  );
  await expect(view.getByTestId('compare-left').getByTestId('report.hazard')).toHaveAttribute(
    'data-kind',
    'poison-cleared',
  );
  await expect(view.getByRole('region', { name: 'What the review changed' })).toContainText(
    'BPF_PTR_POISON back to NULL',
  );
  await view.getByRole('button', { name: 'Close compare' }).click();
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
  await expect(page).not.toHaveURL(/[?&]compare=/);
});
