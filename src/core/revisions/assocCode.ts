/**
 * The association code of every revision of the series, built from the rules in `spec.ts`
 * (kernel-semantics §4). Where a revision has the merged code, the v8 function from
 * structops/assoc.ts runs; where it differs, the function here models that revision's code,
 * and where that code has a review bug, the bug happens and is reported (`reports.ts`).
 */
import { fail, KernelError, ok, type SysResult } from '../errno';
import { STRUCT_OPS_C, SYSCALL_C } from '../files';
import { assocText, mapRef, progRef } from '../names';
import { dProg, mapOf, progOf } from '../objects/access';
import { bpf_map_get, bpf_map_inc, bpf_map_put, bpf_map_put_temp } from '../objects/map';
import { bpf_prog_get, bpf_prog_put_temp } from '../objects/prog';
import {
  assocV8,
  disassocV8,
  dissocProgsV8,
  getAssocV8,
  reject,
  setAssoc,
  syscallV8,
  V8_ASSOC,
  type AssocRevision,
  type ProgAssocAttr,
} from '../structops/assoc';
import type { Recipe, Tx } from '../tx';
import type { Revision } from '../types';
import { reportHazard, reportKasan } from './reports';
import { revisionSpec, type RevisionSpec } from './spec';

const isStructOps = (tx: Tx, prog: number) =>
  progOf(tx.state, prog).type === 'BPF_PROG_TYPE_STRUCT_OPS';

/** Drops the syscall's temporary map reference from `inflight` (it is kept, not put). */
const takeInflight =
  (map: number, by: string): Recipe =>
  (d) => {
    const i = d.inflight.findIndex(
      (t) => t.target.kind === 'map' && t.target.id === map && t.by === by,
    );
    if (i >= 0) d.inflight.splice(i, 1);
  };

/**
 * The pre-v4 assoc functions (v1 `bpf_struct_ops_assoc_prog`, v2 and v3
 * `bpf_prog_assoc_struct_ops`). `adopt` names the syscall whose `bpf_map_get` reference
 * becomes the association's (v1, v2 keep it on success).
 */
function assocOld(
  spec: RevisionSpec,
  tx: Tx,
  prog: number,
  map: number,
  adopt: string | null,
): number {
  return tx.in(spec.assocFn, STRUCT_OPS_C, () => {
    const p = progOf(tx.state, prog);
    const cur = p.aux.st_ops_assoc;
    const mapName = mapOf(tx.state, map).name;
    const value = spec.assocPointsAt === 'kdata' ? `&${mapName}->kvalue.data` : mapName;
    const same = cur !== null && cur !== 'POISON' && cur.map === map;
    const so = p.type === 'BPF_PROG_TYPE_STRUCT_OPS';
    if (cur !== null && !same) {
      if (spec.assocRule === 'first-wins' || !so) {
        tx.emit({
          kind: 'check',
          target: progRef(prog),
          field: 'st_ops_assoc',
          before: assocText(tx.state, cur),
          after: assocText(tx.state, cur),
          why: `${p.name} already points at ${assocText(tx.state, cur)}; ${spec.id}: the first association wins, ${mapName} gets -EBUSY.`,
        });
        return -16;
      }
      setAssoc(
        tx,
        prog,
        'POISON',
        `${p.name} sits in a second map (${mapName}): the association is poisoned${spec.assocRule === 'poison-ebusy' ? ', and v2 still returns -EBUSY (the map update ignores it)' : ''}.`,
        null,
      );
      return spec.assocRule === 'poison-ebusy' ? -16 : 0;
    }
    if (so) {
      setAssoc(
        tx,
        prog,
        { map },
        same
          ? `${p.name} is set to ${value} again (it already was).`
          : `${p.name} is a struct_ops program in ${mapName}: st_ops_assoc = ${value}, no reference.`,
        null,
      );
      return 0;
    }
    if (spec.assocRule === 'inc-always') {
      if (same) {
        // v3: `if (!struct_ops) bpf_map_inc(map)` runs whether or not the map is already set.
        bpf_map_inc(
          tx,
          map,
          `v3 takes another reference on ${mapName} although ${p.name} already holds one for this association; disassociation will put only one.`,
          (d) => {
            d.refBugs = [
              ...(d.refBugs ?? []),
              { kind: 'leaked', prog, map, by: 'bpf_prog_assoc_struct_ops' },
            ];
          },
        );
        return 0;
      }
      setAssoc(
        tx,
        prog,
        { map },
        `${p.name}'s association pins ${mapName} with a reference (bpf_map_inc, moved into the helper in v3).`,
        'inc',
      );
      return 0;
    }
    // v1, v2: no reference here; the syscall keeps its own (see syscallOld).
    if (same) {
      tx.emit({
        kind: 'check',
        target: progRef(prog),
        field: 'st_ops_assoc',
        before: value,
        after: value,
        why: `${p.name} already points at ${value}: it is set again and the call returns 0.`,
      });
      return 0;
    }
    tx.emit(
      {
        kind: 'assoc',
        target: progRef(prog),
        field: 'st_ops_assoc',
        before: 'NULL',
        after: mapName,
        why: `st_ops_assoc = ${value}; the reference the syscall took with bpf_map_get becomes the association's.`,
      },
      (d) => {
        dProg(d, prog).aux.st_ops_assoc = { map };
        if (adopt) takeInflight(map, adopt)(d);
      },
    );
    return 0;
  });
}

