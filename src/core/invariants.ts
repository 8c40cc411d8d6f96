/**
 * Invariant checker: recomputes every count from its holders and looks for the simulator's
 * own mistakes. A non-empty result is a bug in the simulator, never kernel behaviour: where
 * the modelled kernel itself misbehaves (a dangling `st_ops_assoc`), that is a hazard, listed
 * separately, and becomes an oops event only when something dereferences it.
 */
import { nameOf } from './names';
import { countHolders, countStolen, holdersOf, refKey } from './refs';
import type { KernelState, ObjRef } from './types';

export interface InvariantReport {
  readonly violations: readonly string[];
  /** Kernel-modelled hazards: uncounted pointers to freed objects (e.g. a stale assoc). */
  readonly hazards: readonly string[];
}

function isFreed(state: KernelState, ref: ObjRef): boolean {
  switch (ref.kind) {
    case 'prog':
      return (
        state.progs[ref.id]?.lifecycle !== 'live' && state.progs[ref.id]?.lifecycle !== 'freeing'
      );
    case 'map':
      return (
        state.maps[ref.id]?.lifecycle !== 'live' && state.maps[ref.id]?.lifecycle !== 'freeing'
      );
    case 'link':
      return (
        state.links[ref.id]?.lifecycle !== 'live' && state.links[ref.id]?.lifecycle !== 'freeing'
      );
    case 'timer':
      return state.timers[ref.id]?.freed !== false;
    case 'process':
      return state.processes[ref.id] === undefined;
    case 'sched':
      return state.scx.scheds[ref.id] === undefined;
    case 'pending':
      return false;
  }
}

/** Checks the counted-reference invariants of one state. */
export function checkInvariants(state: KernelState): InvariantReport {
  const violations: string[] = [];
  const hazards: string[] = [];
  const holders = holdersOf(state);
  const refcnts = countHolders(holders, 'refcnt');
  const usercnts = countHolders(holders, 'usercnt');
  // A reference a buggy revision dropped for a holder that still points (core/revisions).
  const stolen = countStolen(state);
  const name = (ref: ObjRef) => `${ref.kind} ${nameOf(state, ref)}`;

  const counted: { ref: ObjRef; refcnt: number; usercnt?: number; lifecycle: string }[] = [
    ...Object.values(state.progs).map((p) => ({
      ref: { kind: 'prog', id: p.id } as ObjRef,
      refcnt: p.refcnt,
      lifecycle: p.lifecycle,
    })),
    ...Object.values(state.maps).map((m) => ({
      ref: { kind: 'map', id: m.id } as ObjRef,
      refcnt: m.refcnt,
      usercnt: m.usercnt,
      lifecycle: m.lifecycle,
    })),
    ...Object.values(state.links).map((l) => ({
      ref: { kind: 'link', id: l.id } as ObjRef,
      refcnt: l.refcnt,
      lifecycle: l.lifecycle,
    })),
  ];
  for (const obj of counted) {
    const expected = (refcnts.get(refKey(obj.ref)) ?? 0) - (stolen.get(refKey(obj.ref)) ?? 0);
    if (obj.refcnt < 0) violations.push(`${name(obj.ref)}: negative refcnt ${obj.refcnt}`);
    if (obj.refcnt !== expected) {
      violations.push(
        `${name(obj.ref)}: refcnt is ${obj.refcnt} but ${expected} holder(s) point at it`,
      );
    }
    if (obj.usercnt !== undefined) {
      const u = usercnts.get(refKey(obj.ref)) ?? 0;
      if (obj.usercnt < 0) violations.push(`${name(obj.ref)}: negative usercnt ${obj.usercnt}`);
      if (obj.usercnt !== u)
        violations.push(`${name(obj.ref)}: usercnt is ${obj.usercnt} but ${u} fd(s) hold it`);
      if (obj.usercnt > obj.refcnt) violations.push(`${name(obj.ref)}: usercnt exceeds refcnt`);
    }
    if (obj.lifecycle === 'live' && obj.refcnt === 0) {
      violations.push(`${name(obj.ref)}: refcnt is 0 but it is not being freed`);
    }
    if (obj.lifecycle !== 'live' && obj.refcnt !== 0) {
      violations.push(`${name(obj.ref)}: ${obj.lifecycle} with refcnt ${obj.refcnt}`);
    }
  }
  for (const h of holders) {
    if (isFreed(state, h.target) && stolen.has(refKey(h.target))) {
      hazards.push(
        `${h.label} of ${h.from ? name(h.from) : 'a syscall'} points at freed ${name(h.target)}`,
      );
    } else if (isFreed(state, h.target)) {
      violations.push(
        `${h.label} of ${h.from ? name(h.from) : 'a syscall'} points at freed ${name(h.target)}`,
      );
    }
    if (h.from && isFreed(state, h.from)) {
      violations.push(`freed ${name(h.from)} still holds ${name(h.target)} (${h.label})`);
    }
  }
  for (const p of state.pending) {
    if (isFreed(state, p.target))
      violations.push(`pending ${p.fn} targets freed ${name(p.target)}`);
  }
  for (const prog of Object.values(state.progs)) {
    const a = prog.aux.st_ops_assoc;
    if (a !== null && a !== 'POISON' && isFreed(state, { kind: 'map', id: a.map })) {
      const msg = `${prog.name}: st_ops_assoc points at freed map ${nameOf(state, { kind: 'map', id: a.map })}`;
      if (prog.type === 'BPF_PROG_TYPE_STRUCT_OPS' || stolen.has(`map:${a.map}`)) hazards.push(msg);
      else violations.push(msg);
    }
  }
  // A revision's review bug, as the kernel's tools reported it (core/revisions/reports.ts).
  for (const r of state.reports ?? []) hazards.push(`${r.tool}: ${r.title}`);
  for (const t of Object.values(state.timers)) {
    if (t.armed && t.freed) violations.push(`timer#${t.id} is armed but freed`);
  }
  return { violations, hazards };
}

