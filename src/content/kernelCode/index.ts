/**
 * Short kernel pseudo-code for every function the simulated kernel emits events in, and which
 * line of it an event corresponds to: content keyed by the kernel function names the core's
 * events carry (`KEvent.fn`, `KEvent.stack`). Pure: no React, no DOM.
 *
 * The text is our own paraphrase of the kernel's code (not kernel source), kept to the shape a
 * BPF developer knows: the same names, the same checks in the same order, the same comments
 * where they matter ("Poison pointer on error instead of return for backward compatibility").
 * It is grouped by subject, one module each (./structOps, ./refs, ./syscalls, ...), written in
 * the small language of ./dsl; ./runtimeNames covers names the core builds at run time.
 */
import type { KEvent } from '../../core/tx';
import { SIMULATED_CALL_SITE, type KernelFunctionCode } from './dsl';
import { callSiteCode, scxCallOpCode, stOpsOpCode, trampolineCode } from './runtimeNames';
import { STRUCT_OPS } from './structOps';
import { PINS_AND_IDS } from './pinsAndIds';
import { REFS } from './refs';
import { SYSCALLS } from './syscalls';
import { TRACING } from './tracing';
import { DEFERRED } from './deferred';
import { MAPS } from './maps';
import { HELPERS } from './helpers';
import { TESTMOD } from './testmod';
import { SCHED_EXT } from './schedExt';

export type { KernelFunctionCode } from './dsl';

/** What a code pane shows for one event. */
export interface KernelCodeView {
  readonly fn: string;
  readonly file: string;
  readonly lines: readonly string[];
  /** Index in `lines` of the line the event corresponds to. */
  readonly current: number;
  /** False when no marker matched and `current` fell back to the signature line. */
  readonly matched: boolean;
}

/** Every function with pseudo-code, by the name the core emits it under. */
export const KERNEL_CODE: ReadonlyMap<string, KernelFunctionCode> = new Map(
  [
    ...STRUCT_OPS,
    ...REFS,
    ...SYSCALLS,
    ...TRACING,
    ...DEFERRED,
    ...MAPS,
    ...HELPERS,
    ...TESTMOD,
    ...SCHED_EXT,
    ...PINS_AND_IDS,
  ].map((c) => [c.fn, c]),
);

/** Pseudo-code for `name`; `file` (the event's file) is known only for the innermost frame. */
export function kernelCodeOf(name: string, file: string | null = null): KernelFunctionCode | null {
  const fixed = KERNEL_CODE.get(name);
  if (fixed) return fixed;
  const op = /^([A-Za-z_]\w*)\.(reg|unreg|update)$/.exec(name);
  if (op?.[1] && op[2]) return stOpsOpCode(op[1], op[2]);
  const scx = /^scx_call_op\((\w+)\)$/.exec(name);
  if (scx?.[1]) return scxCallOpCode(name, scx[1]);
  const tramp = /^bpf_struct_ops_(\w+)$/.exec(name);
  if (tramp?.[1]) return trampolineCode(name, tramp[1]);
  if (file === SIMULATED_CALL_SITE) return callSiteCode(name);
  return null;
}

/** Events made outside every kernel function frame: the syscall entry, time, new tasks. */
function entryFrameOf(e: KEvent): string {
  if (e.kind === 'clock') return 'hrtimer_interrupt';
  if (e.kind === 'alloc' && (e.target?.kind === 'process' || e.field === 'task'))
    return 'kernel_clone';
  return 'bpf';
}

function currentLine(c: KernelFunctionCode, e: KEvent, child: string | null): number {
  for (const pass of [false, true]) {
    const i = c.lines.findIndex((l) => l.markers.some((m) => m.weak === pass && m.test(e, child)));
    if (i >= 0) return i;
  }
  return -1;
}

function view(
  c: KernelFunctionCode,
  name: string,
  e: KEvent,
  child: string | null,
): KernelCodeView {
  const i = currentLine(c, e, child);
  return {
    fn: name,
    file: c.file,
    lines: c.lines.map((l) => l.text),
    current: Math.max(i, 0),
    matched: i >= 0,
  };
}

/**
 * The pseudo-code pane for an event: the innermost function of `ev.stack` that has pseudo-code
 * (outer ones when it has none), and the line the event corresponds to. Null only when no
 * function on the stack has pseudo-code.
 */
export function codeFor(e: KEvent): KernelCodeView | null {
  if (e.stack.length === 0) {
    const name = entryFrameOf(e);
    const c = kernelCodeOf(name);
    return c ? view(c, name, e, null) : null;
  }
  for (let i = e.stack.length - 1; i >= 0; i--) {
    const name = e.stack[i] ?? '';
    const last = i === e.stack.length - 1;
    const c = kernelCodeOf(name, last ? e.file : null);
    if (c) return view(c, name, e, last ? null : (e.stack[i + 1] ?? null));
  }
  return null;
}

/** Every frame of the event's call chain that has pseudo-code, outermost first. */
export function codeChain(e: KEvent): KernelCodeView[] {
  if (e.stack.length === 0) {
    const v = codeFor(e);
    return v ? [v] : [];
  }
  const out: KernelCodeView[] = [];
  e.stack.forEach((name, i) => {
    const last = i === e.stack.length - 1;
    const c = kernelCodeOf(name, last ? e.file : null);
    if (c) out.push(view(c, name, e, last ? null : (e.stack[i + 1] ?? null)));
  });
  return out;
}
