/**
 * struct_ops map delete and lookup (kernel/bpf/bpf_struct_ops.c): the legacy unregistration
 * path and what `BPF_MAP_LOOKUP_ELEM` shows user space, and `bpf_struct_ops_map_ops`, the
 * map type's `struct bpf_map_ops` as far as the object layer calls it.
 */
import { fail, ok, type SysResult } from '../errno';
import { STRUCT_OPS_C } from '../files';
import { mapRef } from '../names';
import { dMap, mapOf, must } from '../objects/access';
import { bpf_map_put } from '../objects/map';
import type { BpfMapOps } from '../objects/ops';
import { findStructOps } from '../subsys/registry';
import type { Tx } from '../tx';
import { bpf_struct_ops_map_free } from './mapFree';

const STATE_NUM = { INIT: 0, INUSE: 1, TOBEFREE: 2, READY: 3 } as const;

/**
 * `bpf_struct_ops_map_delete_elem`: -EOPNOTSUPP for BPF_F_LINK maps; otherwise
 * cmpxchg(state, INUSE → TOBEFREE): unreg and drop the registration's reference;
 * TOBEFREE gives -EINPROGRESS and INIT gives -ENOENT.
 */
export function bpf_struct_ops_map_delete_elem(tx: Tx, map: number): SysResult {
  return tx.in('bpf_struct_ops_map_delete_elem', STRUCT_OPS_C, () => {
    const m = mapOf(tx.state, map);
    const st = must(m.st, 'st');
    if (m.map_flags.includes('BPF_F_LINK')) {
      return reason(
        tx,
        fail('EOPNOTSUPP', `${m.name} is a BPF_F_LINK map: detach its link instead.`),
      );
    }
    if (st.state === 'TOBEFREE')
      return reason(tx, fail('EINPROGRESS', `${m.name} is already being unregistered (TOBEFREE).`));
    if (st.state !== 'INUSE')
      return reason(tx, fail('ENOENT', `${m.name} is ${st.state}: nothing is registered.`));
    tx.emit(
      {
        kind: 'state',
        target: mapRef(map),
        field: 'state',
        before: 'INUSE',
        after: 'TOBEFREE',
        why: 'cmpxchg(INUSE → TOBEFREE): this call unregisters the map; TOBEFREE is terminal.',
      },
      (d) => {
        must(dMap(d, map).st, 'st').state = 'TOBEFREE';
        // The registration's reference is about to be dropped; park it so counts stay exact.
        d.inflight.push({ target: mapRef(map), by: 'bpf_struct_ops_map_delete_elem' });
      },
    );
    const type = findStructOps(st.st_ops);
    if (type) tx.in(`${type.name}.unreg`, type.file, () => type.unreg(tx, map, null));
    bpf_map_put(tx, map, 'The registration drops its reference on the map.', (d) => {
      const i = d.inflight.findIndex(
        (t) =>
          t.target.kind === 'map' &&
          t.target.id === map &&
          t.by === 'bpf_struct_ops_map_delete_elem',
      );
      if (i >= 0) d.inflight.splice(i, 1);
    });
    return ok(0);
  });
}

/**
 * `bpf_struct_ops_map_sys_lookup_elem`: the uvalue with `common.state` and
 * `common.refcnt = max(refcnt - usercnt, 0)`; all zero while INIT.
 */
export function bpf_struct_ops_map_sys_lookup_elem(tx: Tx, map: number): SysResult {
  return tx.in('bpf_struct_ops_map_sys_lookup_elem', STRUCT_OPS_C, () => {
    const m = mapOf(tx.state, map);
    const st = must(m.st, 'st');
    if (st.state === 'INIT') return ok(0, { value: { common: { refcnt: 0, state: 0 }, data: {} } });
    return ok(0, {
      value: {
        common: { refcnt: Math.max(m.refcnt - m.usercnt, 0), state: STATE_NUM[st.state] },
        data: { ...st.uvalue },
      },
    });
  });
}

function reason(tx: Tx, r: SysResult): SysResult {
  tx.emit({ kind: 'return', why: r.reason ?? '', after: r.errno ? `-${r.errno}` : String(r.ret) });
  return r;
}

/**
 * `bpf_struct_ops_map_ops` (bpf_struct_ops.c): the `struct bpf_map_ops` of
 * BPF_MAP_TYPE_STRUCT_OPS. No `map_release_uref`; `map_free` is `bpf_struct_ops_map_free`.
 */
export const bpf_struct_ops_map_ops: BpfMapOps = {
  map_free: bpf_struct_ops_map_free,
};
