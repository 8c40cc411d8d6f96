/**
 * Everything about `st_ops_assoc` in the merged code (v8, identical to v7's kernel code).
 *
 * The other revisions (v1..v7 and mainline, kernel-semantics §4) differ exactly in these
 * functions, where the map update calls assoc, and where map free disassociates; they are
 * built in core/revisions/assocCode.ts from the data in core/revisions/spec.ts, reusing the
 * v8 functions here where a revision has the same code. `currentAssoc` (there) picks the
 * revision the machine runs.
 */
import { fail, KernelError, ok, type SysResult } from '../errno';
import { STRUCT_OPS_C, SYSCALL_C } from '../files';
import { assocText, progRef } from '../names';
import { dProg, mapOf, progOf } from '../objects/access';
import { bpf_map_get, bpf_map_inc, bpf_map_put, bpf_map_put_temp } from '../objects/map';
import { bpf_prog_get, bpf_prog_put_temp } from '../objects/prog';
import type { Tx } from '../tx';
import type { StOpsAssoc } from '../types';

/** `union bpf_attr.prog_assoc_struct_ops`. */
export type { ProgAssocAttr } from '../syscalls/attrs';
import type { ProgAssocAttr } from '../syscalls/attrs';

export interface AssocRevision {
  /** The `BPF_PROG_ASSOC_STRUCT_OPS` command (syscall.c `prog_assoc_struct_ops`). */
  readonly prog_assoc_struct_ops: (tx: Tx, attr: ProgAssocAttr) => SysResult;
  /** `bpf_prog_assoc_struct_ops(prog, map)`: 0 or -EBUSY. */
  readonly bpf_prog_assoc_struct_ops: (tx: Tx, prog: number, map: number) => number;
  readonly bpf_prog_disassoc_struct_ops: (tx: Tx, prog: number) => void;
  /** `bpf_prog_get_assoc_struct_ops(aux)`: the map whose kdata is returned, or null. */
  readonly bpf_prog_get_assoc_struct_ops: (tx: Tx, prog: number) => number | null;
  /** `bpf_struct_ops_map_dissoc_progs(map)`, run by `bpf_struct_ops_map_free`. */
  readonly bpf_struct_ops_map_dissoc_progs: (tx: Tx, map: number) => void;
  /** The map update's assoc call, before or after `links[]` owns the program (v6: after). */
  readonly assocInUpdate: (
    tx: Tx,
    prog: number,
    map: number,
    phase: 'before-link' | 'after-link',
  ) => void;
  /** Per program in `bpf_struct_ops_map_put_progs()`: v1..v3 disassociate there. */
  readonly putProgsDisassoc: (tx: Tx, prog: number, map: number) => void;
  /** v4: the kfunc's `bpf_struct_ops_put(kdata)` after the getter took a reference. */
  readonly bpf_struct_ops_put: (tx: Tx, map: number) => void;
}

const isStructOps = (tx: Tx, prog: number) =>
  progOf(tx.state, prog).type === 'BPF_PROG_TYPE_STRUCT_OPS';

export function setAssoc(
  tx: Tx,
  prog: number,
  next: StOpsAssoc,
  why: string,
  withRef: 'inc' | 'put' | null,
): void {
  const cur = progOf(tx.state, prog).aux.st_ops_assoc;
  const ev = {
    kind: 'assoc' as const,
    target: progRef(prog),
    field: 'st_ops_assoc',
    before: assocText(tx.state, cur),
    after: assocText(tx.state, next),
    why,
  };
  if (withRef === 'inc' && next !== null && next !== 'POISON') {
    // bpf_map_inc and the assignment happen under the mutex; shown as one change so the
    // map's refcnt and its new holder (the association) always agree.
    bpf_map_inc(tx, next.map, why, (d) => {
      dProg(d, prog).aux.st_ops_assoc = next;
    });
    return;
  }
  if (withRef === 'put' && cur !== null && cur !== 'POISON') {
    bpf_map_put(tx, cur.map, why, (d) => {
      dProg(d, prog).aux.st_ops_assoc = next;
    });
    return;
  }
  tx.emit(ev, (d) => {
    dProg(d, prog).aux.st_ops_assoc = next;
  });
}

