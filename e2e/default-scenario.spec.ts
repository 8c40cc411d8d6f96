import { describeState } from '../src/core/describe';
import { expect, test, runOf, watchErrors } from './support';

// The page runs the default scenario on the simulated kernel; what it shows must be exactly
// what the core produced (the run is deterministic).
const run = runOf('scx-layered-refresh');
const final = run.frames.at(-1)?.state ?? run.initial;

test('the default scenario loads, steps to its end, and shows the kernel state as text', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await page.goto('/');
  await expect(page).toHaveTitle('structops-lab');
  await expect(page.getByRole('heading', { level: 1, name: 'structops-lab' })).toBeVisible();
  await expect(page.getByTestId('scenario-picker')).toHaveValue('scx-layered-refresh');
  await expect(page.getByTestId('step-counter')).toHaveText(`0 / ${run.frames.length}`);
  await page.getByRole('button', { name: 'Last step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(
    `${run.frames.length} / ${run.frames.length}`,
  );
  // Closed, the state's text is not written (stepping does not build it); opened, it is.
  const text = page.getByTestId('kernel-state');
  await expect(text).toBeEmpty();
  await page.getByText('Kernel state as text').click();
  await expect(text).toBeVisible();
  await expect(text).toHaveText(describeState(final).join('\n'));
  await expect(text).toContainText('refresh_layer_cpumasks (freed)');
  expect(errors).toEqual([]);
});
