/**
 * `bpf_struct_ops_map_put_progs()` (kernel/bpf/bpf_struct_ops.c): for each `links[i]`,
 * `bpf_link_put()` and `links[i] = NULL`. The put drops the trampoline link's only reference,
 * so `bpf_link_put` queues `bpf_link_put_deferred` on the system workqueue; the program
 * reference the link owns is dropped only when that work item runs (objects/link.ts), after
 * the caller has gone on (in `__bpf_struct_ops_map_free`, after the map's memory is freed).
 */
import { STRUCT_OPS_C, SYSCALL_C } from '../files';
import { progRef } from '../names';
import { dMap, mapOf, must, progOf } from '../objects/access';
import { queueWork } from '../objects/deferral';
import type { Tx } from '../tx';
import { currentAssoc } from '../revisions/assocCode';

export function bpf_struct_ops_map_put_progs(tx: Tx, map: number, because: string): void {
  tx.in('bpf_struct_ops_map_put_progs', STRUCT_OPS_C, () => {
    const links = mapOf(tx.state, map).st?.links ?? [];
    links.forEach((prog, i) => {
      // v1..v3 disassociate each program here, before its put; later revisions do nothing.
      currentAssoc(tx).putProgsDisassoc(tx, prog, map);
      tx.in('bpf_link_put', SYSCALL_C, () =>
        queueWork(
          tx,
          'bpf_link_put_deferred',
          progRef(prog),
          `${because}: links[${i}] is put. It was the trampoline link's last reference, so bpf_link_put schedules its free on a workqueue; the link's reference on ${progOf(tx.state, prog).name} goes with the work item.`,
          {
            ref: progRef(prog),
            from: (d) => {
              const st = must(dMap(d, map).st, 'st');
              st.links = st.links.filter((p) => p !== prog);
            },
          },
        ),
      );
    });
  });
}