/** v8 `bpf_prog_assoc_struct_ops()` (bpf_struct_ops.c), under `aux->st_ops_assoc_mutex`. */
export function assocV8(tx: Tx, prog: number, map: number): number {
  return tx.in('bpf_prog_assoc_struct_ops', STRUCT_OPS_C, () => {
    const p = progOf(tx.state, prog);
    const cur = p.aux.st_ops_assoc;
    const mapName = mapOf(tx.state, map).name;
    if (cur !== null && cur !== 'POISON' && cur.map === map) {
      tx.emit({
        kind: 'check',
        target: progRef(prog),
        field: 'st_ops_assoc',
        before: mapName,
        after: mapName,
        why: `${p.name} is already associated with ${mapName}: nothing to do, and no second reference is taken.`,
      });
      return 0;
    }
    if (cur !== null) {
      if (p.type !== 'BPF_PROG_TYPE_STRUCT_OPS') {
        tx.emit({
          kind: 'check',
          target: progRef(prog),
          field: 'st_ops_assoc',
          before: assocText(tx.state, cur),
          after: assocText(tx.state, cur),
          why: `An explicit association is set once: ${p.name} already belongs to ${assocText(tx.state, cur)}, so ${mapName} gets -EBUSY.`,
        });
        return -16;
      }
      setAssoc(
        tx,
        prog,
        'POISON',
        cur === 'POISON'
          ? `${p.name} is already poisoned; poison is terminal for a struct_ops program.`
          : `${p.name} now sits in a second map (${mapName}); which instance it serves is ambiguous, so the association is poisoned. No reference to drop: struct_ops programs hold none.`,
        null,
      );
      return 0;
    }
    if (p.type !== 'BPF_PROG_TYPE_STRUCT_OPS') {
      setAssoc(
        tx,
        prog,
        { map },
        `${p.name} is not a struct_ops program, so its association pins ${mapName} with a reference (bpf_map_inc).`,
        'inc',
      );
    } else {
      setAssoc(
        tx,
        prog,
        { map },
        `${p.name} is a struct_ops program in ${mapName}: associated without a reference; the map already holds the program.`,
        null,
      );
    }
    return 0;
  });
}

/** v8 `bpf_prog_disassoc_struct_ops()`: NULL and POISON are left alone; POISON is never cleared. */
export function disassocV8(tx: Tx, prog: number): void {
  tx.in('bpf_prog_disassoc_struct_ops', STRUCT_OPS_C, () => {
    const p = progOf(tx.state, prog);
    const cur = p.aux.st_ops_assoc;
    if (cur === null) return;
    if (cur === 'POISON') {
      tx.emit({
        kind: 'check',
        target: progRef(prog),
        field: 'st_ops_assoc',
        before: 'BPF_PTR_POISON',
        after: 'BPF_PTR_POISON',
        why: `${p.name} is poisoned; disassociation leaves BPF_PTR_POISON in place.`,
      });
      return;
    }
    if (p.type !== 'BPF_PROG_TYPE_STRUCT_OPS') {
      setAssoc(
        tx,
        prog,
        null,
        `${p.name} lets go of ${assocText(tx.state, cur)} and drops the reference its association held (bpf_map_put).`,
        'put',
      );
    } else {
      setAssoc(
        tx,
        prog,
        null,
        `${p.name} no longer points at ${assocText(tx.state, cur)}; it held no reference.`,
        null,
      );
    }
  });
}

/**
 * v8 `bpf_prog_get_assoc_struct_ops(aux)`: NULL for NULL or POISON, else the map's kdata.
 * No state check (v7 dropped it) and no reference taken.
 */
export function getAssocV8(tx: Tx, prog: number): number | null {
  return tx.in('bpf_prog_get_assoc_struct_ops', STRUCT_OPS_C, () => {
    const cur = progOf(tx.state, prog).aux.st_ops_assoc;
    const res = cur === null || cur === 'POISON' ? null : cur.map;
    tx.emit({
      kind: 'check',
      target: progRef(prog),
      field: 'st_ops_assoc',
      before: assocText(tx.state, cur),
      after: res === null ? 'NULL' : `&${assocText(tx.state, cur)}->kvalue.data`,
      why:
        res === null
          ? cur === 'POISON'
            ? 'The association is BPF_PTR_POISON, so the lookup returns NULL.'
            : 'The program has no association, so the lookup returns NULL.'
          : "The lookup returns the map's kdata, without checking its state and without taking a reference.",
    });
    return res;
  });
}

