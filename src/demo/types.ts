/** What the default demo run hands the page: each step's result and the final state. */
import type { SysResult } from '../core/errno';
import type { KernelState } from '../core/types';

export interface DemoStep {
  /** The operation, as a person would write it: `bpf_program__assoc_struct_ops(refresh_layer_cpumasks, layered)`. */
  readonly label: string;
  /** One or two plain sentences: what happened and why it matters. */
  readonly say: string;
  /** What the call returned (null for user-space actions that make no syscall). */
  readonly result: SysResult | null;
  /** Number of kernel events the step produced. */
  readonly events: number;
}

export interface DemoRun {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly steps: readonly DemoStep[];
  readonly final: KernelState;
}
