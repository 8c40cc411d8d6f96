/**
 * The `<structops-lab>` element's attributes, read the way the app reads its URL
 * (src/view/viewOptions.ts), and the embed URL of the frame the element shows.
 */

import { parseDetail, type Detail } from '../graph/detail';

export interface ElementOptions {
  /** A library scenario id (`scenario="teach-ebusy"`). */
  readonly scenario: string | null;
  /** A scenario file's URL, fetched by the element on its page (`src="scenarios/x.yaml"`). */
  readonly src: string | null;
  /** The step to open at (0 = before the first step). */
  readonly step: number | null;
  readonly autoplay: boolean;
  readonly theme: 'light' | 'dark' | 'system' | null;
  /** `detail="story|all"`; null: the app's default (the Story view). */
  readonly detail: Detail | null;
  readonly controls: boolean;
  /** The kernel revision to run on (`rev="v3"`), passed as `?rev=`; null = the scenario's own. */
  readonly rev: string | null;
}

const FALSE = new Set(['0', 'false', 'no', 'off']);

/**
 * A boolean attribute: absent is `fallback`; present is true (`autoplay`, `autoplay="1"`),
 * except `0`, `false`, `no`, `off` (`controls="false"`).
 */
export function readBoolAttr(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  return !FALSE.has(value.trim().toLowerCase());
}

/** A step attribute: a whole number ≥ 0, else null (open where the scenario starts). */
export function readStepAttr(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function readTheme(value: string | null): ElementOptions['theme'] {
  const s = value?.trim().toLowerCase();
  return s === 'light' || s === 'dark' || s === 'system' ? s : null;
}

/** A revision attribute: v1..v8 or mainline (the app checks it again), else null. */
function readRevAttr(value: string | null): string | null {
  const s = value?.trim().toLowerCase() ?? '';
  return /^(v[1-8]|mainline)$/.test(s) ? s : null;
}

/** Reads an element's attributes (`get` is `el.getAttribute`). */
export function readElementOptions(get: (name: string) => string | null): ElementOptions {
  const text = (name: string) => {
    const v = get(name)?.trim();
    return v ? v : null;
  };
  return {
    scenario: text('scenario'),
    src: text('src'),
    step: readStepAttr(get('step')),
    autoplay: readBoolAttr(get('autoplay'), false),
    theme: readTheme(get('theme')),
    detail: parseDetail(get('detail')),
    controls: readBoolAttr(get('controls'), true),
    rev: readRevAttr(get('rev')),
  };
}

/**
 * The frame's URL: the app at `appBase` with `?embed=1` and the options. A `src` scenario is
 * sent by the element (`load=host`), so the file is fetched on the element's page, under that
 * page's own rules, whatever host serves the app. `hostOrigin` pins the frame's postMessage
 * API to the element's page (omitted for pages without an http(s) origin, e.g. `file:`).
 */
export function frameUrl(appBase: string, o: ElementOptions, hostOrigin: string): string {
  const url = new URL('./', appBase);
  const q = url.searchParams;
  q.set('embed', '1');
  if (o.src) q.set('load', 'host');
  else if (o.scenario) q.set('scenario', o.scenario);
  if (o.step !== null) q.set('step', String(o.step));
  if (o.autoplay) q.set('autoplay', '1');
  if (o.theme) q.set('theme', o.theme);
  if (o.detail) q.set('detail', o.detail);
  if (!o.controls) q.set('controls', '0');
  if (o.rev) q.set('rev', o.rev);
  if (/^https?:\/\//.test(hostOrigin)) q.set('origin', hostOrigin);
  return url.href;
}
