/**
 * Deferred work as state: `call_rcu` callbacks wait for a grace period, `call_rcu_tasks_trace`
 * callbacks wait for an RCU tasks-trace grace period (every sleepable BPF program's
 * `rcu_read_lock_trace` section), `schedule_work` / `queue_work` items wait for a worker.
 * Nothing here runs them; `deferred.ts` does, when the simulated clock moves or a drain is
 * asked for.
 *
 * Model choices [inferred]: an RCU callback becomes runnable one grace period
 * (`state.rcuGracePeriodNs`, or `state.rcuTasksTraceGracePeriodNs` for tasks-trace) after it
 * was queued; a work item becomes runnable at once and runs the next time the clock moves or
 * work is drained. Order is queue order within a due time.
 */
import { RCU_C, RCU_TASKS_H, WORKQUEUE_C } from '../files';
import { nameOf } from '../names';
import type { Recipe, Tx } from '../tx';
import type { ObjRef, PendingKind } from '../types';

const QUEUED_BY: Readonly<Record<PendingKind, readonly [string, string]>> = {
  rcu: ['call_rcu', RCU_C],
  rcu_tasks_trace: ['call_rcu_tasks_trace', RCU_TASKS_H],
  work: ['queue_work', WORKQUEUE_C],
};

/** What kind of deferred item `kind` is, in words ("rcu callback", "work item"). */
export function pendingField(kind: PendingKind): string {
  return kind === 'work'
    ? 'work item'
    : kind === 'rcu'
      ? 'rcu callback'
      : 'rcu tasks-trace callback';
}

/** A counted reference the queued item takes over, with the recipe that drops it elsewhere. */
export interface Carried {
  readonly ref: ObjRef;
  readonly from: Recipe;
}

function queue(
  tx: Tx,
  kind: PendingKind,
  fn: string,
  target: ObjRef,
  why: string,
  carried: Carried | null = null,
): void {
  const now = tx.state.now;
  const dueAt =
    kind === 'rcu'
      ? now + tx.state.rcuGracePeriodNs
      : kind === 'rcu_tasks_trace'
        ? now + tx.state.rcuTasksTraceGracePeriodNs
        : now;
  const id = tx.state.ids.pending + 1;
  const [by, file] = QUEUED_BY[kind];
  tx.in(by, file, () =>
    tx.emit(
      {
        kind: 'defer',
        target,
        field: pendingField(kind),
        before: null,
        after: `${fn}(${nameOf(tx.state, target)})`,
        why,
      },
      (d) => {
        carried?.from(d);
        d.ids.pending = id;
        d.pending.push({
          id,
          kind,
          fn,
          target,
          queuedAt: now,
          dueAt,
          holds: carried?.ref ?? null,
        });
      },
    ),
  );
}

export function queueRcu(tx: Tx, fn: string, target: ObjRef, why: string): void {
  queue(tx, 'rcu', fn, target, why);
}

/** `call_rcu_tasks_trace`: runs `fn` after an RCU tasks-trace grace period. */
export function queueRcuTasksTrace(tx: Tx, fn: string, target: ObjRef, why: string): void {
  queue(tx, 'rcu_tasks_trace', fn, target, why);
}

/** `schedule_work`: runs `fn` from a kworker; `carried` moves a counted reference onto the item. */
export function queueWork(
  tx: Tx,
  fn: string,
  target: ObjRef,
  why: string,
  carried: Carried | null = null,
): void {
  queue(tx, 'work', fn, target, why, carried);
}
