/**
 * Every revision of the series, behaviour by behaviour and bug by bug (kernel-semantics §4):
 * the UAPI and libbpf API of v1, the check order, the assoc rules, where disassociation runs,
 * the getter of each revision, and each review bug as the kernel's tools report it. The
 * invariants are checked after every event; the buggy references have named holders.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectDesc } from '../../libbpf/object';
import { isOpenError, type BpfObject, type Libbpf } from '../../libbpf/libbpf';
import type { Sim } from '../../libbpf/sim';
import { assocOf, checkedSim, mapNamed, progNamed } from '../../testing/checked';
import { checkInvariants } from '../invariants';
import { splitStolen, type Holder } from '../refs';
import type { KEvent } from '../tx';
import type { Revision } from '../types';
import { bugsOf, REVIEW_BUGS } from './bugs';
import { kfuncMissingOn, retargetKfuncName, retargetKfuncSource } from './kfuncs';
import { nextRevision, REVISIONS, revisionSpec } from './spec';

const KFUNC = 'bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)';

const OBJ: ObjectDesc = {
  name: 'revs',
  maps: {
    map_a: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: 'bpf_testmod_multi_st_ops',
      members: { test_1: 'shared' },
    },
    map_b: {
      type: 'struct_ops',
      section: '.struct_ops.link',
      struct: 'bpf_testmod_multi_st_ops',
      members: { test_1: 'shared' },
    },
  },
  progs: {
    shared: { section: 'struct_ops/test_1', body: ['return 1234'] },
    user: { section: 'syscall', body: [`ret = ${KFUNC}`, 'return ret'] },
  },
};

interface World {
  readonly sim: Sim;
  readonly lib: Libbpf;
  readonly obj: BpfObject;
  readonly events: KEvent[];
}

function world(revision: Revision): World {
  const events: KEvent[] = [];
  const { sim, lib } = checkedSim({ revision });
  const obj = lib.bpf_object__open_and_load(OBJ);
  if (isOpenError(obj)) throw new Error(obj.errors.join('; '));
  const from = sim.frames.length;
  return {
    sim,
    lib,
    obj,
    get events() {
      events.length = 0;
      for (const f of sim.frames.slice(from)) events.push(...f.events);
      return events;
    },
  };
}

const prog = (w: World, n: string) => {
  const p = w.obj.progs.get(n);
  if (!p) throw new Error(n);
  return p;
};
const map = (w: World, n: string) => {
  const m = w.obj.maps.get(n);
  if (!m) throw new Error(n);
  return m;
};
const assoc = (w: World, p: string, m: string) =>
  w.lib.bpf_program__assoc_struct_ops(prog(w, p), map(w, m));
const settle = (w: World) => w.sim.run({ op: 'settle' }, 'settle');
const reports = (w: World) => w.sim.state.reports ?? [];
const refcnt = (w: World, m: string) => mapNamed(w.sim.state, m).refcnt;

/** Attach map_b, destroy its link and close its fd: map_b is freed. */
function freeMapB(w: World): void {
  const link = w.lib.bpf_map__attach_struct_ops(w.obj, map(w, 'map_b'));
  if (typeof link === 'number') throw new Error(`attach map_b: ${link}`);
  w.lib.bpf_link__destroy(link);
  w.lib.close(map(w, 'map_b').fd);
  settle(w);
}

describe('the revision table (spec.ts)', () => {
  it('has v1..v8 and mainline, oldest first, each citing its source', () => {
    expect(REVISIONS).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'mainline']);
    for (const r of REVISIONS) {
      const s = revisionSpec(r);
      expect(s.id).toBe(r);
      expect(s.source.length).toBeGreaterThan(10);
      expect(s.changes.length).toBeGreaterThan(0);
    }
    expect(revisionSpec('v3').source).toContain('20251017215627.722338-1-ameryhung@gmail.com');
    expect(revisionSpec('v8').source).toContain('b5709f6d26d6');
    expect(nextRevision('v8')).toBe('mainline');
    expect(nextRevision('mainline')).toBeNull();
  });

  it('names each bug on the revisions that have it, fixed on a later one', () => {
    for (const b of REVIEW_BUGS) {
      for (const r of b.revisions)
        expect(REVISIONS.indexOf(b.fixedIn)).toBeGreaterThan(REVISIONS.indexOf(r));
      expect(b.scenario).toMatch(/^history-/);
    }
    expect(bugsOf('v8')).toEqual([]);
    expect(bugsOf('mainline')).toEqual([]);
    expect(bugsOf('v3').map((b) => b.id)).toEqual(['reassoc-leak', 'timer-dangling']);
  });

  it('marks the inferred mechanisms', () => {
    expect(revisionSpec('v1').inferred.length).toBeGreaterThan(0);
    expect(REVIEW_BUGS.find((b) => b.id === 'timer-dangling')?.inferred).toBe(true);
  });
});

