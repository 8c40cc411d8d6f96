/** Named constants program bodies may use (enum values from the kernel's UAPI headers). */
import type { KernelState } from '../types';
import { own } from '../own';

const FIXED: Readonly<Record<string, number>> = {
  // include/uapi/linux/bpf.h
  BPF_ANY: 0,
  BPF_NOEXIST: 1,
  BPF_EXIST: 2,
  // include/uapi/linux/time.h
  CLOCK_REALTIME: 0,
  CLOCK_MONOTONIC: 1,
  CLOCK_BOOTTIME: 7,
  // kernel/sched/ext.c enum scx_kick_flags
  SCX_KICK_IDLE: 1,
  SCX_KICK_PREEMPT: 2,
  SCX_KICK_WAIT: 4,
};

export const KICK_FLAG_NAMES: readonly [number, string][] = [
  [1, 'SCX_KICK_IDLE'],
  [2, 'SCX_KICK_PREEMPT'],
  [4, 'SCX_KICK_WAIT'],
];

/** The value of a named constant, or undefined. `nr_cpu_ids` is the machine's CPU count. */
export function constantValue(state: KernelState, name: string): number | undefined {
  if (name === 'nr_cpu_ids') return state.nrCpus;
  return own(FIXED, name);
}

export function isConstant(name: string): boolean {
  return name === 'nr_cpu_ids' || Object.hasOwn(FIXED, name);
}
