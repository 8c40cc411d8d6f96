/**
 * The invariant checker and the leak finder catch corruption: a valid state from a short run,
 * then hand-crafted corrupted copies, each of which must be named for what is wrong with it.
 */
import { describe, expect, it } from 'vitest';
import { checkInvariants, findLeaks, isQuiescent } from './invariants';
import type { BpfMap, KernelState, Link, Pending, Prog, Timer } from './types';
import { isOpenError, type BpfObject, type Libbpf } from '../libbpf/libbpf';
import type { ObjectDesc } from '../libbpf/object';
import type { Sim } from '../libbpf/sim';
import { checkedSim, mapNamed, progNamed } from '../testing/checked';

const MULTI = 'bpf_testmod_multi_st_ops';

const OBJ: ObjectDesc = {
  name: 'inv',
  maps: {
    map_a: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: MULTI,
      members: { test_1: 'test_1_a' },
    },
    map_b: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: MULTI,
      members: { test_1: 'test_1_b' },
    },
    legacy: {
      type: 'struct_ops',
      section: '.struct_ops',
      struct: MULTI,
      members: { test_1: 'test_1_c' },
    },
  },
  progs: {
    test_1_a: { section: 'struct_ops/test_1', body: ['return 1'] },
    test_1_b: { section: 'struct_ops/test_1', body: ['return 2'] },
    test_1_c: { section: 'struct_ops/test_1', body: ['return 3'] },
    syscall_a: {
      section: 'syscall',
      body: ['ret = bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)', 'return ret'],
    },
    syscall_b: { section: 'syscall', body: ['return 0'] },
  },
};

function load(): { sim: Sim; lib: Libbpf; obj: BpfObject } {
  const { sim, lib } = checkedSim();
  const obj = lib.bpf_object__open_and_load(OBJ);
  if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
  return { sim, lib, obj };
}

function handle<T>(m: ReadonlyMap<string, T>, name: string): T {
  const h = m.get(name);
  if (!h) throw new Error(`no ${name}`);
  return h;
}

/**
 * A valid state: syscall_a explicitly associated with map_a, map_a updated (test_1_a
 * auto-associated) and linked; map_b freed; syscall_b and test_1_b alive.
 */
function validState(): KernelState {
  const { sim, lib, obj } = load();
  const progs = obj.progs;
  const maps = obj.maps;
  expect(lib.bpf_program__assoc_struct_ops(handle(progs, 'syscall_a'), handle(maps, 'map_a'))).toBe(
    0,
  );
  const link = lib.bpf_map__attach_struct_ops(obj, handle(maps, 'map_a'));
  expect(typeof link).not.toBe('number');
  const mapB = handle(maps, 'map_b');
  expect(lib.close(mapB.fd)).toBe(0);
  mapB.fd = -1;
  sim.run({ op: 'settle' }, 'settle');
  return sim.state;
}

const fdOf = (s: KernelState, kind: 'prog' | 'map', id: number): number =>
  Number(
    Object.entries(s.processes[100]?.fds ?? {}).find(
      ([, e]) => e.kind === kind && e.id === id,
    )?.[0] ?? -1,
  );

function withProg(s: KernelState, p: Prog, patch: Partial<Prog>): KernelState {
  return { ...s, progs: { ...s.progs, [p.id]: { ...p, ...patch } } };
}

function withMap(s: KernelState, m: BpfMap, patch: Partial<BpfMap>): KernelState {
  return { ...s, maps: { ...s.maps, [m.id]: { ...m, ...patch } } };
}

