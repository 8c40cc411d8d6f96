/**
 * The key event of a command: of everything a step made the kernel do, the one event that
 * tells what the step was about. A viewer standing on a whole step shows this event (its
 * kernel function and line) rather than the step's last event, which is usually bookkeeping
 * such as the syscall dropping its temporary reference (`bpf_prog_put`).
 */
import { errnoName } from './errno';
import type { KEvent } from './tx';
import type { KernelState, StOpsAssoc } from './types';

/** Why an event is its step's key event (the rule that picked it). */
export type KeyReason = 'errno' | 'assoc' | 'free' | 'lookup' | 'last';

export interface KeyEvent {
  /** Index of the event in the step's event list. */
  readonly index: number;
  readonly event: KEvent;
  readonly reason: KeyReason;
}

/** A lookup of `aux->st_ops_assoc` by a kfunc (`bpf_prog_get_assoc_struct_ops`). */
export function isAssocLookup(e: KEvent): boolean {
  return e.kind === 'check' && e.fn === 'bpf_prog_get_assoc_struct_ops';
}

function sameAssoc(a: StOpsAssoc | undefined, b: StOpsAssoc): boolean {
  if (a === undefined || a === null || a === 'POISON' || b === null || b === 'POISON')
    return a === b;
  return a.map === b.map;
}

/**
 * Whether some program's `aux->st_ops_assoc` differs between two states: set, poisoned or
 * cleared. (A non-struct_ops program's association is written together with the
 * `bpf_map_inc` that pins the map, so the write shows in the state, not in the event kind.)
 */
export function assocChanged(before: KernelState, after: KernelState): boolean {
  if (before.progs === after.progs) return false;
  return Object.values(after.progs).some(
    (p) => !sameAssoc(before.progs[p.id]?.aux.st_ops_assoc, p.aux.st_ops_assoc),
  );
}

function lastIndex(events: readonly KEvent[], test: (e: KEvent) => boolean): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e && test(e)) return i;
  }
  return -1;
}

/** The first lookup that found no instance (NULL or BPF_PTR_POISON), else the first lookup. */
function firstLookup(events: readonly KEvent[]): number {
  const stopped = events.findIndex((e) => isAssocLookup(e) && e.after === 'NULL');
  return stopped >= 0 ? stopped : events.findIndex(isAssocLookup);
}

/** The event that made a command return `-errno`, or -1. */
function errnoIndex(events: readonly KEvent[], ret: number): number {
  const name = errnoName(ret);
  if (!name) return -1;
  const text = `-${name}`;
  // An explicit error return (`return -EINVAL` from the function that refused) …
  const returned = lastIndex(events, (e) => e.kind === 'return' && e.after === text);
  if (returned >= 0) return returned;
  // … or the check that decided it (e.g. bpf_prog_assoc_struct_ops's set-once test, -EBUSY).
  const named = lastIndex(events, (e) => e.kind === 'check' && e.why.includes(text));
  if (named >= 0) return named;
  return lastIndex(events, (e) => e.kind === 'check' || e.kind === 'return');
}

/**
 * The key event of one step's events, given what the step returned (`ret`, null for steps
 * that are not a call) and the state before the step (`before`, for a write in its first
 * event). In order of precedence:
 * 1. `errno`: when `ret` is `-errno`, the event that returned it — the refusing function's
 *    `return -E…`, or the check that decided it (kernel/bpf/syscall.c
 *    `bpf_prog_assoc_struct_ops` returning -EBUSY on a second association);
 * 2. `assoc`: the first write to `aux->st_ops_assoc` (set, poisoned, or cleared by
 *    `bpf_prog_disassoc_struct_ops`);
 * 3. `free`: the first object freed;
 * 4. `lookup`: the first kfunc lookup of the association (`bpf_prog_get_assoc_struct_ops`)
 *    that found no instance (NULL or BPF_PTR_POISON: the no-op, the -1), else the first one;
 * 5. `last`: otherwise the step's last event.
 * Null for a step without events.
 */
export function keyEvent(
  events: readonly KEvent[],
  ret: number | null,
  before?: KernelState,
): KeyEvent | null {
  if (events.length === 0) return null;
  const writesAssoc = (e: KEvent, i: number): boolean => {
    const prev = i > 0 ? events[i - 1]?.state : before;
    return prev !== undefined && assocChanged(prev, e.state);
  };
  const rules: readonly [KeyReason, () => number][] = [
    ['errno', () => (ret !== null && ret < 0 ? errnoIndex(events, ret) : -1)],
    ['assoc', () => events.findIndex(writesAssoc)],
    ['free', () => events.findIndex((e) => e.kind === 'free')],
    ['lookup', () => firstLookup(events)],
    ['last', () => events.length - 1],
  ];
  for (const [reason, find] of rules) {
    const index = find();
    const event = index >= 0 ? events[index] : undefined;
    if (event) return { index, event, reason };
  }
  return null;
}
