/**
 * Input from strangers never freezes, blanks or misleads the page: every bad URL says what is
 * wrong, a scenario that takes too long to simulate leaves the page responsive and ends with a
 * clear error, and script in every text field of a scenario, through all four ways in (a share
 * link, `?src=`, the editor, a host page's `load`), never runs, at any step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from '@playwright/test';
import { parseScenario } from '../src/scenario/parse';
import type { Scenario } from '../src/scenario/schema';
import { encodeShare } from '../src/share/encode';
import { expect as baseExpect, test, watchErrors } from './support';

// Loading goes through a worker that starts on demand: on a busy machine the first result can
// take a while. Generous waits; nothing here measures time.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 120_000 });

const EBUSY = readFileSync(
  join(import.meta.dirname, '..', 'src', 'scenario', 'library', 'teach-ebusy.yaml'),
  'utf8',
);
/** 5,001 steps, each running 60 statements: far more than the load budget allows. */
const SLOW = `format: 1
id: slow
title: Slow
summary: Many busy steps.
objects:
  busy:
    globals: { hits: 0 }
    progs:
      spin:
        section: syscall
        body: [{for: "i in 0..20000", do: [hits++]}, return 0]
steps:
  - {op: open_and_load, object: busy, say: Load.}
${'  - {op: test_run, prog: spin, say: Run.}\n'.repeat(5000)}`;

const counter = (page: Page | ReturnType<Page['frameLocator']>) => page.getByTestId('step-counter');

test.describe('every bad URL says what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['?scenario=teach-ebusy&step=-1', /step= \("-1"\) is negative: showing the start/],
    ['?scenario=teach-ebusy&step=abc', /step= \("abc"\) is not a number: showing the start/],
    ['?scenario=teach-ebusy&step=1e309', /step= \("1e309"\) is not a whole number/],
    [
      '?scenario=teach-ebusy&step=999999',
      /This scenario has 9 steps, not 999,999: showing the last/,
    ],
    ['?scenario=nonexistent', /There is no scenario called "nonexistent" in the library/],
    ['?scenario=__proto__', /There is no scenario called "__proto__" in the library/],
    ['?src=', /src= is empty: it should be the address of a scenario file/],
    [
      '?src=javascript:alert(document.domain)',
      /src= uses "javascript:": only http:, https: and relative addresses are loaded/,
    ],
    ['?src=data:text/plain,format:%201', /src= uses "data:"/],
  ];
  for (const [query, message] of cases) {
    test(query, async ({ page }) => {
      const { errors } = watchErrors(page);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`/${query}`);
      const notice = page.getByTestId('url-problems');
      await expect(notice).toContainText(message);
      // The nearest sensible view is open, and the message can be dismissed.
      await expect(page.getByTestId('graph')).toBeVisible();
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await expect(notice).toHaveCount(0);
      expect(requests.filter((u) => !u.startsWith('http://localhost'))).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  test('a binary file via ?src= is refused without being quoted whole', async ({ page }) => {
    let png = '\u0089PNG\r\n\u001a\n';
    for (let i = 0; i < 5000; i++) png += String.fromCharCode((i * 7919) % 251);
    await page.route('**/picture.png', (route) =>
      route.fulfill({ body: Buffer.from(png, 'latin1'), contentType: 'image/png' }),
    );
    await page.goto('/?src=picture.png');
    const error = page.getByRole('heading', { name: /picture\.png.* was not loaded/ });
    await expect(error).toBeVisible();
    const shown = await page.locator('.notice-error').innerText();
    expect(shown.length).toBeLessThan(3000);
    await expect(page.getByTestId('scenario-errors').locator('li')).not.toHaveCount(0);
    expect(await page.getByTestId('scenario-errors').locator('li').count()).toBeLessThanOrEqual(12);
  });
});

test('a scenario too slow to simulate leaves the page responsive and ends with a clear error', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.route('**/slow.yaml', (route) =>
    route.fulfill({ body: SLOW, contentType: 'text/yaml' }),
  );
  await page.goto('/?src=slow.yaml');
  const progress = page.getByTestId('load-progress');
  await expect(progress).toContainText(/simulating step [\d,]+ of 5,001/);
  // The page answers while the scenario is simulated: the theme switch works.
  const theme = page.getByTestId('theme-select');
  await theme.selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(
    // Stopped by the worker between steps, or (on a starved machine) by the page after the
    // budget's grace period: either way a clear sentence.
    page.getByRole('heading', { name: /(simulating|reading) it took too long, so it was stopped/ }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(progress).toHaveCount(0);
});

test('loading can be cancelled', async ({ page }) => {
  await page.route('**/slow.yaml', (route) =>
    route.fulfill({ body: SLOW, contentType: 'text/yaml' }),
  );
  await page.goto('/?src=slow.yaml');
  await page.getByRole('button', { name: 'Cancel loading' }).click();
  await expect(page.getByRole('heading', { name: /loading was cancelled/ })).toBeVisible();
});

/** Script in every shape a stranger might try; each names the host xss.invalid or sets __pwned. */
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '<img src="https://xss.invalid/3.png">',
  '<svg onload="window.__pwned=4"></svg>',
  '<a href="javascript:window.__pwned=5">click</a>',
  'javascript:window.__pwned=6',
  '"><script>window.__pwned=7</script>',
  "'><img src=x onerror=window.__pwned=8>",
  '<iframe src="javascript:top.__pwned=9"></iframe>',
  '<iframe srcdoc="<script>parent.__pwned=10</script>"></iframe>',
  "<style>@import 'https://xss.invalid/11.css';</style>",
  '<link rel=stylesheet href=https://xss.invalid/12.css>',
  '<body onload=window.__pwned=13>',
  '<details open ontoggle=window.__pwned=14>',
  '<math><mtext><img src=x onerror=window.__pwned=15>',
  "{{constructor.constructor('window.__pwned=16')()}}",
  '${window.__pwned=17}',
  '[link](javascript:window.__pwned=18)',
  '<object data="https://xss.invalid/19"></object>',
  '<video><source onerror="window.__pwned=20"></video>',
  '<form action="javascript:window.__pwned=21"><button>x</button></form>',
  '`<img src=x onerror=window.__pwned=22>`',
  '<meta http-equiv="refresh" content="0;url=https://xss.invalid/23">',
  'data:text/html,<script>window.__pwned=24</script>',
];

