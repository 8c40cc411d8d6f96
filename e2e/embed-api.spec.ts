/**
 * The `<structops-lab>` element (dist/structops-lab.js) and the postMessage API between a page
 * and the frames it embeds: the example pages, a host page on another origin, scenario files
 * fetched by the element, and invalid or foreign messages.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { startStaticServer, type StaticServer } from './staticServer';
import { expect, test, runOf, watchErrors } from './support';

const stepsOf = (id: string) => runOf(id).frames.length;

/**
 * A host page on another origin than the app's: the test's own static server on 127.0.0.1
 * (the app is on localhost), serving `html` as /host.html and `files` beside it.
 */
async function hostPage(
  page: Page,
  html: string,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'structops-host-'));
  await writeFile(join(dir, 'host.html'), html);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), body);
  }
  const server = await startStaticServer(dir, '/');
  servers.push(server);
  await page.goto(`${server.url}host.html`);
  return new URL(server.url).origin;
}

const servers: StaticServer[] = [];
test.afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Records the element events of every `<structops-lab>` on the page in `window.labEvents`. */
async function recordEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { labEvents: { id: string; type: string; detail: unknown }[] };
    w.labEvents = [];
    for (const type of ['ready', 'stepchange', 'scenarioerror']) {
      document.addEventListener(type, (e) => {
        const el = e.target as HTMLElement;
        w.labEvents.push({ id: el.id, type, detail: (e as CustomEvent).detail });
      });
    }
  });
}

function labEvents(page: Page) {
  return page.evaluate(
    () =>
      (window as unknown as { labEvents: { id: string; type: string; detail: unknown }[] })
        .labEvents,
  );
}

