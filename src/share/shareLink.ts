/**
 * Share links: `encodeShare` writes them (see ./encode for the format), `decodeShare` reads and
 * validates them. A link is untrusted input: the scenario, the step and the payload are checked
 * (view options are read leniently, as the app reads them: unknown values are left out); an inline scenario's
 * payload is length-limited before decompression and size-limited during it (a decompression
 * bomb stops at the limit), and the result goes through the same parser and validator as a
 * scenario file (`parseScenario`: never evaluated, never rendered as HTML). Nothing throws.
 *
 * This module loads the YAML parser and the validator: import it on demand, e.g.
 *   if (hasInlineShare(location.search)) { const { decodeShare } = await import('./share/shareLink'); … }
 * (`hasInlineShare` is in ./encode, which is light).
 */
import { MAX_SCENARIO_BYTES } from '../scenario/limits';
import { parseScenario, type ScenarioIssue } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import {
  MAX_SHARE_PAYLOAD,
  SHARE_PARAMS,
  SHARE_VERSION,
  THEMES,
  type ShareScenario,
  type ShareView,
  type Theme,
} from './encode';
import { decompressUriSafeCapped } from './lzCapped';

export * from './encode';

export interface DecodedShare {
  /** What the link names; null when it names no scenario (the app opens its default). */
  readonly scenario: ShareScenario | null;
  readonly step: number;
  readonly view: ShareView;
}

export type DecodeResult =
  | ({ readonly ok: true } & DecodedShare)
  | {
      readonly ok: false;
      /** A sentence fragment (lowercase start, no final stop), like the app's other load errors. */
      readonly message: string;
      /** The validator's findings (line:column), when the shared scenario itself is invalid. */
      readonly issues: readonly ScenarioIssue[];
    };

type PayloadResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly message: string; readonly issues: readonly ScenarioIssue[] };

const fail = (message: string, issues: readonly ScenarioIssue[] = []) =>
  ({ ok: false, message, issues }) as const;

/** An untrusted value, quoted and shortened for a message (shown as text, never as HTML). */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
}

const KIB = (n: number) => `${Math.ceil(n / 1024)} KiB`;

/** Version 1: lz-string `compressToEncodedURIComponent` of the scenario's JSON. */
function decodeV1(data: string): PayloadResult {
  if (data === '') return fail("the link's scenario data is empty");
  if (!/^[A-Za-z0-9+\-$ ]+$/.test(data))
    return fail(
      "the link's scenario data has characters a share link never contains: it was changed or damaged",
    );
  const d = decompressUriSafeCapped(data, MAX_SCENARIO_BYTES);
  if (!d.ok) {
    return d.reason === 'too-large'
      ? fail(
          `the shared scenario decompresses to more than ${KIB(MAX_SCENARIO_BYTES)}, the limit for a scenario: the link is damaged or was made to be harmful`,
        )
      : fail(
          "the link's scenario data could not be decompressed: the link is damaged or cut short",
        );
  }
  // encodeShare always writes a JSON object: anything else is a damaged payload that happened
  // to decompress, not a scenario with a mistake in it.
  if (!d.text.startsWith('{'))
    return fail(
      "the link's scenario data decompressed to something that is not a scenario: the link is damaged or cut short",
    );
  const r = parseScenario(d.text);
  if (r.ok) return { ok: true, scenario: r.scenario };
  const first = r.issues[0];
  const more = r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : '';
  return fail(
    `the shared scenario is not valid${first ? `: ${first.line}:${first.column} ${first.message}` : ''}${more}`,
    r.issues,
  );
}

/**
 * Payload decoders by version. Never remove or change an entry: links already shared use it.
 * A new format gets a new entry (and `SHARE_VERSION` in ./encode).
 */
const PAYLOAD_DECODERS: Readonly<Record<string, (data: string) => PayloadResult>> = {
  '1': decodeV1,
};

