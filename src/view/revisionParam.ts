/**
 * `?rev=<revision>` runs the scenario on another revision of the series, and `?compare=<revision>`
 * opens the compare view against it. Pure: anything that is not a revision is ignored.
 */
import { isRevision } from '../core/revisions/spec';
import type { Revision } from '../core/types';
import type { Scenario } from '../scenario/schema';

/** The revision a query parameter names, or null. */
export function readRevision(q: URLSearchParams, name: 'rev' | 'compare'): Revision | null {
  const v = q.get(name)?.trim().toLowerCase();
  return isRevision(v) ? v : null;
}

/** `scenario` to run on `rev` (itself when that is already its revision). */
export function withRevision(scenario: Scenario, rev: Revision | null): Scenario {
  if (rev === null || rev === scenario.kernel.revision) return scenario;
  return { ...scenario, kernel: { ...scenario.kernel, revision: rev } };
}
