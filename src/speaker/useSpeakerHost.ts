/**
 * The presenting window's side of the speaker view. `open()` (the present bar's "Speaker view"
 * button, or S) opens a second window at `?speaker=<id>` and from then on this window answers
 * on that id's BroadcastChannel: the scenario on `hello`, where it stands on every move, on
 * `ping` and every HEARTBEAT_MS, and it follows the speaker window's `nav` and `blank`. The id lives in
 * sessionStorage, so a reloaded presentation finds its speaker window again.
 *
 * The audience's blank screen is kept here (not in the viewer) so that both windows can
 * toggle it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand';
import { chaptersOf, nextChapterStart, prevChapterStart } from '../view/chapters';
import { useLetterKey } from '../view/presentation';
import type { Scenario } from '../scenario/schema';
import type { SimState } from '../store/createSimStore';
import {
  channelName,
  HEARTBEAT_MS,
  isId,
  parseSpeakerMessage,
  randomId,
  type HostMessage,
  type HostView,
  type NavAction,
} from './protocol';

export const CHANNEL_KEY = 'structops-lab.speaker-channel';

/** What the viewer needs to offer the speaker view and share the blank screen. */
export interface SpeakerLink {
  /** Opens the speaker window (or brings it forward). */
  readonly open: () => void;
  /** The audience sees a blank screen. */
  readonly blank: boolean;
  readonly setBlank: (on: boolean) => void;
}

function savedId(): string | null {
  try {
    const id = window.sessionStorage.getItem(CHANNEL_KEY);
    return isId(id) ? id : null;
  } catch {
    return null;
  }
}

function saveId(id: string): void {
  try {
    window.sessionStorage.setItem(CHANNEL_KEY, id);
  } catch {
    // No storage: the speaker window works until this page reloads.
  }
}

/** The speaker window's address: this page with `?speaker=<id>` (and its `theme=`, if any). */
export function speakerUrl(id: string, location: Pick<Location, 'pathname' | 'search'>): string {
  const q = new URLSearchParams({ speaker: id });
  const theme = new URLSearchParams(location.search).get('theme');
  if (theme) q.set('theme', theme);
  return `${location.pathname}?${q.toString()}`;
}

/** The scenario a store runs: its own steps, or those up to a console branch and the branch's. */
export function runningScenario(s: Pick<SimState, 'scenario' | 'branch'>): Scenario {
  if (!s.branch) return s.scenario;
  return {
    ...s.scenario,
    steps: [...s.scenario.steps.slice(0, s.branch.after + 1), ...s.branch.steps],
  };
}

/** Carries out a speaker window's step or chapter request on the store. */
export function navigate(store: StoreApi<SimState>, action: NavAction): void {
  const s = store.getState();
  const here = s.timeline.points[s.cursor]?.step ?? -1;
  const chapters = chaptersOf(s.timeline.frames.map((f) => f.step));
  const go = (start: number | null) => {
    if (start !== null) s.gotoStep(start + 1);
  };
  switch (action) {
    case 'next':
      s.nextStep();
      return;
    case 'prev':
      s.prevStep();
      return;
    case 'nextChapter':
      go(nextChapterStart(chapters, here));
      return;
    case 'prevChapter':
      go(prevChapterStart(chapters, here));
      return;
  }
}

/**
 * Hosts the speaker view for `store` while `enabled` (not in embeds). `presenting` tells the
 * speaker window whether the audience sees presentation mode yet.
 */
export function useSpeakerHost(
  store: StoreApi<SimState> | null,
  presenting: boolean,
  enabled: boolean,
): SpeakerLink {
  const [id, setId] = useState<string | null>(() => (enabled ? savedId() : null));
  const [blankOn, setBlankOn] = useState(false);
  // Out of presentation mode nothing is blank, and a new presentation starts unblanked.
  const blank = blankOn && presenting;
  const view = useRef<Omit<HostView, 'cursor'>>({ blank, presenting });
  const post = useRef<((full: boolean) => void) | null>(null);

  const setBlank = useCallback((on: boolean) => setBlankOn(on), []);
  useEffect(() => {
    if (!presenting) setBlankOn(false);
  }, [presenting]);

  useEffect(() => {
    view.current = { blank, presenting };
    post.current?.(false);
  }, [blank, presenting]);

  useEffect(() => {
    if (!enabled || !id || !store || typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(channelName(id));
    let rev = randomId();
    const send = (m: HostMessage) => channel.postMessage(m);
    const where = (): HostView => ({ cursor: store.getState().cursor, ...view.current });
    const tell = (full: boolean) =>
      send(
        full
          ? {
              v: 1,
              type: 'scenario',
              rev,
              scenario: runningScenario(store.getState()),
              ...where(),
            }
          : { v: 1, type: 'state', rev, ...where() },
      );
    post.current = tell;
    channel.onmessage = (e: MessageEvent) => {
      const m = parseSpeakerMessage(e.data);
      if (!m) return;
      if (m.type === 'hello') tell(true);
      else if (m.type === 'ping') tell(false);
      else if (m.type === 'nav') navigate(store, m.action);
      else setBlankOn(m.on && view.current.presenting);
    };
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.run !== prev.run) {
        rev = randomId();
        tell(true);
      } else if (s.cursor !== prev.cursor) tell(false);
    });
    const beat = window.setInterval(() => tell(false), HEARTBEAT_MS);
    const bye = () => send({ v: 1, type: 'bye' });
    const back = (e: PageTransitionEvent) => {
      if (e.persisted) tell(true);
    };
    window.addEventListener('pagehide', bye);
    window.addEventListener('pageshow', back);
    // A speaker window already open (this page reloaded, or the scenario changed) follows.
    tell(true);
    return () => {
      post.current = null;
      window.removeEventListener('pagehide', bye);
      window.removeEventListener('pageshow', back);
      window.clearInterval(beat);
      unsubscribe();
      channel.close();
    };
  }, [enabled, id, store]);

  const open = useCallback(() => {
    if (!enabled) return;
    const next = id ?? savedId() ?? randomId();
    saveId(next);
    setId(next);
    window.open(
      speakerUrl(next, window.location),
      `structops-lab-speaker-${next}`,
      'popup,width=1280,height=800',
    );
  }, [enabled, id]);

  // S opens the speaker view (not while typing, nor under a dialog).
  useLetterKey('s', enabled, open);

  return { open, blank, setBlank };
}
