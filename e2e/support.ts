/**
 * Shared e2e helpers: the library as the tests see it (same parser and runner as the app), and
 * `test`, which every spec uses: it fails a test on any Content-Security-Policy violation in any
 * page or frame of its browser context, so the shipped policy (index.html's meta tag) keeps
 * holding for everything the suite does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { parseScenario } from '../src/scenario/parse';
import { runScenario, type ScenarioRun } from '../src/scenario/run';
import type { Scenario } from '../src/scenario/schema';

const LIB = join(import.meta.dirname, '..', 'src', 'scenario', 'library');

export function libraryScenarios(): Scenario[] {
  return readdirSync(LIB)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const r = parseScenario(readFileSync(join(LIB, f), 'utf8'));
      if (!r.ok)
        throw new Error(`${f} does not parse: ${r.issues.map((i) => i.message).join('; ')}`);
      return r.scenario;
    });
}

export function runOf(id: string): ScenarioRun {
  const s = libraryScenarios().find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return runScenario(s);
}

/** Collects console errors and page errors; call `check()` at the end. */
export function watchErrors(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return { errors };
}

declare global {
  interface Window {
    __cspViolation?: (text: string) => void;
  }
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      await context.exposeFunction('__cspViolation', (text: string) => {
        violations.push(text);
      });
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__cspViolation?.(
            `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI} at ${e.sourceFile}:${e.lineNumber}`,
          );
        });
      });
      await use(violations);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
