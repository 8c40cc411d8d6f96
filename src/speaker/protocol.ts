/**
 * The speaker view's messages, over a BroadcastChannel between the presenting window (the
 * host: it owns the scenario and the step) and its speaker window. The channel's name carries
 * a random id that the host puts in the speaker window's URL (`?speaker=<id>`), so two
 * presentations in two tabs never hear each other.
 *
 * - speaker → host: `hello` (send me the scenario), `ping` (where are you?), `nav` (step or
 *   chapter), `blank`.
 * - host → speaker: `scenario` (the scenario and where it stands), `state` (where it stands;
 *   sent on every move, on `ping`, and every HEARTBEAT_MS), `bye` (the page is going).
 *
 * A speaker view that has not heard from its host for a while pings it: a page in the
 * background may have its timers slowed down to once a minute, but it still answers messages,
 * so only a host that is really gone stays silent for HOST_TIMEOUT_MS.
 *
 * Every message carries `v: 1`. Whatever arrives is checked here before use, even though a
 * BroadcastChannel only reaches pages of the same origin: an unknown version or type, a
 * missing or extra field, a wrong type or an out-of-range number makes it null (ignored).
 * The scenario inside `scenario` is plain data still to be validated by the scenario parser.
 */

export const PROTOCOL_VERSION = 1;

/** How often the host says where it stands even when nothing moved, ms. */
export const HEARTBEAT_MS = 1000;
/** With no word from the host for this long, ms, the speaker view calls it gone. */
export const HOST_TIMEOUT_MS = 3500;
/** How often a speaker view checks on its host (and pings it when it is late), ms. */
export const PING_MS = 1000;

/** The largest timeline point a message may name (far beyond any scenario's). */
export const MAX_CURSOR = 1_000_000;

export const NAV_ACTIONS = ['next', 'prev', 'nextChapter', 'prevChapter'] as const;
export type NavAction = (typeof NAV_ACTIONS)[number];

/** Where the presenting window stands. */
export interface HostView {
  /** The timeline point on screen (0 = before the first step). */
  readonly cursor: number;
  /** The audience sees a blank screen. */
  readonly blank: boolean;
  /** The window is in presentation mode (not its main page). */
  readonly presenting: boolean;
}

export type HostMessage =
  | ({
      readonly v: 1;
      readonly type: 'scenario';
      /** Names this scenario (and console branch): `state` messages name the one they follow. */
      readonly rev: string;
      /** The scenario as plain data; the speaker view validates it before running it. */
      readonly scenario: unknown;
    } & HostView)
  | ({ readonly v: 1; readonly type: 'state'; readonly rev: string } & HostView)
  | { readonly v: 1; readonly type: 'bye' };

export type SpeakerMessage =
  | { readonly v: 1; readonly type: 'hello' }
  | { readonly v: 1; readonly type: 'ping' }
  | { readonly v: 1; readonly type: 'nav'; readonly action: NavAction }
  | { readonly v: 1; readonly type: 'blank'; readonly on: boolean };

const ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A channel id (as the URL carries it) or a revision: 8 to 64 letters, digits, `_` or `-`. */
export function isId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id);
}

/** The BroadcastChannel's name for a channel id. */
export function channelName(id: string): string {
  return `structops-lab.speaker.${id}`;
}

/** A fresh random id (for a channel, or a scenario revision). */
export function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

type Fields = Readonly<Record<string, unknown>>;

/** The message as a record with exactly `keys` (plus `v` and `type`) at version 1, or null. */
function envelope(data: unknown, keys: readonly string[]): Fields | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const proto: unknown = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== null) return null;
  const m = data as Fields;
  if (m.v !== PROTOCOL_VERSION) return null;
  const own = Object.keys(m);
  const allowed = new Set(['v', 'type', ...keys]);
  if (own.length !== allowed.size || !own.every((k) => allowed.has(k))) return null;
  return m;
}

function typeOf(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as Fields).type : undefined;
}

function isCursor(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_CURSOR;
}

function hostView(m: Fields): HostView | null {
  const { cursor, blank, presenting } = m;
  if (!isCursor(cursor) || typeof blank !== 'boolean' || typeof presenting !== 'boolean')
    return null;
  return { cursor, blank, presenting };
}

const VIEW_KEYS = ['rev', 'cursor', 'blank', 'presenting'] as const;

/** A message from the presenting window, checked; null when it is not one. */
export function parseHostMessage(data: unknown): HostMessage | null {
  switch (typeOf(data)) {
    case 'scenario': {
      const m = envelope(data, [...VIEW_KEYS, 'scenario']);
      const view = m && hostView(m);
      if (!m || !view || !isId(m.rev)) return null;
      const { scenario } = m;
      if (typeof scenario !== 'object' || scenario === null || Array.isArray(scenario)) return null;
      return { v: 1, type: 'scenario', rev: m.rev, scenario, ...view };
    }
    case 'state': {
      const m = envelope(data, VIEW_KEYS);
      const view = m && hostView(m);
      if (!m || !view || !isId(m.rev)) return null;
      return { v: 1, type: 'state', rev: m.rev, ...view };
    }
    case 'bye':
      return envelope(data, []) ? { v: 1, type: 'bye' } : null;
    default:
      return null;
  }
}

/** A message from a speaker window, checked; null when it is not one. */
export function parseSpeakerMessage(data: unknown): SpeakerMessage | null {
  switch (typeOf(data)) {
    case 'hello':
      return envelope(data, []) ? { v: 1, type: 'hello' } : null;
    case 'ping':
      return envelope(data, []) ? { v: 1, type: 'ping' } : null;
    case 'nav': {
      const m = envelope(data, ['action']);
      const action = NAV_ACTIONS.find((a) => a === m?.action);
      return action ? { v: 1, type: 'nav', action } : null;
    }
    case 'blank': {
      const m = envelope(data, ['on']);
      return m && typeof m.on === 'boolean' ? { v: 1, type: 'blank', on: m.on } : null;
    }
    default:
      return null;
  }
}
