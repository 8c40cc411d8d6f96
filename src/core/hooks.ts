/**
 * Kernel events that make attached programs run: a task entering a syscall fires the
 * `sys_enter` tracepoint (tp_btf programs via raw_tp links); a kernel function being called
 * fires fentry and kprobe programs attached to it; sched_ext calling one of its ops.
 */
import { findCallable } from './callables';
import { fail, ok, type SysResult } from './errno';
import { EXT_C, TRACE_C } from './files';
import { mapOf, progOf } from './objects/access';
import { ProgAbort, runProgram } from './prog/exec';
import { scxCallOp } from './subsys/schedExt';
import type { Tx } from './tx';
import type { Link, Task } from './types';
import { own } from './own';

function firing(tx: Tx, pred: (l: Link) => boolean): Link[] {
  return Object.values(tx.state.links)
    .filter((l) => l.lifecycle === 'live' && l.prog !== null && l.target !== null && pred(l))
    .sort((a, b) => a.id - b.id);
}

function runAll(tx: Tx, links: Link[], task: Task | null): { ran: string[]; oops: string | null } {
  const ran: string[] = [];
  for (const l of links) {
    if (l.prog === null) continue;
    const name = progOf(tx.state, l.prog).name;
    ran.push(name);
    const r = runProgram(tx, findCallable, l.prog, task);
    if (r.oops) return { ran, oops: r.oops.msg };
  }
  return { ran, oops: null };
}

/** A task enters a syscall: `trace_sys_enter` runs every tp_btf/sys_enter program. */
export function sysEnter(tx: Tx, tid: number, nr: string): SysResult {
  return tx.in('trace_sys_enter', TRACE_C, () => {
    const task = tx.state.tasks[tid];
    if (!task) return fail('ESRCH', `No task ${tid}.`);
    const links = firing(tx, (l) => l.type === 'raw_tp' && l.target === 'sys_enter');
    tx.emit({
      kind: 'call',
      field: 'sys_enter',
      after: nr,
      why: `Task ${tid} (${task.comm}) enters ${nr}: ${links.length} program(s) on sys_enter run.`,
    });
    const r = runAll(tx, links, task);
    return r.oops ? { ret: 0, oops: r.oops } : ok(0, { ran: r.ran });
  });
}

/** Kernel function `func` is called by task `tid`: fentry and kprobe programs on it run. */
export function kernelFunctionHit(tx: Tx, func: string, tid: number): SysResult {
  return tx.in(func, 'drivers (simulated call site)', () => {
    const task = tx.state.tasks[tid];
    if (!task) return fail('ESRCH', `No task ${tid}.`);
    const fentry = firing(tx, (l) => l.type === 'tracing' && l.target === func);
    const kprobes = firing(tx, (l) => l.type === 'kprobe_multi' && l.target === func);
    tx.emit({
      kind: 'call',
      field: func,
      after: `tid ${tid}`,
      why: `Task ${tid} (${task.comm}) calls ${func}: ${fentry.length} fentry and ${kprobes.length} kprobe program(s) fire.`,
    });
    const r = runAll(tx, [...fentry, ...kprobes], task);
    return r.oops ? { ret: 0, oops: r.oops } : ok(0, { ran: r.ran });
  });
}

/** sched_ext calls `ops.<member>` of scheduler `sched` for task `tid` (e.g. `runnable`). */
export function scxOp(tx: Tx, sched: number, member: string, tid: number | null): SysResult {
  return tx.in(`scx_call_op(${member})`, EXT_C, () => {
    const sch = tx.state.scx.scheds[sched];
    if (!sch) return fail('ENOENT', `No scheduler ${sched}.`);
    if (sch.state !== 'enabled') return fail('ENODEV', `${sch.name} is not enabled.`);
    if ((own(mapOf(tx.state, sch.map).st?.kdata.funcs, member) ?? null) === null) {
      tx.emit({
        kind: 'check',
        why: `${sch.name} does not implement ops.${member}: the core scheduler skips it.`,
      });
      return ok(0);
    }
    const task = tid === null ? null : (tx.state.tasks[tid] ?? null);
    const owner = own(mapOf(tx.state, sch.map).st?.kdata.funcs, member) ?? 0;
    try {
      const ret = scxCallOp({ tx, resolve: findCallable, prog: owner, task }, sched, member);
      return ok(0, { retval: ret });
    } catch (e) {
      if (e instanceof ProgAbort) return { ret: 0, oops: e.oops.msg };
      throw e;
    }
  });
}
