/**
 * `bpf_timer` (kernel/bpf/helpers.c): `bpf_timer_init`, `bpf_timer_set_callback`,
 * `bpf_timer_start`, `bpf_timer_cancel_and_free`. A timer whose callback is set holds a
 * reference on `cb->prog`, the program that set it, until it is cancelled or freed
 * (element delete, map_release_uref, map free). Final series: no struct_ops map reference.
 */
import { HELPERS_C } from '../files';
import type { Tx } from '../tx';
import type { Ptr } from '../types';
import { dTimer, mapOf, timerOf } from './access';
import { bpf_prog_inc, bpf_prog_put } from './prog';

const EBUSY = -16;
const EINVAL = -22;
const EPERM = -1;

function timerKey(ptr: Extract<Ptr, { ptr: 'map_value' }>): string {
  return `${ptr.map}:${ptr.key}`;
}

/** Finds the timer living in the map value `ptr` points at (field `timer`). */
export function timerAt(tx: Tx, ptr: Ptr): number | null {
  if (ptr.ptr !== 'map_value') return null;
  const k = timerKey(ptr);
  const t = Object.values(tx.state.timers).find((x) => !x.freed && `${x.map}:${x.key}` === k);
  return t ? t.id : null;
}

/** `bpf_timer_init(timer, map, flags)`: allocates the `bpf_async_cb`; -EBUSY if already done. */
export function bpf_timer_init(tx: Tx, ptr: Ptr, mapId: number): number {
  return tx.in('bpf_timer_init', HELPERS_C, () => {
    // A timer pointer into another map is refused by the verifier (check_func_arg), not here.
    if (ptr.ptr !== 'map_value') return EINVAL;
    if (timerAt(tx, ptr) !== null) return EBUSY;
    if (mapOf(tx.state, mapId).usercnt === 0) return EPERM;
    const id = tx.state.ids.timer + 1;
    tx.emit(
      {
        kind: 'timer',
        target: { kind: 'timer', id },
        field: 'timer',
        before: null,
        after: 'initialized',
        why: 'bpf_timer_init allocates the timer in the map value; no program is tied to it yet.',
      },
      (d) => {
        d.ids.timer = id;
        d.timers[id] = {
          id,
          map: mapId,
          key: ptr.key,
          field: 'timer',
          prog: null,
          callback: null,
          armed: false,
          expires: 0,
          freed: false,
        };
      },
    );
    return 0;
  });
}

/**
 * `bpf_timer_set_callback(timer, cb)` (`__bpf_async_set_callback`): -EINVAL without
 * `bpf_timer_init`, -EPERM when the map's `usercnt` is 0; otherwise records the callback and
 * `cb->prog = prog`, taking a reference on the calling program (dropping the old one if
 * another program had set it).
 */
export function bpf_timer_set_callback(tx: Tx, ptr: Ptr, callback: string, prog: number): number {
  return tx.in('bpf_timer_set_callback', HELPERS_C, () => {
    const id = timerAt(tx, ptr);
    if (id === null) return EINVAL;
    const t = timerOf(tx.state, id);
    // __bpf_async_set_callback: "maps with timers must be either held by user space or
    // pinned in bpffs", else map_release_uref would never cancel the timer.
    if (mapOf(tx.state, t.map).usercnt === 0) {
      tx.emit({
        kind: 'check',
        target: { kind: 'timer', id },
        why: `${mapOf(tx.state, t.map).name} has no user reference left (usercnt 0): bpf_timer_set_callback refuses with -EPERM.`,
      });
      return EPERM;
    }
    if (t.prog !== prog) {
      if (t.prog !== null) {
        const old = t.prog;
        bpf_prog_put(
          tx,
          old,
          'The timer drops its reference on the program that set it before.',
          (d) => {
            dTimer(d, id).prog = null;
          },
        );
      }
      bpf_prog_inc(
        tx,
        prog,
        'The timer takes a reference on the program whose callback it will run (cb->prog).',
        (d) => {
          dTimer(d, id).prog = prog;
        },
      );
    }
    tx.emit(
      {
        kind: 'timer',
        target: { kind: 'timer', id },
        field: 'callback',
        before: t.callback,
        after: callback,
        why: `The callback ${callback} will run with the aux of the program that set it.`,
      },
      (d) => {
        dTimer(d, id).callback = callback;
      },
    );
    return 0;
  });
}

/** `bpf_timer_start(timer, nsecs, flags)`: arms the hrtimer to fire `nsecs` from now. */
export function bpf_timer_start(tx: Tx, ptr: Ptr, nsecs: number): number {
  return tx.in('bpf_timer_start', HELPERS_C, () => {
    const id = timerAt(tx, ptr);
    if (id === null) return EINVAL;
    const t = timerOf(tx.state, id);
    if (t.prog === null || t.callback === null) return EINVAL;
    const expires = tx.state.now + Math.max(0, nsecs);
    tx.emit(
      {
        kind: 'timer',
        target: { kind: 'timer', id },
        field: 'armed',
        before: t.armed ? `armed @${t.expires}ns` : 'idle',
        after: `armed @${expires}ns`,
        why: `The timer will fire ${nsecs} ns from now.`,
      },
      (d) => {
        const dt = dTimer(d, id);
        dt.armed = true;
        dt.expires = expires;
      },
    );
    return 0;
  });
}

/** `bpf_timer_cancel_and_free`: cancels the hrtimer, drops `cb->prog`, frees the callback. */
export function bpf_timer_cancel_and_free(tx: Tx, id: number, why: string): void {
  tx.in('bpf_timer_cancel_and_free', HELPERS_C, () => {
    const t = timerOf(tx.state, id);
    if (t.prog !== null) {
      bpf_prog_put(tx, t.prog, why, (d) => {
        const dt = dTimer(d, id);
        dt.prog = null;
        dt.armed = false;
      });
    }
    tx.emit(
      {
        kind: 'timer',
        target: { kind: 'timer', id },
        field: 'timer',
        before: 'initialized',
        after: 'freed',
        why,
      },
      (d) => {
        const dt = dTimer(d, id);
        dt.freed = true;
        dt.armed = false;
      },
    );
  });
}

/** `bpf_timer_cancel`: stops the hrtimer and drops `cb->prog` (drop_prog_refcnt); stays initialised. */
export function bpf_timer_cancel(tx: Tx, id: number): void {
  tx.in('bpf_timer_cancel', HELPERS_C, () => {
    const t = timerOf(tx.state, id);
    if (t.prog === null) return;
    bpf_prog_put(tx, t.prog, 'bpf_timer_cancel drops the reference cb->prog held.', (d) => {
      const dt = dTimer(d, id);
      dt.prog = null;
      dt.callback = null;
      dt.armed = false;
    });
  });
}
