/**
 * Presentation mode's keys and timers. The keys are the ones presentation clickers send
 * (PageDown/PageUp, and B or `.` to blank the screen), plus ←/→ (↑/↓ stay free to scroll the
 * caption), `[` / `]` for chapters, F for full screen, Space to start or stop auto-advance and
 * Escape to leave. While presenting, ←/→ step by whole steps, not by kernel events.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { StoreApi } from 'zustand';
import { unionRect, type Rect } from '../graph/rect';
import type { SimState } from '../store/createSimStore';

export type PresentAction =
  | 'next'
  | 'prev'
  | 'nextChapter'
  | 'prevChapter'
  | 'blank'
  | 'exit'
  | 'fullscreen'
  | 'auto'
  | 'follow';

/** The action a key stands for in presentation mode, or null (the key does its usual thing). */
export function presentKeyAction(key: string): PresentAction | null {
  switch (key) {
    case 'PageDown':
    case 'ArrowRight':
      return 'next';
    case 'PageUp':
    case 'ArrowLeft':
      return 'prev';
    case ']':
      return 'nextChapter';
    case '[':
      return 'prevChapter';
    case 'b':
    case 'B':
    case '.':
      return 'blank';
    case 'Escape':
      return 'exit';
    case 'f':
    case 'F':
      return 'fullscreen';
    case ' ':
      return 'auto';
    case 'z':
    case 'Z':
      return 'follow';
    default:
      return null;
  }
}

/**
 * A page-wide letter key (P for presentation mode, S for the speaker view): either case, no
 * modifier, not while typing, nor under an open dialog. The latest `action` runs.
 */
export function useLetterKey(letter: string, enabled: boolean, action: () => void): void {
  const latest = useRef(action);
  useEffect(() => {
    latest.current = action;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== letter.toLowerCase() || e.key.length !== 1) return;
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isTypingTarget(e.target, e.key)) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [letter, enabled]);
}

/** True when a key press belongs to a form field (or a button, for Space) rather than the page. */
export function isTypingTarget(t: EventTarget | null, key: string): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA') return true;
  if (t.tagName === 'SELECT') return key !== 'Escape' && key !== 'PageDown' && key !== 'PageUp';
  if ((key === ' ' || key === 'Enter') && (t.tagName === 'BUTTON' || t.tagName === 'A'))
    return true;
  return false;
}

/**
 * Listens on window in the capture phase so that these keys mean "step" (not "event", as in
 * the normal viewer's keyboard handler) while presenting; keys it handles go no further. An
 * action without a handler (the speaker view has no auto-advance) leaves its key alone.
 */
export function usePresentationKeys(
  enabled: boolean,
  handlers: Readonly<Partial<Record<PresentAction, () => void>>>,
): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isTypingTarget(e.target, e.key)) return;
      // Arrows inside the graph move between its nodes (GraphView), as outside presentation.
      if (
        e.key.startsWith('Arrow') &&
        e.target instanceof Element &&
        e.target.closest('[data-testid="graph"]')
      )
        return;
      const action = presentKeyAction(e.key);
      const run = action ? ref.current[action] : undefined;
      if (!run) return;
      e.preventDefault();
      e.stopPropagation();
      run();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}

/**
 * Auto-advance: one step every `seconds`, stopping (via `onEnd`) once the last step is shown.
 */
export function useDwell(
  store: StoreApi<SimState>,
  running: boolean,
  seconds: number,
  onEnd: () => void,
): void {
  const end = useRef(onEnd);
  useEffect(() => {
    end.current = onEnd;
  });
  useEffect(() => {
    if (!running) return;
    const atEnd = () => {
      const s = store.getState();
      return s.cursor >= s.timeline.points.length - 1;
    };
    if (atEnd()) {
      end.current();
      return;
    }
    store.getState().setPlaying(false);
    const id = window.setInterval(() => {
      store.getState().nextStep();
      if (atEnd()) end.current();
    }, seconds * 1000);
    return () => window.clearInterval(id);
  }, [store, running, seconds]);
}

/** Full screen where the browser allows it (a user gesture; an iframe needs allow="fullscreen"). */
export function requestFullscreen(): void {
  const el = document.documentElement;
  if (document.fullscreenElement || typeof el.requestFullscreen !== 'function') return;
  el.requestFullscreen().catch(() => {
    // Refused (no user gesture, or not allowed here): the layout works without it.
  });
}

