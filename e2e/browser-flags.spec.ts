/**
 * The browser the tests and benchmarks drive (scripts/chromium.ts): Chromium honours only the
 * last `--disable-features` on its command line, so the one scripts/chromium.ts adds must keep
 * every feature Playwright's launcher turns off, and none of the browser's own address-bar
 * popups may be rendered behind the pages.
 */
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium';

test('the last --disable-features keeps all of Playwright\u2019s and ours', async () => {
  const executablePath = chromiumPath();
  // --enable-automation lets the browser tell its own command line.
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [...CHROMIUM_ARGS, '--enable-automation'],
  });
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { arguments: argv } = await cdp.send('Browser.getBrowserCommandLine');
    const lists = argv
      .filter((a) => a.startsWith('--disable-features='))
      .map((a) => a.slice('--disable-features='.length).split(','));
    // Playwright's own list, and ours after it.
    expect(lists.length).toBeGreaterThanOrEqual(2);
    const effective = new Set(lists.at(-1));
    for (const list of lists) for (const name of list) expect(effective).toContain(name);
    expect(effective).toContain('WebUIOmniboxAimPopup');

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('about:blank');
    const { targetInfos } = await cdp.send('Target.getTargets');
    expect(targetInfos.map((t) => t.url).filter((u) => u.startsWith('chrome://'))).toEqual([]);
    await context.close();
  } finally {
    await browser.close();
  }
});