describe('checkInvariants', () => {
  const base = validState();
  const mapA = mapNamed(base, 'map_a');
  const mapB = mapNamed(base, 'map_b');
  const sysA = progNamed(base, 'syscall_a');
  const sysB = progNamed(base, 'syscall_b');
  const t1a = progNamed(base, 'test_1_a');
  const t1b = progNamed(base, 'test_1_b');

  it('the valid state is clean, with the expected counts', () => {
    expect(checkInvariants(base)).toEqual({ violations: [], hazards: [] });
    expect([mapA.refcnt, mapA.usercnt, mapA.lifecycle]).toEqual([3, 1, 'live']); // fd, assoc, link
    expect(mapB.lifecycle).toBe('freed');
    expect(sysA.aux.st_ops_assoc).toEqual({ map: mapA.id });
    expect(t1a.refcnt).toBe(2);
    expect(t1b.aux.st_ops_assoc).toBeNull();
  });

  it('a refcnt one too high → refcnt mismatch', () => {
    const bad = withMap(base, mapA, { refcnt: mapA.refcnt + 1 });
    expect(checkInvariants(bad).violations).toEqual([
      'map map_a: refcnt is 4 but 3 holder(s) point at it',
    ]);
  });

  it('a refcnt one too low → mismatch (and a live object at 0)', () => {
    const bad = withProg(base, sysA, { refcnt: 0 });
    expect(checkInvariants(bad).violations).toEqual([
      'prog syscall_a: refcnt is 0 but 1 holder(s) point at it',
      'prog syscall_a: refcnt is 0 but it is not being freed',
    ]);
  });

  it('a live object nobody holds at refcnt 0 → "not being freed"', () => {
    const ghost: Prog = { ...t1b, id: 99, name: 'ghost', refcnt: 0 };
    const bad: KernelState = { ...base, progs: { ...base.progs, [99]: ghost } };
    expect(checkInvariants(bad).violations).toEqual([
      'prog ghost: refcnt is 0 but it is not being freed',
    ]);
  });

  it('negative counts', () => {
    const negRef = checkInvariants(withProg(base, sysB, { refcnt: -1 })).violations;
    expect(negRef).toContain('prog syscall_b: negative refcnt -1');
    const negUser = checkInvariants(withMap(base, mapA, { usercnt: -1 })).violations;
    expect(negUser).toContain('map map_a: negative usercnt -1');
    expect(negUser).toContain('map map_a: usercnt is -1 but 1 fd(s) hold it');
  });

  it('usercnt > refcnt', () => {
    const v = checkInvariants(withMap(base, mapA, { usercnt: 4 })).violations;
    expect(v).toContain('map map_a: usercnt exceeds refcnt');
    expect(v).toContain('map map_a: usercnt is 4 but 1 fd(s) hold it');
  });

  it('an fd pointing at a freed object', () => {
    const fd = fdOf(base, 'prog', sysA.id);
    expect(fd).toBeGreaterThan(2);
    const v = checkInvariants(withProg(base, sysA, { lifecycle: 'freed' })).violations;
    expect(v).toContain(`fd ${fd} of process loader points at freed prog syscall_a`);
    expect(v).toContain('prog syscall_a: freed with refcnt 1');
    expect(v).toContain('freed prog syscall_a still holds map map_a (st_ops_assoc)');
  });

  it("a non-struct_ops program's assoc pointing at a freed map is a violation", () => {
    const bad = withProg(base, sysB, {
      aux: { ...sysB.aux, st_ops_assoc: { map: mapB.id } },
    });
    const r = checkInvariants(bad);
    expect(r.violations).toContain('syscall_b: st_ops_assoc points at freed map map_b');
    expect(r.violations).toContain('st_ops_assoc of prog syscall_b points at freed map map_b');
    expect(r.violations).toContain('map map_b: refcnt is 0 but 1 holder(s) point at it');
    expect(r.hazards).toEqual([]);
  });

  it("…whereas a struct_ops program's stale assoc is a hazard only", () => {
    const stale = withProg(base, t1b, {
      aux: { ...t1b.aux, st_ops_assoc: { map: mapB.id } },
    });
    expect(checkInvariants(stale)).toEqual({
      violations: [],
      hazards: ['test_1_b: st_ops_assoc points at freed map map_b'],
    });
  });

  it('pending work on a freed object, and an armed freed timer', () => {
    const p: Pending = {
      id: 50,
      kind: 'work',
      fn: 'bpf_map_free_deferred',
      target: { kind: 'map', id: mapB.id },
      queuedAt: 0,
      dueAt: 0,
      holds: null,
    };
    expect(checkInvariants({ ...base, pending: [p] }).violations).toEqual([
      'pending bpf_map_free_deferred targets freed map map_b',
    ]);
    const t: Timer = {
      id: 1,
      map: mapA.id,
      key: '0',
      field: 'timer',
      prog: null,
      callback: null,
      armed: true,
      expires: 0,
      freed: true,
    };
    expect(checkInvariants({ ...base, timers: { 1: t } }).violations).toEqual([
      'timer#1 is armed but freed',
    ]);
  });

  it('corrupted copies leave the original state valid (no mutation)', () => {
    withMap(base, mapA, { refcnt: 100 });
    withProg(base, sysA, { lifecycle: 'freed' });
    expect(checkInvariants(base).violations).toEqual([]);
    expect(mapNamed(base, 'map_a').refcnt).toBe(3);
  });
});

