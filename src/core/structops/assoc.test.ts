/**
 * Every branch of BPF_PROG_ASSOC_STRUCT_OPS (kernel-semantics §2.2-§2.4) and of the code
 * around it that creates, keeps or drops associations: struct_ops map update (§2.5), delete and
 * free (§2.6), struct_ops links (§2.7), and the `_impl` kfunc (§2.8). Each case checks the exact
 * return value, the refcounts before and after, and the association state. Raw `bpf` ops are
 * used wherever libbpf would refuse before the kernel sees the call. Invariants are checked
 * after every single event (checkedSim).
 */
import { describe, expect, it } from 'vitest';
import type { SysResult } from '../errno';
import { checkInvariants } from '../invariants';
import type { Op } from '../machine';
import { compileBody } from '../prog/compile';
import type { SrcStmt } from '../prog/ast';
import { holdersOf } from '../refs';
import type { BpfCommand, ProgAssocAttr } from '../syscalls/attrs';
import type { KEvent } from '../tx';
import type { BpfMap, KernelState, Prog, ProgType, StOpsAssoc, Val } from '../types';
import { isOpenError, type BpfObject, type Libbpf } from '../../libbpf/libbpf';
import type { ObjectDesc } from '../../libbpf/object';
import type { Sim } from '../../libbpf/sim';
import { assocOf, checkedSim, mapNamed, progNamed } from '../../testing/checked';

const MULTI = 'bpf_testmod_multi_st_ops';
const KFUNC = 'bpf_kfunc_multi_st_ops_test_1_impl(&args, NULL)';
const BAD_FD = 99;
const GP = 1_000_000;
/** The default RCU tasks-trace grace period (syscall programs are sleepable). */
const TT = 4_000_000;

/** A multi_st_ops object: two link maps, one legacy map, an array, and the programs. */
const OBJ: ObjectDesc = {
  name: 'assoc_branches',
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
    map_legacy: {
      type: 'struct_ops',
      section: '.struct_ops',
      struct: MULTI,
      members: { test_1: 'test_1_c' },
    },
    arr: { type: 'array', max_entries: 1 },
  },
  progs: {
    test_1_a: { section: 'struct_ops/test_1', body: ['return 1234'] },
    test_1_b: { section: 'struct_ops/test_1', body: ['return 5678'] },
    test_1_c: { section: 'struct_ops/test_1', body: ['return 42'] },
    syscall_a: { section: 'syscall', body: [`ret = ${KFUNC}`, 'return ret'] },
    syscall_b: { section: 'syscall', body: [`ret = ${KFUNC}`, 'return ret'] },
    tp_prog: { section: 'tp_btf/sys_enter', body: [`ret = ${KFUNC}`, 'return 0'] },
  },
};

/** What a test compares to prove "nothing changed": every count, assoc, state and slot. */
function snapshot(s: KernelState) {
  return {
    progs: Object.values(s.progs).map((p) => ({
      name: p.name,
      refcnt: p.refcnt,
      assoc: p.aux.st_ops_assoc,
      lifecycle: p.lifecycle,
    })),
    maps: Object.values(s.maps).map((m) => ({
      name: m.name,
      refcnt: m.refcnt,
      usercnt: m.usercnt,
      lifecycle: m.lifecycle,
      state: m.st?.state ?? null,
      links: m.st?.links ?? null,
    })),
    links: Object.values(s.links).map((l) => ({ id: l.id, refcnt: l.refcnt, map: l.map })),
    registered: s.testmod.registered,
    inflight: s.inflight,
    pending: s.pending,
  };
}

class Lab {
  readonly sim: Sim;
  readonly lib: Libbpf;
  readonly obj: BpfObject;

  constructor(desc: ObjectDesc = OBJ) {
    const { sim, lib } = checkedSim();
    this.sim = sim;
    this.lib = lib;
    const obj = lib.bpf_object__open_and_load(desc);
    if (isOpenError(obj)) throw new Error(`open_and_load: ${obj.errors.join('; ')}`);
    this.obj = obj;
  }

  get s(): KernelState {
    return this.sim.state;
  }

  /** The events of the last operation. */
  get events(): readonly KEvent[] {
    return this.sim.frames.at(-1)?.events ?? [];
  }

  fd(name: string): number {
    const h = this.obj.progs.get(name) ?? this.obj.maps.get(name);
    if (!h || h.fd < 0) throw new Error(`no fd for ${name}`);
    return h.fd;
  }

  prog(name: string): Prog {
    return progNamed(this.s, name);
  }

  map(name: string): BpfMap {
    return mapNamed(this.s, name);
  }

  assocOf(name: string): string | null {
    return assocOf(this.s, name);
  }

  run(op: Op): SysResult {
    return this.sim.run(op, op.op);
  }

  bpf(c: BpfCommand): SysResult {
    return this.sim.run({ op: 'bpf', ...c }, c.cmd);
  }

  assoc(attr: ProgAssocAttr): SysResult {
    return this.bpf({ cmd: 'BPF_PROG_ASSOC_STRUCT_OPS', attr });
  }

  close(fd: number): SysResult {
    return this.run({ op: 'close', fd });
  }

  update(
    mapFd: number,
    data: Readonly<Record<string, Val>>,
    extra: { key?: number; flags?: number; common?: { refcnt?: number; state?: number } } = {},
  ): SysResult {
    return this.bpf({
      cmd: 'BPF_MAP_UPDATE_ELEM',
      attr: {
        map_fd: mapFd,
        key: extra.key ?? 0,
        value: extra.common ? { common: extra.common, data } : { data },
        flags: extra.flags ?? 0,
      },
    });
  }

  linkCreate(mapFd: number): SysResult {
    return this.bpf({
      cmd: 'BPF_LINK_CREATE',
      attr: { map_fd: mapFd, attach_type: 'BPF_STRUCT_OPS' },
    });
  }

  createStMap(name: string, st_ops: string, flags: readonly string[] = ['BPF_F_LINK']): number {
    const r = this.bpf({
      cmd: 'BPF_MAP_CREATE',
      attr: {
        map_type: 'BPF_MAP_TYPE_STRUCT_OPS',
        map_name: name,
        key_size: 4,
        value_size: 256,
        max_entries: 1,
        map_flags: flags,
        btf_vmlinux_value_type_id: st_ops,
      },
    });
    if (r.ret < 0) throw new Error(`map create ${name}: ${String(r.reason)}`);
    return r.ret;
  }

  loadProg(
    name: string,
    type: ProgType,
    src: readonly SrcStmt[],
    attach: { attach_btf_id?: string; expected_attach_type?: number | string } = {},
  ): number {
    const c = compileBody(src);
    if (!c.ok) throw new Error(`compile ${name}`);
    const r = this.bpf({
      cmd: 'BPF_PROG_LOAD',
      attr: { prog_type: type, prog_name: name, insns: { main: c.stmts, subprogs: {} }, ...attach },
    });
    if (r.ret < 0) throw new Error(`load ${name}: ${String(r.reason)}`);
    return r.ret;
  }

  /** Max refcnt a program/map reached during the last operation, from the event states. */
  peakProg(id: number): number {
    return Math.max(...this.events.map((e) => e.state.progs[id]?.refcnt ?? -1));
  }

  peakMap(id: number): number {
    return Math.max(...this.events.map((e) => e.state.maps[id]?.refcnt ?? -1));
  }
}

