/**
 * The postMessage API between a page and a structops-lab frame it embeds (an `<iframe>` of
 * `?embed=1`, or the `<structops-lab>` element, which wraps one).
 *
 * Every message is a plain object `{ protocol: 'structops-lab', v: 1, type, ... }`. Messages
 * without that envelope are not ours and are ignored; messages with it are validated field by
 * field (zod), and a frame answers an invalid command with an `error` message instead of acting.
 *
 * Host → frame (commands):
 * - `goto {step}`: show the end of step `step` (0 = before the first step);
 * - `next`, `prev`, `first`, `last`: step like the controls do;
 * - `play`, `pause`: play event by event, or stop;
 * - `get-state`: answer with a `step` message;
 * - `set-theme {theme}`: `light`, `dark` or `system` (follow the host's own switch);
 * - `set-detail {detail}`: `story` (what the scenario is about, the default) or `all` (every
 *   object, every fd);
 * - `load {text, name?}`: show this scenario (YAML or JSON; validated like any scenario file);
 * - `load-error {name, message}`: the host could not fetch the scenario it meant to send.
 *
 * Frame → host (events):
 * - `listening`: the frame reads commands now (sent once; `load` is welcome from here on);
 * - `ready {scenario, title, step, steps, playing}`: a scenario is on screen (again after `load`);
 * - `step {scenario, step, steps, playing, say}`: the step on screen changed, or playing did;
 * - `error {message, request, issues}`: a command was refused, or a loaded scenario is invalid
 *   (`issues` carry line and column).
 */
import * as z from 'zod/mini';
import { MAX_SCENARIO_BYTES } from '../scenario/limits';

export const PROTOCOL = 'structops-lab';
export const PROTOCOL_VERSION = 1;

/** The highest step number a message may carry (far above any real scenario). */
export const MAX_STEP = 100_000;
const MAX_NAME = 2048;
const MAX_TEXT = 4096;
const MAX_ISSUES = 200;

const envelope = {
  protocol: z.literal(PROTOCOL),
  v: z.literal(PROTOCOL_VERSION),
};

const stepNumber = z.int().check(z.minimum(0), z.maximum(MAX_STEP));
const theme = z.enum(['light', 'dark', 'system']);
const detail = z.enum(['story', 'all']);

const command = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('goto'), step: stepNumber }),
  z.object({
    ...envelope,
    type: z.enum(['next', 'prev', 'first', 'last', 'play', 'pause', 'get-state']),
  }),
  z.object({ ...envelope, type: z.literal('set-theme'), theme }),
  z.object({ ...envelope, type: z.literal('set-detail'), detail }),
  z.object({
    ...envelope,
    type: z.literal('load'),
    text: z.string().check(z.maxLength(MAX_SCENARIO_BYTES)),
    name: z.optional(z.string().check(z.maxLength(MAX_NAME))),
  }),
  z.object({
    ...envelope,
    type: z.literal('load-error'),
    name: z.string().check(z.maxLength(MAX_NAME)),
    message: z.string().check(z.maxLength(MAX_TEXT)),
  }),
]);

const issue = z.object({
  line: z.int().check(z.minimum(0)),
  column: z.int().check(z.minimum(0)),
  message: z.string().check(z.maxLength(MAX_TEXT)),
});

const event = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('listening') }),
  z.object({
    ...envelope,
    type: z.literal('ready'),
    scenario: z.string().check(z.maxLength(MAX_NAME)),
    title: z.string().check(z.maxLength(MAX_TEXT)),
    step: stepNumber,
    steps: stepNumber,
    playing: z.boolean(),
  }),
  z.object({
    ...envelope,
    type: z.literal('step'),
    scenario: z.string().check(z.maxLength(MAX_NAME)),
    step: stepNumber,
    steps: stepNumber,
    playing: z.boolean(),
    say: z.string().check(z.maxLength(MAX_SCENARIO_BYTES)),
  }),
  z.object({
    ...envelope,
    type: z.literal('error'),
    message: z.string().check(z.maxLength(MAX_TEXT)),
    request: z.nullable(z.string().check(z.maxLength(64))),
    issues: z.array(issue).check(z.maxLength(MAX_ISSUES)),
  }),
]);

/** A command a host page sends to a frame, envelope included. */
export type HostCommand = z.infer<typeof command>;
/** An event a frame sends to its host page, envelope included. */
export type FrameEvent = z.infer<typeof event>;

type Body<T> = T extends unknown ? Omit<T, 'protocol' | 'v'> : never;
export type HostCommandBody = Body<HostCommand>;
export type FrameEventBody = Body<FrameEvent>;

export type Received<T> =
  /** Not a structops-lab message (another script's, or not an object): ignore it silently. */
  | { readonly kind: 'foreign' }
  /** A structops-lab message that fails validation: refuse it, saying why. */
  | { readonly kind: 'invalid'; readonly request: string | null; readonly reason: string }
  | { readonly kind: 'ok'; readonly message: T };

function isOurs(data: unknown): data is Record<string, unknown> {
  return (
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    Object.prototype.hasOwnProperty.call(data, 'protocol') &&
    (data as { protocol?: unknown }).protocol === PROTOCOL
  );
}

function receive<T>(schema: z.ZodMiniType<T>, data: unknown): Received<T> {
  if (!isOurs(data)) return { kind: 'foreign' };
  const type = typeof data.type === 'string' ? data.type.slice(0, 64) : null;
  if (data.v !== PROTOCOL_VERSION) {
    return {
      kind: 'invalid',
      request: type,
      reason: `protocol version ${String(data.v).slice(0, 16)} is not supported (this frame speaks ${PROTOCOL_VERSION})`,
    };
  }
  const r = schema.safeParse(data);
  if (r.success) return { kind: 'ok', message: r.data };
  const first = r.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return {
    kind: 'invalid',
    request: type,
    reason: `${where}${first?.message ?? 'invalid message'}`,
  };
}

/** Validates what a frame received from its host (`message` event data). */
export function receiveCommand(data: unknown): Received<HostCommand> {
  return receive(command, data);
}

/** Validates what a host (the `<structops-lab>` element) received from its frame. */
export function receiveEvent(data: unknown): Received<FrameEvent> {
  return receive(event, data);
}

/** Wraps a message body in the protocol's envelope. */
export function envelop<T extends HostCommandBody | FrameEventBody>(
  body: T,
): T & { protocol: typeof PROTOCOL; v: typeof PROTOCOL_VERSION } {
  return { protocol: PROTOCOL, v: PROTOCOL_VERSION, ...body };
}

/**
 * The origin a frame answers (and listens) to: `'*'` (any page) without `?origin=`; the
 * origin itself when `?origin=` is an http(s) origin (the `<structops-lab>` element pins its
 * page's); `null`, the API switched off, when `?origin=` is anything else, so a mistyped pin
 * never widens to every page.
 */
export function pinnedOrigin(param: string | null): string | null {
  if (param === null || param === '') return '*';
  try {
    const u = new URL(param);
    if ((u.protocol === 'https:' || u.protocol === 'http:') && u.origin === param) return u.origin;
  } catch {
    // not a URL
  }
  return null;
}
