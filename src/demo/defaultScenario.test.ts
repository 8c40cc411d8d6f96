import { describe, expect, it } from 'vitest';
import { findLeaks } from '../core/invariants';
import { runDefaultScenario } from './defaultScenario';

describe('default scenario (scx_layered refresh trigger)', () => {
  const run = runDefaultScenario();
  const byLabel = (start: string) => run.steps.find((s) => s.label.startsWith(start));

  it('returns what the kernel returns at each step', () => {
    expect(
      byLabel('bpf_program__assoc_struct_ops(refresh_layer_cpumasks, layered)')?.result?.ret,
    ).toBe(0);
    expect(byLabel('bpf_prog_assoc_struct_ops(fd of layered_enqueue')?.result?.errno).toBe(
      'EINVAL',
    );
    expect(
      byLabel('bpf_program__assoc_struct_ops(refresh_layer_cpumasks, layered_2)')?.result?.errno,
    ).toBe('EBUSY');
    expect(run.steps.every((s) => s.events >= 0)).toBe(true);
  });

  it("kicks each instance's CPUs on its own scheduler, and leaves nothing behind", () => {
    const scheds = Object.values(run.final.scx.scheds);
    expect(scheds.map((s) => [s.name, s.kicks.map((k) => k.cpu)])).toEqual([
      ['sch1', [0, 1]],
      ['sch2', [2, 3]],
    ]);
    expect(findLeaks(run.final)).toEqual([]);
    expect(run.final.oopses).toEqual([]);
  });
});