export function exitFullscreen(): void {
  if (document.fullscreenElement && typeof document.exitFullscreen === 'function') {
    document.exitFullscreen().catch(() => {});
  }
}

export type { Rect };

/**
 * The part of the drawing worth showing: the boxes of the objects on screen at this step, with
 * a margin (room for lane titles, self-loops and `+1` marks), within the layout's `width` ×
 * `height`. With no objects, the top of the layout.
 */
export function graphBounds(
  boxes: readonly Rect[],
  width: number,
  height: number,
  margin = 24,
): Rect {
  const u = unionRect(boxes);
  if (!u) return { x: 0, y: 0, w: width, h: Math.min(height, width / 2) };
  const x0 = u.x;
  const y0 = u.y;
  const x1 = u.x + u.w;
  const y1 = u.y + u.h;
  // Lane titles sit above the first row of objects (layout.ts: TOP = 56).
  const top = Math.max(0, y0 - 56);
  const left = Math.max(0, x0 - margin);
  return {
    x: left,
    y: top,
    w: Math.min(width, x1 + margin * 2) - left,
    h: Math.min(height, y1 + margin) - top,
  };
}

export interface Camera {
  /** The whole drawing's size on screen, px. */
  readonly width: number;
  readonly height: number;
  /** Where its top-left corner goes, px from the box's top-left (≤ 0 when cropped). */
  readonly left: number;
  readonly top: number;
  /**
   * False when a following camera could not keep the room for the lanes' titles at the top of
   * the view (its target fills the view): the titles are then not drawn there.
   */
  readonly titles?: boolean;
}

/**
 * Shows `bounds` of a `w`×`h` drawing as large as fits a `cw`×`ch` box (keeping proportions,
 * never beyond `maxScale`), centred. The drawing keeps its own coordinates (its viewBox); the
 * camera only sizes and shifts it, so objects hold still relative to each other.
 */
export function fitCamera(
  cw: number,
  ch: number,
  bounds: Rect,
  w: number,
  h: number,
  maxScale = 2,
): Camera | null {
  if (!(cw > 0 && ch > 0 && w > 0 && h > 0 && bounds.w > 0 && bounds.h > 0)) return null;
  const k = Math.min(cw / bounds.w, ch / bounds.h, maxScale);
  return {
    width: Math.round(w * k),
    height: Math.round(h * k),
    left: Math.round((cw - bounds.w * k) / 2 - bounds.x * k),
    top: Math.round((ch - bounds.h * k) / 2 - bounds.y * k),
  };
}

/** Room kept between the objects a camera reveals and the edge of the view. */
const REVEAL_MARGIN = 24;

/** What a following camera frames: the step's subject (the objects it names) and its changes. */
export interface StepFocus {
  /** Everything the step names. */
  readonly subject: Rect | null;
  /** The first thing it names (kept in view above all). */
  readonly primary?: Rect | null;
  readonly change: Rect | null;
  /**
   * Before the first step (nothing named, nothing changed): the objects already there, which
   * the view moves to only as far as it must to show them.
   */
  readonly drawn?: Rect | null;
}

/**
 * The camera of every view that follows the steps (main view, embed, presentation). When the
 * whole of `full` fits at `legible` scale or more, the whole (centred, at most `maxScale`).
 * Otherwise it shows the graph at `legible` scale, centred on the step's subject and changes
 * together if they fit, else on the subject alone, else on its primary subject; with nothing
 * to frame, the top-left of the graph, moved only as far as it must to show the objects already
 * drawn (`drawn`: before the first step, a process whose card the lanes place low). The view
 * stays inside `full` where it can, and a subject larger than the view keeps its top-left
 * corner in view. Where all of `full` fits the view's width it is centred across; where all of
 * it fits the view's height, the view starts at its top (a phone's view of the lanes starts at
 * their titles, not in empty room above them). The top `head` units of a view down the lanes
 * show their titles (GraphView draws them there): what the camera frames goes below them where
 * the view has the room, and is shown whole before that room is kept.
 */
