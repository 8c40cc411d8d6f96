/**
 * The passage of time: RCU grace periods ending, workqueue items running, hrtimers firing.
 * Each runs the kernel function it was queued with, in due-time order (queue order on ties);
 * the simulated clock jumps to each due time.
 */
import { HELPERS_C, RCU_C, WORKQUEUE_C } from './files';
import { nameOf } from './names';
import { dTimer, timerOf } from './objects/access';
import { bpf_link_dealloc } from './objects/link';
import { bpf_map_free_deferred } from './objects/map';
import { __bpf_prog_put_rcu, bpf_prog_free_deferred } from './objects/prog';
import { runProgram } from './prog/exec';
import { __bpf_struct_ops_map_free } from './structops/mapFree';
import type { Tx } from './tx';
import type { Pending } from './types';

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
};

function runPending(tx: Tx, p: Pending): void {
  const handler = HANDLERS[p.fn];
  if (!handler) throw new Error(`simulator bug: no handler for deferred ${p.fn}`);
  const where = p.kind === 'rcu' ? ['rcu_do_batch', RCU_C] : ['process_one_work', WORKQUEUE_C];
  tx.in(where[0] ?? '', where[1] ?? '', () => {
    tx.emit(
      {
        kind: 'defer',
        target: p.target,
        field: p.kind === 'rcu' ? 'rcu callback' : 'work item',
        before: `${p.fn}(${nameOf(tx.state, p.target)})`,
        after: 'running',
        why:
          p.kind === 'rcu'
            ? `A grace period has elapsed: ${p.fn} runs.`
            : `A kworker picks up ${p.fn}.`,
      },
      (d) => {
        d.pending = d.pending.filter((x) => x.id !== p.id);
      },
    );
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
      runProgram(tx, t.prog, null, t.callback, t.prog);
    }
  });
}

function nextDue(tx: Tx, includeTimers: boolean): Due | null {
  const cands: Due[] = tx.state.pending.map((p) => ({
    at: p.dueAt,
    order: p.id,
    run: () => runPending(tx, p),
    label: p.fn,
  }));
  if (includeTimers) {
    for (const t of Object.values(tx.state.timers)) {
      if (t.armed && !t.freed)
        cands.push({
          at: t.expires,
          order: 1e12 + t.id,
          run: () => fireTimer(tx, t.id),
          label: 'bpf_timer_cb',
        });
    }
  }
  cands.sort((a, b) => a.at - b.at || a.order - b.order);
  return cands[0] ?? null;
}

function setClock(tx: Tx, at: number): void {
  if (at <= tx.state.now) return;
  const before = tx.state.now;
  tx.emit(
    {
      kind: 'clock',
      field: 'now',
      before: `${before}ns`,
      after: `${at}ns`,
      why: `Time passes: ${formatNs(at - before)}.`,
    },
    (d) => {
      d.now = at;
    },
  );
}

export function formatNs(ns: number): string {
  if (ns >= 1e9 && ns % 1e6 === 0) return `${ns / 1e9} s`;
  if (ns >= 1e6) return `${ns / 1e6} ms`;
  if (ns >= 1e3) return `${ns / 1e3} µs`;
  return `${ns} ns`;
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
