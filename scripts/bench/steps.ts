/**
 * Step latency by size (`npm run bench`, or `tsx scripts/bench.ts --steps` for this section
 * alone): the generated scenario (bench/generated.ts) at about 100, 1,000 and 3,000 kernel
 * objects; each is loaded with `?src=`, stepped past its load step, then stepped with → and
 * each step timed from the keypress to the step counter's change (React committed the step)
 * and to the next animation frame (bench/browser.ts, `stepTimes`).
 *
 * A size that does not show its graph within its time limit is reported as such, not waited
 * for.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { stepTimes } from './browser';
import { benchScenarioYaml } from './generated';
import { stats } from './stats';

/** Struct_ops maps in the scenario (about 6.6 objects on screen each), with their budgets. */
export const STEP_SIZES: readonly { n: number; label: string; budgetMs: number; loadS: number }[] =
  [
    { n: 15, label: '~100 objects', budgetMs: 16, loadS: 60 },
    { n: 150, label: '~1,000 objects', budgetMs: 33, loadS: 120 },
    { n: 450, label: '~3,000 objects', budgetMs: 80, loadS: 120 },
  ];
const STEPS = 30;

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

/**
 * Writes the scenarios into `dist` (under `bench/`, served at `url`), measures each size in a
 * fresh page of `browser` and returns one line per size.
 */
export async function stepLatencyBySize(
  browser: Browser,
  url: string,
  dist: string,
  sizes: readonly number[] = STEP_SIZES.map((s) => s.n),
): Promise<string[]> {
  mkdirSync(join(dist, 'bench'), { recursive: true });
  const lines: string[] = [];
  for (const n of sizes) {
    const size = STEP_SIZES.find((s) => s.n === n) ?? {
      n,
      label: `${n} maps`,
      budgetMs: NaN,
      loadS: 120,
    };
    // Enough test runs that every measured step is a small one, as a reader steps.
    writeFileSync(join(dist, 'bench', `steps-${n}.yaml`), benchScenarioYaml(n, 40));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const t0 = Date.now();
      try {
        await page.goto(`${url}?src=bench/steps-${n}.yaml`, { timeout: size.loadS * 1000 });
        await page.getByTestId('graph').waitFor({ timeout: size.loadS * 1000 });
        await page.keyboard.press('ArrowRight');
        await page
          .getByTestId('step-counter')
          .filter({ hasText: /^1 \// })
          .waitFor({ timeout: size.loadS * 1000 });
      } catch {
        lines.push(`step latency, ${size.label} (n=${n}): did not load within ${size.loadS} s`);
        progress(`size ${n}: did not load within ${size.loadS} s`);
        continue;
      }
      progress(`size ${n}: loaded in ${Date.now() - t0} ms`);
      await page.waitForTimeout(500);
      const objects = await page.locator('[data-testid^="node."]').count();
      const t = await stepTimes(page, STEPS);
      const d = stats(t.map((x) => x[0]));
      const f = stats(t.map((x) => x[1]));
      lines.push(
        `step latency, ${size.label} (n=${n}, ${objects} nodes on screen, ${t.length} steps): keypress → DOM updated median ${d.median.toFixed(1)} ms, p95 ${d.p95.toFixed(1)} ms; → next frame median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms  [budget: median ≤ ${size.budgetMs} ms]`,
      );
      progress(`size ${n}: done`);
    } finally {
      await page.close();
    }
  }
  return lines;
}
