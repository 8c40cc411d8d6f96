/**
 * `bpf_struct_ops_map_update_elem()` (kernel/bpf/bpf_struct_ops.c): fills a struct_ops map's
 * kdata from user space's value, takes the programs into `links[]`, associates each one
 * (implicitly, ignoring the result: "Poison pointer on error instead of return for backward
 * compatibility"), then either goes READY (BPF_F_LINK) or registers at once (legacy, INUSE).
 * A map is updated successfully at most once (-EBUSY afterwards).
 */
import { castDraft } from 'immer';
import { errnoName, fail, KernelError, ok, type SysResult } from '../errno';
import { STRUCT_OPS_C } from '../files';
import { mapRef } from '../names';
import { dMap, mapOf, must, progOf } from '../objects/access';
import { bpf_map_inc } from '../objects/map';
import { bpf_prog_get, bpf_prog_put_temp } from '../objects/prog';
import { findStructOps } from '../subsys/registry';
import type { StructOpsValue } from '../syscalls/attrs';
import type { Tx } from '../tx';
import type { Val } from '../types';
import { currentAssoc } from '../revisions/assocCode';
import { bpf_struct_ops_map_put_progs } from './putProgs';

export type { StructOpsValue } from '../syscalls/attrs';

const BY = 'bpf_struct_ops_map_update_elem';

export function bpf_struct_ops_map_update_elem(
  tx: Tx,
  map: number,
  key: number,
  value: StructOpsValue,
  flags: number,
): SysResult {
  return tx.in(BY, STRUCT_OPS_C, () => {
    const m = mapOf(tx.state, map);
    const st = must(m.st, 'struct_ops part');
    const type = findStructOps(st.st_ops);
    if (!type) throw new Error(`simulator bug: unknown struct_ops type ${st.st_ops}`);
    if (flags !== 0) return reject(tx, 'EINVAL', 'struct_ops map update takes no flags.');
    if (key !== 0) return reject(tx, 'E2BIG', 'A struct_ops map has one element, at key 0.');
    const unknown = Object.keys(value.data).filter(
      (k) => !type.members.some((mem) => mem.name === k),
    );
    if (unknown.length > 0)
      return reject(tx, 'EINVAL', `${st.st_ops} has no member ${unknown.join(', ')}.`);
    if ((value.common?.state ?? 0) !== 0 || (value.common?.refcnt ?? 0) !== 0) {
      return reject(tx, 'EINVAL', 'uvalue->common.state and .refcnt must be 0.');
    }
    if (st.state !== 'INIT') {
      return reject(
        tx,
        'EBUSY',
        `${m.name} is ${st.state}: a struct_ops map is updated successfully only once.`,
      );
    }
    tx.emit({
      kind: 'call',
      target: mapRef(map),
      why: `mutex_lock(&st_map->lock): ${m.name} is INIT, so its value is taken.`,
    });

    const funcs: Record<string, number | null> = {};
    const fields: Record<string, Val> = {};
    const uvalue: Record<string, Val> = {};
    let error: { errno: KernelError['errno']; reason: string } | null = null;

    type.members.forEach((member, index) => {
      if (error) return;
      const v = value.data[member.name];
      const claimed = type.init_member(member.name, v ?? 0);
      if (claimed < 0) {
        error = {
          errno: errnoName(claimed) ?? 'EINVAL',
          reason: `${type.name}'s init_member refused ${member.name}.`,
        };
        return;
      }
      if (member.kind === 'data') {
        if (claimed === 0 && !isZero(v)) {
          // "All non func ptr member must be 0": init_member did not take it.
          error = {
            errno: 'EINVAL',
            reason: `${member.name} is not a function pointer and ${type.name}'s init_member does not handle it: all non func ptr members must be 0.`,
          };
          return;
        }
        if (v !== undefined) {
          fields[member.name] = v;
          uvalue[member.name] = v;
        }
        return;
      }
      funcs[member.name] = null;
      if (v === undefined || v === 0 || v === null) return;
      if (typeof v !== 'number') {
        error = { errno: 'EINVAL', reason: `${member.name} must be a program fd.` };
        return;
      }
      const prog = bpf_prog_get(tx, v, BY);
      if (prog instanceof KernelError) {
        error = { errno: prog.errno, reason: `${member.name}: ${prog.reason}` };
        return;
      }
      const p = progOf(tx.state, prog);
      if (
        p.type !== 'BPF_PROG_TYPE_STRUCT_OPS' ||
        p.attach_btf_name !== st.st_ops ||
        p.expected_attach_type !== index
      ) {
        bpf_prog_put_temp(tx, prog, BY);
        error = {
          errno: 'EINVAL',
          reason:
            p.type !== 'BPF_PROG_TYPE_STRUCT_OPS'
              ? `${p.name} is not a struct_ops program, so it cannot fill ${member.name}.`
              : `${p.name} was loaded for ${String(p.attach_btf_name)} member ${String(p.expected_attach_type)}, not ${st.st_ops}.${member.name} (index ${index}).`,
        };
        return;
      }
      // "Poison pointer on error instead of return for backward compatibility": the result is ignored.
      currentAssoc(tx).assocInUpdate(tx, prog, map, 'before-link');
      const slot = mapOf(tx.state, map).st?.links.length ?? 0;
      tx.emit(
        {
          kind: 'slot',
          target: mapRef(map),
          field: `links[${slot}]`,
          before: 'NULL',
          after: p.name,
          why: `A trampoline link for ${member.name} now owns the reference bpf_prog_get took on ${p.name}.`,
        },
        (d) => {
          const i = d.inflight.findIndex(
            (t) => t.target.kind === 'prog' && t.target.id === prog && t.by === BY,
          );
          if (i >= 0) d.inflight.splice(i, 1);
          must(dMap(d, map).st, 'st').links.push(prog);
        },
      );
      currentAssoc(tx).assocInUpdate(tx, prog, map, 'after-link');
      funcs[member.name] = prog;
      uvalue[member.name] = prog;
    });
    if (error) {
      const e: { errno: KernelError['errno']; reason: string } = error;
      reset_unlock(tx, map);
      return reject(tx, e.errno, e.reason);
    }

    tx.emit(
      {
        kind: 'value',
        target: mapRef(map),
        field: 'kvalue.data',
        before: 'zero',
        after: Object.entries(funcs)
          .filter(([, p]) => p !== null)
          .map(([k, p]) => `${k}=${progOf(tx.state, p ?? 0).name}`)
          .join(', '),
        why: "kdata now points at the programs' trampolines; uvalue shows their ids.",
      },
      (d) => {
        const dst = must(dMap(d, map).st, 'st');
        dst.kdata = castDraft({ funcs, fields, priv: null });
        dst.uvalue = castDraft(uvalue);
      },
    );

    if (m.map_flags.includes('BPF_F_LINK')) {
      tx.emit(
        {
          kind: 'state',
          target: mapRef(map),
          field: 'state',
          before: 'INIT',
          after: 'READY',
          why: 'A BPF_F_LINK map is registered later, by BPF_LINK_CREATE; for now it is READY.',
        },
        (d) => {
          must(dMap(d, map).st, 'st').state = 'READY';
        },
      );
      return ok(0);
    }
    const r = tx.in(`${type.name}.reg`, type.file, () => type.reg(tx, map, null));
    if (r.ret !== 0) {
      reset_unlock(tx, map);
      return rejectRaw(tx, r.ret, r.reason ?? `${type.name}.reg failed`);
    }
    bpf_map_inc(
      tx,
      map,
      'A registered legacy struct_ops map holds a reference on itself until BPF_MAP_DELETE_ELEM.',
      (d) => {
        must(dMap(d, map).st, 'st').state = 'INUSE';
      },
    );
    return ok(0);
  });
}

