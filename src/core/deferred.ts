/**
 * The passage of time: RCU grace periods ending, workqueue items running, hrtimers firing.
 * Each runs the kernel function it was queued with, in due-time order (queue order on ties);
 * the simulated clock jumps to each due time.
 */
import { castDraft } from 'immer';
import { findCallable } from './callables';
import { HELPERS_C, RCU_C, RCU_TASKS_H, WORKQUEUE_C } from './files';
import { nameOf } from './names';
import { formatNs } from './time';
import { dTimer, timerOf } from './objects/access';
import { pendingField } from './objects/deferral';
import { bpf_link_dealloc, bpf_link_put_deferred } from './objects/link';
import { bpf_map_free_deferred } from './objects/map';
import { __bpf_prog_put_rcu, bpf_prog_free_deferred } from './objects/prog';
import { runProgram } from './prog/exec';
import { __bpf_struct_ops_map_free } from './structops/mapFree';
import type { EventSpec, Tx } from './tx';
import type { Pending, Timer } from './types';

type Due = {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
  readonly label: string;
};

const HANDLERS: Readonly<Record<string, (tx: Tx, id: number) => void>> = {
  __bpf_prog_put_rcu: (tx, id) => __bpf_prog_put_rcu(tx, id),
  bpf_prog_free_deferred: (tx, id) => bpf_prog_free_deferred(tx, id),
  bpf_map_free_deferred: (tx, id) => bpf_map_free_deferred(tx, id),
  __bpf_struct_ops_map_free: (tx, id) => __bpf_struct_ops_map_free(tx, id),
  bpf_link_defer_dealloc_rcu_gp: (tx, id) => bpf_link_dealloc(tx, id),
  bpf_link_put_deferred: (tx, id) => bpf_link_put_deferred(tx, id),
};

const RUN_BY: Readonly<Record<Pending['kind'], readonly [string, string]>> = {
  rcu: ['rcu_do_batch', RCU_C],
  rcu_tasks_trace: ['rcu_tasks_invoke_cbs', RCU_TASKS_H],
  work: ['process_one_work', WORKQUEUE_C],
};

function runPending(tx: Tx, p: Pending): void {
  const handler = HANDLERS[p.fn];
  if (!handler) throw new Error(`simulator bug: no handler for deferred ${p.fn}`);
  const [fn, file] = RUN_BY[p.kind];
  tx.in(fn, file, () => {
    const spec: EventSpec = {
      kind: 'defer',
      target: p.target,
      field: pendingField(p.kind),
      before: `${p.fn}(${nameOf(tx.state, p.target)})`,
      after: 'running',
      why:
        p.kind === 'rcu'
          ? `A grace period has elapsed: ${p.fn} runs.`
          : p.kind === 'rcu_tasks_trace'
            ? `An RCU tasks-trace grace period has elapsed (no sleepable program is still inside rcu_read_lock_trace): ${p.fn} runs.`
            : `A kworker picks up ${p.fn}.`,
    };
    // The queue filtered from the state itself (frozen items): no draft of every queued item.
    const rest = () => tx.state.pending.filter((x) => x.id !== p.id);
    const holds = p.holds;
    if (!holds) tx.emitUpdate(spec, ['pending'], rest);
    else
      tx.emit(spec, (d) => {
        d.pending = castDraft(rest());
        // The reference the item carried is now the running function's until it drops it.
        d.inflight.push({ target: holds, by: p.fn });
      });
    handler(tx, p.target.id);
  });
}

/** `bpf_timer_cb`: the hrtimer fires; the callback runs with `cb->prog`'s aux. */
function fireTimer(tx: Tx, id: number): void {
  tx.in('bpf_timer_cb', HELPERS_C, () => {
    const t = timerOf(tx.state, id);
    tx.emit(
      {
        kind: 'timer',
        target: { kind: 'timer', id },
        field: 'armed',
        before: `armed @${t.expires}ns`,
        after: 'fired',
        why: `The timer fires in softirq context (an RCU read-side section) and calls ${String(t.callback)}.`,
      },
      (d) => {
        dTimer(d, id).armed = false;
      },
    );
    if (t.prog !== null && t.callback !== null) {
      runProgram(tx, findCallable, t.prog, null, t.callback, t.prog);
    }
  });
}

/**
 * The first thing due: the earliest pending item or armed timer, queue order (pending id,
 * timers after every pending item, by id) on ties. One pass, no sorting.
 */
