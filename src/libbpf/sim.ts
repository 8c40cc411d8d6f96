/**
 * A simulated machine as user space sees it: the kernel state, and the frames each operation
 * produced, labelled with the user-space call that made them. libbpf-style calls go through
 * here, so every `bpf()` they make is a frame a viewer can step through.
 */
import { createKernel, step, type Frame, type KernelOptions, type Op } from '../core/machine';
import type { SysResult } from '../core/errno';
import type { KEvent } from '../core/tx';
import type { KernelState } from '../core/types';

export interface LabelledFrame extends Frame {
  /** The user-space call that made this operation, e.g. `bpf_map__attach_struct_ops(layered)`. */
  readonly label: string;
}

export class Sim {
  state: KernelState;
  readonly frames: LabelledFrame[] = [];
  /** libbpf's own messages (pr_warn), in order. */
  readonly log: string[] = [];

  constructor(
    opts: KernelOptions = {},
    private readonly onEvent?: (e: KEvent) => void,
  ) {
    this.state = createKernel(opts);
  }

  /** Runs one kernel operation and records its frame. */
  run(op: Op, label: string): SysResult {
    const r = step(this.state, op, this.onEvent);
    this.state = r.state;
    this.frames.push({ op, result: r.result, events: r.events, state: r.state, label });
    return r.result;
  }

  warn(msg: string): void {
    this.log.push(`libbpf: ${msg}`);
  }
}
