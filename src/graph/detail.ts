/**
 * The graph's detail level: `story` (the objects the scenario is about, the rest folded) or
 * `all` (every object). Its own module with no imports, so that the `<structops-lab>` element
 * and the URL options can read it without pulling in the graph or the simulated kernel.
 */
export type Detail = 'story' | 'all';

export const DETAILS: readonly Detail[] = ['story', 'all'];

export const DETAIL_LABELS: Readonly<Record<Detail, string>> = {
  story: 'Story',
  all: 'All objects',
};

/** `story` or `all` (any case, trimmed); anything else is null. */
export function parseDetail(v: string | null | undefined): Detail | null {
  const s = v?.trim().toLowerCase();
  return s === 'story' || s === 'all' ? s : null;
}
