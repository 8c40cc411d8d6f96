/**
 * Test support: a simulated machine whose invariants are checked after every single event,
 * and lookups by name. A violation fails the test at the event that caused it.
 */
import { checkInvariants, findLeaks } from '../core/invariants';
import type { KernelOptions } from '../core/machine';
import type { KEvent } from '../core/tx';
import type { BpfMap, KernelState, Prog } from '../core/types';
import { Libbpf } from '../libbpf/libbpf';
import { Sim } from '../libbpf/sim';

export function assertInvariants(e: KEvent): void {
  const r = checkInvariants(e.state);
  if (r.violations.length > 0) {
    throw new Error(
      `invariant violated after ${e.fn} (${e.kind}: ${e.why}):\n  ${r.violations.join('\n  ')}`,
    );
  }
}

export function checkedSim(opts: KernelOptions = {}): { sim: Sim; lib: Libbpf } {
  const sim = new Sim(opts, assertInvariants);
  return { sim, lib: new Libbpf(sim) };
}

/** The live (not yet freed) map with this name; the last one created if several. */
export function mapNamed(state: KernelState, name: string): BpfMap {
  const all = Object.values(state.maps).filter((m) => m.name === name);
  const m = all.filter((x) => x.lifecycle !== 'freed').pop() ?? all.pop();
  if (!m) throw new Error(`no map ${name}`);
  return m;
}

export function progNamed(state: KernelState, name: string): Prog {
  const all = Object.values(state.progs).filter((p) => p.name === name);
  const p = all.filter((x) => x.lifecycle !== 'freed').pop() ?? all.pop();
  if (!p) throw new Error(`no prog ${name}`);
  return p;
}

/** `st_ops_assoc` as the tests speak of it: `null`, a map name, or `POISON`. */
export function assocOf(state: KernelState, prog: string): string | null {
  const a = progNamed(state, prog).aux.st_ops_assoc;
  if (a === null || a === 'POISON') return a;
  return state.maps[a.map]?.name ?? `map#${a.map}`;
}

export function expectNoLeaks(state: KernelState): string[] {
  return findLeaks(state);
}