/** The command handler, checks in this revision's order (kernel-semantics §2.2 and §4). */
function syscallOld(
  spec: RevisionSpec,
  tx: Tx,
  attr: ProgAssocAttr,
  assoc: (tx: Tx, p: number, m: number, adopt: string | null) => number,
): SysResult {
  const u = spec.uapi;
  return tx.in(u.handler, SYSCALL_C, () => {
    const allowed =
      u.lastField === 'flags' ? ['map_fd', 'prog_fd', 'flags'] : ['map_fd', 'prog_fd'];
    const tail = Object.entries(attr).filter(
      ([k, v]) => !allowed.includes(k) && v !== undefined && v !== 0,
    );
    const first = tail[0];
    if (first) {
      return reject(
        tx,
        'EINVAL',
        `CHECK_ATTR: bytes after ${u.attr}.${u.lastField} must be zero (${first[0]} = ${String(first[1])})${u.hasFlags ? '' : `; ${spec.id} has no flags field`}.`,
      );
    }
    if (u.hasFlags && (attr.flags ?? 0) !== 0)
      return reject(tx, 'EINVAL', `${u.attr}.flags must be 0.`);
    const by = u.handler;
    const prog = bpf_prog_get(tx, attr.prog_fd, by);
    if (prog instanceof KernelError) return reject(tx, prog.errno, prog.reason);
    const name = progOf(tx.state, prog).name;
    if (u.progTypeFirst && isStructOps(tx, prog)) {
      bpf_prog_put_temp(tx, prog, by);
      return reject(
        tx,
        'EINVAL',
        `${name} is a struct_ops program: it is associated by the map update (checked before the map fd).`,
      );
    }
    const map = bpf_map_get(tx, attr.map_fd, by);
    if (map instanceof KernelError) {
      bpf_prog_put_temp(tx, prog, by);
      return reject(tx, map.errno, map.reason);
    }
    const notStructOpsMap = mapOf(tx.state, map).type !== 'BPF_MAP_TYPE_STRUCT_OPS';
    if (notStructOpsMap || (!u.progTypeFirst && isStructOps(tx, prog))) {
      bpf_map_put_temp(tx, map, by);
      bpf_prog_put_temp(tx, prog, by);
      return reject(
        tx,
        'EINVAL',
        notStructOpsMap
          ? `${mapOf(tx.state, map).name} is not a struct_ops map.`
          : `${name} is a struct_ops program (v1 checks the map type and the program type together, after both lookups).`,
      );
    }
    const wasSame = (() => {
      const a = progOf(tx.state, prog).aux.st_ops_assoc;
      return a !== null && a !== 'POISON' && a.map === map;
    })();
    const ret = assoc(tx, prog, map, u.keepsMapRef ? by : null);
    if (ret !== 0 || !u.keepsMapRef) bpf_map_put_temp(tx, map, by);
    else if (wasSame) {
      tx.emit(
        {
          kind: 'refcnt',
          target: mapRef(map),
          field: 'refcnt',
          before: mapOf(tx.state, map).refcnt,
          after: mapOf(tx.state, map).refcnt,
          why: `${spec.id} keeps the syscall's map reference on success, but ${name} already held one for this association: this one has no owner and is never put.`,
        },
        (d) => {
          takeInflight(map, by)(d);
          d.refBugs = [...(d.refBugs ?? []), { kind: 'leaked', prog, map, by }];
        },
      );
    }
    bpf_prog_put_temp(tx, prog, by);
    return ret === 0
      ? ok(0)
      : fail(
          'EBUSY',
          `${name} is already associated with ${assocText(tx.state, progOf(tx.state, prog).aux.st_ops_assoc)}.`,
        );
  });
}

