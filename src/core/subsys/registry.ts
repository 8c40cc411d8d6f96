/** The struct_ops types the simulated kernel knows (`bpf_struct_ops_find_value`). */
import type { StructOpsType } from './structOpsType';
import { multiStOps } from './testmod';
import { schedExtOps } from './schedExt';

const TYPES: readonly StructOpsType[] = [multiStOps, schedExtOps];

export function findStructOps(name: string): StructOpsType | undefined {
  return TYPES.find((t) => t.name === name);
}

export function structOpsTypeNames(): string[] {
  return TYPES.map((t) => t.name);
}
