/**
 * Wires the simulated kernel's layers together, as boot does: the ops tables the object layer
 * calls upward through (objects/ops.ts: `struct bpf_map_ops` per map type, `struct
 * bpf_link_ops` per link type, the program free path's `bpf_prog_disassoc_struct_ops`, the map
 * free observer of the memory checkers), and every subsystem's struct_ops type
 * (`register_bpf_struct_ops`). machine.ts calls {@link registerKernel} when it loads, so the
 * tables are in place before any machine runs, whichever module a caller imported first.
 *
 * Code outside the kernel that only needs the list of struct_ops types (the scenario parser,
 * libbpf, the editor) reads {@link STRUCT_OPS_TYPES} here, which needs no registration.
 */
import { array_map_ops, htab_map_ops } from './objects/mapTypes';
import {
  registerLinkOps,
  registerMapFreeObserver,
  registerMapOps,
  registerProgFreeOps,
} from './objects/ops';
import { currentAssoc } from './revisions/assocCode';
import { afterMapFreed } from './revisions/reports';
import { bpf_struct_ops_map_lops } from './structops/link';
import { bpf_struct_ops_map_ops } from './structops/mapOps';
import { register_bpf_struct_ops } from './subsys/registry';
import { schedExtOps } from './subsys/schedExt';
import type { StructOpsType } from './subsys/structOpsType';
import { multiStOps } from './subsys/testmod';

/** Every subsystem's struct_ops type, in registration order: bpf_testmod, then sched_ext. */
export const STRUCT_OPS_TYPES: readonly StructOpsType[] = [multiStOps, schedExtOps];

/** The struct_ops type called `name`, if a subsystem has one. */
export function findStructOpsType(name: string): StructOpsType | undefined {
  return STRUCT_OPS_TYPES.find((t) => t.name === name);
}

/** Every struct_ops type name. */
export function structOpsTypeNames(): string[] {
  return STRUCT_OPS_TYPES.map((t) => t.name);
}

let registered = false;

/** Installs every ops table and struct_ops type, once; later calls do nothing. */
export function registerKernel(): void {
  if (registered) return;
  registered = true;
  registerMapOps('BPF_MAP_TYPE_ARRAY', array_map_ops);
  registerMapOps('BPF_MAP_TYPE_HASH', htab_map_ops);
  registerMapOps('BPF_MAP_TYPE_STRUCT_OPS', bpf_struct_ops_map_ops);
  registerLinkOps('struct_ops', bpf_struct_ops_map_lops);
  registerProgFreeOps({
    bpf_prog_disassoc_struct_ops: (tx, prog) =>
      currentAssoc(tx).bpf_prog_disassoc_struct_ops(tx, prog),
  });
  registerMapFreeObserver({ map_freed: afterMapFreed });
  for (const type of STRUCT_OPS_TYPES) register_bpf_struct_ops(type);
}