describe('v1: the RFC UAPI and libbpf call', () => {
  it('speaks BPF_STRUCT_OPS_ASSOCIATE_PROG through bpf_struct_ops_associate_prog(map_fd, prog_fd)', () => {
    const w = world('v1');
    expect(assoc(w, 'user', 'map_a')).toBe(0);
    const frame = w.sim.frames.at(-1);
    expect(frame?.label).toMatch(/^bpf_struct_ops_associate_prog\(map_a fd, user fd\)$/);
    expect(frame?.op).toMatchObject({ cmd: 'BPF_STRUCT_OPS_ASSOCIATE_PROG' });
    expect(w.events.some((e) => e.stack.includes('struct_ops_assoc_prog'))).toBe(true);
  });

  it('has no libbpf-side check: a struct_ops program reaches the kernel, which says -EINVAL', () => {
    const w = world('v1');
    const before = w.sim.frames.length;
    expect(assoc(w, 'shared', 'map_a')).toBe(-22);
    expect(w.sim.frames.length).toBe(before + 1);
    // v8's libbpf refuses without a system call.
    const w8 = world('v8');
    const before8 = w8.sim.frames.length;
    expect(assoc(w8, 'shared', 'map_a')).toBe(-22);
    expect(w8.sim.frames.length).toBe(before8);
  });

  it('looks the map up before checking the program type (-EBADF, where v2 on says -EINVAL)', () => {
    for (const [rev, want] of [
      ['v1', -9],
      ['v2', -22],
      ['v8', -22],
    ] as const) {
      const w = world(rev);
      expect(w.lib.bpf_prog_assoc_struct_ops(prog(w, 'shared').fd, 99)).toBe(want);
    }
  });

  it('has no flags: a non-zero flags is refused by OPTS_VALID in libbpf', () => {
    const w = world('v1');
    const before = w.sim.frames.length;
    expect(
      w.lib.bpf_prog_assoc_struct_ops(prog(w, 'user').fd, map(w, 'map_a').fd, { flags: 1 }),
    ).toBe(-22);
    expect(w.sim.frames.length).toBe(before);
  });

  it('keeps the first map for a reused struct_ops program (no poison)', () => {
    const w = world('v1');
    expect(w.lib.skel_attach(w.obj)).toBe(0);
    expect(assocOf(w.sim.state, 'shared')).toBe('map_a');
  });

  it('freeing the second map clears the association with the first: an assoc-cleared hazard', () => {
    const w = world('v1');
    const link = w.lib.bpf_map__attach_struct_ops(w.obj, map(w, 'map_a'));
    expect(typeof link).not.toBe('number');
    freeMapB(w);
    expect(assocOf(w.sim.state, 'shared')).toBeNull();
    expect(reports(w).map((r) => r.kind)).toEqual(['assoc-cleared']);
    expect(checkInvariants(w.sim.state).hazards.some((h) => h.includes('cleared'))).toBe(true);
  });
});

describe('v2: poison, still cleared by map free', () => {
  it('poisons a reused struct_ops program; its assoc says -EBUSY, which the update ignores', () => {
    const w = world('v2');
    expect(w.lib.skel_attach(w.obj)).toBe(0);
    expect(assocOf(w.sim.state, 'shared')).toBe('POISON');
    expect(w.events.some((e) => e.why.includes('v2 still returns -EBUSY'))).toBe(true);
  });

  it('freeing one of the maps writes NULL over BPF_PTR_POISON: a poison-cleared hazard at that event', () => {
    const w = world('v2');
    const link = w.lib.bpf_map__attach_struct_ops(w.obj, map(w, 'map_a'));
    expect(typeof link).not.toBe('number');
    const fromA = w.sim.frames.length;
    freeMapB(w);
    expect(assocOf(w.sim.state, 'shared')).toBeNull();
    const r = reports(w);
    expect(r.map((x) => x.kind)).toEqual(['poison-cleared']);
    expect(r[0]?.tool).toBe('hazard');
    expect(r[0]?.fixedIn).toBe('v3');
    // The report is emitted right after the store, inside put_progs.
    const evs = w.sim.frames.slice(fromA).flatMap((f) => f.events);
    const i = evs.findIndex((e) => e.field === 'hazard');
    expect(evs[i - 1]?.kind).toBe('assoc');
    expect(evs[i]?.stack).toContain('bpf_struct_ops_map_put_progs');
  });

  it('v3 keeps the poison on the same sequence, and reports nothing', () => {
    const w = world('v3');
    const link = w.lib.bpf_map__attach_struct_ops(w.obj, map(w, 'map_a'));
    expect(typeof link).not.toBe('number');
    freeMapB(w);
    expect(assocOf(w.sim.state, 'shared')).toBe('POISON');
    expect(reports(w)).toEqual([]);
  });
});

