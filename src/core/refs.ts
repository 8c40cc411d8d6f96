/**
 * Who holds what: every counted reference in a state, derived from the structure itself.
 *
 * This is the single place that knows which fields hold a count (kernel-semantics §1.4).
 * The invariant checker recomputes each `refcnt`/`usercnt` from these holders, and the graph
 * draws one counted edge per holder, so a badge and its edges always agree.
 */
import type { KernelState, ObjRef } from './types';

export type HolderKind =
  | 'fd'
  | 'st_ops_slot'
  | 'st_ops_link'
  | 'assoc'
  | 'legacy_reg'
  | 'timer'
  | 'used_maps'
  | 'link_prog'
  | 'deferred'
  | 'pin'
  | 'inflight'
  /** A reference a buggy revision took and nobody will drop (`KernelState.refBugs`). */
  | 'leaked';

export interface Holder {
  readonly kind: HolderKind;
  /** The holding object (a process for fds; null for a syscall's temporary get). */
  readonly from: ObjRef | null;
  readonly fd: number | null;
  readonly target: ObjRef;
  readonly counter: 'refcnt' | 'usercnt';
  /** Short label: `fd 5`, `links[0]`, `st_ops_assoc`, `used_maps`, `cb->prog`, ... */
  readonly label: string;
}

export function holdersOf(state: KernelState): Holder[] {
  const out: Holder[] = [];
  // A file shared by several fds (dup, fork, SCM_RIGHTS) holds one reference: the first fd
  // (lowest pid, then lowest fd) stands for it.
  const files = new Set<number>();
  for (const proc of Object.values(state.processes).sort((a, b) => a.pid - b.pid)) {
    for (const [fdText, entry] of Object.entries(proc.fds).sort(
      (a, b) => Number(a[0]) - Number(b[0]),
    )) {
      const fd = Number(fdText);
      if (entry.file !== undefined) {
        if (files.has(entry.file)) continue;
        files.add(entry.file);
      }
      const target: ObjRef = { kind: entry.kind, id: entry.id };
      const from: ObjRef = { kind: 'process', id: proc.pid };
      out.push({ kind: 'fd', from, fd, target, counter: 'refcnt', label: `fd ${fd}` });
      if (entry.kind === 'map') {
        out.push({ kind: 'fd', from, fd, target, counter: 'usercnt', label: `fd ${fd}` });
      }
    }
  }
  for (const map of Object.values(state.maps)) {
    const from: ObjRef = { kind: 'map', id: map.id };
    if (map.st) {
      map.st.links.forEach((prog, i) =>
        out.push({
          kind: 'st_ops_slot',
          from,
          fd: null,
          target: { kind: 'prog', id: prog },
          counter: 'refcnt',
          label: `links[${i}]`,
        }),
      );
      if (map.st.state === 'INUSE') {
        out.push({
          kind: 'legacy_reg',
          from,
          fd: null,
          target: from,
          counter: 'refcnt',
          label: 'reg',
        });
      }
    }
  }
  for (const link of Object.values(state.links)) {
    const from: ObjRef = { kind: 'link', id: link.id };
    if (link.type === 'struct_ops' && link.map !== null) {
      out.push({
        kind: 'st_ops_link',
        from,
        fd: null,
        target: { kind: 'map', id: link.map },
        counter: 'refcnt',
        label: 'link->map',
      });
    }
    if (link.prog !== null) {
      out.push({
        kind: 'link_prog',
        from,
        fd: null,
        target: { kind: 'prog', id: link.prog },
        counter: 'refcnt',
        label: 'link->prog',
      });
    }
  }
  for (const prog of Object.values(state.progs)) {
    const from: ObjRef = { kind: 'prog', id: prog.id };
    const assoc = prog.aux.st_ops_assoc;
    if (prog.type !== 'BPF_PROG_TYPE_STRUCT_OPS' && assoc !== null && assoc !== 'POISON') {
      out.push({
        kind: 'assoc',
        from,
        fd: null,
        target: { kind: 'map', id: assoc.map },
        counter: 'refcnt',
        label: 'st_ops_assoc',
      });
    }
    for (const map of prog.aux.used_maps) {
      out.push({
        kind: 'used_maps',
        from,
        fd: null,
        target: { kind: 'map', id: map },
        counter: 'refcnt',
        label: 'used_maps',
      });
    }
  }
  for (const timer of Object.values(state.timers)) {
    if (timer.prog !== null) {
      out.push({
        kind: 'timer',
        from: { kind: 'timer', id: timer.id },
        fd: null,
        target: { kind: 'prog', id: timer.prog },
        counter: 'refcnt',
        label: 'cb->prog',
      });
    }
  }
  for (const pin of state.bpffs) {
    const target: ObjRef = { kind: pin.kind, id: pin.id };
    const label = `pin ${pin.path}`;
    out.push({ kind: 'pin', from: null, fd: null, target, counter: 'refcnt', label });
    if (pin.kind === 'map')
      out.push({ kind: 'pin', from: null, fd: null, target, counter: 'usercnt', label });
  }
  for (const p of state.pending) {
    if (p.holds !== null) {
      out.push({
        kind: 'deferred',
        from: { kind: 'pending', id: p.id },
        fd: null,
        target: p.holds,
        counter: 'refcnt',
        label: p.fn,
      });
    }
  }
  for (const bug of state.refBugs ?? []) {
    if (bug.kind !== 'leaked') continue;
    const holder = state.progs[bug.prog];
    out.push({
      kind: 'leaked',
      // Drawn from the program that took it while the program lives; nobody owns it after.
      from: holder && holder.lifecycle !== 'freed' ? { kind: 'prog', id: bug.prog } : null,
      fd: null,
      target: { kind: 'map', id: bug.map },
      counter: 'refcnt',
      label: `leaked by ${bug.by}`,
    });
  }
  for (const tmp of state.inflight) {
    out.push({
      kind: 'inflight',
      from: null,
      fd: null,
      target: tmp.target,
      counter: 'refcnt',
      label: tmp.by,
    });
  }
  return out;
}