test.describe('the <structops-lab> element', () => {
  test('the example page: two elements, each its own scenario, stepped independently', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.goto('/element-example.html');
    const ebusy = page.frameLocator('#ebusy iframe');
    const hello = page.frameLocator('#hello iframe');
    const n = stepsOf('teach-ebusy');
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`1 / ${n}`);
    // The src element: a file next to the page, at step 4, dark, without controls.
    await expect(hello.getByTestId('lookup-end')).toHaveText('returns 42');
    await expect(hello.getByTestId('step-counter')).toHaveCount(0);
    await expect(hello.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('#ebusy iframe')).toHaveAttribute(
      'title',
      'structops-lab: Set once: EBUSY',
    );
    await expect(page.locator('#hello iframe')).toHaveAttribute(
      'title',
      'structops-lab: Hello, association',
    );

    // The page's own buttons call the element's methods; its status follows `stepchange`.
    const drive = page.getByRole('group', { name: 'Drive the EBUSY element' });
    await drive.getByRole('button', { name: 'Next' }).click();
    await drive.getByRole('button', { name: 'Next' }).click();
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`3 / ${n}`);
    await expect(page.getByRole('status')).toHaveText(`Step 3 of ${n}`);
    await drive.getByRole('button', { name: 'Last' }).click();
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`${n} / ${n}`);
    await drive.getByRole('spinbutton', { name: 'Step' }).fill('2');
    await drive.getByRole('button', { name: 'Go' }).click();
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`2 / ${n}`);
    // Stepping inside one frame is reported to the page too.
    await ebusy.getByRole('button', { name: 'Next step' }).click();
    await expect(page.getByRole('status')).toHaveText(`Step 3 of ${n}`);
    // The other element did not move.
    await expect(hello.getByTestId('lookup-end')).toHaveText('returns 42');

    // A step past the end is refused, in words, and nothing moves.
    await drive.getByRole('spinbutton', { name: 'Step' }).fill('99');
    await drive.getByRole('button', { name: 'Go' }).click();
    await expect(page.getByRole('status')).toHaveText(
      `Refused: step 99 is past the last step (${n})`,
    );
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`3 / ${n}`);
    expect(errors).toEqual([]);
  });

  test('changing step and theme attributes moves and restyles the running view', async ({
    page,
  }) => {
    const { errors } = watchErrors(page);
    await page.goto('/element-example.html');
    const ebusy = page.frameLocator('#ebusy iframe');
    const n = stepsOf('teach-ebusy');
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`1 / ${n}`);
    await expect(ebusy.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.locator('#ebusy').evaluate((el) => el.setAttribute('step', '5'));
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`5 / ${n}`);
    await page.locator('#ebusy').evaluate((el) => el.setAttribute('theme', 'dark'));
    await expect(ebusy.locator('html')).toHaveAttribute('data-theme', 'dark');
    // Not reloaded: still at step 5.
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`5 / ${n}`);
    // The element's read-only state follows.
    await expect
      .poll(() =>
        page
          .locator('#ebusy')
          .evaluate((el: HTMLElement & { step?: number; steps?: number }) => [el.step, el.steps]),
      )
      .toEqual([5, n]);
    // A new scenario attribute reloads the frame with it.
    await page.locator('#ebusy').evaluate((el) => el.setAttribute('scenario', 'teach-poison'));
    await expect(ebusy.getByTestId('step-counter')).toHaveText(`5 / ${stepsOf('teach-poison')}`);
    await expect(page.locator('#ebusy iframe')).toHaveAttribute(
      'title',
      /structops-lab: .*(poison|POISON)/,
    );
    expect(errors).toEqual([]);
  });

  test('on a page of another origin: src fetched by the page, events, invalid files', async ({
    page,
    baseURL,
  }) => {
    if (!baseURL) throw new Error('no baseURL');
    const script = new URL('./structops-lab.js', baseURL).href;
    const mine = [
      'format: 1',
      'id: mine',
      'title: Mine',
      'summary: A page-owned scenario.',
      'kernel: { cpus: 1 }',
      'objects:',
      '  o:',
      '    progs:',
      '      p: { section: syscall, body: [return 7] }',
      'steps:',
      '  - op: open_and_load',
      '    object: o',
      '    say: Only this page has this file.',
    ].join('\n');
    const broken = [
      'format: 1',
      'id: broken',
      'title: Broken',
      'summary: x',
      'steps:',
      '  - op: nope',
    ].join('\n');
    const { errors } = watchErrors(page);
    const origin = await hostPage(
      page,
      `<!doctype html><html lang="en"><head><title>host</title><link rel="icon" href="data:," />
       <style>structops-lab { display: inline-block; width: 300px; }</style>
       <script src="${script}"></script></head><body>
       <structops-lab id="lib" scenario="teach-ebusy" label="EBUSY, embedded"></structops-lab>
       <structops-lab id="mine" src="/scenarios/mine.yaml" step="1"></structops-lab>
       <structops-lab id="broken" src="/scenarios/broken.yaml"></structops-lab>
       <structops-lab id="missing" src="/scenarios/missing.yaml"></structops-lab>
       </body></html>`,
      { 'scenarios/mine.yaml': mine, 'scenarios/broken.yaml': broken },
    );
    await recordEvents(page);

    const lib = page.frameLocator('#lib iframe');
    await expect(lib.getByTestId('step-counter')).toHaveText(`0 / ${stepsOf('teach-ebusy')}`);
    await expect(page.locator('#lib iframe')).toHaveAttribute('title', 'EBUSY, embedded');
    // The frame is pinned to this page's origin.
    const src = await page.locator('#lib iframe').getAttribute('src');
    expect(new URL(src ?? '').searchParams.get('origin')).toBe(origin);
    expect(new URL(src ?? '').origin).toBe(new URL(baseURL).origin);

    await expect(
      page.frameLocator('#mine iframe').getByText('Only this page has this file.'),
    ).toBeVisible();

    // An invalid file: the frame lists the problems with line and column; the page hears them.
    const broke = page.frameLocator('#broken iframe');
    await expect(
      broke.getByRole('heading', { name: /was not loaded: it is not a valid scenario/ }),
    ).toBeVisible();
    await expect(broke.getByTestId('scenario-errors')).toContainText(/\d+:\d+/);
    const missing = page.frameLocator('#missing iframe');
    await expect(
      missing.getByRole('heading', { name: /could not fetch it: HTTP 404/ }),
    ).toBeVisible();

    await page.locator('#lib').evaluate((el: HTMLElement & { next?: () => void }) => el.next?.());
    await expect(lib.getByTestId('step-counter')).toHaveText(`1 / ${stepsOf('teach-ebusy')}`);
    await expect
      .poll(async () => (await labEvents(page)).map((e) => `${e.id}:${e.type}`))
      .toEqual(expect.arrayContaining(['lib:stepchange', 'broken:scenarioerror']));
    const events = await labEvents(page);
    const step = events.find((e) => e.id === 'lib' && e.type === 'stepchange');
    expect(step?.detail).toMatchObject({ scenario: 'teach-ebusy', step: 1, playing: false });
    const bad = events.find((e) => e.id === 'broken' && e.type === 'scenarioerror');
    expect(bad?.detail).toMatchObject({ request: 'load' });
    const issues = (bad?.detail as { issues: { line: number; column: number }[] }).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.line).toBeGreaterThan(0);
    // Nothing from one element reached another.
    expect(events.filter((e) => e.id === 'mine' && e.type === 'scenarioerror')).toEqual([]);
    // The one failed request is the missing file's, on purpose.
    expect(errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ]);
  });
});

