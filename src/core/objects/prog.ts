/**
 * Program references and program free: `bpf_prog_get`, `bpf_prog_inc`, `bpf_prog_put`, and the
 * deferred free chain `__bpf_prog_put_noref` → call_rcu → `__bpf_prog_put_rcu` → schedule_work
 * → `bpf_prog_free_deferred` (kernel/bpf/syscall.c, kernel/bpf/core.c).
 */
import { KernelError } from '../errno';
import { CORE_C, SYSCALL_C } from '../files';
import { progRef } from '../names';
import type { Recipe, Tx } from '../tx';
import { dProg, progOf } from './access';
import { fdget } from './fd';
import { queueRcu, queueRcuTasksTrace, queueWork } from './deferral';
import { bpf_map_put } from './map';
import { progFreeHooks } from './ops';

/**
 * `bpf_prog_get(fd)` (syscall.c `__bpf_prog_get`): -EBADF when the fd is not open, -EINVAL
 * when it is not a program fd; otherwise takes a temporary reference held by `by`.
 */
export function bpf_prog_get(tx: Tx, fd: number, by: string): number | KernelError {
  return tx.in('bpf_prog_get', SYSCALL_C, () => {
    const entry = fdget(tx, fd);
    if (entry instanceof KernelError) return entry;
    if (entry.kind !== 'prog') {
      return new KernelError(
        'EINVAL',
        `fd ${fd} is a ${entry.kind}, not a program (f_op is not bpf_prog_fops)`,
      );
    }
    bpf_prog_inc(
      tx,
      entry.id,
      `${by} takes a temporary reference on the program behind fd ${fd}.`,
      (d) => {
        d.inflight.push({ target: progRef(entry.id), by });
      },
    );
    return entry.id;
  });
}

/** `bpf_prog_inc`: refcnt+1, with `holder` recording who now holds the new reference. */
export function bpf_prog_inc(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_prog_inc', SYSCALL_C, () => {
    const before = progOf(tx.state, id).refcnt;
    tx.emit(
      { kind: 'refcnt', target: progRef(id), field: 'refcnt', before, after: before + 1, why },
      (d) => {
        holder(d);
        dProg(d, id).refcnt++;
      },
    );
  });
}

/** Drops the temporary reference `by` took with {@link bpf_prog_get}. */
export function bpf_prog_put_temp(tx: Tx, id: number, by: string): void {
  bpf_prog_put(tx, id, `${by} drops its temporary reference.`, (d) => {
    const i = d.inflight.findIndex(
      (t) => t.target.kind === 'prog' && t.target.id === id && t.by === by,
    );
    if (i >= 0) d.inflight.splice(i, 1);
  });
}

/**
 * `bpf_prog_put`: refcnt-1 (with `holder` removing the holder). At zero, the program is
 * unpublished and its free is deferred: `__bpf_prog_put_noref` queues `__bpf_prog_put_rcu`
 * behind an RCU grace period (`call_rcu`), or, for a sleepable program (`prog->sleepable`,
 * e.g. every `SEC("syscall")` program), behind an RCU tasks-trace grace period
 * (`call_rcu_tasks_trace`), since such a program may sleep inside `rcu_read_lock_trace`.
 */
export function bpf_prog_put(tx: Tx, id: number, why: string, holder: Recipe): void {
  tx.in('bpf_prog_put', SYSCALL_C, () => {
    const before = progOf(tx.state, id).refcnt;
    const last = before === 1;
    tx.emit(
      {
        kind: 'refcnt',
        target: progRef(id),
        field: 'refcnt',
        before,
        after: before - 1,
        why: last ? `${why} That was the last reference: the program will be freed.` : why,
      },
      (d) => {
        holder(d);
        const p = dProg(d, id);
        p.refcnt--;
        if (last) p.lifecycle = 'freeing';
      },
    );
    if (last) {
      tx.in('__bpf_prog_put_noref', SYSCALL_C, () =>
        progOf(tx.state, id).sleepable
          ? queueRcuTasksTrace(
              tx,
              '__bpf_prog_put_rcu',
              progRef(id),
              'The program is sleepable: a run may still be asleep inside rcu_read_lock_trace, so its free waits for an RCU tasks-trace grace period (call_rcu_tasks_trace).',
            )
          : queueRcu(
              tx,
              '__bpf_prog_put_rcu',
              progRef(id),
              'Running programs may still use it, so its free waits for an RCU grace period (call_rcu).',
            ),
      );
    }
  });
}

/** `__bpf_prog_put_rcu` → `bpf_prog_free`: after the grace period, queue the free work. */
export function __bpf_prog_put_rcu(tx: Tx, id: number): void {
  tx.in('__bpf_prog_put_rcu', SYSCALL_C, () =>
    tx.in('bpf_prog_free', CORE_C, () =>
      queueWork(
        tx,
        'bpf_prog_free_deferred',
        progRef(id),
        'The grace period has passed; the rest of the free runs on a workqueue (schedule_work).',
      ),
    ),
  );
}

/**
 * `bpf_prog_free_deferred` (core.c): `bpf_free_used_maps`, `bpf_free_used_btfs`, then
 * `bpf_prog_disassoc_struct_ops` (the struct_ops layer registers it, objects/ops.ts), then the
 * program's memory is freed.
 */
export function bpf_prog_free_deferred(tx: Tx, id: number): void {
  tx.in('bpf_prog_free_deferred', CORE_C, () => {
    tx.in('bpf_free_used_maps', CORE_C, () => {
      const used = progOf(tx.state, id).aux.used_maps;
      for (const mapId of used) {
        bpf_map_put(tx, mapId, `The freed program drops its used_maps reference.`, (d) => {
          const u = dProg(d, id).aux.used_maps;
          const i = u.indexOf(mapId);
          if (i >= 0) u.splice(i, 1);
        });
      }
    });
    progFreeHooks().bpf_prog_disassoc_struct_ops(tx, id);
    tx.emit(
      {
        kind: 'free',
        target: progRef(id),
        field: 'lifecycle',
        before: 'freeing',
        after: 'freed',
        why: 'The program is gone (bpf_prog_free_deferred → bpf_jit_free).',
      },
      (d) => {
        dProg(d, id).lifecycle = 'freed';
      },
    );
  });
}