/**
 * A put on behalf of an association whose map is already freed (v5's stray put let the map
 * go): the kernel writes to freed memory. KASAN reports it; the state keeps its counts.
 */
function putFreedAssoc(tx: Tx, prog: number, map: number, fn: string): void {
  tx.in(fn, SYSCALL_C, () =>
    reportKasan(
      tx,
      'use-after-free',
      mapRef(map),
      'Write of size 8 (atomic64_dec_and_test(&map->refcnt))',
      `${progOf(tx.state, prog).name}'s association puts ${mapOf(tx.state, map).name}, but that reference was already dropped (v5's getter) and the map is freed: a double put.`,
    ),
  );
  tx.emit(
    {
      kind: 'assoc',
      target: progRef(prog),
      field: 'st_ops_assoc',
      before: mapOf(tx.state, map).name,
      after: 'NULL',
      why: 'st_ops_assoc is cleared; the put above touched freed memory.',
    },
    (d) => {
      dProg(d, prog).aux.st_ops_assoc = null;
      const bugs = d.refBugs ?? [];
      const i = bugs.findIndex((b) => b.kind === 'stolen' && b.map === map);
      if (i >= 0) bugs.splice(i, 1);
    },
  );
}

/** Program-free disassociation: v8's, except that a put on a freed map is reported. */
function disassocFor(spec: RevisionSpec) {
  return (tx: Tx, prog: number): void => {
    const cur = progOf(tx.state, prog).aux.st_ops_assoc;
    if (cur !== null && cur !== 'POISON' && mapOf(tx.state, cur.map).lifecycle === 'freed') {
      tx.in('bpf_prog_disassoc_struct_ops', STRUCT_OPS_C, () => {
        if (isStructOps(tx, prog)) {
          tx.emit(
            {
              kind: 'assoc',
              target: progRef(prog),
              field: 'st_ops_assoc',
              before: mapOf(tx.state, cur.map).name,
              after: 'NULL',
              why: 'The dangling association is cleared (a struct_ops program holds no reference).',
            },
            (d) => {
              dProg(d, prog).aux.st_ops_assoc = null;
            },
          );
        } else putFreedAssoc(tx, prog, cur.map, 'bpf_map_put');
      });
      return;
    }
    if (spec.disassocAlwaysNull && cur === 'POISON') {
      tx.in('bpf_prog_disassoc_struct_ops', STRUCT_OPS_C, () =>
        setAssoc(tx, prog, null, `${spec.id} writes NULL whatever the value was.`, null),
      );
      return;
    }
    disassocV8(tx, prog);
  };
}

