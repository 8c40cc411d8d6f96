/** Typed access to objects in a state or an immer draft; a missing id is a simulator bug. */
import type { Draft } from 'immer';
import type { BpfMap, KernelState, Link, Prog, Timer } from '../types';

export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`simulator bug: no ${what}`);
  return value;
}

export const progOf = (s: KernelState, id: number): Prog => must(s.progs[id], `prog ${id}`);
export const mapOf = (s: KernelState, id: number): BpfMap => must(s.maps[id], `map ${id}`);
export const linkOf = (s: KernelState, id: number): Link => must(s.links[id], `link ${id}`);
export const timerOf = (s: KernelState, id: number): Timer => must(s.timers[id], `timer ${id}`);

type D = Draft<KernelState>;
export const dProg = (d: D, id: number): Draft<Prog> => must(d.progs[id], `prog ${id}`);
export const dMap = (d: D, id: number): Draft<BpfMap> => must(d.maps[id], `map ${id}`);
export const dLink = (d: D, id: number): Draft<Link> => must(d.links[id], `link ${id}`);
export const dTimer = (d: D, id: number): Draft<Timer> => must(d.timers[id], `timer ${id}`);