const mapAssoc = (l: Lab, map: string): StOpsAssoc => ({ map: l.map(map).id });

// ---------------------------------------------------------------------------------------------

describe('BPF_PROG_ASSOC_STRUCT_OPS: attribute checks (CHECK_ATTR)', () => {
  it('flags != 0 → -EINVAL from CHECK_ATTR before any fd is looked at', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.map('map_a').refcnt).toBe(1);
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a'), flags: 1 });
    expect(r.ret).toBe(-22);
    expect(r.errno).toBe('EINVAL');
    expect(r.reason).toContain('CHECK_ATTR');
    expect(r.reason).toContain('flags = 1');
    expect(l.events.some((e) => e.kind === 'refcnt')).toBe(false);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.map('map_a').refcnt).toBe(1);
    expect(l.map('map_a').usercnt).toBe(1);
    expect(l.assocOf('syscall_a')).toBeNull();
    expect(snapshot(l.s)).toEqual(before);
  });

  it('CHECK_ATTR wins over bad fds: flags != 0 with both fds closed is still -EINVAL', () => {
    const l = new Lab();
    const r = l.assoc({ prog_fd: BAD_FD, map_fd: BAD_FD, flags: 0x80000000 });
    expect(r.ret).toBe(-22);
    expect(r.reason).toContain('CHECK_ATTR');
  });

  it('any other non-zero byte after prog_fd → -EINVAL, naming the field', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const withPad = { prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a'), flags: 0, pad: 7 };
    const attr: ProgAssocAttr = withPad;
    const r = l.assoc(attr);
    expect(r.ret).toBe(-22);
    expect(r.errno).toBe('EINVAL');
    expect(r.reason).toContain('CHECK_ATTR');
    expect(r.reason).toContain('pad = 7');
    expect(snapshot(l.s)).toEqual(before);
  });

  it('flags = 0 given explicitly is accepted (0 bytes pass CHECK_ATTR)', () => {
    const l = new Lab();
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a'), flags: 0 });
    expect(r).toEqual({ ret: 0 });
    expect(l.assocOf('syscall_a')).toBe('map_a');
  });
});

describe('BPF_PROG_ASSOC_STRUCT_OPS: the program fd', () => {
  it('prog fd not open → -EBADF, no reference taken on anything', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const r = l.assoc({ prog_fd: BAD_FD, map_fd: l.fd('map_a') });
    expect(r.ret).toBe(-9);
    expect(r.errno).toBe('EBADF');
    expect(l.events.some((e) => e.kind === 'refcnt')).toBe(false);
    expect(l.map('map_a').refcnt).toBe(1);
    expect(snapshot(l.s)).toEqual(before);
  });

  it('an fd that is a map, not a program → -EINVAL; the map is not touched', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const r = l.assoc({ prog_fd: l.fd('map_b'), map_fd: l.fd('map_a') });
    expect(r.ret).toBe(-22);
    expect(r.errno).toBe('EINVAL');
    expect(r.reason).toContain('not a program');
    expect(l.map('map_a').refcnt).toBe(1);
    expect(l.map('map_b').refcnt).toBe(1);
    expect(l.events.some((e) => e.kind === 'refcnt')).toBe(false);
    expect(snapshot(l.s)).toEqual(before);
  });

  it('a struct_ops program → -EINVAL, checked before the map fd (bad map fd: still -EINVAL)', () => {
    const l = new Lab();
    const p = l.prog('test_1_a');
    expect(p.refcnt).toBe(1);
    const before = snapshot(l.s);
    const r = l.assoc({ prog_fd: l.fd('test_1_a'), map_fd: BAD_FD });
    // Were the map fd looked up first, this would be -EBADF.
    expect(r.ret).toBe(-22);
    expect(r.errno).toBe('EINVAL');
    expect(r.reason).toContain('struct_ops program');
    expect(r.reason).toContain('before the map fd');
    // The program's temporary reference was taken and dropped; no map reference ever.
    expect(l.peakProg(p.id)).toBe(2);
    expect(l.events.some((e) => e.fn === 'bpf_map_get' || e.stack.includes('bpf_map_get'))).toBe(
      false,
    );
    expect(l.events.some((e) => e.target?.kind === 'map')).toBe(false);
    expect(l.prog('test_1_a').refcnt).toBe(1);
    expect(l.s.inflight).toEqual([]);
    expect(snapshot(l.s)).toEqual(before);
  });

  it('a struct_ops program with a valid struct_ops map fd → -EINVAL and the map refcnt never moves', () => {
    const l = new Lab();
    const m = l.map('map_a');
    const r = l.assoc({ prog_fd: l.fd('test_1_a'), map_fd: l.fd('map_a') });
    expect(r.ret).toBe(-22);
    expect(l.events.some((e) => e.stack.includes('bpf_map_get'))).toBe(false);
    expect(l.events.every((e) => e.state.maps[m.id]?.refcnt === 1)).toBe(true);
    expect(l.map('map_a').refcnt).toBe(1);
    expect(l.assocOf('test_1_a')).toBeNull();
  });

  it('a struct_ops program already associated by an update: still -EINVAL, assoc unchanged', () => {
    const l = new Lab();
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    expect(l.assocOf('test_1_a')).toBe('map_a');
    const before = snapshot(l.s);
    expect(l.assoc({ prog_fd: l.fd('test_1_a'), map_fd: l.fd('map_b') }).ret).toBe(-22);
    expect(l.assocOf('test_1_a')).toBe('map_a');
    expect(snapshot(l.s)).toEqual(before);
  });
});

describe('BPF_PROG_ASSOC_STRUCT_OPS: the map fd', () => {
  it('bad map fd → -EBADF and the prog temporary reference is dropped', () => {
    const l = new Lab();
    const p = l.prog('syscall_a');
    expect(p.refcnt).toBe(1);
    const before = snapshot(l.s);
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: BAD_FD });
    expect(r.ret).toBe(-9);
    expect(r.errno).toBe('EBADF');
    expect(l.peakProg(p.id)).toBe(2);
    const progEvents = l.events.filter((e) => e.kind === 'refcnt' && e.target?.id === p.id);
    expect(progEvents.map((e) => [e.before, e.after])).toEqual([
      ['1', '2'],
      ['2', '1'],
    ]);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.assocOf('syscall_a')).toBeNull();
    expect(l.s.inflight).toEqual([]);
    expect(snapshot(l.s)).toEqual(before);
  });

  it('a map fd that is a program → -EINVAL; both programs back where they were', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('syscall_b') });
    expect(r.ret).toBe(-22);
    expect(r.errno).toBe('EINVAL');
    expect(r.reason).toContain('not a map');
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.prog('syscall_b').refcnt).toBe(1);
    expect(l.peakProg(l.prog('syscall_b').id)).toBe(1);
    expect(snapshot(l.s)).toEqual(before);
  });

  it('a non-struct_ops map (ARRAY) → -EINVAL; its temporary reference is dropped', () => {
    const l = new Lab();
    const arr = l.map('arr');
    expect(arr.refcnt).toBe(1);
    const before = snapshot(l.s);
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('arr') });
    expect(r.ret).toBe(-22);
    expect(r.errno).toBe('EINVAL');
    expect(r.reason).toContain('not a struct_ops map');
    expect(l.peakMap(arr.id)).toBe(2);
    expect(l.peakProg(l.prog('syscall_a').id)).toBe(2);
    expect(l.map('arr').refcnt).toBe(1);
    expect(l.map('arr').usercnt).toBe(1);
    expect(l.assocOf('syscall_a')).toBeNull();
    expect(snapshot(l.s)).toEqual(before);
  });
});