/** `bpf_struct_ops_map_put_progs()` on v1..v3: disassociate each program before its put. */
function putProgsDisassocFor(spec: RevisionSpec) {
  return (tx: Tx, prog: number, map: number): void => {
    if (spec.disassocAt !== 'put_progs') return;
    tx.in('bpf_prog_disassoc_struct_ops', STRUCT_OPS_C, () => {
      const p = progOf(tx.state, prog);
      const cur = p.aux.st_ops_assoc;
      const mapName = mapOf(tx.state, map).name;
      if (cur === null) return;
      if (cur === 'POISON' && !spec.disassocAlwaysNull) {
        tx.emit({
          kind: 'check',
          target: progRef(prog),
          field: 'st_ops_assoc',
          before: 'BPF_PTR_POISON',
          after: 'BPF_PTR_POISON',
          why: `${p.name} is poisoned; disassociation leaves BPF_PTR_POISON in place (fixed in v3).`,
        });
        return;
      }
      const other = cur !== 'POISON' && cur.map !== map;
      if (other && !spec.disassocAlwaysNull) return;
      const freeing = mapOf(tx.state, map).lifecycle !== 'live';
      const armed = Object.values(tx.state.timers).some(
        (t) => t.prog === prog && t.armed && !t.freed,
      );
      setAssoc(
        tx,
        prog,
        null,
        `put_progs disassociates ${p.name} from ${mapName} (${spec.id} writes NULL${spec.disassocAlwaysNull ? ' whatever the value was' : ''}).`,
        null,
      );
      if (cur === 'POISON') {
        reportHazard(
          tx,
          'poison-cleared',
          prog,
          `BPF_PTR_POISON cleared: ${p.name} looks unassociated while it is still in another map`,
          `Freeing or resetting ${mapName} wrote NULL over the poison; ${p.name} can now be associated with a third map, and a kfunc will pick that one.`,
        );
      } else if (other) {
        reportHazard(
          tx,
          'assoc-cleared',
          prog,
          `st_ops_assoc cleared by the wrong map: ${p.name} loses its association with ${mapOf(tx.state, cur.map).name}`,
          `${mapName} reused ${p.name} without owning its association, yet put_progs wrote NULL; ${mapOf(tx.state, cur.map).name} is still alive.`,
        );
      } else if (freeing && armed) {
        reportHazard(
          tx,
          'dangling',
          prog,
          `dangling st_ops_assoc ahead: ${p.name} is disassociated after the grace period, right before ${mapName} is freed`,
          `A timer armed by ${p.name} can run its callback now; one that read st_ops_assoc just before this store uses ${mapName} after the free below, and no grace period separates the two.`,
        );
      }
    });
  };
}

/** The getter, per {@link RevisionSpec.getter}. Reads of a freed map are reported by KASAN. */
function getterFor(spec: RevisionSpec) {
  return (tx: Tx, prog: number): number | null => {
    const cur = progOf(tx.state, prog).aux.st_ops_assoc;
    if (cur !== null && cur !== 'POISON' && mapOf(tx.state, cur.map).lifecycle === 'freed') {
      return tx.in('bpf_prog_get_assoc_struct_ops', STRUCT_OPS_C, () => {
        reportKasan(
          tx,
          'use-after-free',
          mapRef(cur.map),
          'Read of size 4 (st_map->kvalue.common.state)',
          `${progOf(tx.state, prog).name}'s st_ops_assoc names ${mapOf(tx.state, cur.map).name}, which is freed.`,
        );
        return null;
      });
    }
    if (spec.getter === 'plain') return getAssocV8(tx, prog);
    const fn =
      spec.getter === 'direct'
        ? 'bpf_kfunc_multi_st_ops_test_1_prog_arg'
        : 'bpf_prog_get_assoc_struct_ops';
    return tx.in(fn, STRUCT_OPS_C, () => {
      const name = progOf(tx.state, prog).name;
      if (cur === null || cur === 'POISON') {
        tx.emit({
          kind: 'check',
          target: progRef(prog),
          field: 'st_ops_assoc',
          before: assocText(tx.state, cur),
          after: 'NULL',
          why: cur === null ? `${name} has no association: NULL.` : 'BPF_PTR_POISON reads as NULL.',
        });
        return null;
      }
      const map = cur.map;
      const m = mapOf(tx.state, map);
      if (spec.getter === 'direct') {
        tx.emit({
          kind: 'check',
          target: progRef(prog),
          field: 'st_ops_assoc',
          before: m.name,
          after: `&${m.name}->kvalue.data`,
          why: 'v1 has no getter: the kfunc reads aux->st_ops_assoc (the kdata) itself.',
        });
        return map;
      }
      const init = m.st?.state === 'INIT';
      if (spec.getter === 'inc-not-zero') {
        bpf_map_inc(
          tx,
          map,
          `v4's getter takes a reference with bpf_map_inc_not_zero() under rcu_read_lock(); the caller must bpf_struct_ops_put() it.`,
          (d) => {
            d.inflight.push({ target: mapRef(map), by: 'bpf_prog_get_assoc_struct_ops' });
          },
        );
        if (init) {
          bpf_map_put_temp(tx, map, 'bpf_prog_get_assoc_struct_ops');
          return null;
        }
        return map;
      }
      if (init) {
        tx.emit({
          kind: 'check',
          target: mapRef(map),
          field: 'state',
          before: 'INIT',
          after: 'NULL',
          why: `${m.name} is INIT (smp_load_acquire(state)): the getter returns NULL${spec.getter === 'init-check-stray-put' ? ', after a bpf_map_put() it never balanced' : ''}.`,
        });
        if (spec.getter === 'init-check-stray-put' && !isStructOps(tx, prog)) {
          bpf_map_put(
            tx,
            map,
            `v5's getter calls bpf_map_put() on its INIT path, a leftover from v4: it took no reference, so this one belongs to ${name}'s association.`,
            (d) => {
              d.refBugs = [
                ...(d.refBugs ?? []),
                { kind: 'stolen', prog, map, by: 'bpf_prog_get_assoc_struct_ops' },
              ];
            },
          );
        }
        return null;
      }
      tx.emit({
        kind: 'check',
        target: progRef(prog),
        field: 'st_ops_assoc',
        before: m.name,
        after: `&${m.name}->kvalue.data`,
        why: `${m.name} is ${m.st?.state ?? 'live'}: the getter returns its kdata.`,
      });
      return map;
    });
  };
}

