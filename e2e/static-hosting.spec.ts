/**
 * The built folder runs from any static host under any sub-path: `dist/` (built by the
 * webServer step) is served by a plain static server under a deep path, with 404 for anything
 * outside it, and the app loads, steps, loads its lazy chunks and keeps its URL under that path.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startStaticServer, type StaticServer } from './staticServer';
import { expect, test, libraryScenarios, watchErrors } from './support';

const DIST = join(import.meta.dirname, '..', 'dist');
const MOUNT = '/some/deep/path/structops-lab/';

let server: StaticServer;

test.beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('dist/index.html is missing: the webServer step (npm run build) makes it');
  server = await startStaticServer(DIST, MOUNT);
});

test.afterAll(async () => {
  await server.close();
});

/** Failed requests, HTTP errors and console errors seen by the page. */
function watchNetwork(page: Page): { problems: string[] } {
  const { errors } = watchErrors(page);
  const problems = errors;
  page.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`),
  );
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { problems };
}

test('the app runs under a sub-path: loads, deep-links, steps, loads its lazy chunk', async ({
  page,
}) => {
  const s = libraryScenarios().find((x) => x.id === 'teach-ebusy');
  if (!s) throw new Error('teach-ebusy missing');
  const total = s.steps.length;
  const { problems } = watchNetwork(page);

  // The server itself: the mount serves, outside it nothing does.
  expect((await page.request.get(server.url)).status()).toBe(200);
  expect((await page.request.get(new URL('/index.html', server.url).href)).status()).toBe(404);

  await page.goto(`${server.url}?scenario=teach-ebusy&step=2`);
  await expect(page).toHaveTitle('structops-lab');
  await expect(page.getByTestId('graph')).toBeVisible();
  await expect(page.locator('[data-testid^="node."]').first()).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText(`2 / ${total}`);
  // The stylesheet applied (a missing CSS file fails quietly otherwise).
  expect(
    await page.evaluate(() => document.styleSheets.length),
    'stylesheets loaded',
  ).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`3 / ${total}`);
  // The URL follows the view and stays under the sub-path.
  await expect(page).toHaveURL((u) => u.pathname === MOUNT && u.searchParams.get('step') === '3');
  await page.getByRole('button', { name: 'Last step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`${total} / ${total}`);
  await page.getByRole('button', { name: 'First step' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(`0 / ${total}`);

  // The console loads the scenario parser on demand: a separate chunk, fetched relative to the page.
  await page.getByRole('button', { name: 'Last step' }).click();
  const input = page.getByTestId('console-input');
  await input.fill('close 99');
  await input.press('Enter');
  await expect(page.getByTestId('console-output')).toContainText('-EBADF (9)');

  // A reload of the URL as it now stands lands on the same view.
  await page.reload();
  await expect(page.getByTestId('graph')).toBeVisible();
  await expect(page).toHaveURL((u) => u.pathname === MOUNT);

  expect(problems).toEqual([]);
  const refused = server.log.filter((r) => r.status >= 400 && r.path !== '/index.html');
  expect(refused, 'requests the static server refused').toEqual([]);
});

// Any example page shipped next to the app (e.g. an embed example) works under the sub-path
// too. Found when the test runs (dist/ may not exist yet when the tests are listed).
test('example pages in dist/ under a sub-path: their iframes load the app', async ({ page }) => {
  const examples = readdirSync(DIST).filter(
    (f) =>
      f.endsWith('.html') &&
      f !== 'index.html' &&
      /<iframe|<structops-lab/i.test(readFileSync(join(DIST, f), 'utf8')),
  );
  // The build ships public/embed-example.html (two iframes) and public/element-example.html
  // (two <structops-lab> elements, whose iframes are in their shadow roots; locators reach them).
  expect(examples).toEqual(expect.arrayContaining(['embed-example.html', 'element-example.html']));
  const { problems } = watchNetwork(page);
  const logStart = server.log.length;
  for (const file of examples) {
    await page.goto(`${server.url}${file}`);
    const frames = page.locator('iframe');
    const n = await frames.count();
    expect(n, `${file} has iframes`).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      const frame = frames.nth(i);
      await frame.scrollIntoViewIfNeeded();
      const where = `${file}, iframe ${i} (${(await frame.getAttribute('src')) ?? ''})`;
      const inner = frame.contentFrame();
      await expect(inner.getByTestId('graph'), where).toBeVisible();
      await expect(inner.locator('[data-testid^="node."]').first(), where).toBeVisible();
      // A scenario file's lane order comes from a worker started after the first graph: it
      // loads under the sub-path too, and the page is left only once it has answered (leaving
      // earlier would abort its request, which is not the server's doing).
      await expect(inner.getByTestId('graph'), where).toHaveAttribute(
        'data-lane-order',
        'ordered',
        { timeout: 30_000 },
      );
    }
  }
  expect(problems).toEqual([]);
  const refused = server.log.slice(logStart).filter((r) => r.status >= 400);
  expect(refused, 'requests the static server refused').toEqual([]);
});
