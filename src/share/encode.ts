/**
 * Share links, the writing half (light: no YAML parser, no validator, so the share menu can sit
 * in the first bundle). The reading half, `decodeShare`, is in ./shareLink (which re-exports all
 * of this); it pulls in the scenario parser, so load it on demand (`await import(...)`).
 *
 * Link format:
 * - a library scenario: `?scenario=<id>&step=<n>`, exactly as the app has always read them;
 * - an edited or loaded (inline) scenario: `?s=<version>.<payload>&step=<n>`. Version 1's payload
 *   is `compressToEncodedURIComponent` (lz-string) of the scenario's canonical JSON (see
 *   `canonicalJson`). Its characters (A-Z a-z 0-9 + - $) are all legal in a query, so the payload
 *   is written as is; a reader must turn spaces back into `+`, which `URLSearchParams` decodes `+`
 *   to (decodeShare does).
 * - view options, for either: `embed=1`, `present=1`, `theme=light|dark|system` (read the way
 *   src/view/viewOptions.ts reads them).
 * `step` is left out at step 0, view options when off.
 *
 * Adding a version 2 (say, a different compressor or a binary encoding): give `SHARE_VERSION` the
 * value 2 and make `encodePayload` write it; in ./shareLink add a `'2'` entry to `PAYLOAD_DECODERS`
 * and keep the `'1'` entry as it is, so that every link ever shared still opens. A version a
 * reader does not know is refused with a message saying so (the link came from a newer release).
 */
import { compressToEncodedURIComponent } from './lz';
import type { Scenario } from '../scenario/schema';

/** The payload version `encodeShare` writes. */
export const SHARE_VERSION = 1;

/** The query parameters share links use. */
export const SHARE_PARAMS = {
  scenario: 'scenario',
  inline: 's',
  step: 'step',
  embed: 'embed',
  present: 'present',
  theme: 'theme',
} as const;

/** The themes a link may ask for (the app's `ThemeChoice`, src/view/viewOptions.ts). */
export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * The longest `s` parameter accepted, in characters. Far more than real scenarios need (the
 * largest library scenario, 24 KB of JSON, makes a link of about 14,000 characters), and a first
 * guard against decompression bombs: the decompressor also stops as soon as its output passes
 * the scenario size limit (LZ output can grow with the square of its input).
 */
export const MAX_SHARE_PAYLOAD = 200_000;

/** Past this length a link may be cut by chat apps, mail clients or servers (8 KiB lines). */
export const LONG_LINK_CHARS = 8_000;

export type ShareScenario =
  | { readonly kind: 'library'; readonly id: string }
  | { readonly kind: 'inline'; readonly scenario: Scenario };

export interface ShareView {
  /** The page as an embed (for iframes). */
  readonly embed?: boolean;
  /** The presentation mode. */
  readonly present?: boolean;
  readonly theme?: Theme;
}

export interface ShareState {
  readonly scenario: ShareScenario;
  /** The step to open at (0 = before the first step). */
  readonly step: number;
  readonly view?: ShareView;
}

/**
 * The scenario as compact JSON: a deterministic function of the scenario's value (`undefined`
 * members dropped, no white space). Key order is kept, not sorted: the order of objects,
 * programs and maps is meaningful (load order, ids, layout).
 */
export function canonicalJson(scenario: Scenario): string {
  return JSON.stringify(scenario);
}

/** `<version>.<payload>`: the value of the `s` parameter for an inline scenario. */
export function encodePayload(scenario: Scenario): string {
  return `${SHARE_VERSION}.${compressToEncodedURIComponent(canonicalJson(scenario))}`;
}

/**
 * The link for `state` on the page at `base` (an absolute URL such as `location.href`; its query
 * and fragment are replaced). Throws only if `base` is not an absolute URL or `step` is not a
 * whole number ≥ 0 (both are programming errors, not user input).
 */
export function encodeShare(state: ShareState, base: string): string {
  if (!Number.isInteger(state.step) || state.step < 0)
    throw new RangeError(`step must be a whole number ≥ 0, not ${state.step}`);
  const url = new URL(base);
  const parts: string[] = [];
  const add = (key: string, value: string) => parts.push(`${key}=${value}`);
  if (state.scenario.kind === 'library')
    add(SHARE_PARAMS.scenario, encodeURIComponent(state.scenario.id));
  else add(SHARE_PARAMS.inline, encodePayload(state.scenario.scenario));
  if (state.step > 0) add(SHARE_PARAMS.step, String(state.step));
  const view = state.view ?? {};
  if (view.embed) add(SHARE_PARAMS.embed, '1');
  if (view.present) add(SHARE_PARAMS.present, '1');
  if (view.theme) add(SHARE_PARAMS.theme, view.theme);
  url.search = '';
  url.hash = '';
  return `${url.toString()}?${parts.join('&')}`;
}

/**
 * Whether `search` carries an inline scenario (`?s=`): cheap, no validation. Lets the app decide
 * synchronously to show "loading" and import ./shareLink for `decodeShare`.
 */
export function hasInlineShare(search: string): boolean {
  return new URLSearchParams(search).has(SHARE_PARAMS.inline);
}

/** `"` `&` `<` `>` as entities, for a value inside a double-quoted HTML attribute. */
export function escapeAttribute(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** The HTML to paste into a page to embed `url` (shown and copied as text, never rendered). */
export function iframeSnippet(url: string, title: string): string {
  return `<iframe src="${escapeAttribute(url)}" width="800" height="450" title="${escapeAttribute(
    `structops-lab: ${title}`,
  )}" loading="lazy"></iframe>`;
}
