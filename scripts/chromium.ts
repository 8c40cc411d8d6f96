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

/**
 * The features Playwright's launcher turns off (its own `--disable-features`, as of
 * @playwright/test 1.65). Chromium honours only the last `--disable-features` on its command
 * line, so a list of ours must repeat these; e2e/browser-flags.spec.ts checks that it still
 * does after a Playwright upgrade.
 */
export const PLAYWRIGHT_DISABLED_FEATURES: readonly string[] = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * The browser's own address-bar popups, web pages it renders for every new window: headless
 * Chromium 156 makes a window per browser context, so each test and each benchmark load paid
 * for them (about 2.1 s of CPU per context on a 2-core machine, measured by summing the
 * browser's processes' CPU time over five contexts: 2,890 ms each with them, 780 without).
 */
const OWN_DISABLED_FEATURES: readonly string[] = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/**
 * Headless in a container: no sandbox, no GPU, and none of the browser's own chores (network,
 * updates, sync, address-bar popups).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OWN_DISABLED_FEATURES].join(',')}`,
];