describe('BPF_PROG_ASSOC_STRUCT_OPS: bpf_prog_assoc_struct_ops', () => {
  it('first association → 0: +1 map refcnt (usercnt untouched), prog refcnt unchanged', () => {
    const l = new Lab();
    const m = l.map('map_a');
    expect([m.refcnt, m.usercnt]).toEqual([1, 1]);
    expect(l.map('map_a').st?.state).toBe('INIT');
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') });
    expect(r).toEqual({ ret: 0 });
    expect([l.map('map_a').refcnt, l.map('map_a').usercnt]).toEqual([2, 1]);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.prog('syscall_a').aux.st_ops_assoc).toEqual(mapAssoc(l, 'map_a'));
    // temporary refs: map 1 → 2 (get) → 3 (assoc) → 2 (put)
    expect(l.peakMap(m.id)).toBe(3);
    const assocHolders = holdersOf(l.s).filter((h) => h.kind === 'assoc');
    expect(assocHolders).toHaveLength(1);
    expect(assocHolders[0]?.target).toEqual({ kind: 'map', id: m.id });
    expect(l.s.inflight).toEqual([]);
  });

  it('the same map again → 0 and no new reference', () => {
    const l = new Lab();
    expect(l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') }).ret).toBe(0);
    expect(l.map('map_a').refcnt).toBe(2);
    const before = snapshot(l.s);
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') });
    expect(r).toEqual({ ret: 0 });
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.assocOf('syscall_a')).toBe('map_a');
    expect(l.events.some((e) => e.kind === 'assoc')).toBe(false);
    expect(l.events.filter((e) => e.stack.includes('bpf_map_inc')).length).toBe(1); // the get only
    expect(snapshot(l.s)).toEqual(before);
  });

  it('another map → -EBUSY: the association and every count stay as they were', () => {
    const l = new Lab();
    expect(l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') }).ret).toBe(0);
    const before = snapshot(l.s);
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.map('map_b').refcnt).toBe(1);
    const r = l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_b') });
    expect(r.ret).toBe(-16);
    expect(r.errno).toBe('EBUSY');
    expect(r.reason).toContain('map_a');
    expect(l.assocOf('syscall_a')).toBe('map_a');
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.map('map_b').refcnt).toBe(1);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(snapshot(l.s)).toEqual(before);
    // The explicit association is never poisoned.
    expect(l.prog('syscall_a').aux.st_ops_assoc).not.toBe('POISON');
  });

  it('accepts any map state (INIT, READY, INUSE, TOBEFREE) and tracing programs', () => {
    const l = new Lab();
    expect(l.update(l.fd('map_legacy'), { test_1: l.fd('test_1_c') }).ret).toBe(0);
    expect(l.map('map_legacy').st?.state).toBe('INUSE');
    expect(l.map('map_legacy').refcnt).toBe(2); // fd + reg
    expect(l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_legacy') }).ret).toBe(0);
    expect(l.map('map_legacy').refcnt).toBe(3);
    expect(
      l.bpf({ cmd: 'BPF_MAP_DELETE_ELEM', attr: { map_fd: l.fd('map_legacy'), key: 0 } }).ret,
    ).toBe(0);
    expect(l.map('map_legacy').st?.state).toBe('TOBEFREE');
    expect(l.map('map_legacy').refcnt).toBe(2);
    expect(l.assoc({ prog_fd: l.fd('syscall_b'), map_fd: l.fd('map_legacy') }).ret).toBe(0);
    expect(l.map('map_legacy').refcnt).toBe(3);
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    expect(l.map('map_a').st?.state).toBe('READY');
    expect(l.assoc({ prog_fd: l.fd('tp_prog'), map_fd: l.fd('map_a') }).ret).toBe(0);
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.assocOf('tp_prog')).toBe('map_a');
    expect(l.assocOf('syscall_a')).toBe('map_legacy');
    expect(l.assocOf('syscall_b')).toBe('map_legacy');
  });

  it("the association holds refcnt only: closing the map's fd leaves refcnt 1, usercnt 0, live", () => {
    const l = new Lab();
    const id = l.map('map_a').id;
    expect(l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') }).ret).toBe(0);
    expect(l.close(l.fd('map_a')).ret).toBe(0);
    const m = l.s.maps[id];
    expect(m?.refcnt).toBe(1);
    expect(m?.usercnt).toBe(0);
    expect(m?.lifecycle).toBe('live');
    expect(holdersOf(l.s).filter((h) => h.target.kind === 'map' && h.target.id === id)).toEqual([
      expect.objectContaining({ kind: 'assoc', label: 'st_ops_assoc' }),
    ]);
  });
});

describe('implicit association by the map update', () => {
  it('a struct_ops program is associated without a map reference; links[] holds the prog', () => {
    const l = new Lab();
    expect(l.prog('test_1_a').refcnt).toBe(1);
    expect(l.map('map_a').refcnt).toBe(1);
    const r = l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') });
    expect(r).toEqual({ ret: 0 });
    expect(l.prog('test_1_a').refcnt).toBe(2); // fd + links[0]
    expect(l.map('map_a').refcnt).toBe(1);
    expect(l.map('map_a').usercnt).toBe(1);
    expect(l.map('map_a').st?.links).toEqual([l.prog('test_1_a').id]);
    expect(l.map('map_a').st?.state).toBe('READY');
    expect(l.assocOf('test_1_a')).toBe('map_a');
    expect(holdersOf(l.s).some((h) => h.kind === 'assoc')).toBe(false);
  });

  it('poisoned by a second map; poison survives more updates, both map frees, and prog free', () => {
    const l = new Lab();
    const pid = l.prog('test_1_a').id;
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    expect(l.assocOf('test_1_a')).toBe('map_a');

    // map_b's update reuses test_1_a: still 0, the program is poisoned.
    const r = l.update(l.fd('map_b'), { test_1: l.fd('test_1_a') });
    expect(r).toEqual({ ret: 0 });
    expect(l.assocOf('test_1_a')).toBe('POISON');
    expect(l.prog('test_1_a').refcnt).toBe(3); // fd + map_a.links[0] + map_b.links[0]
    expect(l.map('map_a').refcnt).toBe(1);
    expect(l.map('map_b').refcnt).toBe(1);
    expect(l.map('map_b').st?.state).toBe('READY');
    const poison = l.events.filter((e) => e.kind === 'assoc');
    expect(poison.map((e) => [e.before, e.after])).toEqual([['map_a', 'BPF_PTR_POISON']]);

    // A third map: POISON stays POISON.
    const cFd = l.createStMap('map_c', MULTI);
    expect(l.update(cFd, { test_1: l.fd('test_1_a') })).toEqual({ ret: 0 });
    expect(l.assocOf('test_1_a')).toBe('POISON');
    expect(l.prog('test_1_a').refcnt).toBe(4);

    // Free map_a: dissoc leaves POISON, put_progs drops one reference.
    expect(l.close(l.fd('map_a')).ret).toBe(0);
    l.run({ op: 'settle' });
    expect(Object.values(l.s.maps).find((m) => m.name === 'map_a')?.lifecycle).toBe('freed');
    expect(l.s.progs[pid]?.aux.st_ops_assoc).toBe('POISON');
    expect(l.s.progs[pid]?.refcnt).toBe(3);
    const kept = l.events.filter((e) => e.fn === 'bpf_prog_disassoc_struct_ops');
    expect(kept.length).toBe(1);
    expect(kept[0]?.after).toBe('BPF_PTR_POISON');

    // Free map_b and map_c too.
    expect(l.close(l.fd('map_b')).ret).toBe(0);
    expect(l.close(cFd).ret).toBe(0);
    l.run({ op: 'settle' });
    expect(l.s.progs[pid]?.aux.st_ops_assoc).toBe('POISON');
    expect(l.s.progs[pid]?.refcnt).toBe(1);

    // Free the program: disassoc on prog free leaves POISON too.
    expect(l.close(l.fd('test_1_a')).ret).toBe(0);
    expect(l.s.progs[pid]?.lifecycle).toBe('freeing');
    l.run({ op: 'drain' });
    expect(l.s.progs[pid]?.lifecycle).toBe('freed');
    expect(l.s.progs[pid]?.aux.st_ops_assoc).toBe('POISON');
    expect(
      l.events.some((e) => e.fn === 'bpf_prog_disassoc_struct_ops' && e.kind === 'check'),
    ).toBe(true);
  });
});