describe('associating twice with the same map', () => {
  for (const rev of REVISIONS) {
    const leaks = ['v1', 'v2', 'v3'].includes(rev);
    it(`${rev}: ${leaks ? 'leaks a map reference: kmemleak reports the map' : 'takes one reference, and the map is freed'}`, () => {
      const w = world(rev);
      expect(assoc(w, 'user', 'map_a')).toBe(0);
      expect(refcnt(w, 'map_a')).toBe(2);
      expect(assoc(w, 'user', 'map_a')).toBe(0);
      expect(refcnt(w, 'map_a')).toBe(leaks ? 3 : 2);
      expect(reports(w)).toEqual([]);
      w.lib.close(prog(w, 'user').fd);
      w.lib.close(map(w, 'map_a').fd);
      settle(w);
      const m = mapNamed(w.sim.state, 'map_a');
      if (leaks) {
        expect(m.lifecycle).toBe('live');
        expect(m.refcnt).toBe(1);
        const r = reports(w);
        expect(r.map((x) => [x.tool, x.kind, x.fixedIn])).toEqual([['kmemleak', 'leak', 'v4']]);
        expect(r[0]?.lines.join('\n')).toContain('refcnt 1');
        expect(r[0]?.lines.join('\n')).toContain('should have been dropped by');
      } else {
        expect(m.lifecycle).toBe('freed');
        expect(reports(w)).toEqual([]);
      }
    });
  }
});

describe('where struct_ops programs are disassociated', () => {
  it('v1..v3: in put_progs, after the grace period, right before the memory is freed', () => {
    for (const rev of ['v1', 'v2', 'v3'] as const) {
      const w = world(rev);
      const link = w.lib.bpf_map__attach_struct_ops(w.obj, map(w, 'map_a'));
      if (typeof link === 'number') throw new Error('attach');
      const free = w.sim.frames.length;
      w.lib.bpf_link__destroy(link);
      w.lib.close(map(w, 'map_a').fd);
      settle(w);
      const evs = w.sim.frames.slice(free).flatMap((f) => f.events);
      const clear = evs.find((e) => e.kind === 'assoc' && e.after === 'NULL');
      expect(clear?.stack).toContain('__bpf_struct_ops_map_free');
      expect(clear?.stack).toContain('bpf_struct_ops_map_put_progs');
    }
  });

  it('v4 on: in bpf_struct_ops_map_dissoc_progs, before the grace period', () => {
    const w = world('v4');
    const link = w.lib.bpf_map__attach_struct_ops(w.obj, map(w, 'map_a'));
    if (typeof link === 'number') throw new Error('attach');
    const free = w.sim.frames.length;
    w.lib.bpf_link__destroy(link);
    w.lib.close(map(w, 'map_a').fd);
    w.sim.run({ op: 'drain' }, 'drain');
    const evs = w.sim.frames.slice(free).flatMap((f) => f.events);
    const clear = evs.find((e) => e.kind === 'assoc' && e.after === 'NULL');
    expect(clear?.stack).toContain('bpf_struct_ops_map_dissoc_progs');
    expect(clear?.stack).not.toContain('__bpf_struct_ops_map_free');
  });
});