/** True when nothing can make progress on its own: no fds, no pending work, no armed timer. */
export function isQuiescent(state: KernelState): boolean {
  return (
    Object.values(state.processes).every((p) => Object.keys(p.fds).length === 0) &&
    state.pending.length === 0 &&
    state.inflight.length === 0 &&
    Object.values(state.timers).every((t) => !t.armed || t.freed)
  );
}

/**
 * Leak check: once every fd is closed and deferred work drained, everything must be freed,
 * except what a registered legacy struct_ops map keeps on purpose (the kernel keeps an
 * INUSE map and its programs until BPF_MAP_DELETE_ELEM, with or without an fd), and what
 * those keep in turn (e.g. a kept program's `used_maps`, such as its object's `.bss`).
 */
export function findLeaks(state: KernelState): string[] {
  if (!isQuiescent(state)) return [];
  const kept = new Set<string>();
  for (const m of Object.values(state.maps)) {
    if (m.st?.state === 'INUSE') kept.add(`map:${m.id}`);
  }
  const holders = holdersOf(state);
  let grew = kept.size > 0;
  while (grew) {
    grew = false;
    for (const h of holders) {
      if (h.from && kept.has(refKey(h.from)) && !kept.has(refKey(h.target))) {
        kept.add(refKey(h.target));
        grew = true;
      }
    }
  }
  const leaks: string[] = [];
  for (const p of Object.values(state.progs)) {
    if (p.lifecycle !== 'freed' && !kept.has(`prog:${p.id}`))
      leaks.push(`prog ${p.name} (refcnt ${p.refcnt}) is still alive`);
  }
  for (const m of Object.values(state.maps)) {
    if (m.lifecycle !== 'freed' && !kept.has(`map:${m.id}`))
      leaks.push(`map ${m.name} (refcnt ${m.refcnt}) is still alive`);
  }
  for (const l of Object.values(state.links)) {
    if (l.lifecycle !== 'freed') leaks.push(`link#${l.id} (refcnt ${l.refcnt}) is still alive`);
  }
  return leaks;
}
