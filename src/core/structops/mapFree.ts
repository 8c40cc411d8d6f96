/**
 * `bpf_struct_ops_map_free()` (kernel/bpf/bpf_struct_ops.c), run from the map-free work item:
 * module_put, **dissoc_progs** (struct_ops programs' `st_ops_assoc` → NULL; POISON kept), then
 * `synchronize_rcu_mult(call_rcu, call_rcu_tasks)`, then `__bpf_struct_ops_map_free`, whose
 * `put_progs` puts every `links[]` trampoline link (each link's free, and so its program put,
 * is a work item of its own), and the memory is freed.
 *
 * The wait is modelled as an RCU callback that resumes the free after the grace period.
 */
import { RCUPDATE_WAIT_H, STRUCT_OPS_C } from '../files';
import { mapRef } from '../names';
import { queueRcu } from '../objects/deferral';
import { markMapFreed } from '../objects/map';
import type { Tx } from '../tx';
import { currentAssoc } from '../revisions/assocCode';
import { bpf_struct_ops_map_put_progs } from './putProgs';

export function bpf_struct_ops_map_free(tx: Tx, map: number): void {
  tx.in('bpf_struct_ops_map_free', STRUCT_OPS_C, () => {
    currentAssoc(tx).bpf_struct_ops_map_dissoc_progs(tx, map);
    tx.in('synchronize_rcu_mult', RCUPDATE_WAIT_H, () =>
      queueRcu(
        tx,
        '__bpf_struct_ops_map_free',
        mapRef(map),
        'The free waits for an RCU grace period (and an RCU-tasks one): a kfunc or timer callback that read the association before it was cleared finishes first.',
      ),
    );
  });
}

/** `__bpf_struct_ops_map_free`: put_progs, then the map's memory is freed. */
export function __bpf_struct_ops_map_free(tx: Tx, map: number): void {
  tx.in('__bpf_struct_ops_map_free', STRUCT_OPS_C, () => {
    bpf_struct_ops_map_put_progs(tx, map, 'The map is being freed');
    markMapFreed(
      tx,
      map,
      'The struct_ops map is freed (ksyms, trampoline images, uvalue, st_map).',
    );
  });
}
