/**
 * Deferred work as state: `call_rcu` callbacks wait for a grace period, `schedule_work` /
 * `queue_work` items wait for a worker. Nothing here runs them; `deferred.ts` does, when the
 * simulated clock moves or a drain is asked for.
 *
 * Model choices [inferred]: an RCU callback becomes runnable one grace period
 * (`state.rcuGracePeriodNs`) after it was queued; a work item becomes runnable at once and
 * runs the next time the clock moves or work is drained. Order is queue order within a due time.
 */
import { RCU_C, WORKQUEUE_C } from '../files';
import { nameOf } from '../names';
import type { Tx } from '../tx';
import type { ObjRef, PendingKind } from '../types';

function queue(tx: Tx, kind: PendingKind, fn: string, target: ObjRef, why: string): void {
  const now = tx.state.now;
  const dueAt = kind === 'rcu' ? now + tx.state.rcuGracePeriodNs : now;
  const id = tx.state.ids.pending + 1;
  tx.in(kind === 'rcu' ? 'call_rcu' : 'queue_work', kind === 'rcu' ? RCU_C : WORKQUEUE_C, () =>
    tx.emit(
      {
        kind: 'defer',
        target,
        field: kind === 'rcu' ? 'rcu callback' : 'work item',
        before: null,
        after: `${fn}(${nameOf(tx.state, target)})`,
        why,
      },
      (d) => {
        d.ids.pending = id;
        d.pending.push({ id, kind, fn, target, queuedAt: now, dueAt });
      },
    ),
  );
}

export function queueRcu(tx: Tx, fn: string, target: ObjRef, why: string): void {
  queue(tx, 'rcu', fn, target, why);
}

export function queueWork(tx: Tx, fn: string, target: ObjRef, why: string): void {
  queue(tx, 'work', fn, target, why);
}
