/**
 * The Chromium the end-to-end tests and the benchmarks drive, and how: one place for both
 * (playwright.config.ts, scripts/bench/browser.ts).
 */
import { existsSync } from 'node:fs';

/**
 * The browser: PLAYWRIGHT_CHROMIUM_PATH if set, else the system's /usr/bin/chromium when it
 * exists, else (undefined) the Chromium that `npx playwright install chromium` downloads.
 */
export function chromiumPath(): string | undefined {
  return (
    process.env.PLAYWRIGHT_CHROMIUM_PATH ??
    (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
  );
}

/** Headless in a container: no sandbox, no GPU, and none of the browser's own network chores. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
