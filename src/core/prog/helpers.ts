/**
 * The BPF helpers program bodies may call (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c):
 * map access, the current task and time, bpf_printk, and bpf_timer.
 */
import { castDraft } from 'immer';
import { HELPERS_C, TRACE_C } from '../files';
import { mapRef } from '../names';
import { dMap, mapOf } from '../objects/access';
import {
  bpf_timer_cancel,
  bpf_timer_cancel_and_free,
  bpf_timer_init,
  bpf_timer_set_callback,
  bpf_timer_start,
  timerAt,
} from '../objects/timer';
import type { Tx } from '../tx';
import type { BpfMap, Ptr, Val } from '../types';
import { helper, params, type Callable, type CallCtx } from './kfuncDef';
import { show, toNum } from './exec';
import { own } from '../own';

const ENOENT = -2;
const EINVAL = -22;
const EEXIST = -17;
const E2BIG = -7;

function asPtr(v: Val | undefined): Ptr | null {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v)
    ? (v as Ptr)
    : null;
}

function mapArg(v: Val | undefined): number | null {
  const p = asPtr(v);
  return p?.ptr === 'map' ? p.map : null;
}

function keyOf(v: Val | undefined): string {
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  const p = asPtr(v ?? null);
  return p?.ptr === 'stack' ? p.name : '0';
}

function lookup(ctx: CallCtx, mapId: number, key: string): Val {
  const m = mapOf(ctx.tx.state, mapId);
  if (m.type === 'BPF_MAP_TYPE_STRUCT_OPS') return null;
  if (m.type === 'BPF_MAP_TYPE_ARRAY') {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= m.max_entries) return null;
    return { ptr: 'map_value', map: mapId, key: String(i) };
  }
  return own(m.entries, key) ? { ptr: 'map_value', map: mapId, key } : null;
}

/** `map->ops->map_update_elem` flag and capacity checks: 0 or a negative errno. */
export function checkUpdate(m: BpfMap, key: string, flags: number): number {
  const exists = own(m.entries, key) !== undefined;
  if (m.type === 'BPF_MAP_TYPE_ARRAY') {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= m.max_entries) return E2BIG;
    return flags === 1 ? EEXIST : 0;
  }
  if (flags === 1 && exists) return EEXIST;
  if (flags === 2 && !exists) return ENOENT;
  if (!exists && Object.keys(m.entries).length >= m.max_entries) return E2BIG;
  return 0;
}

/** Writes `fields` into map `mapId` at `key` (merging; special fields like timers stay). */
export function writeEntry(
  tx: Tx,
  mapId: number,
  key: string,
  fields: Readonly<Record<string, Val>>,
  why: string,
): void {
  const m = mapOf(tx.state, mapId);
  const cur = own(m.entries, key);
  tx.emit(
    {
      kind: 'value',
      target: mapRef(mapId),
      field: `${m.name}[${key}]`,
      before: cur
        ? Object.entries(cur)
            .map(([k, v]) => `${k}=${show(v)}`)
            .join(' ')
        : null,
      after: Object.entries(fields)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(' '),
      why,
    },
    (d) => {
      const dm = dMap(d, mapId);
      dm.entries[key] = castDraft({ ...(own(dm.entries, key) ?? {}), ...fields });
    },
  );
}