test.describe('the postMessage API of a frame', () => {
  test('the example page drives a frame and hears its steps', async ({ page }) => {
    const { errors } = watchErrors(page);
    await page.goto('/embed-example.html');
    const frame = page.frameLocator('#embed-ebusy');
    const n = stepsOf('teach-ebusy');
    await expect(page.locator('#frame-status')).toHaveText(`Step 0 of ${n}`);
    const drive = page.getByRole('group', { name: 'Drive the EBUSY frame' });
    await drive.getByRole('button', { name: 'Next' }).click();
    await drive.getByRole('button', { name: 'Next' }).click();
    await expect(frame.getByTestId('step-counter')).toHaveText(`2 / ${n}`);
    await expect(page.locator('#frame-status')).toHaveText(`Step 2 of ${n}`);
    await drive.getByRole('button', { name: 'Play' }).click();
    await expect(page.locator('#frame-status')).toContainText('playing');
    await drive.getByRole('button', { name: 'Pause' }).click();
    await expect(page.locator('#frame-status')).not.toContainText('playing');
    // The poison frame on the same page did not move.
    await expect(page.frameLocator('#embed-poison').getByTestId('step-counter')).toHaveText(
      `2 / ${stepsOf('teach-poison')}`,
    );
    expect(errors).toEqual([]);
  });

  test('invalid commands are refused with a reason; foreign messages are ignored', async ({
    page,
    baseURL,
  }) => {
    if (!baseURL) throw new Error('no baseURL');
    const { errors } = watchErrors(page);
    const app = new URL('./?embed=1&scenario=teach-ebusy', baseURL).href;
    await hostPage(
      page,
      `<!doctype html><html lang="en"><head><title>host</title><link rel="icon" href="data:," /></head><body>
       <iframe id="f" title="embed" style="width:640px;height:360px" src="${app}"></iframe>
       <script>
         window.replies = [];
         addEventListener('message', (e) => {
           if (e.source === document.getElementById('f').contentWindow) window.replies.push(e.data);
         });
       </script></body></html>`,
    );
    const frame = page.frameLocator('#f');
    await expect(frame.getByTestId('step-counter')).toHaveText(`0 / ${stepsOf('teach-ebusy')}`);
    const replies = () =>
      page.evaluate(() => (window as unknown as { replies: { type: string }[] }).replies);
    await expect.poll(async () => (await replies()).map((r) => r.type)).toContain('ready');
    const post = (data: unknown) =>
      page.evaluate(
        (d) =>
          (document.getElementById('f') as HTMLIFrameElement).contentWindow?.postMessage(d, '*'),
        data,
      );
    const errorsSeen = async () =>
      (await replies()).filter((r) => r.type === 'error') as unknown as {
        message: string;
        request: string | null;
      }[];

    // Foreign messages: no answer, no effect.
    await post({ type: 'goto', step: 3 });
    await post('next');
    await post({ protocol: 'other', v: 1, type: 'next' });
    // Invalid commands: an answer each, no effect.
    await post({ protocol: 'structops-lab', v: 1, type: 'goto', step: -3 });
    await post({ protocol: 'structops-lab', v: 1, type: 'goto', step: '2' });
    await post({ protocol: 'structops-lab', v: 1, type: 'format-disk' });
    await post({ protocol: 'structops-lab', v: 9, type: 'next' });
    await expect.poll(async () => (await errorsSeen()).length).toBe(4);
    const seen = await errorsSeen();
    expect(seen.map((e) => e.request)).toEqual(['goto', 'goto', 'format-disk', 'next']);
    expect(seen[3]?.message).toMatch(/version 9/);
    await expect(frame.getByTestId('step-counter')).toHaveText(`0 / ${stepsOf('teach-ebusy')}`);

    // A valid one acts, and is answered with the step.
    await post({ protocol: 'structops-lab', v: 1, type: 'goto', step: 4 });
    await expect(frame.getByTestId('step-counter')).toHaveText(`4 / ${stepsOf('teach-ebusy')}`);
    await expect
      .poll(async () => (await replies()).filter((r) => r.type === 'step').length)
      .toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  test('a frame pinned to another origin ignores this page', async ({ page, baseURL }) => {
    if (!baseURL) throw new Error('no baseURL');
    const pinned = new URL(
      `./?embed=1&scenario=teach-ebusy&origin=${encodeURIComponent('https://docs.example.org')}`,
      baseURL,
    ).href;
    const open = new URL('./?embed=1&scenario=teach-ebusy', baseURL).href;
    await hostPage(
      page,
      `<!doctype html><html lang="en"><head><title>host</title><link rel="icon" href="data:," /></head><body>
       <iframe id="pinned" title="pinned" src="${pinned}"></iframe>
       <iframe id="open" title="open" src="${open}"></iframe></body></html>`,
    );
    const n = stepsOf('teach-ebusy');
    for (const id of ['pinned', 'open']) {
      await expect(page.frameLocator(`#${id}`).getByTestId('step-counter')).toHaveText(`0 / ${n}`);
    }
    // Both get the same command; only the frame that is not pinned elsewhere obeys.
    await expect
      .poll(async () => {
        await page.evaluate(() => {
          for (const id of ['pinned', 'open']) {
            (document.getElementById(id) as HTMLIFrameElement).contentWindow?.postMessage(
              { protocol: 'structops-lab', v: 1, type: 'goto', step: 3 },
              '*',
            );
          }
        });
        return page.frameLocator('#open').getByTestId('step-counter').textContent();
      })
      .toBe(`3 / ${n}`);
    await expect(page.frameLocator('#pinned').getByTestId('step-counter')).toHaveText(`0 / ${n}`);
  });
});
