/**
 * What libbpf works out from an object before it loads its programs: which of the object's
 * maps each program names (its map relocations, `bpf_program__record_reloc` in
 * tools/lib/bpf/libbpf.c, which become the program's `fd_array`), and which struct_ops
 * member each struct_ops program fills (`bpf_object__collect_st_ops_relos`). Each is found in
 * one pass over the object, so loading an object with many programs and maps stays linear.
 */
import { emptyRecord } from '../core/own';
import { findStructOpsType } from '../core/register';
import type { ProgBody } from '../core/types';
import type { MapDesc } from './object';

/** The `"name":"…"` fields of a body written as JSON: every name the body refers to. */
const NAME_FIELD = /"name":"((?:[^"\\]|\\.)*)"/g;

/**
 * The maps of `named` (map name → fd, in the object's order) that `body` refers to by name,
 * plus `.bss` (the globals' map) whenever the object has one. Models libbpf's map relocations:
 * only the maps a program's instructions reference end up in its `fd_array`.
 */
export function referencedMaps(
  body: ProgBody,
  named: ReadonlyMap<string, number>,
): Record<string, number> {
  const names = new Set<string>();
  for (const m of JSON.stringify(body).matchAll(NAME_FIELD)) names.add(m[1] ?? '');
  const out = emptyRecord<number>();
  for (const [name, fd] of named) if (name === '.bss' || names.has(name)) out[name] = fd;
  return out;
}

/** Where a struct_ops program sits: its struct_ops type and the member's index in it. */
export interface StructOpsUser {
  readonly struct: string;
  readonly index: number;
}

/**
 * For each program a struct_ops map of an object names as a member (`maps`: the object's maps
 * in order), the first such member (maps and members in order), as libbpf's struct_ops
 * relocations find it; a map of a type the kernel does not know fills none. A struct_ops
 * program no map uses is not loaded.
 */
export function structOpsUsers(
  maps: Iterable<{ readonly desc: MapDesc }>,
): ReadonlyMap<string, StructOpsUser> {
  const users = new Map<string, StructOpsUser>();
  for (const m of maps) {
    if (m.desc.type !== 'struct_ops') continue;
    const d = m.desc;
    const type = findStructOpsType(d.struct);
    if (!type) continue;
    for (const [member, v] of Object.entries(d.members)) {
      if (typeof v !== 'string' || users.has(v)) continue;
      users.set(v, { struct: d.struct, index: type.members.findIndex((x) => x.name === member) });
    }
  }
  return users;
}