/** Where and how the map update calls assoc. */
function assocInUpdateFor(spec: RevisionSpec, assoc: (tx: Tx, p: number, m: number) => number) {
  return (tx: Tx, prog: number, map: number, phase: 'before-link' | 'after-link'): void => {
    const at = spec.update === 'check-after-link' ? 'after-link' : 'before-link';
    if (phase !== at) return;
    const err = assoc(tx, prog, map);
    if (spec.update === 'ignore-before-link') return;
    tx.emit({
      kind: 'check',
      target: progRef(prog),
      field: 'err',
      before: String(err),
      after: String(err),
      why:
        spec.update === 'check-after-link'
          ? `v6 checks assoc's result after links[] owns ${progOf(tx.state, prog).name}: the error branch would bpf_prog_put() it a second time (put_progs puts the link too). Not taken: assoc never fails for a struct_ops program.`
          : `${spec.id} checks assoc's result ("if (err) { bpf_prog_put(prog); goto reset_unlock; }"); it is 0, as always for a struct_ops program.`,
    });
  };
}

function build(rev: Revision): AssocRevision {
  const spec = revisionSpec(rev);
  if (rev === 'v7' || rev === 'v8') return V8_ASSOC;
  const final = spec.assocRule === 'final';
  const assocAdopting = (tx: Tx, p: number, m: number, adopt: string | null) =>
    final ? assocV8(tx, p, m) : assocOld(spec, tx, p, m, adopt);
  const assoc = (tx: Tx, p: number, m: number) => assocAdopting(tx, p, m, null);
  return {
    prog_assoc_struct_ops:
      final && spec.uapi.lastField === 'prog_fd'
        ? syscallV8
        : (tx, attr) => syscallOld(spec, tx, attr, assocAdopting),
    bpf_prog_assoc_struct_ops: assoc,
    bpf_prog_disassoc_struct_ops: disassocFor(spec),
    bpf_prog_get_assoc_struct_ops: getterFor(spec),
    bpf_struct_ops_map_dissoc_progs:
      spec.disassocAt === 'map_free-before-gp' ? dissocProgsV8 : () => undefined,
    assocInUpdate: assocInUpdateFor(spec, assoc),
    putProgsDisassoc: putProgsDisassocFor(spec),
    bpf_struct_ops_put:
      spec.getter === 'inc-not-zero'
        ? (tx, map) =>
            tx.in('bpf_struct_ops_put', STRUCT_OPS_C, () =>
              bpf_map_put_temp(tx, map, 'bpf_prog_get_assoc_struct_ops'),
            )
        : () => undefined,
  };
}

const built = new Map<Revision, AssocRevision>();

/** The association code revision `rev` runs (built once per revision). */
export function assocFor(rev: Revision): AssocRevision {
  let a = built.get(rev);
  if (!a) {
    a = build(rev);
    built.set(rev, a);
  }
  return a;
}

/** The association code of the revision the simulated kernel runs (`tx.state.revision`). */
export function currentAssoc(tx: Tx): AssocRevision {
  return assocFor(tx.state.revision);
}