function nextDue(tx: Tx, includeTimers: boolean): Due | null {
  let best: Pending | null = null;
  for (const p of tx.state.pending) {
    if (!best || p.dueAt < best.dueAt || (p.dueAt === best.dueAt && p.id < best.id)) best = p;
  }
  let timer: Timer | null = null;
  if (includeTimers) {
    const timers = tx.state.timers;
    for (const k in timers) {
      const t = timers[k as unknown as number] as Timer;
      if (!t.armed || t.freed) continue;
      if (!timer || t.expires < timer.expires || (t.expires === timer.expires && t.id < timer.id))
        timer = t;
    }
  }
  // A timer wins only when strictly earlier: on a tie, pending items come first.
  if (timer && (!best || timer.expires < best.dueAt)) {
    const id = timer.id;
    return {
      at: timer.expires,
      order: 1e12 + id,
      run: () => fireTimer(tx, id),
      label: 'bpf_timer_cb',
    };
  }
  if (!best) return null;
  const p = best;
  return { at: p.dueAt, order: p.id, run: () => runPending(tx, p), label: p.fn };
}

function setClock(tx: Tx, at: number): void {
  if (at <= tx.state.now) return;
  const before = tx.state.now;
  tx.emitUpdate(
    {
      kind: 'clock',
      field: 'now',
      before: `${before}ns`,
      after: `${at}ns`,
      why: `Time passes: ${formatNs(at - before)}.`,
    },
    ['now'],
    () => at,
  );
}

const MAX_ITEMS = 10_000;

/** Advances the clock by `ns`, running everything that comes due on the way, in order. */
export function advanceClock(tx: Tx, ns: number): number {
  const target = tx.state.now + Math.max(0, ns);
  let n = 0;
  for (;;) {
    const due = nextDue(tx, true);
    if (!due || due.at > target || ++n > MAX_ITEMS) break;
    setClock(tx, due.at);
    due.run();
  }
  setClock(tx, target);
  return n;
}

/** Runs every pending RCU callback and work item (and timers that fall due meanwhile). */
export function drainDeferred(tx: Tx): number {
  let n = 0;
  while (tx.state.pending.length > 0 && ++n <= MAX_ITEMS) {
    const due = nextDue(tx, true);
    if (!due) break;
    setClock(tx, due.at);
    due.run();
  }
  return n;
}

/** Runs until nothing is left to happen on its own: no deferred work and no armed timer. */
export function settle(tx: Tx): number {
  let n = 0;
  for (;;) {
    const due = nextDue(tx, true);
    if (!due || ++n > MAX_ITEMS) break;
    setClock(tx, due.at);
    due.run();
  }
  return n;
}

/**
 * Exactly one grace period of `flavor`: the clock moves forward by one grace period
 * (`rcuGracePeriodNs` or `rcuTasksTraceGracePeriodNs`), every callback of that flavor queued
 * before now runs (each at its due time), and timers that fall due on the way fire. Work items,
 * callbacks of the other flavor and callbacks queued meanwhile keep waiting. Returns how many
 * callbacks ran.
 */
export function gracePeriod(tx: Tx, flavor: 'rcu' | 'rcu_tasks_trace'): number {
  const start = tx.state.now;
  const target =
    start + (flavor === 'rcu' ? tx.state.rcuGracePeriodNs : tx.state.rcuTasksTraceGracePeriodNs);
  const waiting = new Set(
    tx.state.pending.filter((p) => p.kind === flavor && p.queuedAt <= start).map((p) => p.id),
  );
  let n = 0;
  for (let guard = 0; guard < MAX_ITEMS; guard++) {
    const cands: Due[] = tx.state.pending
      .filter((p) => waiting.has(p.id))
      .map((p) => ({ at: p.dueAt, order: p.id, run: () => runPending(tx, p), label: p.fn }));
    for (const t of Object.values(tx.state.timers)) {
      if (t.armed && !t.freed && t.expires <= target)
        cands.push({
          at: t.expires,
          order: 1e12 + t.id,
          run: () => fireTimer(tx, t.id),
          label: 'bpf_timer_cb',
        });
    }
    cands.sort((a, b) => a.at - b.at || a.order - b.order);
    const due = cands[0];
    if (!due) break;
    setClock(tx, Math.min(due.at, target));
    if (due.label !== 'bpf_timer_cb') n++;
    due.run();
  }
  setClock(tx, target);
  return n;
}

/** Runs exactly one queued work item (the oldest); false when none is queued. */
export function runOneWorkItem(tx: Tx): boolean {
  const item = [...tx.state.pending]
    .filter((p) => p.kind === 'work')
    .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
  if (!item) return false;
  setClock(tx, item.dueAt);
  runPending(tx, item);
  return true;
}
