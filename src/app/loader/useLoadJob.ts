/**
 * One scenario load at a time, off the page's thread (src/app/loader): its progress for
 * the page to show, and a way to cancel it. Starting another load cancels the one running.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LoadProgress, LoadRequest } from '../../scenario/worker/loadJob';
import type { LoadResult, LoadTask } from './loadInWorker';

export function useLoadJob() {
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const task = useRef<LoadTask | null>(null);
  const start = useCallback(async (request: LoadRequest): Promise<LoadResult> => {
    task.current?.cancel();
    const { loadInWorker } = await import('./loadInWorker');
    const t = loadInWorker(request, setProgress);
    task.current = t;
    setProgress({ phase: 'parse', done: 0, total: 0 });
    const result = await t.result;
    if (task.current === t) {
      task.current = null;
      setProgress(null);
    }
    return result;
  }, []);
  const cancel = useCallback(() => task.current?.cancel(), []);
  useEffect(() => () => task.current?.cancel(), []);
  return { progress, start, cancel };
}

/**
 * A whole number with a comma between groups of three digits, as `toLocaleString('en')` writes
 * it, without the browser's number formatting: the first use of that loads its locale data,
 * about 20 ms on the page's thread in Chromium, while a large load keeps that thread busy.
 */
function withCommas(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** What a load is doing, in words: "reading it", "simulating step 120 of 2,000". */
export function describeProgress(p: LoadProgress): string {
  return p.phase === 'parse'
    ? 'reading it'
    : `simulating step ${withCommas(p.done + 1)} of ${withCommas(p.total)}`;
}
