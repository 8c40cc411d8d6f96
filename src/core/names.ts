/** How objects and association values are named in events and views. */
import type { KernelState, ObjRef, StOpsAssoc } from './types';

export function nameOf(state: KernelState, ref: ObjRef): string {
  switch (ref.kind) {
    case 'prog':
      return state.progs[ref.id]?.name ?? `prog#${ref.id}`;
    case 'map':
      return state.maps[ref.id]?.name ?? `map#${ref.id}`;
    case 'link':
      return `link#${ref.id}`;
    case 'timer':
      return `timer#${ref.id}`;
    case 'sched':
      return state.scx.scheds[ref.id]?.name ?? `sch${ref.id}`;
    case 'process':
      return state.processes[ref.id]?.name ?? `pid ${ref.id}`;
    case 'pending':
      return `work#${ref.id}`;
  }
}

export function progRef(id: number): ObjRef {
  return { kind: 'prog', id };
}
export function mapRef(id: number): ObjRef {
  return { kind: 'map', id };
}
export function linkRef(id: number): ObjRef {
  return { kind: 'link', id };
}

/** `NULL`, the map's name, or `BPF_PTR_POISON`: how `st_ops_assoc` reads in events. */
export function assocText(state: KernelState, assoc: StOpsAssoc): string {
  if (assoc === null) return 'NULL';
  if (assoc === 'POISON') return 'BPF_PTR_POISON';
  return nameOf(state, mapRef(assoc.map));
}
