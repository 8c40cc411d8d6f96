/**
 * How the page is shown, read from the URL: `?embed=1` (graph, controls and narration only),
 * `?present=1` (presentation mode), `?theme=light|dark|system`, `?controls=0` (embed without
 * the stepping controls), `?autoplay=1`, `?dwell=<seconds per step>` and `?origin=` (the host
 * page allowed to drive a frame; see src/app/useHostApi.ts). Pure: anything
 * unknown or out of range falls back to the default, never to an error.
 */

import { parseDetail, type Detail } from '../graph/detail';

export type ThemeChoice = 'light' | 'dark' | 'system';

export interface ViewOptions {
  readonly embed: boolean;
  readonly present: boolean;
  /** The theme the URL asks for (an embed following its host), or null to use the saved one. */
  readonly theme: ThemeChoice | null;
  readonly controls: boolean;
  readonly autoplay: boolean;
  /** Seconds each step stays on screen when presentation mode advances by itself. */
  readonly dwell: number;
  /** `?detail=`: the Story view (default) or all objects. */
  readonly detail: Detail;
  /**
   * `?origin=`: in a frame, the only page origin whose messages the host API reads and to
   * which it answers (checked by src/embed/protocol.ts `pinnedOrigin`); null = not pinned.
   */
  readonly origin: string | null;
}

export const DEFAULT_DWELL_S = 4;
export const MIN_DWELL_S = 1;
export const MAX_DWELL_S = 120;

const TRUE = new Set(['1', 'true', 'yes', 'on', '']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** `?x=1|true|yes|on` or a bare `?x` is true, `0|false|no|off` false; anything else the default. */
export function readFlag(q: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = q.get(name);
  if (v === null) return fallback;
  const s = v.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return fallback;
}

export function parseTheme(v: string | null | undefined): ThemeChoice | null {
  const s = v?.trim().toLowerCase();
  return s === 'light' || s === 'dark' || s === 'system' ? s : null;
}

/** Seconds per step: a finite number in [MIN_DWELL_S, MAX_DWELL_S], else the default. */
export function parseDwell(v: string | null): number {
  if (v === null || v.trim() === '') return DEFAULT_DWELL_S;
  const n = Number(v);
  if (!Number.isFinite(n)) return DEFAULT_DWELL_S;
  return Math.min(MAX_DWELL_S, Math.max(MIN_DWELL_S, n));
}

export function readViewOptions(q: URLSearchParams): ViewOptions {
  const embed = readFlag(q, 'embed', false);
  return {
    embed,
    // An embed is never a presentation: the host page decides how big the frame is.
    present: !embed && readFlag(q, 'present', false),
    theme: parseTheme(q.get('theme')),
    controls: readFlag(q, 'controls', true),
    autoplay: readFlag(q, 'autoplay', false),
    dwell: parseDwell(q.get('dwell')),
    detail: parseDetail(q.get('detail')) ?? 'story',
    origin: q.get('origin'),
  };
}