export function followCamera(
  cw: number,
  ch: number,
  full: Rect,
  focus: StepFocus | null,
  w: number,
  h: number,
  legible: number,
  maxScale = 2,
  head = 0,
): Camera | null {
  if (!(cw > 0 && ch > 0 && full.w > 0 && full.h > 0)) return null;
  const kFull = Math.min(cw / full.w, ch / full.h, maxScale);
  if (kFull >= legible) return fitCamera(cw, ch, full, w, h, maxScale);
  const both = unionRect([focus?.subject, focus?.change].filter((r): r is Rect => !!r));
  const scaleFor = (r: Rect) => Math.min(cw / r.w, ch / r.h, maxScale);
  // The widest of: subject and changes, the subject, the primary subject, that fits legibly.
  const candidates = [both, focus?.subject, focus?.primary].filter((r): r is Rect => !!r);
  const target: Rect = candidates.find((r) => scaleFor(r) >= legible) ??
    candidates.at(-1) ?? { x: full.x, y: full.y, w: 1, h: 1 };
  // As much of the graph around the target as stays legible: the camera does not zoom in
  // further than the floor asks (zoom stays the viewer's to use).
  const k = Math.min(legible, maxScale);
  // The target is always shown, even where the whole leaves it out (a process that exited).
  full = unionRect([full, target]) ?? full;
  const vw = cw / k;
  const vh = ch / k;
  // Nothing named or changed: what is drawn, revealed rather than centred.
  const drawn = candidates.length === 0 ? focus?.drawn : null;
  /**
   * Where the view starts along one axis to show `tStart`…`tStart + tSize` of `start`…
   * `start + size`. Where all of it fits: centred across, from the top down (the lanes run to
   * the drawing's foot, so room above their titles would be empty). Otherwise, kept inside the
   * graph: `centre`d on the target, or (`reveal`) moved from the start only as far as showing
   * it takes; a target larger than the view shows its start.
   */
  const place = (
    start: number,
    size: number,
    tStart: number,
    tSize: number,
    v: number,
    across: boolean,
    how: 'centre' | 'reveal',
  ) => {
    if (v >= size) return across ? start + (size - v) / 2 : start;
    const at =
      how === 'reveal'
        ? Math.min(Math.max(start, tStart + tSize + REVEAL_MARGIN - v), tStart - REVEAL_MARGIN)
        : tSize <= v
          ? tStart + tSize / 2 - v / 2
          : tStart - 8;
    return Math.min(Math.max(at, start), start + size - v);
  };
  const [t, how] = drawn ? [drawn, 'reveal' as const] : [target, 'centre' as const];
  const room = Math.min(head, Math.max(0, vh - t.h));
  const view = {
    x: place(full.x, full.w, t.x, t.w, vw, true, how),
    // The lanes' titles take the view's top `head` units (drawn there below the lanes' top):
    // as much of that room as the view has beside the target, which comes first.
    y: place(full.y, full.h, t.y - room, t.h + room, vh, false, how),
    w: vw,
    h: vh,
  };
  const cam = fitCamera(cw, ch, view, w, h, maxScale);
  return cam && room < head ? { ...cam, titles: false } : cam;
}

/**
 * The height of `ref`'s element while it sticks over the content before it (CSS `position:
 * sticky`, as the phone layout's dock at the foot of the screen), border box included; 0
 * while it is not sticky. Read again whenever the element's size changes (a layout change
 * resizes it), never per step.
 */
export function useStickyCover(ref: RefObject<HTMLElement | null>, enabled: boolean): number {
  const [cover, setCover] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!enabled || !el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      const sticky = getComputedStyle(el).position === 'sticky';
      setCover(sticky ? Math.ceil(el.getBoundingClientRect().height) : 0);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, enabled]);
  return enabled ? cover : 0;
}

/** Watches an element's content box (ResizeObserver); null until first measured. */
export function useBoxSize(
  ref: RefObject<HTMLElement | null>,
  enabled: boolean,
  onSize: (w: number, h: number) => void,
): void {
  const cb = useRef(onSize);
  useEffect(() => {
    cb.current = onSize;
  });
  useEffect(() => {
    const el = ref.current;
    if (!enabled || !el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const r = entries[0]?.contentRect;
      if (r) cb.current(r.width, r.height);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, enabled]);
}