describe('a struct_ops map kept alive only by an association', () => {
  it('sleepable program free → tasks-trace GP → work → disassoc puts the map → map free → GP → freed → link put work', () => {
    const l = new Lab();
    const mapId = l.map('map_a').id;
    const sysId = l.prog('syscall_a').id;
    const t1Id = l.prog('test_1_a').id;
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    expect(l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') }).ret).toBe(0);
    expect(l.map('map_a').refcnt).toBe(2);

    expect(l.close(l.fd('map_a')).ret).toBe(0);
    expect(l.s.maps[mapId]).toMatchObject({ refcnt: 1, usercnt: 0, lifecycle: 'live' });
    expect(l.s.pending).toEqual([]);

    const t0 = l.s.now;
    expect(l.close(l.fd('syscall_a')).ret).toBe(0);
    expect(l.s.progs[sysId]).toMatchObject({ refcnt: 0, lifecycle: 'freeing' });
    expect(l.s.progs[sysId]?.aux.st_ops_assoc).toEqual({ map: mapId });
    expect(l.s.progs[sysId]?.sleepable).toBe(true);
    expect(l.s.pending.map((p) => [p.fn, p.kind, p.dueAt])).toEqual([
      ['__bpf_prog_put_rcu', 'rcu_tasks_trace', t0 + TT],
    ]);
    expect(l.s.maps[mapId]?.refcnt).toBe(1);

    l.run({ op: 'drain' });
    const ev = l.events;
    // The deferred items, in the order they ran, with the clock at each.
    const ran = ev
      .filter((e) => e.kind === 'defer' && e.after === 'running')
      .map((e) => [e.before?.split('(')[0], e.state.now]);
    expect(ran).toEqual([
      ['__bpf_prog_put_rcu', t0 + TT],
      ['bpf_prog_free_deferred', t0 + TT],
      ['bpf_map_free_deferred', t0 + TT],
      ['__bpf_struct_ops_map_free', t0 + TT + GP],
      ['bpf_link_put_deferred', t0 + TT + GP],
    ]);
    // Between the RCU callback and the work item, the queue holds exactly the work item.
    const queuedWork = ev.find(
      (e) => e.kind === 'defer' && e.after?.startsWith('bpf_prog_free_deferred') === true,
    );
    expect(queuedWork?.fn).toBe('queue_work');
    expect(queuedWork?.stack).toContain('bpf_prog_free');
    expect(queuedWork?.state.pending.map((p) => p.fn)).toEqual(['bpf_prog_free_deferred']);
    expect(queuedWork?.state.progs[sysId]?.lifecycle).toBe('freeing');
    expect(queuedWork?.state.maps[mapId]?.refcnt).toBe(1);

    // The disassociation drops the last map reference and queues the map free.
    const put = ev.find(
      (e) => e.kind === 'refcnt' && e.target?.kind === 'map' && e.target.id === mapId,
    );
    expect(put?.stack).toEqual(
      expect.arrayContaining(['bpf_prog_free_deferred', 'bpf_prog_disassoc_struct_ops']),
    );
    expect([put?.before, put?.after]).toEqual(['1', '0']);
    expect(put?.state.progs[sysId]?.aux.st_ops_assoc).toBeNull();
    expect(put?.state.maps[mapId]?.lifecycle).toBe('freeing');
    expect(put?.state.pending.map((p) => p.fn)).toEqual([]);
    const mapWork = ev.find(
      (e) => e.kind === 'defer' && e.after?.startsWith('bpf_map_free_deferred') === true,
    );
    expect(mapWork?.state.pending.map((p) => p.fn)).toEqual(['bpf_map_free_deferred']);
    expect(mapWork?.state.progs[sysId]?.lifecycle).toBe('freeing');

    // bpf_struct_ops_map_free: dissoc test_1_a BEFORE the grace period, then put_progs after.
    const iDissoc = ev.findIndex(
      (e) =>
        e.kind === 'assoc' &&
        e.target?.id === t1Id &&
        e.stack.includes('bpf_struct_ops_map_dissoc_progs'),
    );
    const iQueue = ev.findIndex(
      (e) => e.kind === 'defer' && e.after?.startsWith('__bpf_struct_ops_map_free') === true,
    );
    const iPut = ev.findIndex(
      (e) => e.kind === 'refcnt' && e.target?.id === t1Id && e.fn === 'bpf_prog_put',
    );
    const iFreed = ev.findIndex(
      (e) => e.kind === 'free' && e.target?.kind === 'map' && e.target.id === mapId,
    );
    expect(iDissoc).toBeGreaterThan(-1);
    expect(ev[iDissoc]?.stack).toContain('bpf_struct_ops_map_free');
    expect(iDissoc).toBeLessThan(iQueue);
    expect(iQueue).toBeLessThan(iFreed);
    // The link's program put is a work item of its own, after the map's memory is freed.
    expect(iFreed).toBeLessThan(iPut);
    expect(ev[iPut]?.stack).toEqual(
      expect.arrayContaining(['bpf_link_put_deferred', 'bpf_link_free', 'bpf_link_dealloc']),
    );
    expect(ev[iPut]?.stack).not.toContain('__bpf_struct_ops_map_free');
    expect(ev[iQueue]?.state.pending.map((p) => p.fn)).toEqual(['__bpf_struct_ops_map_free']);

    expect(l.s.maps[mapId]).toMatchObject({ refcnt: 0, usercnt: 0, lifecycle: 'freed' });
    expect(l.s.progs[sysId]?.lifecycle).toBe('freed');
    expect(l.s.progs[sysId]?.aux.st_ops_assoc).toBeNull();
    expect(l.s.progs[t1Id]?.refcnt).toBe(1);
    expect(l.s.progs[t1Id]?.aux.st_ops_assoc).toBeNull();
    expect(l.s.pending).toEqual([]);
    expect(l.s.now).toBe(t0 + TT + GP);
  });

  it('put_progs puts each trampoline link: the program reference goes with a work item', () => {
    const l = new Lab();
    const mapId = l.map('map_a').id;
    const t1Id = l.prog('test_1_a').id;
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    expect(l.close(l.fd('map_a')).ret).toBe(0);
    expect(l.run({ op: 'work_item' }).ret).toBe(0); // bpf_map_free_deferred: dissoc, then wait
    expect(l.s.pending.map((p) => p.fn)).toEqual(['__bpf_struct_ops_map_free']);

    // One RCU grace period: the map's memory is freed; test_1_a is still referenced by the
    // queued link put, which the invariant checker counts as a holder.
    expect(l.run({ op: 'grace_period', flavor: 'rcu' }).ret).toBe(1);
    expect(l.s.maps[mapId]?.lifecycle).toBe('freed');
    expect(l.s.maps[mapId]?.st?.links).toEqual([]);
    expect(l.s.progs[t1Id]?.refcnt).toBe(2);
    expect(l.s.pending.map((p) => [p.fn, p.kind, p.holds])).toEqual([
      ['bpf_link_put_deferred', 'work', { kind: 'prog', id: t1Id }],
    ]);
    expect(holdersOf(l.s).filter((h) => h.kind === 'deferred')).toHaveLength(1);

    // The work item: bpf_link_free → bpf_link_dealloc → bpf_prog_put.
    expect(l.run({ op: 'work_item' }).ret).toBe(0);
    expect(l.s.progs[t1Id]?.refcnt).toBe(1);
    expect(l.s.pending).toEqual([]);
    expect(l.run({ op: 'work_item' }).ret).toBe(-2);
  });

  it('a grace period runs only its own flavor: tasks-trace callbacks wait for their own', () => {
    const l = new Lab();
    const sysId = l.prog('syscall_a').id;
    const tpId = l.prog('tp_prog').id;
    const t0 = l.s.now;
    expect(l.close(l.fd('syscall_a')).ret).toBe(0);
    expect(l.close(l.fd('tp_prog')).ret).toBe(0);
    expect(l.s.pending.map((p) => [p.kind, p.target.id])).toEqual([
      ['rcu_tasks_trace', sysId],
      ['rcu', tpId],
    ]);
    expect(l.run({ op: 'grace_period', flavor: 'rcu' }).ret).toBe(1);
    expect(l.s.now).toBe(t0 + GP);
    expect(l.s.pending.map((p) => [p.fn, p.kind])).toEqual([
      ['__bpf_prog_put_rcu', 'rcu_tasks_trace'],
      ['bpf_prog_free_deferred', 'work'],
    ]);
    expect(l.run({ op: 'grace_period', flavor: 'rcu_tasks_trace' }).ret).toBe(1);
    expect(l.s.now).toBe(t0 + GP + TT);
    expect(l.s.pending.map((p) => [p.fn, p.target.id])).toEqual([
      ['bpf_prog_free_deferred', tpId],
      ['bpf_prog_free_deferred', sysId],
    ]);
    l.run({ op: 'work_item' });
    expect(l.s.progs[tpId]?.lifecycle).toBe('freed');
    expect(l.s.progs[sysId]?.lifecycle).toBe('freeing');
  });

  it('map free disassociates BEFORE the grace period; links[] is put only after it', () => {
    const l = new Lab();
    const mapId = l.map('map_a').id;
    const t1Id = l.prog('test_1_a').id;
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    expect(l.prog('test_1_a').refcnt).toBe(2);
    const t0 = l.s.now;
    expect(l.close(l.fd('map_a')).ret).toBe(0);
    expect(l.s.maps[mapId]).toMatchObject({ refcnt: 0, lifecycle: 'freeing' });
    expect(l.s.pending.map((p) => [p.fn, p.kind, p.dueAt])).toEqual([
      ['bpf_map_free_deferred', 'work', t0],
    ]);
    expect(l.assocOf('test_1_a')).toBe('map_a');

    // 1 ns: the work item runs (dissoc), the RCU callback is queued for t0 + GP.
    l.run({ op: 'advance', ns: 1 });
    expect(l.s.now).toBe(t0 + 1);
    expect(l.s.progs[t1Id]?.aux.st_ops_assoc).toBeNull();
    expect(l.s.maps[mapId]?.lifecycle).toBe('freeing');
    expect(l.s.maps[mapId]?.st?.links).toEqual([t1Id]);
    expect(l.s.progs[t1Id]?.refcnt).toBe(2);
    expect(l.s.pending.map((p) => [p.fn, p.kind, p.dueAt])).toEqual([
      ['__bpf_struct_ops_map_free', 'rcu', t0 + GP],
    ]);

    // Just before the grace period ends: still waiting.
    l.run({ op: 'advance', ns: GP - 2 });
    expect(l.s.now).toBe(t0 + GP - 1);
    expect(l.s.maps[mapId]?.lifecycle).toBe('freeing');
    expect(l.s.maps[mapId]?.st?.links).toEqual([t1Id]);
    expect(l.s.progs[t1Id]?.aux.st_ops_assoc).toBeNull();
    expect(l.s.pending).toHaveLength(1);

    // The grace period ends: put_progs, the map is freed.
    l.run({ op: 'advance', ns: 1 });
    expect(l.s.maps[mapId]?.lifecycle).toBe('freed');
    expect(l.s.maps[mapId]?.st?.links).toEqual([]);
    expect(l.s.progs[t1Id]?.refcnt).toBe(1);
    expect(l.s.pending).toEqual([]);
  });
});

describe('a failed map update leaves an association behind (kernel-semantics §2.5)', () => {
  function scx(l: Lab): { mapFd: number; enqFd: number } {
    const mapFd = l.createStMap('scx_ops', 'sched_ext_ops');
    const enqFd = l.loadProg('enq', 'BPF_PROG_TYPE_STRUCT_OPS', ['return 0'], {
      attach_btf_id: 'sched_ext_ops',
      expected_attach_type: 1, // enqueue
    });
    return { mapFd, enqFd };
  }

  it('enqueue valid, dispatch a syscall program → -EINVAL, INIT, links[] empty, enq still associated', () => {
    const l = new Lab();
    const { mapFd, enqFd } = scx(l);
    const enq = l.prog('enq');
    const sys = l.prog('syscall_a');
    expect(enq.refcnt).toBe(1);
    expect(l.map('scx_ops').refcnt).toBe(1);

    const r = l.update(mapFd, { enqueue: enqFd, dispatch: l.fd('syscall_a') });
    expect(r.ret).toBe(-22);
    expect(r.errno).toBe('EINVAL');
    expect(r.reason).toContain('not a struct_ops program');
    // enq was placed in links[0] (refcnt 2), then reset_unlock put its link: the program
    // reference goes with the queued bpf_link_put_deferred until a worker runs it.
    expect(l.peakProg(enq.id)).toBe(2);
    expect(l.peakProg(sys.id)).toBe(2);
    expect(l.prog('enq').refcnt).toBe(2);
    expect(l.s.pending.map((p) => p.fn)).toEqual(['bpf_link_put_deferred']);
    expect(l.run({ op: 'work_item' }).ret).toBe(0);
    expect(l.prog('enq').refcnt).toBe(1);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    const m = l.map('scx_ops');
    expect(m.st?.state).toBe('INIT');
    expect(m.st?.links).toEqual([]);
    expect(m.st?.kdata.funcs).toEqual({});
    expect([m.refcnt, m.usercnt]).toEqual([1, 1]);
    expect(l.assocOf('enq')).toBe('scx_ops');
    expect(l.assocOf('syscall_a')).toBeNull();
    expect(l.s.inflight).toEqual([]);

    // Retrying with a valid value: 0, "same map", nothing re-associated.
    const retry = l.update(mapFd, { enqueue: enqFd });
    expect(retry).toEqual({ ret: 0 });
    expect(l.events.some((e) => e.kind === 'assoc')).toBe(false);
    const same = l.events.find((e) => e.fn === 'bpf_prog_assoc_struct_ops');
    expect(same?.kind).toBe('check');
    expect(same?.why).toContain('already associated');
    expect(l.assocOf('enq')).toBe('scx_ops');
    expect(l.map('scx_ops').st?.state).toBe('READY');
    expect(l.map('scx_ops').st?.links).toEqual([enq.id]);
    expect(l.prog('enq').refcnt).toBe(2);
    expect(l.map('scx_ops').refcnt).toBe(1);
  });

  it.each([
    ['a program loaded for the wrong member index (select_cpu in dispatch)', 'member 0'],
    ['a program of another struct_ops type (multi_st_ops test_1 in dispatch)', MULTI],
  ])('enqueue valid, dispatch %s → -EINVAL, enq stays associated', (what, inReason) => {
    const l = new Lab();
    const { mapFd, enqFd } = scx(l);
    const badFd = what.includes('wrong member')
      ? l.loadProg('sel', 'BPF_PROG_TYPE_STRUCT_OPS', ['return 0'], {
          attach_btf_id: 'sched_ext_ops',
          expected_attach_type: 0,
        })
      : l.fd('test_1_a');
    const bad = l.s.processes[100]?.fds[badFd];
    const badId = bad?.id ?? -1;
    const badBefore = l.s.progs[badId]?.refcnt;
    const r = l.update(mapFd, { enqueue: enqFd, dispatch: badFd });
    expect(r.ret).toBe(-22);
    expect(r.reason).toContain(inReason);
    expect(l.map('scx_ops').st?.state).toBe('INIT');
    expect(l.map('scx_ops').st?.links).toEqual([]);
    expect(l.prog('enq').refcnt).toBe(2);
    l.run({ op: 'work_item' });
    expect(l.prog('enq').refcnt).toBe(1);
    expect(l.s.progs[badId]?.refcnt).toBe(badBefore);
    expect(l.s.progs[badId]?.aux.st_ops_assoc).toBeNull();
    expect(l.assocOf('enq')).toBe('scx_ops');
  });

  it('if the map is then freed, the association dangles: a hazard, not a violation', () => {
    const l = new Lab();
    const { mapFd, enqFd } = scx(l);
    const mapId = l.map('scx_ops').id;
    expect(l.update(mapFd, { enqueue: enqFd, dispatch: l.fd('syscall_a') }).ret).toBe(-22);
    expect(checkInvariants(l.s).hazards).toEqual([]);
    expect(l.close(mapFd).ret).toBe(0);
    l.run({ op: 'settle' });
    expect(l.s.maps[mapId]?.lifecycle).toBe('freed');
    // links[] was empty, so map free's dissoc never reached enq.
    expect(l.events.some((e) => e.kind === 'assoc')).toBe(false);
    expect(l.prog('enq').aux.st_ops_assoc).toEqual({ map: mapId });
    expect(l.prog('enq').refcnt).toBe(1);
    const report = checkInvariants(l.s);
    expect(report.violations).toEqual([]);
    expect(report.hazards).toHaveLength(1);
    expect(report.hazards[0]).toContain('enq');
    expect(report.hazards[0]).toContain('freed map scx_ops');
  });
});

describe('struct_ops map update errors', () => {
  it('a non-INIT map → -EBUSY (one-shot); nothing changes', () => {
    const l = new Lab();
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    const before = snapshot(l.s);
    expect(l.prog('test_1_b').refcnt).toBe(1);
    const r = l.update(l.fd('map_a'), { test_1: l.fd('test_1_b') });
    expect(r.ret).toBe(-16);
    expect(r.errno).toBe('EBUSY');
    expect(r.reason).toContain('READY');
    expect(l.prog('test_1_b').refcnt).toBe(1);
    expect(l.assocOf('test_1_b')).toBeNull();
    expect(l.assocOf('test_1_a')).toBe('map_a');
    expect(snapshot(l.s)).toEqual(before);
  });

  it.each<[string, number, string, Parameters<Lab['update']>[2]]>([
    ['flags != 0', -22, 'EINVAL', { flags: 1 }],
    ['key != 0', -7, 'E2BIG', { key: 1 }],
    ['flags and key both bad: flags first', -22, 'EINVAL', { flags: 2, key: 3 }],
    ['common.state != 0', -22, 'EINVAL', { common: { state: 1 } }],
    ['common.refcnt != 0', -22, 'EINVAL', { common: { refcnt: 1 } }],
  ])('%s → %s (%s), map INIT, no reference taken', (_what, ret, errno, extra) => {
    const l = new Lab();
    const before = snapshot(l.s);
    const r = l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }, extra);
    expect(r.ret).toBe(ret);
    expect(r.errno).toBe(errno);
    expect(l.prog('test_1_a').refcnt).toBe(1);
    expect(l.peakProg(l.prog('test_1_a').id)).toBe(1);
    expect(l.map('map_a').refcnt).toBe(1);
    expect(l.map('map_a').st?.state).toBe('INIT');
    expect(l.assocOf('test_1_a')).toBeNull();
    expect(snapshot(l.s)).toEqual(before);
  });

  it('a non-struct_ops program in a slot → -EINVAL; its temp ref is dropped, never associated', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const r = l.update(l.fd('map_a'), { test_1: l.fd('syscall_a') });
    expect(r.ret).toBe(-22);
    expect(r.reason).toContain('not a struct_ops program');
    expect(l.peakProg(l.prog('syscall_a').id)).toBe(2);
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.assocOf('syscall_a')).toBeNull();
    expect(l.map('map_a').st?.state).toBe('INIT');
    expect(snapshot(l.s)).toEqual(before);
  });

  it('a closed fd in a slot → -EBADF', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const r = l.update(l.fd('map_a'), { test_1: BAD_FD });
    expect(r.ret).toBe(-9);
    expect(snapshot(l.s)).toEqual(before);
  });
});

