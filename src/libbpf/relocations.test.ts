import { describe, expect, it } from 'vitest';
import { checkedSim, mapNamed } from '../testing/checked';
import { isOpenError, type BpfObject } from './libbpf';
import type { ObjectDesc } from './object';
import { referencedMaps, structOpsUsers } from './relocations';

const MULTI = 'bpf_testmod_multi_st_ops';

const DESC: ObjectDesc = {
  name: 'rel',
  globals: { counter: 0 },
  maps: {
    map: { type: 'array', max_entries: 4 },
    map2: { type: 'array', max_entries: 4 },
    // A computed key: an own entry named __proto__, as a scenario file can name a map.
    ['__proto__']: { type: 'hash', max_entries: 4 },
    ops_a: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: MULTI,
      members: { test_1: 'a' },
    },
    ops_b: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: MULTI,
      members: { test_1: 'a' },
    },
  },
  progs: {
    a: { section: 'struct_ops/test_1', body: ['return 1'] },
    b: { section: 'struct_ops/test_1', body: ['return 2'] },
    uses_map2: {
      section: 'syscall',
      body: ['v = bpf_map_lookup_elem(map2, 0)', 'return 0'],
    },
    uses_proto: {
      section: 'syscall',
      body: ['v = bpf_map_lookup_elem(__proto__, 0)', 'return 0'],
    },
  },
};

function opened(): BpfObject {
  const { lib } = checkedSim();
  const obj = lib.bpf_object__open(DESC);
  if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
  return obj;
}

function prog(obj: BpfObject, name: string) {
  const p = obj.progs.get(name);
  if (!p) throw new Error(`no program ${name}`);
  return p;
}

describe('referencedMaps', () => {
  const named = new Map<string, number>([
    ['.bss', 3],
    ['map', 4],
    ['map2', 5],
    ['__proto__', 6],
  ]);

  it('keeps the maps a body names, by exact name, and .bss always', () => {
    const obj = opened();
    expect(Object.entries(referencedMaps(prog(obj, 'uses_map2').body, named))).toEqual([
      ['.bss', 3],
      ['map2', 5],
    ]);
    expect(Object.entries(referencedMaps(prog(obj, 'a').body, named))).toEqual([['.bss', 3]]);
  });

  it('keeps a map named __proto__ as an ordinary entry', () => {
    const fds = referencedMaps(prog(opened(), 'uses_proto').body, named);
    expect(Object.hasOwn(fds, '__proto__')).toBe(true);
    expect(Object.entries(fds)).toEqual([
      ['.bss', 3],
      ['__proto__', 6],
    ]);
  });
});

describe('structOpsUsers', () => {
  it('gives each program the member that names it; a program no map names has none', () => {
    const users = structOpsUsers(opened().maps.values());
    // `a` fills test_1 of both maps (one program in two maps): found once.
    expect([...users]).toEqual([['a', { struct: MULTI, index: 0 }]]);
  });
});

describe('loading an object', () => {
  it('gives each program a reference on exactly the maps it names', () => {
    const { sim, lib } = checkedSim();
    const obj = lib.bpf_object__open_and_load(DESC);
    if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
    const progs = Object.values(sim.state.progs);
    const used = (name: string) =>
      (progs.find((p) => p.name === name)?.aux.used_maps ?? []).map(
        (id) => sim.state.maps[id]?.name,
      );
    expect(used('uses_map2').sort()).toEqual([mapNamed(sim.state, 'map2').name, 'rel.bss'].sort());
    expect(used('uses_proto')).toContain(mapNamed(sim.state, '__proto__').name);
    expect(used('uses_proto')).not.toContain(mapNamed(sim.state, 'map').name);
  });
});