function decodePayload(value: string): PayloadResult {
  if (value.length > MAX_SHARE_PAYLOAD)
    return fail(
      `the shared scenario in this link is too long: ${value.length} characters; the limit is ${MAX_SHARE_PAYLOAD}`,
    );
  const dot = value.indexOf('.');
  const version = dot < 0 ? '' : value.slice(0, dot);
  if (!/^\d{1,6}$/.test(version))
    return fail(
      `the '${SHARE_PARAMS.inline}' parameter is not a shared scenario: it should read <version>.<data>, such as ${SHARE_VERSION}.N4Ig…`,
    );
  const decoder = Object.hasOwn(PAYLOAD_DECODERS, version) ? PAYLOAD_DECODERS[version] : undefined;
  if (!decoder)
    return fail(
      `this link uses share format version ${version}, which this version of structops-lab does not know (it reads version ${Object.keys(PAYLOAD_DECODERS).join(', ')}); the link may come from a newer release`,
    );
  return decoder(value.slice(dot + 1));
}

const TRUE = new Set(['1', 'true', 'yes', 'on', '']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** A view flag as src/view/viewOptions.ts reads it: unknown values count as not given. */
function flag(value: string | null): boolean | null {
  const v = value?.trim().toLowerCase();
  if (v === undefined) return null;
  return TRUE.has(v) ? true : FALSE.has(v) ? false : null;
}

/**
 * Reads a share link's query (`location.search`, with or without `?`; a whole absolute URL is
 * accepted too). Never throws; every problem comes back as `{ ok: false, message }`.
 */
export function decodeShare(search: string): DecodeResult {
  let query = search;
  if (/^https?:\/\//i.test(search)) {
    try {
      query = new URL(search).search;
    } catch {
      return fail('the link is not a valid URL');
    }
  }
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(query);
  } catch {
    return fail('the link is not a valid URL');
  }
  for (const name of Object.values(SHARE_PARAMS)) {
    const n = q.getAll(name).length;
    if (n > 1) return fail(`the link has ${n} '${name}' parameters; it should have one`);
  }
  const id = q.get(SHARE_PARAMS.scenario);
  const inline = q.get(SHARE_PARAMS.inline);
  // With both, `s` wins (as `src` does in the app): the app's URL sync writes `scenario=<id>`
  // beside whatever scenario is open, so a reloaded shared page carries both.
  const stepText = q.get(SHARE_PARAMS.step);
  let step = 0;
  if (stepText !== null) {
    if (!/^\d{1,6}$/.test(stepText))
      return fail(
        `'${SHARE_PARAMS.step}' should be a whole number such as 3, not ${quote(stepText)}`,
      );
    step = Number(stepText);
  }

  // View options only change how the page looks: like the app (src/view/viewOptions.ts), read
  // what is understood and leave out the rest, rather than refuse the scenario over them.
  const view: { embed?: boolean; present?: boolean; theme?: Theme } = {};
  for (const name of [SHARE_PARAMS.embed, SHARE_PARAMS.present] as const) {
    if (flag(q.get(name)) === true) view[name] = true;
  }
  const themeText = q.get(SHARE_PARAMS.theme)?.trim().toLowerCase();
  const theme = THEMES.find((t) => t === themeText);
  if (theme) view.theme = theme;

  let scenario: ShareScenario | null = null;
  if (inline === null && id !== null) {
    if (!/^[a-z0-9][a-z0-9-]{0,127}$/.test(id))
      return fail(
        `'${SHARE_PARAMS.scenario}' should be a scenario id (lowercase letters, digits and -), not ${quote(id)}`,
      );
    scenario = { kind: 'library', id };
  } else if (inline !== null) {
    const r = decodePayload(inline);
    if (!r.ok) return r;
    if (step > r.scenario.steps.length)
      return fail(
        `the link asks for step ${step}, but the shared scenario has ${r.scenario.steps.length} steps`,
      );
    scenario = { kind: 'inline', scenario: r.scenario };
  }
  return { ok: true, scenario, step, view };
}
