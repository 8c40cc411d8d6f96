/**
 * `BPF_MAP_CREATE` (kernel/bpf/syscall.c `map_create`): a new map whose fd holds refcnt 1 and
 * usercnt 1. struct_ops maps follow `bpf_struct_ops_map_alloc_check`: key_size 4,
 * max_entries 1, only BPF_F_LINK / BPF_F_VTYPE_BTF_OBJ_FD, and a value type this kernel has.
 */
import { castDraft } from 'immer';
import { ok, type SysResult } from '../errno';
import { STRUCT_OPS_C, SYSCALL_C } from '../files';
import { mapRef } from '../names';
import { installFd, nextFd } from '../objects/fd';
import { findStructOps } from '../subsys/registry';
import type { Tx } from '../tx';
import type { StructOpsPart } from '../types';
import type { MapCreateAttr } from './attrs';
import { reject } from './common';
import { emptyRecord } from '../own';

const KNOWN_FLAGS = [
  'BPF_F_LINK',
  'BPF_F_VTYPE_BTF_OBJ_FD',
  'BPF_F_NO_PREALLOC',
  'BPF_F_MMAPABLE',
  'BPF_F_RDONLY_PROG',
];

export function map_create(tx: Tx, attr: MapCreateAttr): SysResult {
  return tx.in('map_create', SYSCALL_C, () => {
    const flags = attr.map_flags ?? [];
    const unknown = flags.filter((f) => !KNOWN_FLAGS.includes(f));
    if (unknown.length) return reject(tx, 'EINVAL', `Unknown map flag ${unknown.join(', ')}.`);
    let st: StructOpsPart | null = null;
    if (attr.map_type === 'BPF_MAP_TYPE_STRUCT_OPS') {
      const bad =
        attr.key_size !== 4
          ? 'key_size must be 4'
          : attr.max_entries !== 1
            ? 'max_entries must be 1'
            : flags.some((f) => f !== 'BPF_F_LINK' && f !== 'BPF_F_VTYPE_BTF_OBJ_FD')
              ? 'only BPF_F_LINK and BPF_F_VTYPE_BTF_OBJ_FD are allowed'
              : !attr.btf_vmlinux_value_type_id
                ? 'btf_vmlinux_value_type_id is required'
                : null;
      if (bad)
        return tx.in('bpf_struct_ops_map_alloc_check', STRUCT_OPS_C, () =>
          reject(tx, 'EINVAL', `struct_ops map: ${bad}.`),
        );
      const type = findStructOps(attr.btf_vmlinux_value_type_id ?? '');
      if (!type)
        return reject(
          tx,
          'ENOTSUPP',
          `No struct_ops type ${String(attr.btf_vmlinux_value_type_id)} is registered.`,
        );
      st = {
        st_ops: type.name,
        state: 'INIT',
        links: [],
        kdata: { funcs: {}, fields: {}, priv: null },
        uvalue: {},
        link: null,
      };
    } else if (attr.key_size <= 0 || attr.value_size <= 0 || attr.max_entries <= 0) {
      return reject(tx, 'EINVAL', 'key_size, value_size and max_entries must be positive.');
    } else if (attr.map_type === 'BPF_MAP_TYPE_ARRAY' && attr.key_size !== 4) {
      return reject(tx, 'EINVAL', 'An array map has 4-byte keys.');
    }
    const id = tx.state.ids.map + 1;
    const fd = nextFd(tx);
    tx.emit(
      {
        kind: 'alloc',
        target: mapRef(id),
        field: 'refcnt',
        before: null,
        after: 1,
        why: `${attr.map_name} is created${st ? ` (struct_ops ${st.st_ops}, state INIT)` : ''}; fd ${fd} holds refcnt 1 and usercnt 1.`,
      },
      (d) => {
        d.ids.map = id;
        d.maps[id] = {
          id,
          name: attr.map_name,
          type: attr.map_type,
          map_flags: [...flags],
          key_size: attr.key_size,
          value_size: attr.value_size,
          max_entries: attr.max_entries,
          refcnt: 1,
          usercnt: 1,
          lifecycle: 'live',
          entries: emptyRecord(),
          st: castDraft(st),
        };
        installFd(tx.pid, fd, { kind: 'map', id })(d);
      },
    );
    return ok(fd);
  });
}
