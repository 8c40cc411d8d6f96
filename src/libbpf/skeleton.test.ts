/**
 * Skeleton attach as `bpf_object__attach_skeleton` does it: every struct_ops map whose
 * `autoattach` is set (libbpf's default for all struct_ops maps, `init_struct_ops_maps`),
 * legacy `.struct_ops` maps included.
 */
import { describe, expect, it } from 'vitest';
import { checkedSim, mapNamed } from '../testing/checked';
import { isOpenError } from './libbpf';
import type { ObjectDesc } from './object';

const MULTI = 'bpf_testmod_multi_st_ops';

function object(autoattach?: boolean): ObjectDesc {
  return {
    name: 'skel',
    maps: {
      link_map: {
        type: 'struct_ops',
        section: '.struct_ops.link',
        struct: MULTI,
        members: { test_1: 'a' },
      },
      legacy_map: {
        type: 'struct_ops',
        section: '.struct_ops',
        struct: MULTI,
        members: { test_1: 'b' },
        ...(autoattach === undefined ? {} : { autoattach }),
      },
    },
    progs: {
      a: { section: 'struct_ops/test_1', body: ['return 1'] },
      b: { section: 'struct_ops/test_1', body: ['return 2'] },
    },
  };
}

describe('skeleton attach', () => {
  it('attaches a legacy .struct_ops map too: update, reg, INUSE', () => {
    const { sim, lib } = checkedSim();
    const obj = lib.bpf_object__open_and_load(object());
    if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
    expect(lib.skel_attach(obj)).toBe(0);
    const legacy = mapNamed(sim.state, 'legacy_map');
    expect(legacy.st?.state).toBe('INUSE');
    expect(legacy.refcnt).toBe(2); // fd + the registration's own reference
    expect(mapNamed(sim.state, 'link_map').st?.state).toBe('READY');
    expect(sim.state.testmod.registered).toEqual([mapNamed(sim.state, 'link_map').id, legacy.id]);
    expect(obj.links).toHaveLength(2);
    // Destroying the skeleton deletes the legacy element (unreg) before closing.
    lib.skel_destroy(obj);
    expect(sim.state.testmod.registered).toEqual([]);
  });

  it('skips a map whose autoattach was turned off', () => {
    const { sim, lib } = checkedSim();
    const obj = lib.bpf_object__open_and_load(object(false));
    if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
    expect(lib.skel_attach(obj)).toBe(0);
    expect(mapNamed(sim.state, 'legacy_map').st?.state).toBe('INIT');
    expect(obj.links).toHaveLength(1);
  });
});
