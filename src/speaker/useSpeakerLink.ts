/**
 * The speaker window's side of the channel: asks for the scenario (`hello`; a `state` naming
 * a scenario it does not have asks again), pings the presentation when its heartbeat is late,
 * validates it with the scenario parser and runs it
 * in a store of its own (the simulation is deterministic: the same scenario gives the same
 * timeline), then keeps that store's cursor where the presenting window's is. The connection
 * is "closed" on `bye` or after HOST_TIMEOUT_MS of silence, and comes back by itself when the
 * presentation does.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand';
import { MAX_SCENARIO_BYTES } from '../scenario/limits';
import type { Scenario } from '../scenario/schema';
import { createSimStore, type SimState } from '../store/createSimStore';
import {
  channelName,
  HEARTBEAT_MS,
  HOST_TIMEOUT_MS,
  PING_MS,
  parseHostMessage,
  type HostView,
  type SpeakerMessage,
} from './protocol';

export type Connection = 'waiting' | 'connected' | 'closed';

export interface SpeakerSession {
  /** The presentation's name for this scenario (and console branch). */
  readonly rev: string;
  readonly scenario: Scenario;
  readonly store: StoreApi<SimState>;
}

export interface SpeakerLinkState {
  readonly connection: Connection;
  readonly session: SpeakerSession | null;
  readonly blank: boolean;
  readonly presenting: boolean;
  /** Why the presentation's scenario could not be shown, or null. */
  readonly error: string | null;
}

/**
 * Checks and runs a scenario that came over the channel: size-limited, then validated by the
 * same parser that untrusted scenario files go through. Resolves to the scenario or to a reason.
 */
export async function acceptScenario(
  data: unknown,
): Promise<{ ok: true; scenario: Scenario } | { ok: false; message: string }> {
  let text: string;
  try {
    text = JSON.stringify(data);
  } catch {
    return { ok: false, message: 'it is not plain data' };
  }
  if (text.length > MAX_SCENARIO_BYTES)
    return {
      ok: false,
      message: `it is ${Math.ceil(text.length / 1024)} KiB; the limit is ${MAX_SCENARIO_BYTES / 1024} KiB`,
    };
  const { parseScenario } = await import('../scenario/parse');
  const r = parseScenario(text);
  return r.ok
    ? { ok: true, scenario: r.scenario }
    : { ok: false, message: r.issues.map((i) => i.message).join('; ') };
}

const INITIAL: SpeakerLinkState = {
  connection: 'waiting',
  session: null,
  blank: false,
  presenting: false,
  error: null,
};

export function useSpeakerLink(id: string): {
  readonly link: SpeakerLinkState;
  readonly send: (m: SpeakerMessage) => void;
} {
  const [link, setLink] = useState<SpeakerLinkState>(INITIAL);
  const channel = useRef<BroadcastChannel | null>(null);

  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') {
      setLink({ ...INITIAL, connection: 'closed', error: 'this browser has no BroadcastChannel' });
      return;
    }
    const ch = new BroadcastChannel(channelName(id));
    channel.current = ch;
    let live = true;
    const opened = Date.now();
    let heard = 0;
    let session: SpeakerSession | null = null;
    /** The revision being validated, and the latest view that came for it. */
    let loading: string | null = null;
    let latest: HostView = { cursor: 0, blank: false, presenting: false };
    const hello = () => ch.postMessage({ v: 1, type: 'hello' } satisfies SpeakerMessage);

    /** The presentation is there, and this is where it stands. */
    const mark = (view: HostView) =>
      setLink((l) =>
        l.connection === 'connected' && l.blank === view.blank && l.presenting === view.presenting
          ? l
          : { ...l, connection: 'connected', blank: view.blank, presenting: view.presenting },
      );
    /** The speaker window's store goes where the presentation's cursor is. */
    const follow = (view: HostView) => {
      const s = session?.store.getState();
      if (s && s.cursor !== view.cursor) s.goto(view.cursor);
    };

    const load = async (rev: string, data: unknown) => {
      loading = rev;
      const r = await acceptScenario(data);
      if (!live || loading !== rev) return;
      loading = null;
      if (!r.ok) {
        setLink((l) => ({
          ...l,
          error: `The presentation's scenario cannot be shown: ${r.message}`,
        }));
        return;
      }
      session = { rev, scenario: r.scenario, store: createSimStore(r.scenario) };
      const s = session;
      follow(latest);
      setLink((l) => ({ ...l, session: s, error: null }));
    };

    ch.onmessage = (e: MessageEvent) => {
      const m = parseHostMessage(e.data);
      if (!m || !live) return;
      if (m.type === 'bye') {
        heard = 0;
        setLink((l) => ({ ...l, connection: 'closed' }));
        return;
      }
      heard = Date.now();
      const { cursor, blank, presenting } = m;
      latest = { cursor, blank, presenting };
      mark(latest);
      if (m.rev === session?.rev) follow(latest);
      else if (m.type === 'scenario') {
        if (m.rev !== loading) void load(m.rev, m.scenario);
      } else if (m.rev !== loading) hello();
    };

    const tick = window.setInterval(() => {
      const now = Date.now();
      const silent = now - heard;
      if (silent >= HOST_TIMEOUT_MS && now - opened >= HOST_TIMEOUT_MS)
        setLink((l) => (l.connection === 'closed' ? l : { ...l, connection: 'closed' }));
      // Late: ask where it is (a `state` for a scenario this window lacks brings a `hello`).
      if (silent > HEARTBEAT_MS * 1.5)
        ch.postMessage({ v: 1, type: session ? 'ping' : 'hello' } satisfies SpeakerMessage);
    }, PING_MS);
    hello();
    return () => {
      live = false;
      window.clearInterval(tick);
      channel.current = null;
      ch.close();
    };
  }, [id]);

  const send = useCallback((m: SpeakerMessage) => channel.current?.postMessage(m), []);
  return { link, send };
}