describe('the getter of each revision', () => {
  const runUser = (w: World) => w.lib.bpf_prog_test_run_opts(prog(w, 'user').fd);

  it('v3..v6 return NULL while the map is INIT (-1); v7 on call into it (a NULL test_1: oops)', () => {
    for (const rev of REVISIONS) {
      const w = world(rev);
      expect(assoc(w, 'user', 'map_a')).toBe(0);
      const r = runUser(w);
      if (['v3', 'v4', 'v5', 'v6'].includes(rev)) expect(r.retval).toBe(-1);
      else expect(r.oops).not.toBeNull();
    }
  });

  it('v4 takes a reference with bpf_map_inc_not_zero and the kfunc puts it', () => {
    const w = world('v4');
    expect(assoc(w, 'user', 'map_a')).toBe(0);
    const l = w.lib.bpf_map__attach_struct_ops(w.obj, map(w, 'map_a'));
    expect(typeof l).not.toBe('number');
    const before = refcnt(w, 'map_a');
    const from = w.sim.frames.length;
    expect(runUser(w).retval).toBe(1234);
    const evs = w.sim.frames.slice(from).flatMap((f) => f.events);
    const peak = Math.max(
      ...evs
        .filter((e) => e.kind === 'refcnt' && e.target?.kind === 'map')
        .map((e) => Number(e.after)),
    );
    expect(peak).toBe(before + 1);
    expect(evs.some((e) => e.stack.includes('bpf_struct_ops_put'))).toBe(true);
    expect(refcnt(w, 'map_a')).toBe(before);
  });

  it('v5 drops a reference it never took on the INIT path; the map is freed while associated and the second put is a KASAN use-after-free', () => {
    const w = world('v5');
    expect(assoc(w, 'user', 'map_a')).toBe(0);
    expect(refcnt(w, 'map_a')).toBe(2);
    expect(runUser(w).retval).toBe(-1);
    expect(refcnt(w, 'map_a')).toBe(1);
    expect(w.sim.state.refBugs).toEqual([
      {
        kind: 'stolen',
        prog: progNamed(w.sim.state, 'user').id,
        map: mapNamed(w.sim.state, 'map_a').id,
        by: 'bpf_prog_get_assoc_struct_ops',
      },
    ]);
    w.lib.close(map(w, 'map_a').fd);
    settle(w);
    expect(mapNamed(w.sim.state, 'map_a').lifecycle).toBe('freed');
    expect(reports(w).map((r) => r.kind)).toEqual(['dangling']);
    w.lib.close(prog(w, 'user').fd);
    settle(w);
    const kasan = reports(w).at(-1);
    expect(kasan?.tool).toBe('KASAN');
    expect(kasan?.title).toBe('BUG: KASAN: slab-use-after-free in bpf_map_put');
    const text = kasan?.lines.join('\n') ?? '';
    expect(text).toContain('Write of size 8');
    expect(text).toContain('Allocated by task');
    expect(text).toContain('Freed by task');
    expect(text).toMatch(/bpf_map_put\n bpf_prog_disassoc_struct_ops\n bpf_prog_free_deferred/);
    expect(checkInvariants(w.sim.state).violations).toEqual([]);
  });

  it("v5's stolen count: the association still points at the map, but no longer counts", () => {
    const w = world('v5');
    expect(assoc(w, 'user', 'map_a')).toBe(0);
    const mapId = mapNamed(w.sim.state, 'map_a').id;
    const toMap = (hs: readonly Holder[]) =>
      hs.filter((h) => h.target.kind === 'map' && h.target.id === mapId).map((h) => h.kind);
    expect(toMap(splitStolen(w.sim.state).counted)).toContain('assoc');
    runUser(w);
    const { counted, stolen } = splitStolen(w.sim.state);
    expect(toMap(counted)).not.toContain('assoc');
    expect(stolen.map((s) => [s.holder.kind, s.by])).toEqual([
      ['assoc', 'bpf_prog_get_assoc_struct_ops'],
    ]);
    expect(counted.filter((h) => h.target.kind === 'map' && h.target.id === mapId)).toHaveLength(
      refcnt(w, 'map_a'),
    );
  });

  it('v6 has no stray put: the same sequence frees the map once, cleanly', () => {
    const w = world('v6');
    expect(assoc(w, 'user', 'map_a')).toBe(0);
    expect(runUser(w).retval).toBe(-1);
    expect(refcnt(w, 'map_a')).toBe(2);
    w.lib.close(map(w, 'map_a').fd);
    w.lib.close(prog(w, 'user').fd);
    settle(w);
    expect(mapNamed(w.sim.state, 'map_a').lifecycle).toBe('freed');
    expect(reports(w)).toEqual([]);
  });
});