/** teach-ebusy with a payload in its title, summary and every step's say, notes and chapter. */
function hostileScenario(): Scenario {
  const r = parseScenario(EBUSY);
  if (!r.ok) throw new Error('teach-ebusy does not parse');
  let k = 0;
  const next = () => `${PAYLOADS[k++ % PAYLOADS.length] ?? ''} ${k}`;
  return {
    ...r.scenario,
    id: 'xss-probe',
    title: next(),
    summary: next(),
    steps: r.scenario.steps.map((s) => ({
      ...s,
      say: `${next()} ${next()}`,
      notes: next(),
      chapter: next(),
    })),
  };
}

interface Watch {
  readonly dialogs: string[];
  readonly hostile: string[];
}

function watchHostile(page: Page): Watch {
  const w: Watch = { dialogs: [], hostile: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url().includes('xss.invalid')) w.hostile.push(r.url());
  });
  return w;
}

/** Script ran, or the DOM holds a live handler or javascript: URL, in this frame. */
async function executed(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const found: string[] = [];
    const w = window as Window & { __pwned?: unknown };
    if (w.__pwned !== undefined) found.push(`__pwned = ${String(w.__pwned)}`);
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) found.push(`<${el.localName} ${a.name}>`);
        // A URL that would run script (text in a title or a label is only text).
        if (
          /^(href|src|xlink:href|action|formaction|data|srcdoc|poster)$/i.test(a.name) &&
          /^\s*javascript:/i.test(a.value)
        )
          found.push(`<${el.localName} ${a.name}=javascript:>`);
      }
    }
    return found;
  });
}

async function stepThrough(
  root: Page | ReturnType<Page['frameLocator']>,
  frame: () => Frame,
  steps: number,
): Promise<string[]> {
  const found: string[] = [];
  await expect(counter(root)).toHaveText(`0 / ${steps}`);
  for (let s = 1; s <= steps; s++) {
    await root.getByRole('button', { name: 'Next step' }).click();
    await expect(counter(root)).toHaveText(`${s} / ${steps}`);
    found.push(...(await executed(frame())));
  }
  return found;
}

test.describe('the XSS corpus runs nowhere', () => {
  const scenario = hostileScenario();
  const text = JSON.stringify(scenario, null, 1);
  const steps = scenario.steps.length;

  test('through a share link (?s=)', async ({ page, baseURL }) => {
    const w = watchHostile(page);
    await page.goto(
      encodeShare(
        { scenario: { kind: 'inline', scenario }, step: 0 },
        baseURL ?? 'http://localhost:4173/',
      ),
    );
    const found = await stepThrough(page, () => page.mainFrame(), steps);
    expect({ found, ...w }).toEqual({ found: [], dialogs: [], hostile: [] });
  });

  test('through ?src=', async ({ page }) => {
    const w = watchHostile(page);
    await page.route('**/hostile.json', (route) =>
      route.fulfill({ body: text, contentType: 'application/json' }),
    );
    await page.goto('/?src=hostile.json');
    const found = await stepThrough(page, () => page.mainFrame(), steps);
    expect({ found, ...w }).toEqual({ found: [], dialogs: [], hostile: [] });
  });

  test('through the editor', async ({ page }) => {
    const w = watchHostile(page);
    await page.goto('/?scenario=teach-ebusy');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const box = page.getByRole('textbox', { name: 'Scenario text (YAML)' });
    await expect(box).toBeFocused();
    await page.keyboard.press('ControlOrMeta+A');
    await box.evaluate((el, pasted) => {
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      el.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, text);
    await page.getByRole('button', { name: 'Run', description: /Run the edited/ }).click();
    await expect(page.getByTestId('editor-outcome')).toContainText('Ran the edited scenario');
    const found = await stepThrough(page, () => page.mainFrame(), steps);
    expect({ found, ...w }).toEqual({ found: [], dialogs: [], hostile: [] });
  });

  test("through a host page's load message", async ({ page, baseURL }) => {
    const w = watchHostile(page);
    await page.setContent(
      `<iframe id="x" title="embed" style="width:1000px;height:700px;border:0" src="${new URL('./?embed=1&load=host', baseURL).href}"></iframe>`,
    );
    const f = page.frameLocator('#x');
    await expect(f.getByText('Waiting for the page to send its scenario')).toBeVisible();
    await page.evaluate((t) => {
      const frame = document.getElementById('x') as HTMLIFrameElement;
      frame.contentWindow?.postMessage(
        { protocol: 'structops-lab', v: 1, type: 'load', text: t, name: '<b>x</b>.yaml' },
        '*',
      );
    }, text);
    const frame = () => {
      const found = page.frames().find((x) => x.url().includes('load=host'));
      if (!found) throw new Error('no app frame');
      return found;
    };
    const found = await stepThrough(f, frame, steps);
    found.push(...(await executed(page.mainFrame())));
    expect({ found, ...w }).toEqual({ found: [], dialogs: [], hostile: [] });
  });
});