describe('legacy (no BPF_F_LINK) struct_ops map', () => {
  it('update registers (INUSE, +1 map ref "reg"); delete → TOBEFREE; again → -EINPROGRESS', () => {
    const l = new Lab();
    const id = l.map('map_legacy').id;
    const del = () =>
      l.bpf({ cmd: 'BPF_MAP_DELETE_ELEM', attr: { map_fd: l.fd('map_legacy'), key: 0 } });

    // INIT: nothing registered yet.
    const before = snapshot(l.s);
    const d0 = del();
    expect(d0.ret).toBe(-2);
    expect(d0.errno).toBe('ENOENT');
    expect(snapshot(l.s)).toEqual(before);

    expect(l.update(l.fd('map_legacy'), { test_1: l.fd('test_1_c') })).toEqual({ ret: 0 });
    expect(l.map('map_legacy').st?.state).toBe('INUSE');
    expect([l.map('map_legacy').refcnt, l.map('map_legacy').usercnt]).toEqual([2, 1]);
    expect(holdersOf(l.s).filter((h) => h.kind === 'legacy_reg')).toEqual([
      expect.objectContaining({ label: 'reg', target: { kind: 'map', id } }),
    ]);
    expect(l.s.testmod.registered).toEqual([id]);
    expect(l.assocOf('test_1_c')).toBe('map_legacy');
    expect(l.prog('test_1_c').refcnt).toBe(2);
    const look = l.bpf({
      cmd: 'BPF_MAP_LOOKUP_ELEM',
      attr: { map_fd: l.fd('map_legacy'), key: 0 },
    });
    // refcnt - usercnt = the registration's reference; the lookup itself takes none.
    expect(look.out?.['value']).toMatchObject({ common: { refcnt: 1, state: 1 } });
    expect(l.peakMap(id)).toBe(2);

    const d1 = del();
    expect(d1).toEqual({ ret: 0 });
    expect(l.map('map_legacy').st?.state).toBe('TOBEFREE');
    expect(l.map('map_legacy').refcnt).toBe(1);
    expect(l.s.testmod.registered).toEqual([]);
    // delete_elem does not disassociate.
    expect(l.assocOf('test_1_c')).toBe('map_legacy');
    expect(l.prog('test_1_c').refcnt).toBe(2);

    const mid = snapshot(l.s);
    const d2 = del();
    expect(d2.ret).toBe(-115);
    expect(d2.errno).toBe('EINPROGRESS');
    expect(snapshot(l.s)).toEqual(mid);

    // TOBEFREE is terminal: the update is refused.
    const u = l.update(l.fd('map_legacy'), { test_1: l.fd('test_1_c') });
    expect(u.ret).toBe(-16);
    expect(snapshot(l.s)).toEqual(mid);
  });

  it('delete on a BPF_F_LINK map → -EOPNOTSUPP (INIT and READY)', () => {
    const l = new Lab();
    const del = () =>
      l.bpf({ cmd: 'BPF_MAP_DELETE_ELEM', attr: { map_fd: l.fd('map_a'), key: 0 } });
    expect(del().ret).toBe(-95);
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    const before = snapshot(l.s);
    const r = del();
    expect(r.ret).toBe(-95);
    expect(r.errno).toBe('EOPNOTSUPP');
    expect(l.map('map_a').st?.state).toBe('READY');
    expect(snapshot(l.s)).toEqual(before);
  });

  it('linking the same BPF_F_LINK map twice: the second reg fails with -EEXIST', () => {
    const l = new Lab();
    const id = l.map('map_a').id;
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    const first = l.linkCreate(l.fd('map_a'));
    expect(first.ret).toBeGreaterThan(2);
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.s.testmod.registered).toEqual([id]);
    const fds = Object.keys(l.s.processes[100]?.fds ?? {}).length;

    const second = l.linkCreate(l.fd('map_a'));
    expect(second.ret).toBe(-17);
    expect(second.errno).toBe('EEXIST');
    expect(l.peakMap(id)).toBe(3);
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.s.testmod.registered).toEqual([id]);
    expect(Object.keys(l.s.processes[100]?.fds ?? {}).length).toBe(fds);
    const failed = Object.values(l.s.links).at(-1);
    expect(failed?.lifecycle).toBe('freed');
    expect(failed?.map).toBeNull();
  });
});

