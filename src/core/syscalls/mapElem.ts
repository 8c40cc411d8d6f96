/**
 * `BPF_MAP_UPDATE_ELEM`, `BPF_MAP_DELETE_ELEM`, `BPF_MAP_LOOKUP_ELEM` (kernel/bpf/syscall.c
 * `map_update_elem` etc.): the map fd is resolved with a temporary reference, then the map
 * type's operation runs (struct_ops maps in bpf_struct_ops.c; array and hash maps here).
 */
import { errnoName, KernelError, ok, type SysResult } from '../errno';
import { ARRAYMAP_C, HASHTAB_C, SYSCALL_C } from '../files';
import { mapRef } from '../names';
import { dMap, mapOf } from '../objects/access';
import { fdget } from '../objects/fd';
import { bpf_timer_cancel_and_free } from '../objects/timer';
import { checkUpdate, writeEntry } from '../prog/helpers';
import {
  bpf_struct_ops_map_delete_elem,
  bpf_struct_ops_map_sys_lookup_elem,
} from '../structops/mapOps';
import { bpf_struct_ops_map_update_elem, type StructOpsValue } from '../structops/mapUpdate';
import type { Tx } from '../tx';
import type { Val } from '../types';
import type { MapElemAttr } from './attrs';
import { reject } from './common';
import { own } from '../own';

function withMap(
  tx: Tx,
  fn: string,
  attr: MapElemAttr,
  body: (map: number) => SysResult,
): SysResult {
  return tx.in(fn, SYSCALL_C, () => {
    // `fdget` + `__bpf_map_get(f)`: the fd's own reference keeps the map alive for the call;
    // unlike `bpf_map_get`, no refcnt is taken (so sys_lookup_elem's refcnt - usercnt is exact).
    const entry = fdget(tx, attr.map_fd);
    if (entry instanceof KernelError) return reject(tx, entry.errno, entry.reason);
    if (entry.kind !== 'map')
      return reject(
        tx,
        'EINVAL',
        `fd ${attr.map_fd} is a ${entry.kind}, not a map (f_op is not bpf_map_fops)`,
      );
    return body(entry.id);
  });
}

function isStructOpsValue(v: unknown): v is StructOpsValue {
  if (typeof v !== 'object' || v === null || !('data' in v)) return false;
  const data: unknown = (v as { data: unknown }).data;
  return typeof data === 'object' && data !== null && !Array.isArray(data);
}

export function map_update_elem(tx: Tx, attr: MapElemAttr): SysResult {
  return withMap(tx, 'map_update_elem', attr, (map) => {
    const m = mapOf(tx.state, map);
    if (m.type === 'BPF_MAP_TYPE_STRUCT_OPS') {
      const value = attr.value;
      if (!isStructOpsValue(value))
        return reject(tx, 'EINVAL', 'A struct_ops value has a `data` part.');
      return bpf_struct_ops_map_update_elem(tx, map, Number(attr.key), value, attr.flags ?? 0);
    }
    const value = (attr.value ?? {}) as Readonly<Record<string, Val>>;
    const key = String(attr.key);
    const fn = m.type === 'BPF_MAP_TYPE_ARRAY' ? 'array_map_update_elem' : 'htab_map_update_elem';
    return tx.in(fn, m.type === 'BPF_MAP_TYPE_ARRAY' ? ARRAYMAP_C : HASHTAB_C, () => {
      const r = checkUpdate(m, key, attr.flags ?? 0);
      if (r < 0)
        return reject(
          tx,
          errnoName(r) ?? 'EINVAL',
          `${m.name}[${key}] cannot be written with these flags.`,
        );
      // copy_map_value skips special fields such as bpf_timer: only plain fields are copied.
      writeEntry(tx, map, key, value, `User space writes ${m.name}[${key}].`);
      return ok(0);
    });
  });
}

export function map_delete_elem(tx: Tx, attr: MapElemAttr): SysResult {
  return withMap(tx, 'map_delete_elem', attr, (map) => {
    const m = mapOf(tx.state, map);
    if (m.type === 'BPF_MAP_TYPE_STRUCT_OPS') return bpf_struct_ops_map_delete_elem(tx, map);
    if (m.type === 'BPF_MAP_TYPE_ARRAY')
      return reject(tx, 'EINVAL', 'Array map elements cannot be deleted.');
    const key = String(attr.key);
    if (!own(m.entries, key)) return reject(tx, 'ENOENT', `${m.name} has no element ${key}.`);
    return tx.in('htab_map_delete_elem', HASHTAB_C, () => {
      for (const t of Object.values(tx.state.timers)) {
        if (t.map === map && t.key === key && !t.freed)
          bpf_timer_cancel_and_free(tx, t.id, 'Its map element is deleted.');
      }
      tx.emit(
        {
          kind: 'value',
          target: mapRef(map),
          field: `[${key}]`,
          before: 'present',
          after: null,
          why: `${m.name}[${key}] is deleted.`,
        },
        (d) => {
          delete dMap(d, map).entries[key];
        },
      );
      return ok(0);
    });
  });
}

export function map_lookup_elem(tx: Tx, attr: MapElemAttr): SysResult {
  return withMap(tx, 'map_lookup_elem', attr, (map) => {
    const m = mapOf(tx.state, map);
    if (m.type === 'BPF_MAP_TYPE_STRUCT_OPS') return bpf_struct_ops_map_sys_lookup_elem(tx, map);
    const key = String(attr.key);
    if (m.type === 'BPF_MAP_TYPE_ARRAY') {
      const i = Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= m.max_entries)
        return reject(tx, 'ENOENT', `Index ${key} is outside ${m.name}.`);
      return ok(0, { value: { ...(own(m.entries, key) ?? {}) } });
    }
    const v = own(m.entries, key);
    return v
      ? ok(0, { value: { ...v } })
      : reject(tx, 'ENOENT', `${m.name} has no element ${key}.`);
  });
}
