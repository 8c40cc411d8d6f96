import { expect, test } from '@playwright/test';
import { runDefaultScenario } from '../src/demo/defaultScenario';

// The run is deterministic: the page must show exactly what the scenario produced.
const run = runDefaultScenario();

test('the default scenario shows its steps, their results and the final kernel state', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));

  await page.goto('/');

  await expect(page).toHaveTitle('structops-lab');
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: 'structops-lab' })).toBeVisible();
  await expect(main.getByRole('heading', { level: 2, name: run.title })).toBeVisible();
  await expect(main.getByText(run.summary)).toBeVisible();

  // The steps list, found by its accessible name, is the data-testid="steps" list.
  const list = main.getByRole('list', { name: 'Steps' });
  await expect(list).toHaveAttribute('data-testid', 'steps');
  const steps = list.getByTestId('step');
  await expect(steps).toHaveCount(run.steps.length);
  for (const [i, step] of run.steps.entries()) {
    await expect(steps.nth(i)).toContainText(step.label);
  }

  // Re-associating refresh_layer_cpumasks with a second map is refused: -EBUSY.
  const busy = steps.filter({ hasText: '-EBUSY (16)' });
  await expect(busy).toHaveCount(1);
  await expect(busy).toHaveAttribute('data-ret', '-16');
  await expect(busy).toContainText('bpf_program__assoc_struct_ops(refresh_layer_cpumasks');
  await expect(busy).toContainText('already associated with layered');

  // By the end the trigger program is freed, and bpf_prog_free_deferred has disassociated it.
  await expect(
    main.getByRole('heading', { level: 2, name: 'Kernel state after the last step' }),
  ).toBeVisible();
  const state = page.getByTestId('kernel-state');
  await expect(state).toContainText(
    /prog \d+ refresh_layer_cpumasks \(freed\) {2}BPF_PROG_TYPE_SYSCALL {2}refcnt=0 {2}st_ops_assoc=NULL/,
  );
  await expect(state).toContainText(
    /map \d+ layered \(freed\) {2}BPF_MAP_TYPE_STRUCT_OPS sched_ext_ops {2}\[BPF_F_LINK\]/,
  );

  expect(errors).toEqual([]);
});