describe('findLeaks', () => {
  /** Everything loaded, map_a attached, then the skeleton destroyed and the machine settled. */
  function finished(): KernelState {
    const { sim, lib, obj } = load();
    expect(
      lib.bpf_program__assoc_struct_ops(handle(obj.progs, 'syscall_a'), handle(obj.maps, 'map_a')),
    ).toBe(0);
    const link = lib.bpf_map__attach_struct_ops(obj, handle(obj.maps, 'map_a'));
    if (typeof link === 'number') throw new Error(`attach: ${link}`);
    obj.links.push(link);
    lib.skel_destroy(obj);
    sim.run({ op: 'settle' }, 'settle');
    return sim.state;
  }

  it('a clean run leaks nothing', () => {
    const s = finished();
    expect(isQuiescent(s)).toBe(true);
    expect(findLeaks(s)).toEqual([]);
    expect(checkInvariants(s).violations).toEqual([]);
  });

  it('reports a program left alive after all fds are closed (hand-crafted)', () => {
    const s = finished();
    const p = progNamed(s, 'syscall_a');
    expect(p.lifecycle).toBe('freed');
    const leaked = withProg(s, p, { lifecycle: 'live', refcnt: 1 });
    expect(isQuiescent(leaked)).toBe(true);
    expect(findLeaks(leaked)).toEqual(['prog syscall_a (refcnt 1) is still alive']);
  });

  it('reports a map and a link left alive (hand-crafted)', () => {
    const s = finished();
    const m = mapNamed(s, 'map_a');
    const l = Object.values(s.links)[0];
    if (!l) throw new Error('no link');
    const live: Link = { ...l, lifecycle: 'live', refcnt: 1 };
    const leaked: KernelState = {
      ...withMap(s, m, { lifecycle: 'live', refcnt: 1 }),
      links: { ...s.links, [l.id]: live },
    };
    expect(findLeaks(leaked)).toEqual([
      'map map_a (refcnt 1) is still alive',
      `link#${l.id} (refcnt 1) is still alive`,
    ]);
  });

  it('does not report an INUSE legacy map (and its program) kept without any fd', () => {
    const { sim, lib, obj } = load();
    const legacy = handle(obj.maps, 'legacy');
    const fake = lib.bpf_map__attach_struct_ops(obj, legacy);
    expect(typeof fake).not.toBe('number');
    lib.skel_destroy(obj);
    sim.run({ op: 'settle' }, 'settle');
    const s = sim.state;
    const m = mapNamed(s, 'legacy');
    expect(isQuiescent(s)).toBe(true);
    expect(m.st?.state).toBe('INUSE');
    expect([m.refcnt, m.usercnt, m.lifecycle]).toEqual([1, 0, 'live']);
    expect(progNamed(s, 'test_1_c')).toMatchObject({ refcnt: 1, lifecycle: 'live' });
    expect(checkInvariants(s).violations).toEqual([]);
    expect(findLeaks(s)).toEqual([]);

    // The exemption is the INUSE state: the same map READY would be a leak, with its program.
    const st = m.st;
    if (!st) throw new Error('no st');
    const ready = withMap(s, m, { st: { ...st, state: 'READY' } });
    expect(findLeaks(ready)).toEqual([
      'prog test_1_c (refcnt 1) is still alive',
      'map legacy (refcnt 1) is still alive',
    ]);
  });

  it('says nothing while the machine is not quiescent (fds still open)', () => {
    const { sim } = load();
    expect(isQuiescent(sim.state)).toBe(false);
    const p = progNamed(sim.state, 'syscall_b');
    const odd = withProg(sim.state, { ...p, id: 77, name: 'orphan' }, { refcnt: 1 });
    expect(findLeaks(odd)).toEqual([]);
  });
});