describe('struct_ops links', () => {
  it('link_create on an INIT map, a legacy map, an array, a closed fd → -EINVAL/-EBADF', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const init = l.linkCreate(l.fd('map_a'));
    expect(init.ret).toBe(-22);
    expect(init.reason).toContain('INIT');
    expect(l.peakMap(l.map('map_a').id)).toBe(2);
    expect(snapshot(l.s)).toEqual(before);

    const legacyInit = l.linkCreate(l.fd('map_legacy'));
    expect(legacyInit.ret).toBe(-22);
    expect(l.update(l.fd('map_legacy'), { test_1: l.fd('test_1_c') }).ret).toBe(0);
    const mid = snapshot(l.s);
    const legacy = l.linkCreate(l.fd('map_legacy'));
    expect(legacy.ret).toBe(-22);
    expect(legacy.reason).toContain('BPF_F_LINK');
    expect(l.map('map_legacy').refcnt).toBe(2);
    expect(l.linkCreate(l.fd('arr')).ret).toBe(-22);
    expect(l.linkCreate(BAD_FD).ret).toBe(-9);
    expect(snapshot(l.s)).toEqual(mid);
  });

  it('detach → 0: unreg, map refcnt -1, associations untouched; detach again → 0; re-attach', () => {
    const l = new Lab();
    const id = l.map('map_a').id;
    expect(l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') }).ret).toBe(0);
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    const linkFd = l.linkCreate(l.fd('map_a')).ret;
    expect(linkFd).toBeGreaterThan(2);
    expect(l.map('map_a').refcnt).toBe(3); // fd + assoc + link
    expect(l.s.testmod.registered).toEqual([id]);
    const linkId = l.s.processes[100]?.fds[linkFd]?.id ?? -1;
    expect(l.s.links[linkId]).toMatchObject({ refcnt: 1, map: id, lifecycle: 'live' });

    const d = l.bpf({ cmd: 'BPF_LINK_DETACH', attr: { link_fd: linkFd } });
    expect(d).toEqual({ ret: 0 });
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.s.testmod.registered).toEqual([]);
    expect(l.s.links[linkId]).toMatchObject({ refcnt: 1, map: null, lifecycle: 'live' });
    expect(l.assocOf('syscall_a')).toBe('map_a');
    expect(l.assocOf('test_1_a')).toBe('map_a');
    expect(l.map('map_a').st?.state).toBe('READY');
    expect(l.events.some((e) => e.kind === 'assoc')).toBe(false);

    const before = snapshot(l.s);
    expect(l.bpf({ cmd: 'BPF_LINK_DETACH', attr: { link_fd: linkFd } })).toEqual({ ret: 0 });
    expect(snapshot(l.s)).toEqual(before);

    // The map is still READY: it can be attached again, through a new link.
    const again = l.linkCreate(l.fd('map_a'));
    expect(again.ret).toBeGreaterThan(linkFd);
    const newId = l.s.processes[100]?.fds[again.ret]?.id ?? -1;
    expect(newId).not.toBe(linkId);
    expect(l.map('map_a').refcnt).toBe(3);
    expect(l.s.testmod.registered).toEqual([id]);

    // Closing the detached link changes nothing on the map.
    expect(l.close(linkFd).ret).toBe(0);
    expect(l.s.links[linkId]?.lifecycle).toBe('freed');
    expect(l.map('map_a').refcnt).toBe(3);
    expect(l.s.testmod.registered).toEqual([id]);

    // Closing the last fd of the attached link unregisters and drops its map reference.
    expect(l.close(again.ret).ret).toBe(0);
    expect(l.s.links[newId]?.lifecycle).toBe('freed');
    expect(l.s.testmod.registered).toEqual([]);
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.assocOf('syscall_a')).toBe('map_a');
    expect(l.assocOf('test_1_a')).toBe('map_a');
  });

  it('BPF_LINK_UPDATE: INIT new map → -EINVAL first; no update op → -EOPNOTSUPP before -ENOLINK', () => {
    const l = new Lab();
    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    const linkFd = l.linkCreate(l.fd('map_a')).ret;
    expect(l.bpf({ cmd: 'BPF_LINK_DETACH', attr: { link_fd: linkFd } }).ret).toBe(0);
    const before = snapshot(l.s);

    const init = l.bpf({
      cmd: 'BPF_LINK_UPDATE',
      attr: { link_fd: linkFd, new_map_fd: l.fd('map_b') },
    });
    expect(init.ret).toBe(-22);
    expect(snapshot(l.s)).toEqual(before);

    expect(l.update(l.fd('map_b'), { test_1: l.fd('test_1_b') }).ret).toBe(0);
    const mid = snapshot(l.s);
    const r = l.bpf({
      cmd: 'BPF_LINK_UPDATE',
      attr: { link_fd: linkFd, new_map_fd: l.fd('map_b') },
    });
    // The link is detached (-ENOLINK), but multi_st_ops has no update op: checked first.
    expect(r.ret).toBe(-95);
    expect(r.errno).toBe('EOPNOTSUPP');
    expect(l.map('map_a').refcnt).toBe(1);
    expect(l.map('map_b').refcnt).toBe(1);
    expect(snapshot(l.s)).toEqual(mid);
  });

  it('BPF_LINK_UPDATE on an attached sched_ext link → -EOPNOTSUPP as well', () => {
    const l = new Lab();
    const a = l.createStMap('scx_a', 'sched_ext_ops');
    const b = l.createStMap('scx_b', 'sched_ext_ops');
    const enq = l.loadProg('enq', 'BPF_PROG_TYPE_STRUCT_OPS', ['return 0'], {
      attach_btf_id: 'sched_ext_ops',
      expected_attach_type: 1,
    });
    expect(l.update(a, { enqueue: enq }).ret).toBe(0);
    expect(l.update(b, { enqueue: enq }).ret).toBe(0);
    expect(l.assocOf('enq')).toBe('POISON');
    const link = l.linkCreate(a).ret;
    expect(link).toBeGreaterThan(2);
    const before = snapshot(l.s);
    const r = l.bpf({ cmd: 'BPF_LINK_UPDATE', attr: { link_fd: link, new_map_fd: b } });
    expect(r.ret).toBe(-95);
    expect(snapshot(l.s)).toEqual(before);
  });

  it('sched_ext has .update = bpf_scx_update: -ENOLINK, -EPERM first, then -EOPNOTSUPP from it', () => {
    const l = new Lab();
    const a = l.createStMap('scx_a', 'sched_ext_ops');
    const b = l.createStMap('scx_b', 'sched_ext_ops');
    const c = l.createStMap('scx_c', 'sched_ext_ops');
    const enq = l.loadProg('enq', 'BPF_PROG_TYPE_STRUCT_OPS', ['return 0'], {
      attach_btf_id: 'sched_ext_ops',
      expected_attach_type: 1,
    });
    for (const m of [a, b, c]) expect(l.update(m, { enqueue: enq }).ret).toBe(0);
    const link = l.linkCreate(a).ret;
    expect(link).toBeGreaterThan(2);

    // A wrong old_map: bpf_struct_ops_map_link_update refuses with -EPERM before the op.
    const before = snapshot(l.s);
    const perm = l.bpf({
      cmd: 'BPF_LINK_UPDATE',
      attr: { link_fd: link, new_map_fd: b, old_map_fd: c, flags: 4 },
    });
    expect(perm.ret).toBe(-1);
    expect(perm.errno).toBe('EPERM');
    expect(l.events.some((e) => e.fn === 'bpf_scx_update')).toBe(false);
    expect(snapshot(l.s)).toEqual(before);

    // The right old_map reaches bpf_scx_update, which refuses: -EOPNOTSUPP.
    const op = l.bpf({
      cmd: 'BPF_LINK_UPDATE',
      attr: { link_fd: link, new_map_fd: b, old_map_fd: a, flags: 4 },
    });
    expect(op.ret).toBe(-95);
    expect(l.events.some((e) => e.fn === 'bpf_scx_update')).toBe(true);
    expect(snapshot(l.s)).toEqual(before);

    // Detached: -ENOLINK, again before the op.
    expect(l.bpf({ cmd: 'BPF_LINK_DETACH', attr: { link_fd: link } }).ret).toBe(0);
    const gone = l.bpf({ cmd: 'BPF_LINK_UPDATE', attr: { link_fd: link, new_map_fd: b } });
    expect(gone.ret).toBe(-67);
    expect(gone.errno).toBe('ENOLINK');
    expect(l.events.some((e) => e.fn === 'bpf_scx_update')).toBe(false);
  });

  it('BPF_LINK_DETACH on a raw_tp link → -EOPNOTSUPP; its refs are unchanged', () => {
    const l = new Lab();
    const r = l.bpf({
      cmd: 'BPF_LINK_CREATE',
      attr: { prog_fd: l.fd('tp_prog'), attach_type: 'BPF_TRACE_RAW_TP' },
    });
    expect(r.ret).toBeGreaterThan(2);
    expect(l.prog('tp_prog').refcnt).toBe(2);
    const before = snapshot(l.s);
    const d = l.bpf({ cmd: 'BPF_LINK_DETACH', attr: { link_fd: r.ret } });
    expect(d.ret).toBe(-95);
    expect(d.errno).toBe('EOPNOTSUPP');
    expect(l.prog('tp_prog').refcnt).toBe(2);
    expect(snapshot(l.s)).toEqual(before);
  });
});

