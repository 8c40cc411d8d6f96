/**
 * The struct_ops types the simulated kernel knows (`bpf_struct_ops_find_value`). Subsystems
 * register theirs (`register_bpf_struct_ops`, as bpf_testmod and sched_ext do at init);
 * core/register.ts does so for every subsystem before a machine runs, so the struct_ops code
 * below the subsystems finds them here without importing any subsystem.
 */
import type { StructOpsType } from './structOpsType';

const TYPES: StructOpsType[] = [];

/** `register_bpf_struct_ops(st_ops, type)`: makes `type` known; registering it again is a no-op. */
export function register_bpf_struct_ops(type: StructOpsType): void {
  const known = TYPES.find((t) => t.name === type.name);
  if (known === type) return;
  if (known) throw new Error(`struct_ops type ${type.name} is already registered`);
  TYPES.push(type);
}

/** The registered struct_ops type called `name`, if any. */
export function findStructOps(name: string): StructOpsType | undefined {
  if (TYPES.length === 0) {
    throw new Error(
      'No struct_ops type is registered: registerKernel() (core/register.ts) registers the subsystems before a machine runs.',
    );
  }
  return TYPES.find((t) => t.name === name);
}
