/**
 * The frame side of the postMessage API (src/embed/protocol.ts): when this page runs inside a
 * frame, its parent page can step it, play and pause it, switch its theme and hand it a
 * scenario; the frame tells the parent which step is on screen.
 *
 * Only messages from `window.parent` are read, and only from the origin `?origin=` pins when
 * it is given (the `<structops-lab>` element always pins its page's origin); answers go to that
 * origin, or to any page without a pin. Every command is validated before it acts; an invalid
 * one is answered with an `error` message and changes nothing. The protocol module (and its
 * validator) loads only in a frame: a page on its own never fetches it.
 */
import { useEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand';
import type * as ProtocolModule from '../embed/protocol';
import type { FrameEventBody, HostCommand } from '../embed/protocol';
import type { SimState } from '../store/createSimStore';
import { stepNumberAt } from '../store/timeline';
import type { Detail } from '../graph/story';
import type { ThemeChoice } from '../view/viewOptions';

type Protocol = typeof ProtocolModule;

export interface LoadIssue {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** What became of a scenario the host sent: on screen, or refused with the reasons. */
export type HostLoadResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly issues: readonly LoadIssue[] };

export interface HostApiHandlers {
  /** The viewer's store, or null while no scenario is on screen. */
  readonly store: StoreApi<SimState> | null;
  readonly onLoad: (text: string, name: string) => Promise<HostLoadResult>;
  readonly onLoadError: (name: string, message: string) => void;
  readonly onTheme: (theme: ThemeChoice) => void;
  readonly onDetail: (detail: Detail) => void;
}

/** True in a frame (an iframe, or the `<structops-lab>` element's). */
export function isFramed(): boolean {
  try {
    return window.parent !== window;
  } catch {
    return true;
  }
}

/** What a `step` message says about a store's current position. */
export function stepReport(s: SimState): Extract<FrameEventBody, { type: 'step' }> {
  const step = stepNumberAt(s.timeline, s.cursor);
  return {
    type: 'step',
    scenario: s.scenario.id,
    step,
    steps: s.timeline.frames.length,
    playing: s.playing,
    say: step > 0 ? (s.timeline.frames[step - 1]?.step.say ?? '') : '',
  };
}

/**
 * Carries out one validated command on the store; returns the reason when it cannot.
 * Exported for tests: the hook below adds only the message plumbing.
 */
export function applyCommand(
  command: HostCommand,
  h: Pick<HostApiHandlers, 'store' | 'onTheme' | 'onDetail' | 'onLoadError'>,
): string | null {
  switch (command.type) {
    case 'set-theme':
      h.onTheme(command.theme);
      return null;
    case 'set-detail':
      h.onDetail(command.detail);
      return null;
    case 'load-error':
      h.onLoadError(command.name, command.message);
      return null;
    case 'load':
      return null; // asynchronous: handled by the hook
    default:
      break;
  }
  const store = h.store;
  if (!store) return 'no scenario is on screen yet';
  const s = store.getState();
  switch (command.type) {
    case 'goto': {
      const last = s.timeline.frames.length;
      if (command.step > last) return `step ${command.step} is past the last step (${last})`;
      s.gotoStep(command.step);
      return null;
    }
    case 'next':
      s.nextStep();
      return null;
    case 'prev':
      s.prevStep();
      return null;
    case 'first':
      s.first();
      return null;
    case 'last':
      s.last();
      return null;
    case 'play':
      s.setPlaying(true);
      return null;
    case 'pause':
      s.setPlaying(false);
      return null;
    case 'get-state':
      return null; // answered by the hook
  }
}

/** Connects this frame to its parent page (nothing happens outside a frame). */
export function useHostApi(handlers: HostApiHandlers, originParam: string | null): void {
  const [proto, setProto] = useState<{
    p: Protocol;
    origin: string;
    /** Sends an event to the parent page, in the envelope, to the pinned origin. */
    post: (body: FrameEventBody) => void;
  } | null>(null);
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    if (!isFramed()) return;
    let live = true;
    void import('../embed/protocol').then((p) => {
      const origin = p.pinnedOrigin(originParam);
      if (origin === null) {
        console.warn('structops-lab: ?origin= is not an http(s) origin; the host API is off');
        return;
      }
      const post = (body: FrameEventBody) => window.parent.postMessage(p.envelop(body), origin);
      if (live) setProto({ p, origin, post });
    });
    return () => {
      live = false;
    };
  }, [originParam]);

  // Commands in.
  useEffect(() => {
    if (!proto) return;
    const { p, origin, post } = proto;
    const refuse = (request: string | null, message: string, issues: readonly LoadIssue[] = []) =>
      post({
        type: 'error',
        message,
        request,
        issues: issues.slice(0, 200).map((i) => ({ ...i })),
      });
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.parent) return;
      if (origin !== '*' && e.origin !== origin) return;
      const r = p.receiveCommand(e.data);
      if (r.kind === 'foreign') return;
      if (r.kind === 'invalid') {
        refuse(r.request, r.reason);
        return;
      }
      const command = r.message;
      const h = latest.current;
      if (command.type === 'load') {
        void h.onLoad(command.text, command.name ?? 'the page').then((res) => {
          if (!res.ok) refuse('load', res.message, res.issues);
        });
        return;
      }
      const why = applyCommand(command, h);
      if (why !== null) refuse(command.type, why);
      else if (command.type === 'get-state' && h.store) post(stepReport(h.store.getState()));
    };
    window.addEventListener('message', onMessage);
    post({ type: 'listening' });
    return () => window.removeEventListener('message', onMessage);
  }, [proto]);

  // Events out: `ready` for each scenario put on screen, then `step` on each change.
  const store = handlers.store;
  useEffect(() => {
    if (!proto || !store) return;
    const { post } = proto;
    const first = stepReport(store.getState());
    post({
      type: 'ready',
      scenario: first.scenario,
      title: store.getState().scenario.title,
      step: first.step,
      steps: first.steps,
      playing: first.playing,
    });
    let last = { step: first.step, playing: first.playing };
    return store.subscribe((s) => {
      const now = stepReport(s);
      if (now.step === last.step && now.playing === last.playing) return;
      last = { step: now.step, playing: now.playing };
      post(now);
    });
  }, [proto, store]);
}
