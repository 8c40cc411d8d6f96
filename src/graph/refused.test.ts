import { describe, expect, it } from 'vitest';
import { refusedEdge } from './refused';
import { libraryStep as stepAt } from '../testing/libraryRun';

function refusedAt(id: string, step: number) {
  const { frame, graph } = stepAt(id, step);
  return refusedEdge(frame.events, frame.result?.ret ?? null, graph);
}

describe('refusedEdge', () => {
  it('draws the association a second BPF_PROG_ASSOC_STRUCT_OPS tried, marked -EBUSY', () => {
    expect(refusedAt('scx-layered-refresh', 19)).toEqual({
      id: 'edge.refused.refresh_layer_cpumasks.layered_2',
      from: 'prog.refresh_layer_cpumasks',
      to: 'map.layered_2',
      errno: 'EBUSY',
      label: 'st_ops_assoc',
    });
    expect(refusedAt('teach-ebusy', 4)?.id).toBe('edge.refused.helper.map_b');
  });

  it('draws the slot a refused struct_ops map update tried to fill', () => {
    expect(refusedAt('teach-failed-update', 3)).toMatchObject({
      id: 'edge.refused.sched_a.stray',
      errno: 'EINVAL',
      label: 'kdata slot',
    });
  });

  it('draws nothing for a command refused before it held both objects', () => {
    // -EINVAL for a struct_ops program: checked before the map fd is looked up.
    expect(refusedAt('scx-layered-refresh', 4)).toBeNull();
    // -EINVAL from CHECK_ATTR: no object was got at all.
    expect(refusedAt('teach-ebusy', 5)).toBeNull();
  });

  it('draws nothing for a step that succeeded', () => {
    expect(refusedAt('scx-layered-refresh', 2)).toBeNull();
  });
});