describe('the map update path', () => {
  it('v6 checks the result after the link owns the program (a double put, were the branch taken)', () => {
    const w = world('v6');
    expect(w.lib.skel_attach(w.obj)).toBe(0);
    const check = w.events.find((e) => e.field === 'err');
    expect(check?.why).toContain('second time');
    const slot = w.events.findIndex((e) => e.kind === 'slot');
    expect(w.events.indexOf(check as KEvent)).toBeGreaterThan(slot);
    expect(reports(w)).toEqual([]);
  });

  it('v3..v5 check the result before the link; v7 on ignore it', () => {
    for (const rev of ['v3', 'v5'] as const) {
      const w = world(rev);
      expect(w.lib.skel_attach(w.obj)).toBe(0);
      const check = w.events.find((e) => e.field === 'err');
      const slot = w.events.findIndex((e) => e.kind === 'slot');
      expect(w.events.indexOf(check as KEvent)).toBeLessThan(slot);
    }
    const w8 = world('v8');
    expect(w8.lib.skel_attach(w8.obj)).toBe(0);
    expect(w8.events.some((e) => e.field === 'err')).toBe(false);
  });
});

describe('mainline', () => {
  it('checks flags explicitly (LAST_FIELD is flags), where v8 fails in CHECK_ATTR; both -EINVAL', () => {
    for (const [rev, reason] of [
      ['v8', 'CHECK_ATTR'],
      ['mainline', 'flags must be 0'],
    ] as const) {
      const w = world(rev);
      expect(
        w.lib.bpf_prog_assoc_struct_ops(prog(w, 'user').fd, map(w, 'map_a').fd, { flags: 1 }),
      ).toBe(-22);
      expect(w.sim.frames.at(-1)?.result.reason).toContain(reason);
    }
  });

  it('calls the testmod kfunc by its KF_IMPLICIT_ARGS name, without the aux argument', () => {
    expect(retargetKfuncSource(`ret = ${KFUNC}`, 'mainline')).toBe(
      'ret = bpf_kfunc_multi_st_ops_test_1_assoc(&args)',
    );
    expect(retargetKfuncSource(`ret = ${KFUNC}`, 'v5')).toBe(
      'ret = bpf_kfunc_multi_st_ops_test_1_prog_arg(&args, NULL)',
    );
    expect(retargetKfuncSource(`ret = ${KFUNC}`, 'v8')).toBe(`ret = ${KFUNC}`);
    const w = world('mainline');
    const user = w.sim.state.progs[progNamed(w.sim.state, 'user').id];
    expect(JSON.stringify(user?.body)).toContain('bpf_kfunc_multi_st_ops_test_1_assoc');
  });

  it('spells the kfunc in expectations as each revision does, and leaves other names alone', () => {
    const v8 = 'bpf_kfunc_multi_st_ops_test_1_impl';
    expect(retargetKfuncName(v8, 'mainline')).toBe('bpf_kfunc_multi_st_ops_test_1_assoc');
    expect(retargetKfuncName(v8, 'v3')).toBe('bpf_kfunc_multi_st_ops_test_1_prog_arg');
    expect(retargetKfuncName(v8, 'v8')).toBe(v8);
    expect(retargetKfuncName('bpf_map_put', 'mainline')).toBe('bpf_map_put');
  });

  it('a kernel offers only its own spelling of the kfunc', () => {
    const body = (callee: string) => ({
      main: [
        { kind: 'call' as const, call: { type: 'call' as const, callee, args: [] }, src: callee },
      ],
      subprogs: {},
    });
    expect(kfuncMissingOn('v8', body('bpf_kfunc_multi_st_ops_test_1_impl'))).toBeNull();
    expect(kfuncMissingOn('v7', body('bpf_kfunc_multi_st_ops_test_1_impl'))).toContain(
      'bpf_kfunc_multi_st_ops_test_1_prog_arg',
    );
    expect(kfuncMissingOn('mainline', body('bpf_kfunc_multi_st_ops_test_1_prog_arg'))).toContain(
      'not in this kernel',
    );
  });
});

describe('v8 and mainline run clean', () => {
  for (const rev of ['v8', 'mainline'] as const) {
    it(`${rev}: reuse, re-association, map free and the INIT getter produce no report`, () => {
      const w = world(rev);
      expect(assoc(w, 'user', 'map_a')).toBe(0);
      expect(assoc(w, 'user', 'map_a')).toBe(0);
      expect(w.lib.skel_attach(w.obj)).toBe(0);
      expect(assocOf(w.sim.state, 'shared')).toBe('POISON');
      w.lib.skel_destroy(w.obj);
      settle(w);
      expect(reports(w)).toEqual([]);
      expect(w.sim.state.refBugs ?? []).toEqual([]);
      expect(checkInvariants(w.sim.state)).toEqual({ violations: [], hazards: [] });
    });
  }
});
