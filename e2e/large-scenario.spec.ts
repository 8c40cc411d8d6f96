/**
 * A large scenario from a file: its run is too large to post from the loader's worker, so the
 * page runs it too, alongside the worker (src/app/loader/runOnPage.ts) or after it
 * (src/app/loader/rerun.ts), and shows the same run the runner makes.
 */
import { describeState } from '../src/core/describe';
import { eventCount, RERUN_MIN_EVENTS } from '../src/app/loader/rerun';
import { parseScenario } from '../src/scenario/parse';
import { runScenario } from '../src/scenario/run';
import { generateScenarioYaml } from '../src/testing/generateScenario';
import { expect, test, watchErrors } from './support';

const YAML = generateScenarioYaml({ objects: 300, steps: 600 });

test('a large scenario loads by the page running it too, the same run as the runner’s', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const parsed = parseScenario(YAML);
  if (!parsed.ok) throw new Error('the generated scenario does not parse');
  const run = runScenario(parsed.scenario);
  // Large enough that the worker hands it back rather than post it.
  expect(eventCount(run)).toBeGreaterThanOrEqual(RERUN_MIN_EVENTS);
  const total = run.frames.length;
  const final = run.frames[total - 1]?.state;
  if (!final) throw new Error('the run has no steps');

  const { errors } = watchErrors(page);
  const chunks: string[] = [];
  page.on('request', (r) => {
    const m = /\/assets\/([\w-]+?)-[\w-]{8}\.js$/.exec(new URL(r.url()).pathname);
    if (m?.[1]) chunks.push(m[1]);
  });
  await page.route('**/large.yaml', (route) =>
    route.fulfill({ status: 200, contentType: 'text/yaml', body: YAML }),
  );
  await page.goto('/?src=large.yaml&step=0');
  await expect(page.getByTestId('step-counter')).toHaveText(`0 / ${total}`, { timeout: 60_000 });
  // The page loaded the runner to run it (nothing else on this page needs it).
  expect(chunks).toContain('run');
  await page.getByRole('button', { name: 'Last step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`${total} / ${total}`);
  await page.getByText('Kernel state as text').click();
  await expect(page.getByTestId('kernel-state')).toHaveText(describeState(final).join('\n'));
  expect(errors).toEqual([]);
});
