/**
 * Expectations on what a step did (ops/schemas.ts `extraExpect`): which `bpf()` commands it
 * made, which kernel functions ran or did not, the kernel log, where an oops happened, and the
 * value `map_lookup_elem` returned. Each unmet one is a message naming expected and actual.
 */
import type { SysResult } from '../../core/errno';
import type { Op } from '../../core/machine';
import type { KEvent } from '../../core/tx';
import type { KernelState, Val } from '../../core/types';
import { sameValue } from '../expect';
import type { Expect } from '../schema';

export interface StepDone {
  readonly events: readonly KEvent[];
  readonly ops: readonly Op[];
  readonly result: SysResult | null;
  readonly state: KernelState;
}

function asVal(v: unknown): Val | undefined {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as readonly number[];
  return undefined;
}

/** A field of the returned value by a dotted path (`common.refcnt`), own properties only. */
function at(rec: object | undefined, path: string): unknown {
  let cur: unknown = rec;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = new Map(Object.entries(cur)).get(part);
  }
  return cur;
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');

function ranFunctions(events: readonly KEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    out.add(e.fn);
    for (const f of e.stack) out.add(f);
  }
  return out;
}

export function checkDone(ex: Omit<Expect, 'on'>, done: StepDone): string[] {
  const out: string[] = [];
  if (ex.bpf !== undefined) {
    const got = done.ops.flatMap((o) => (o.op === 'bpf' ? [o.cmd] : []));
    if (got.join() !== ex.bpf.join())
      out.push(`expected bpf() commands ${list(ex.bpf)}, got ${list(got)}`);
  }
  const ran = ranFunctions(done.events);
  for (const f of ex.called ?? [])
    if (!ran.has(f)) out.push(`expected ${f} to run, but it did not`);
  for (const f of ex.not_called ?? [])
    if (ran.has(f)) out.push(`expected ${f} not to run, but it did`);
  if (ex.dmesg !== undefined) {
    const text = ex.dmesg.contains;
    const lines = done.state.dmesg.filter((l) => text === undefined || l.msg.includes(text));
    if (ex.dmesg.times !== undefined && lines.length !== ex.dmesg.times)
      out.push(
        `expected ${ex.dmesg.times} dmesg line(s)${text !== undefined ? ` containing "${text}"` : ''}, got ${lines.length}`,
      );
    if (ex.dmesg.times === undefined && lines.length === 0)
      out.push(`expected a dmesg line containing "${String(text)}", got none`);
  }
  if (ex.oops_at !== undefined) {
    const want = ex.oops_at;
    const oops = done.events.find((e) => e.kind === 'oops');
    if (!oops) out.push('expected an oops, but the step did not oops');
    else {
      const prog =
        oops.target?.kind === 'prog' ? done.state.progs[oops.target.id]?.name : undefined;
      if (
        want.function !== undefined &&
        oops.fn !== want.function &&
        !oops.stack.includes(want.function)
      )
        out.push(
          `expected the oops in ${want.function}, got it in ${oops.fn} (${oops.stack.join(' → ')})`,
        );
      if (want.prog !== undefined && prog !== want.prog)
        out.push(`expected the oops in program ${want.prog}, got ${String(prog)}`);
      if (want.kind !== undefined && oops.after !== want.kind)
        out.push(`expected a ${want.kind}, got a ${String(oops.after)}`);
    }
  }
  if (ex.value !== undefined) {
    const got = done.result?.out?.['value'];
    const rec = typeof got === 'object' && got !== null && !Array.isArray(got) ? got : undefined;
    const bad = Object.entries(ex.value).filter(([k, v]) => !sameValue(v, asVal(at(rec, k))));
    if (!rec || bad.length > 0)
      out.push(
        `expected the looked-up value ${JSON.stringify(ex.value)}, got ${JSON.stringify(got ?? null)}`,
      );
  }
  return out;
}