describe('running programs', () => {
  it('BPF_PROG_TEST_RUN on a struct_ops program → -ENOTSUPP (524)', () => {
    const l = new Lab();
    const before = snapshot(l.s);
    const r = l.bpf({ cmd: 'BPF_PROG_TEST_RUN', attr: { prog_fd: l.fd('test_1_a') } });
    expect(r.ret).toBe(-524);
    expect(r.errno).toBe('ENOTSUPP');
    expect(l.prog('test_1_a').run_cnt).toBe(0);
    expect(snapshot(l.s)).toEqual(before);
  });

  it('the _impl kfunc: -1 unassociated, oops through an INIT map, 1234 once updated', () => {
    const l = new Lab();
    const run = () => l.bpf({ cmd: 'BPF_PROG_TEST_RUN', attr: { prog_fd: l.fd('syscall_a') } });

    const none = run();
    expect(none).toEqual({ ret: 0, out: { retval: -1 } });
    expect(l.s.oopses).toEqual([]);

    expect(l.assoc({ prog_fd: l.fd('syscall_a'), map_fd: l.fd('map_a') }).ret).toBe(0);
    expect(l.map('map_a').st?.state).toBe('INIT');
    let r: SysResult | undefined;
    expect(() => {
      r = run();
    }).not.toThrow();
    expect(r?.oops).toContain('NULL');
    expect(l.s.oopses).toHaveLength(1);
    expect(l.s.oopses[0]).toMatchObject({
      kind: 'NULL pointer dereference',
      prog: l.prog('syscall_a').id,
    });
    expect(l.s.oopses[0]?.msg).toContain('map_a');
    expect(l.events.some((e) => e.kind === 'oops')).toBe(true);
    // The temporary reference is still dropped; the association is unchanged.
    expect(l.prog('syscall_a').refcnt).toBe(1);
    expect(l.map('map_a').refcnt).toBe(2);
    expect(l.s.inflight).toEqual([]);
    expect(l.assocOf('syscall_a')).toBe('map_a');

    expect(l.update(l.fd('map_a'), { test_1: l.fd('test_1_a') }).ret).toBe(0);
    expect(run()).toEqual({ ret: 0, out: { retval: 1234 } });
    expect(l.prog('test_1_a').run_cnt).toBe(1);
    expect(l.s.oopses).toHaveLength(1);
  });
});
