import { describe, expect, it } from 'vitest';
import { lookupPaths } from './lookupPath';
import { libraryStep as stepAt } from '../testing/libraryRun';

function pathsAt(id: string, step: number) {
  const { frame, graph } = stepAt(id, step);
  return lookupPaths(frame.events, graph);
}

const hopsOf = (p: { hops: readonly { what: string; node: string }[] } | undefined) =>
  p?.hops.map((h) => `${h.what}@${h.node}`);

describe('lookupPaths', () => {
  it('follows a kick through association, map, kdata and ops->priv to sch1, once per path', () => {
    const paths = pathsAt('scx-layered-refresh', 12);
    expect(paths).toHaveLength(1);
    expect(hopsOf(paths[0])).toEqual([
      'program@prog.refresh_layer_cpumasks',
      'st_ops_assoc@prog.refresh_layer_cpumasks',
      'map@map.layered',
      'kdata@map.layered',
      'ops->priv@sched.sch1',
      'instance@sched.sch1',
    ]);
    expect(paths[0]?.stop).toBeNull();
    expect(paths[0]?.result).toBe('kicked CPU 0, 1');
    expect(paths[0]?.hops.map((h) => h.n)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('stops at a NULL association and shows the no-op', () => {
    const [p] = pathsAt('scx-layered-refresh', 24);
    expect(hopsOf(p)).toEqual([
      'program@prog.refresh_layer_cpumasks_3',
      'st_ops_assoc@prog.refresh_layer_cpumasks_3',
    ]);
    expect(p?.stop).toBe('NULL');
    expect(p?.result).toBe('no-op: CPU 3 not kicked');
  });

  it('stops at ops->priv when the map was never attached', () => {
    const [p] = pathsAt('scx-layered-refresh', 8);
    expect(p?.hops.at(-1)).toMatchObject({ what: 'ops->priv', node: 'map.layered' });
    expect(p?.stop).toBe('NULL');
  });

  it('takes the compat fallback to the root when a root without sub_attach acts', () => {
    const [p] = pathsAt('scx-layered-refresh', 39);
    expect(p?.hops.map((h) => h.what)).toEqual(['program', 'st_ops_assoc', 'scx_root', 'instance']);
    expect(p?.stop).toBeNull();
  });

  it('reaches the testmod program in the slot, and stops at BPF_PTR_POISON with -1', () => {
    const paths = pathsAt('teach-poison', 7);
    expect(hopsOf(paths[0])?.slice(2)).toEqual([
      'map@map.map_a',
      'kdata@map.map_a',
      'slot@prog.shared',
    ]);
    expect(paths[0]?.result).toBe('returns 1234');
    expect(paths[1]?.stop).toBe('POISON');
    expect(paths[1]?.hops.map((h) => h.label)).toEqual(['shared', 'st_ops_assoc = BPF_PTR_POISON']);
    expect(paths[1]?.result).toBe('returns -1');
  });

  it('finds no path in a step without a lookup', () => {
    expect(pathsAt('scx-layered-refresh', 19)).toEqual([]);
  });
});