/** v8 `bpf_struct_ops_map_dissoc_progs()`: walks `links[]` up to the first empty slot. */
export function dissocProgsV8(tx: Tx, map: number): void {
  tx.in('bpf_struct_ops_map_dissoc_progs', STRUCT_OPS_C, () => {
    const st = mapOf(tx.state, map).st;
    for (const prog of st?.links ?? []) disassocV8(tx, prog);
  });
}

/** v8 syscall `prog_assoc_struct_ops()`, checks in the kernel's order (kernel-semantics §2.2). */
export function syscallV8(tx: Tx, attr: ProgAssocAttr): SysResult {
  return tx.in('prog_assoc_struct_ops', SYSCALL_C, () => {
    // BPF_PROG_ASSOC_STRUCT_OPS_LAST_FIELD is prog_fd in v8: CHECK_ATTR wants every byte
    // after it zero, flags included, so a non-zero flags fails here first (same -EINVAL).
    const tail = Object.entries(attr).filter(
      ([k, v]) => k !== 'map_fd' && k !== 'prog_fd' && v !== undefined && v !== 0,
    ) as [string, unknown][];
    if (tail.length > 0) {
      const [k, v] = tail[0] ?? ['flags', 0];
      return reject(
        tx,
        'EINVAL',
        `CHECK_ATTR: bytes after prog_assoc_struct_ops.prog_fd must be zero (${k} = ${String(v)}).`,
      );
    }
    const by = 'prog_assoc_struct_ops';
    const prog = bpf_prog_get(tx, attr.prog_fd, by);
    if (prog instanceof KernelError) return reject(tx, prog.errno, prog.reason);
    if (isStructOps(tx, prog)) {
      bpf_prog_put_temp(tx, prog, by);
      return reject(
        tx,
        'EINVAL',
        `${progOf(tx.state, prog).name} is a struct_ops program: it is associated by the map update, not by this command (checked before the map fd).`,
      );
    }
    const map = bpf_map_get(tx, attr.map_fd, by);
    if (map instanceof KernelError) {
      bpf_prog_put_temp(tx, prog, by);
      return reject(tx, map.errno, map.reason);
    }
    if (mapOf(tx.state, map).type !== 'BPF_MAP_TYPE_STRUCT_OPS') {
      bpf_map_put_temp(tx, map, by);
      bpf_prog_put_temp(tx, prog, by);
      return reject(tx, 'EINVAL', `${mapOf(tx.state, map).name} is not a struct_ops map.`);
    }
    const ret = assocV8(tx, prog, map);
    bpf_map_put_temp(tx, map, by);
    bpf_prog_put_temp(tx, prog, by);
    return ret === 0
      ? ok(0)
      : fail(
          'EBUSY',
          `${progOf(tx.state, prog).name} is already associated with ${assocText(tx.state, progOf(tx.state, prog).aux.st_ops_assoc)}; an explicit association is set once.`,
        );
  });
}

export function reject(tx: Tx, errno: KernelError['errno'], reason: string): SysResult {
  tx.emit({ kind: 'return', why: reason, before: null, after: `-${errno}` });
  return fail(errno, reason);
}

/** The merged association code (v8; v7's kernel code is the same). */
export const V8_ASSOC: AssocRevision = {
  prog_assoc_struct_ops: syscallV8,
  bpf_prog_assoc_struct_ops: assocV8,
  bpf_prog_disassoc_struct_ops: disassocV8,
  bpf_prog_get_assoc_struct_ops: getAssocV8,
  bpf_struct_ops_map_dissoc_progs: dissocProgsV8,
  // "Poison pointer on error instead of return for backward compatibility": result ignored.
  assocInUpdate: (tx, prog, map, phase) => {
    if (phase === 'before-link') assocV8(tx, prog, map);
  },
  putProgsDisassoc: () => undefined,
  bpf_struct_ops_put: () => undefined,
};
