/**
 * The page's first `?src=` fetch, started before the page renders (./earlyStart.ts), and taken
 * once by the load that wants it (../loadScenario.ts `fetchScenario`).
 */

let early: { readonly src: string; readonly response: Promise<Response> } | null = null;

/** Fetches the scenario at `src` (relative to the page), without credentials. */
export function fetchSrc(src: string): Promise<Response> {
  return fetch(new URL(src, window.location.href), { credentials: 'omit' });
}

/** Starts fetching `src` now, once; {@link takeEarlyFetch} takes it. */
export function fetchEarly(src: string): void {
  if (early?.src === src) return;
  const response = fetchSrc(src);
  // Whoever takes it sees a failure; until then it is not an unhandled rejection.
  response.catch(() => {});
  early = { src, response };
}

/** The fetch of `src` started early, if there is one (taken: a second call gets null). */
export function takeEarlyFetch(src: string): Promise<Response> | null {
  const started = early?.src === src ? early.response : null;
  early = null;
  return started;
}
