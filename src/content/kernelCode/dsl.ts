/**
 * The little language the kernel pseudo-code is written in: a function's lines, and markers on
 * them saying which events land on which line. Pure: no React, no DOM.
 *
 * Each line may carry markers: predicates over an event (its kind, field, before/after values)
 * or over the function the event happened in below this one (the "child" frame). An event picks
 * the first line with a matching strong marker, else the first line with a matching weak marker,
 * else line 0 (the function's signature).
 */
import type { EventKind, KEvent } from '../../core/tx';

export * from '../../core/files';

/** The file the core names for a kernel function it models only as a call site. */
export const SIMULATED_CALL_SITE = 'drivers (simulated call site)';

// ---------------------------------------------------------------------------------------------
// Markers.

export interface Marker {
  /** `child` is the frame just inside this function when the event happened deeper, else null. */
  readonly test: (ev: KEvent, child: string | null) => boolean;
  readonly weak: boolean;
}

export interface CodeLine {
  readonly text: string;
  readonly markers: readonly Marker[];
}

/** A function's pseudo-code: its name, its kernel file, and its lines with their markers. */
export interface KernelFunctionCode {
  readonly fn: string;
  readonly file: string;
  readonly lines: readonly CodeLine[];
}

export type Pred = (ev: KEvent) => boolean;
/** Exact text, a pattern, `null` (the value must be absent), or any predicate. */
export type Match = string | RegExp | null | ((v: string | null) => boolean);

export interface EvQuery {
  readonly field?: Match;
  readonly before?: Match;
  readonly after?: Match;
  readonly why?: RegExp;
  /** The kind of object the event is about, or null for none. */
  readonly target?: string | null;
  readonly where?: (ev: KEvent) => boolean;
}

export function matches(v: string | null, m: Match): boolean {
  if (m === null) return v === null;
  if (typeof m === 'string') return v === m;
  if (m instanceof RegExp) return v !== null && m.test(v);
  return m(v);
}

/** An event of `kind` (or one of `kinds`) whose values satisfy `q`. */
export function ev(kind: EventKind | readonly EventKind[], q: EvQuery = {}): Pred {
  const kinds: readonly EventKind[] = typeof kind === 'string' ? [kind] : kind;
  return (e) =>
    kinds.includes(e.kind) &&
    (q.field === undefined || matches(e.field, q.field)) &&
    (q.before === undefined || matches(e.before, q.before)) &&
    (q.after === undefined || matches(e.after, q.after)) &&
    (q.why === undefined || q.why.test(e.why)) &&
    (q.target === undefined || (e.target?.kind ?? null) === q.target) &&
    (q.where === undefined || q.where(e));
}

/** A `return` event carrying `-ERRNO` (one of several when given a list). */
export function ret(errno: string | readonly string[], why?: RegExp): Pred {
  const list = typeof errno === 'string' ? [errno] : errno;
  return ev('return', {
    after: (v) => v !== null && list.some((e) => v === `-${e}`),
    ...(why ? { why } : {}),
  });
}

export const any: Pred = () => true;

/** Strong marker: the event itself (emitted in this function). */
export function on(...preds: Pred[]): Marker {
  return { test: (e, child) => child === null && preds.some((p) => p(e)), weak: false };
}

/** Strong marker: the event happened inside a function this line calls. */
export function calls(...names: (string | RegExp)[]): Marker {
  return {
    test: (_e, child) =>
      child !== null && names.some((n) => (typeof n === 'string' ? n === child : n.test(child))),
    weak: false,
  };
}

/** A marker consulted only when no strong marker of any line matched. */
export function weak(m: Marker): Marker {
  return { ...m, weak: true };
}

export function L(text: string, ...markers: Marker[]): CodeLine {
  return { text, markers };
}

export function code(fn: string, file: string, lines: readonly CodeLine[]): KernelFunctionCode {
  return { fn, file, lines };
}

// Reasons the core gives when an fd does not resolve (bpf_prog_get / bpf_map_get / links).
export const FD_NOT_PROG = /is not open|not a program/;
export const FD_NOT_MAP = /is not open|not a map/;
export const FD_NOT_LINK = /is not open|not a link/;
export const REG = /\.reg$/;
export const UNREG = /\.unreg$/;