export const helpers: readonly Callable[] = [
  helper(
    'bpf_map_lookup_elem',
    HELPERS_C,
    params({ map: 'map', key: 'any' }),
    'A pointer to the value stored under key, or NULL.',
    (ctx, [map, key]) => {
      const id = mapArg(map);
      return id === null ? null : lookup(ctx, id, keyOf(key));
    },
  ),
  helper(
    'bpf_map_update_elem',
    HELPERS_C,
    params({ map: 'map', key: 'any', value: 'any', flags: 'scalar' }),
    'Stores value under key (BPF_ANY, BPF_NOEXIST, BPF_EXIST).',
    (ctx, [map, key, value, flags]) => {
      const id = mapArg(map);
      if (id === null || mapOf(ctx.tx.state, id).type === 'BPF_MAP_TYPE_STRUCT_OPS') return EINVAL;
      const k = keyOf(key);
      const m = mapOf(ctx.tx.state, id);
      const err = checkUpdate(m, k, toNum(flags ?? 0));
      if (err < 0) return err;
      // Scalar values (u64 timestamps and the like) live in the field `value`.
      writeEntry(
        ctx.tx,
        id,
        k,
        { value: value ?? 0 },
        `The program stores ${show(value ?? 0)} in ${m.name}[${k}].`,
      );
      return 0;
    },
  ),
  helper(
    'bpf_map_delete_elem',
    HELPERS_C,
    params({ map: 'map', key: 'any' }),
    'Removes the entry under key (hash maps; arrays cannot delete).',
    (ctx, [map, key]) => {
      const id = mapArg(map);
      if (id === null) return EINVAL;
      const m = mapOf(ctx.tx.state, id);
      if (m.type !== 'BPF_MAP_TYPE_HASH') return EINVAL;
      const k = keyOf(key);
      if (!own(m.entries, k)) return ENOENT;
      for (const t of Object.values(ctx.tx.state.timers)) {
        if (t.map === id && t.key === k && !t.freed)
          bpf_timer_cancel_and_free(ctx.tx, t.id, 'Its map element is deleted.');
      }
      ctx.tx.emit(
        {
          kind: 'value',
          target: mapRef(id),
          field: `[${k}]`,
          before: 'present',
          after: null,
          why: `The program deletes ${m.name}[${k}].`,
        },
        (d) => {
          delete dMap(d, id).entries[k];
        },
      );
      return 0;
    },
  ),
  helper(
    'bpf_get_current_pid_tgid',
    HELPERS_C,
    params({}),
    'tgid << 32 | pid of the current task.',
    (ctx) => (ctx.task ? ctx.task.tgid * 2 ** 32 + ctx.task.tid : 0),
  ),
  helper(
    'bpf_ktime_get_ns',
    HELPERS_C,
    params({}),
    'CLOCK_MONOTONIC, in ns.',
    (ctx) => ctx.tx.state.now,
  ),
  helper(
    'bpf_printk',
    TRACE_C,
    params({ fmt: 'str' }),
    'Writes a line to the trace pipe (shown with the kernel log here).',
    (ctx, [fmt, ...rest]) => {
      let i = 0;
      const line = String(fmt ?? '').replace(/%(ll|l)?[dus]/g, () => show(rest[i++] ?? 0));
      ctx.tx.emit(
        { kind: 'warn', field: 'trace_pipe', after: line, why: `bpf_printk: ${line}` },
        (d) => {
          d.dmesg.push({ at: d.now, msg: line });
        },
      );
      return 0;
    },
  ),
  helper(
    'bpf_timer_init',
    HELPERS_C,
    params({ timer: 'map_value', map: 'map', flags: 'scalar' }),
    'Initialises the bpf_timer in a map value.',
    (ctx, [t, map]) => {
      const p = asPtr(t ?? null);
      const id = mapArg(map);
      return p && id !== null ? bpf_timer_init(ctx.tx, p, id) : EINVAL;
    },
  ),
  helper(
    'bpf_timer_set_callback',
    HELPERS_C,
    params({ timer: 'map_value', callback_fn: 'callback' }),
    'Sets the callback; the timer takes a reference on the calling program.',
    (ctx, [t, cb]) => {
      const p = asPtr(t ?? null);
      return p && typeof cb === 'string' ? bpf_timer_set_callback(ctx.tx, p, cb, ctx.prog) : EINVAL;
    },
  ),
  helper(
    'bpf_timer_start',
    HELPERS_C,
    params({ timer: 'map_value', nsecs: 'scalar', flags: 'scalar' }),
    'Arms the timer nsecs from now.',
    (ctx, [t, ns]) => {
      const p = asPtr(t ?? null);
      return p ? bpf_timer_start(ctx.tx, p, toNum(ns ?? 0)) : EINVAL;
    },
  ),
  helper(
    'bpf_timer_cancel',
    HELPERS_C,
    params({ timer: 'map_value' }),
    'Cancels the timer and drops its program reference.',
    (ctx, [t]) => {
      const p = asPtr(t ?? null);
      const id = p ? timerAt(ctx.tx, p) : null;
      if (id === null) return EINVAL;
      bpf_timer_cancel(ctx.tx, id);
      return 0;
    },
  ),
];
