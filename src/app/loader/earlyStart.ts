/**
 * The first thing the page's entry runs (src/main.tsx imports it first, and its own imports are
 * few and small): the scenario loader's worker starts here, with its parser for a `?src=` file
 * or a share link, and a `?src=` file's fetch too, while the rest of the page's script is
 * still being evaluated. A worker's start needs the page's thread for a moment: started when
 * the page first renders, it waited for the whole script's evaluation first. The page's first
 * render (../loadScenario.ts `initialLoad`) calls it again, a no-op by then: these choices are
 * made here only.
 */
import { hasInlineShare } from '../../share/encode';
import { srcProblem } from '../urlProblems';
import { fetchEarly } from './earlyFetch';
import { warmWorker } from './workers';

/**
 * Starts what the page at `href` will load first: nothing for a speaker view or a page that
 * waits for its host (`?load=`), else the worker, and the file of a `?src=` it can fetch.
 */
export function startEarly(href: string): void {
  const url = new URL(href);
  const q = url.searchParams;
  if (q.has('speaker') || q.has('load')) return;
  if (hasInlineShare(url.search)) return warmWorker(true);
  const src = q.get('src');
  if (src === null || srcProblem(src, href) !== null) return warmWorker();
  warmWorker(true);
  fetchEarly(src);
}

// Only in a page (not where tests import it).
if (typeof window !== 'undefined') startEarly(window.location.href);