/**
 * References a buggy revision dropped on a holder's behalf (v5's getter): the holder still
 * points at the map, but its count is gone. Keyed like {@link countHolders}.
 */
export function countStolen(state: KernelState): Map<string, number> {
  const counts = new Map<string, number>();
  for (const b of state.refBugs ?? []) {
    if (b.kind !== 'stolen') continue;
    const k = key({ kind: 'map', id: b.map });
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function key(ref: ObjRef): string {
  return `${ref.kind}:${ref.id}`;
}

/** Counts holders per target, per counter: `prog:3` → 2. */
export function countHolders(
  holders: readonly Holder[],
  counter: 'refcnt' | 'usercnt',
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const h of holders) {
    if (h.counter !== counter) continue;
    const k = key(h.target);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

export function refKey(ref: ObjRef): string {
  return key(ref);
}

/**
 * The `refcnt` holders of `state`, split into those that carry a count and those whose count a
 * buggy revision dropped on their behalf (v5's getter: `KernelState.refBugs` of kind
 * `stolen`). A stolen holder still points at its target, but no longer counts.
 */
export function splitStolen(state: KernelState): {
  readonly counted: Holder[];
  readonly stolen: { readonly holder: Holder; readonly by: string }[];
} {
  const pending = (state.refBugs ?? []).filter((b) => b.kind === 'stolen');
  const counted: Holder[] = [];
  const stolen: { holder: Holder; by: string }[] = [];
  for (const h of holdersOf(state)) {
    if (h.counter !== 'refcnt') continue;
    const i =
      h.kind === 'assoc' && h.from?.kind === 'prog' && h.target.kind === 'map'
        ? pending.findIndex((b) => b.prog === h.from?.id && b.map === h.target.id)
        : -1;
    const bug = pending[i];
    if (bug) {
      pending.splice(i, 1);
      stolen.push({ holder: h, by: bug.by });
    } else counted.push(h);
  }
  return { counted, stolen };
}
