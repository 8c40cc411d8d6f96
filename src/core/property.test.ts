/**
 * Property test of the simulated kernel: random sequences of commands (src/testing/
 * kernelCommands.ts) with the counted-reference invariants checked after EVERY event.
 * Also: no command throws, `step` never changes its input, counts never go negative, and
 * closing every fd and settling leaves nothing alive but what a registered legacy map keeps.
 * `npm run fuzz:kernel` runs 100,000 sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkedStep,
  closeAllAndSettle,
  cmdArb,
  fdNamed,
  fdsOf,
  initialState,
  invariantHook,
  LOADER,
  OTHER,
  runCommands,
} from '../testing/kernelCommands';
import { checkInvariants, findLeaks, isQuiescent } from './invariants';
import { step } from './machine';
import type { KernelState } from './types';

describe('simulated kernel: random command sequences', () => {
  const initial = initialState();

  it('starts from a loaded, consistent state', () => {
    expect(checkInvariants(initial).violations).toEqual([]);
    expect(fdsOf(initial, LOADER, 'st_map').length).toBe(4);
    expect(fdsOf(initial, OTHER, 'st_map').length).toBe(3);
    expect(fdsOf(initial, LOADER, 'prog').length).toBe(9);
    expect(fdsOf(initial, OTHER, 'prog').length).toBe(8);
  });

  it('keeps every invariant after every event, never throws, never mutates, leaks nothing', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 40, size: 'max' }), (cmds) => {
        const end = closeAllAndSettle(runCommands(initial, cmds));
        if (!isQuiescent(end)) throw new Error('not quiescent after closing every fd and settling');
        const leaks = findLeaks(end);
        if (leaks.length > 0) throw new Error(`leaks:\n  ${leaks.join('\n  ')}`);
      }),
      { seed: 42, numRuns: 200 },
    );
  }, 60_000);

  it('the invariant hook throws on a hand-corrupted event state (the property can fail)', () => {
    const r = step(initial, { op: 'advance', ns: 1 });
    const e = r.events[0];
    if (!e) throw new Error('advance emitted no event');
    expect(() => invariantHook(e)).not.toThrow();
    const prog = Object.values(e.state.progs)[0];
    if (!prog) throw new Error('no program');
    const corrupted: KernelState = {
      ...e.state,
      progs: { ...e.state.progs, [prog.id]: { ...prog, refcnt: prog.refcnt + 1 } },
    };
    expect(() => invariantHook({ ...e, state: corrupted })).toThrow(/refcnt is 2 but 1 holder/);
    const map = Object.values(e.state.maps)[0];
    if (!map) throw new Error('no map');
    const negative: KernelState = {
      ...e.state,
      maps: { ...e.state.maps, [map.id]: { ...map, usercnt: -1 } },
    };
    expect(() => invariantHook({ ...e, state: negative })).toThrow(/usercnt -1/);
  });

  it('the end-of-run leak check can fail: a program left alive is reported', () => {
    const end = closeAllAndSettle(initial);
    expect(isQuiescent(end)).toBe(true);
    expect(findLeaks(end)).toEqual([]);
    const freed = Object.values(end.progs).find((p) => p.name === 'syscall_prog_a');
    if (!freed) throw new Error('no syscall_prog_a');
    const leaked: KernelState = {
      ...end,
      progs: { ...end.progs, [freed.id]: { ...freed, lifecycle: 'live', refcnt: 1 } },
    };
    expect(findLeaks(leaked)).toEqual(['prog syscall_prog_a (refcnt 1) is still alive']);
  });

  // Found by the property (seed 42, shrunk to this one command); fixed in findLeaks.
  it("a registered legacy map keeps its program's .bss: not reported as a leak", () => {
    const mapFd = fdNamed(initial, LOADER, 'legacy_bss_ops');
    const progFd = fdNamed(initial, LOADER, 'test_1_a');
    let s = checkedStep(initial, {
      op: 'bpf',
      pid: LOADER,
      cmd: 'BPF_MAP_UPDATE_ELEM',
      attr: { map_fd: mapFd, key: 0, value: { data: { test_1: progFd } } },
    });
    s = closeAllAndSettle(s);
    const legacy = Object.values(s.maps).find((m) => m.name === 'legacy_bss_ops');
    const bss = Object.values(s.maps).find((m) => m.name === 'struct_ops_assoc.bss');
    const prog = Object.values(s.progs).find((p) => p.name === 'test_1_a');
    expect(isQuiescent(s)).toBe(true);
    expect([legacy?.st?.state, legacy?.lifecycle]).toEqual(['INUSE', 'live']);
    expect([prog?.lifecycle, prog?.refcnt]).toEqual(['live', 1]);
    expect([bss?.lifecycle, bss?.refcnt]).toEqual(['live', 1]);
    expect(findLeaks(s)).toEqual([]);
  });
});