/**
 * The `reset_unlock` error path: put every trampoline link in `links[]` (their program puts
 * follow as work items) and zero the value, back to INIT. It does NOT undo associations made earlier in this update (kernel-semantics §2.5).
 */
function reset_unlock(tx: Tx, map: number): void {
  bpf_struct_ops_map_put_progs(tx, map, 'The update failed');
  const stale = Object.values(tx.state.progs).filter((p) => {
    const a = p.aux.st_ops_assoc;
    return a !== null && a !== 'POISON' && a.map === map && p.type === 'BPF_PROG_TYPE_STRUCT_OPS';
  });
  tx.emit(
    {
      kind: 'value',
      target: mapRef(map),
      field: 'kvalue',
      before: null,
      after: 'zero',
      why:
        stale.length > 0
          ? `The value is zeroed and the map is INIT again, but ${stale.map((p) => p.name).join(', ')} ${stale.length === 1 ? 'stays' : 'stay'} associated with it: the error path does not disassociate.`
          : 'The value is zeroed and the map is INIT again.',
    },
    (d) => {
      const st = must(dMap(d, map).st, 'st');
      st.kdata = { funcs: {}, fields: {}, priv: null };
      st.uvalue = {};
      st.state = 'INIT';
    },
  );
}

/** `memchr_inv(udata + moff, 0, msize) == NULL`: an absent, 0, NULL, empty or all-zero value. */
function isZero(v: Val | undefined): boolean {
  if (v === undefined || v === null || v === 0 || v === '') return true;
  return Array.isArray(v) && v.every((x) => x === 0);
}

function reject(tx: Tx, errno: KernelError['errno'], reason: string): SysResult {
  tx.emit({ kind: 'return', why: reason, after: `-${errno}` });
  return fail(errno, reason);
}

function rejectRaw(tx: Tx, ret: number, reason: string): SysResult {
  return reject(tx, errnoName(ret) ?? 'EINVAL', reason);
}
